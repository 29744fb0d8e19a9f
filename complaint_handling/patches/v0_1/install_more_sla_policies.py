from complaint_handling.setup.install import install_default_sla_policies


def execute() -> None:
	"""Policies added after the first release (policy/service 24 h reply, field service); existing kept."""
	install_default_sla_policies()
