from complaint_handling.setup.install import install_default_authority_limits, install_workflows


def execute() -> None:
	install_workflows()
	install_default_authority_limits()
