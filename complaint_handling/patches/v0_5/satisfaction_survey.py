"""The satisfaction survey after closure: install its Quality Feedback Template once."""

from complaint_handling.setup.install import install_survey_template


def execute() -> None:
	install_survey_template()
