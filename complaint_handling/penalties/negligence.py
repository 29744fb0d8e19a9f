"""The automatic proposal (docs/procedure.md §6, §11): a region manager's negligence found on an inspection
proposes a penalty against him, refreshed as the inspection changes.
"""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.domain.quality_path import negligence_base as base
from complaint_handling.integrations.erpnext.companies import of_company
from complaint_handling.integrations.erpnext.people import users_with_role
from complaint_handling.penalties.rules import MARKETING_DIRECTOR, PENALTY, PROPOSED, RULE

NEGLIGENCE_RULE = "Region Manager Negligence"


def negligence_rule():
	"""The Penalty Rule for a negligent region manager (Complaint Settings › Negligence Penalty Rule): the one
	home of the 30-60 % band, shown on the inspection and used for the proposal."""
	name = frappe.db.get_single_value("Complaint Settings", "negligence_penalty_rule") or NEGLIGENCE_RULE
	return frappe.get_cached_doc(RULE, name) if frappe.db.exists(RULE, name) else None


def negligence_base(inspection) -> float:
	"""The freight the company actually paid: the legs recorded whose payer is the company."""

	legs = [(row.leg, flt(row.amount)) for row in inspection.freight]
	payers = {row.leg: row.paid_by for row in inspection.freight}
	return base(legs, payers)


def negligent_party(rule, user: str) -> str | None:
	"""The region manager as the rule's party: his active Employee, or the Sales Person linked to it."""
	employee = frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "name")
	if not employee or rule.party_type == "Employee":
		return employee
	if rule.party_type == "Sales Person":
		return frappe.db.get_value("Sales Person", {"employee": employee, "enabled": 1}, "name")
	return None


def propose_negligence(inspection) -> str | None:
	"""When QA finds a returned case the region manager could have determined on site, propose his share of
	the freight the company actually paid, once per inspection. Without a party to charge, QA is told and the
	penalty approvers are asked to propose it by hand."""
	if not inspection.could_have_determined:
		return None
	rule = negligence_rule()
	if rule is None:
		return None
	if frappe.db.exists(PENALTY, {"inspection": inspection.name, "rule": rule.name, "docstatus": ["<", 2]}):
		return None
	freight = negligence_base(inspection)
	party = negligent_party(rule, inspection.inspector)
	if not party:
		no_party(inspection, rule, freight)
		return None
	penalty = frappe.get_doc(
		{
			"doctype": PENALTY,
			"rule": rule.name,
			"party": party,
			"complaint": inspection.complaint,
			"inspection": inspection.name,
			"base_amount": freight,
			"reason": _(
				"Inspection {0}: QA found the goods determinable on site; freight the company paid {1}."
			).format(inspection.name, freight),
		}
	)
	penalty.insert(ignore_permissions=True)
	return penalty.name


def no_party(inspection, rule, freight: float) -> None:
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	message = _(
		"Inspection {0}: the region manager's negligence penalty was not proposed: inspector {1} has no active"
		" {2} for rule {3}. Link one, or propose it by hand on a base of {4}."
	).format(inspection.name, inspection.inspector, _(rule.party_type), rule.name, freight)
	inspection.add_comment("Info", message)
	frappe.msgprint(message, title=_("Penalty not proposed"), indicator="orange")
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Defect Inspection",
			"document_name": inspection.name,
			"subject": message,
			"from_user": "Administrator",
		},
		of_company(users_with_role(MARKETING_DIRECTOR), inspection.get("company"))[:20],
	)


def refresh_negligence(inspection) -> None:
	"""A freight leg the company paid recorded after QA's proposal: a penalty still proposed takes the new base;
	one already approved is not reopened (the inspection says so)."""
	rule = negligence_rule()
	if rule is None or not inspection.could_have_determined:
		return
	found = frappe.db.get_value(
		PENALTY,
		{"inspection": inspection.name, "rule": rule.name, "docstatus": ["<", 2]},
		["name", "status", "base_amount"],
		as_dict=True,
	)
	freight = negligence_base(inspection)
	if not found or flt(found.base_amount) == freight:
		return
	if found.status == PROPOSED:
		penalty = frappe.get_doc(PENALTY, found.name)
		penalty.base_amount = freight
		if not flt(penalty.pick):
			penalty.pick = None  # not picked yet (a number field reads back 0)
		penalty.flags.ignore_permissions = True
		penalty.save()
	else:
		inspection.add_comment(
			"Info",
			_("Freight the company paid is now {0}; penalty {1}, approved on a base of {2}, stands.").format(
				freight, found.name, found.base_amount
			),
		)
