"""Follow-up calls after closure: install the default follow-up levels once."""

from complaint_handling.setup.install import install_follow_up_levels


def execute() -> None:
	install_follow_up_levels()
