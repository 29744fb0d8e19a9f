from complaint_handling.setup.install import install_default_sla_policies


def execute() -> None:
	install_default_sla_policies()
