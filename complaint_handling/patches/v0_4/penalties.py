"""Penalties (docs/procedure.md §11): the approval workflow, the procedure's schedules as default rules and an
income account for posted penalties, installed once; an administrator's edits are kept."""

from complaint_handling.setup.install import install_default_penalty_rules, install_workflows, setup_defaults


def execute() -> None:
	install_workflows()
	install_default_penalty_rules()
	setup_defaults()
