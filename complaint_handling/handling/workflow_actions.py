"""Frappe's workflow bookkeeping for a document being inserted, written in bulk.

On every save of a document under a Workflow, Frappe's `process_workflow_actions` (a `*` on_update hook)
completes the open *Workflow Action* of the state left and opens one for the roles of the next possible
transitions, so that each of them finds the document in its Workflow Action list. A document being
inserted has nothing to complete, so Frappe only opens that row — through a whole Document insert (its
links checked, its defaults, a Version, its own hooks), about a third of what registering a complaint
over REST costs (benchmarks/README.md, P3).

`open_first_actions` writes the same row and its roles in two INSERTs before Frappe's hook runs; the hook
then finds it (`is_workflow_action_already_created`) and stops. Every later transition goes through
Frappe's own code, which completes this row like any other. With the workflow's e-mail alerts on, Frappe's
own path runs instead (it also sends them).
"""

import frappe
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied

from complaint_handling.bulk_insert import insert_rows

ACTION, ROLE = "Workflow Action", "Workflow Action Permitted Role"
STAMPS = ("name", "creation", "modified", "modified_by", "owner", "docstatus", "idx")


def next_roles(workflow, state: str, doc) -> list[str]:
	"""Roles of the transitions Frappe would offer from `state`: its `get_next_possible_transitions`
	(transitions into an optional state and those whose condition fails are left out)."""
	optional = {row.state for row in workflow.states if row.is_optional_state}
	roles: list[str] = []
	for transition in workflow.transitions:
		if transition.state != state or transition.next_state in optional:
			continue
		if transition.allowed not in roles and is_transition_condition_satisfied(transition, doc):
			roles.append(transition.allowed)
	return roles


def open_first_actions(doc) -> None:
	"""The Workflow Action Frappe would open for a document being inserted, in bulk (see the module)."""
	name = get_workflow_name(doc.doctype)
	if not name or not doc.flags.in_insert:
		return
	workflow = frappe.get_cached_doc("Workflow", name)
	if workflow.send_email_alert:
		return  # Frappe's own path: it also e-mails the next roles
	state = doc.get(workflow.workflow_state_field)
	roles = next_roles(workflow, state, doc)
	if not roles:
		return
	action, now, user = frappe.generate_hash(length=10), frappe.utils.now(), frappe.session.user
	insert_rows(
		ACTION,
		(*STAMPS, "status", "reference_doctype", "reference_name", "workflow_state"),
		[(action, now, now, user, user, 0, 0, "Open", doc.doctype, doc.name, state)],
	)
	insert_rows(
		ROLE,
		(*STAMPS, "parent", "parenttype", "parentfield", "role"),
		[
			(
				frappe.generate_hash(length=10),
				now,
				now,
				user,
				user,
				0,
				idx,
				action,
				ACTION,
				"permitted_roles",
				role,
			)
			for idx, role in enumerate(roles, start=1)
		],
	)
	clear_doctype_notifications(ACTION)
