from complaint_handling.setup.install import install_default_categories


def execute() -> None:
	install_default_categories()
