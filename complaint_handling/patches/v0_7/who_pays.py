"""Issue 22 on existing sites: the low-satisfaction termination rule for contracted suppliers, named in the
settings; the new readings take their defaults from the DocType (Service Commitments, acceptance else delivery)."""

from complaint_handling.setup.install import install_default_penalty_rules


def execute() -> None:
	install_default_penalty_rules()
