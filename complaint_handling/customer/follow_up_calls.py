"""Follow-up calls after closure (docs/procedure.md parts 5 and 7): when a complaint closes, one call per
enabled level of Complaint Settings and, for a random share, an audit call; each assigned to whoever holds
the level's role (the complaint's own region manager for Region Manager). The caller records the outcome;
everything else of a call is the app's. Planning rules: domain/follow_up_calls.py."""

import random

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.utils import cint, flt, getdate, now_datetime

from complaint_handling.access.permissions import sharing_by_app
from complaint_handling.domain import follow_up_calls as rules
from complaint_handling.handling.whose_move import MAX_ROLE_ASSIGNEES, role_users

CALL = "Complaint Follow-up Call"
SERVER_FIELDS = (
	"complaint",
	"customer",
	"level",
	"is_audit",
	"due_on",
	"assigned_role",
	"status",
	"called_on",
	"called_by",
	"attempts",
)


class FollowUpCallError(frappe.ValidationError):
	"""A call's plan is the app's; an outcome once done stays."""


def schedule(complaint) -> list[str]:
	"""On closure: the complaint's calls, made once (a complaint closes once)."""
	if frappe.db.exists(CALL, {"complaint": complaint.name}):
		return []
	settings = frappe.get_cached_doc("Complaint Settings")
	levels = {row.level: row for row in settings.get("follow_up_levels") or []}
	plans = rules.plan_calls(
		[rules.Level(row.level, cint(row.days_after_closure), bool(row.enabled)) for row in levels.values()],
		getdate(now_datetime()),
		audit_share=flt(settings.audit_call_share),
		draw=random.random(),
		audit_days=cint(settings.audit_call_days),
	)
	made = []
	for plan in plans:
		role = settings.audit_call_role if plan.is_audit else levels[plan.level].role
		call = frappe.get_doc(
			{
				"doctype": CALL,
				"complaint": complaint.name,
				"customer": complaint.customer,
				"level": plan.level,
				"is_audit": int(plan.is_audit),
				"due_on": plan.due_on,
				"assigned_role": role,
			}
		)
		call.flags.planned = True
		call.insert(ignore_permissions=True)
		assign(call, callers(complaint, role))
		made.append(call.name)
	return made


def callers(complaint, role: str | None) -> list[str]:
	"""Who is assigned the call: the level's role holders who may see the complaint — never the person it is
	about (a call is not shared to anybody; docs/procedure.md §12)."""
	if not role:
		return []
	if role == "Region Manager" and complaint.region_manager:
		users = [complaint.region_manager]
	else:
		users = role_users(role)
		if len(users) > MAX_ROLE_ASSIGNEES:
			return []  # a large team works from the list
	return [
		user
		for user in users
		if user != complaint.complained_user
		and frappe.has_permission("Customer Complaint", "read", doc=complaint, user=user)
	]


def assign(call, users: list[str]) -> None:
	if not users:
		return
	mute, frappe.flags.mute_messages = frappe.flags.mute_messages, True
	try:
		with sharing_by_app():  # a caller who cannot see the complaint yet gets Frappe's share of the call
			add_assignment(
				{
					"assign_to": users,
					"doctype": CALL,
					"name": call.name,
					"description": _("Call the customer back about complaint {0} ({1}).").format(
						call.complaint, _(call.level)
					),
					"date": str(call.due_on),
				},
				ignore_permissions=True,
			)
	finally:
		frappe.flags.mute_messages = mute


def check(call) -> None:
	"""`validate`: only the app plans calls; the caller records an outcome, stamped by the server."""
	before = call.get_doc_before_save()
	if before is None:
		if not call.flags.planned:
			frappe.throw(
				_("Follow-up calls are planned by the app when a complaint closes."), frappe.PermissionError
			)
		call.status = "Open"
		return
	changed = [f for f in SERVER_FIELDS if str(call.get(f) or "") != str(before.get(f) or "")]
	if changed:
		frappe.throw(
			_("{0} is set by the app and cannot be written directly.").format(
				_(call.meta.get_label(changed[0]))
			),
			FollowUpCallError,
		)
	if before.status == "Done" and (call.outcome != before.outcome):
		frappe.throw(_("The outcome of a finished call stays as recorded."), FollowUpCallError)
	if call.outcome != before.outcome:
		try:
			call.status = rules.call_status(call.outcome)
		except rules.FollowUpError:
			frappe.throw(
				_("{0}: choose Satisfied, Not Satisfied or Not Reached.").format(_("Outcome")),
				FollowUpCallError,
			)
		call.called_on = now_datetime()
		call.called_by = frappe.session.user
		call.attempts = cint(before.attempts) + 1
