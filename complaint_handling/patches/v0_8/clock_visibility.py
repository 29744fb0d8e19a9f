"""Issue 25 on existing sites: each SLA clock carries its complaint's columns of the visibility rule (the
compliance report then reads the clocks alone); the index the report joined through before is dropped."""

import frappe

from complaint_handling.service_levels.clocks import carry_visibility_everywhere


def execute() -> None:
	carry_visibility_everywhere()
	if frappe.db.has_index("tabComplaint SLA Clock", "started_compliance"):
		frappe.db.sql_ddl("alter table `tabComplaint SLA Clock` drop index started_compliance")
