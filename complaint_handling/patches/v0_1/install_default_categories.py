from complaint_handling.install import install_default_categories


def execute() -> None:
	install_default_categories()
