"""The internal liaison memo (内联单, docs/procedure.md §4): dispatch, reply, department-head sign-off, approval."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

from complaint_handling.access.fields import has_text, label
from complaint_handling.domain.routing import is_self_approval
from complaint_handling.domain.statuses import DISPATCHED, MEMO_APPROVED, SIGNED
from complaint_handling.domain.statuses import MEMO_REPLIED as REPLIED
from complaint_handling.handling import whose_move
from complaint_handling.handling.approvals import apply_memo_approver, may_act_for
from complaint_handling.handling.shares import share_with

APPROVED = MEMO_APPROVED


def apply_defaults(memo, complaint) -> None:
	if not memo.reply_by and memo.is_new():
		hours = frappe.db.get_single_value("Complaint Settings", "memo_reply_hours") or 24
		memo.reply_by = add_to_date(now_datetime(), hours=hours)
	if not memo.approver_party:
		apply_memo_approver(memo, complaint)


def check_complete(memo) -> None:
	"""The HQ coordinator dispatches only a complete memo (docs/procedure.md §4): text, requested reply time, a signer."""
	missing = [
		label(memo, field)
		for field in ("description", "reply_by", "to_department", "department_head")
		if not (has_text(memo.get(field)) if field == "description" else memo.get(field))
	]
	if missing:
		frappe.throw(
			_("Complete the memo before dispatching it: {0}.").format(", ".join(missing)),
			frappe.MandatoryError,
			title=_("Memo incomplete"),
		)
	if get_datetime(memo.reply_by) <= now_datetime():
		frappe.throw(
			_("{0} must be in the future.").format(label(memo, "reply_by")), title=_("Memo incomplete")
		)


def apply_stage_change(memo, complaint) -> None:
	before = memo.get_doc_before_save()
	old, new = (before.status if before else None), memo.status
	if old == new:
		return
	user = frappe.session.user
	if new == DISPATCHED:
		check_complete(memo)
	elif new == REPLIED:
		if not has_text(memo.reply):
			frappe.throw(_("Enter {0} first.").format(label(memo, "reply")), frappe.MandatoryError)
		memo.replied_by, memo.replied_on = user, now_datetime()
	elif new == SIGNED:
		if user not in (memo.department_head, "Administrator"):
			frappe.throw(
				_("Only the department head {0} can sign this answer.").format(memo.department_head),
				frappe.PermissionError,
			)
		memo.signed_by, memo.signed_on = user, now_datetime()
	elif new == APPROVED:
		if user != "Administrator" and is_self_approval(user, memo.replied_by, memo.signed_by):
			frappe.throw(
				_("You answered or signed this memo, so you cannot approve it; {0} must.").format(
					_(memo.approver_party)
				),
				frappe.PermissionError,
				title=_("Self-approval not allowed"),
			)
		if not may_act_for(complaint, memo.approver_party, user):
			frappe.throw(
				_("This memo awaits approval by {0}.").format(_(memo.approver_party)), frappe.PermissionError
			)
		memo.approved_by, memo.approved_on = user, now_datetime()


def after_save(memo) -> None:
	"""Addressee and signer may open the memo; every step appears on the complaint's timeline."""

	accused = frappe.db.get_value("Customer Complaint", memo.complaint, "complained_user")
	share_with(memo, *(u for u in (memo.addressee, memo.department_head) if u != accused))
	whose_move.reassign(memo)
	if memo.has_value_changed("status") and memo.status != "Draft":
		frappe.get_doc("Customer Complaint", memo.complaint).add_comment(
			"Info",
			_("Memo {0} to {1} is now {2}.").format(
				frappe.utils.get_link_to_form(memo.doctype, memo.name), memo.to_department, _(memo.status)
			)
			+ (f"<br>{memo.reply}" if memo.status == REPLIED and memo.reply else ""),
		)


@frappe.whitelist()
def make_memo(source_name: str, target_doc: Document | str | None = None) -> Document:
	"""Create ▸ Memo on a complaint: a draft memo that carries the complaint's subject and department."""
	from frappe.model.mapper import get_mapped_doc

	def set_missing(source, target) -> None:
		target.from_user = frappe.session.user
		target.to_department = target.to_department or source.handling_department

	return get_mapped_doc(
		"Customer Complaint",
		source_name,
		{
			"Customer Complaint": {
				"doctype": "Complaint Memo",
				"field_map": {"name": "complaint", "subject": "subject"},
				"field_no_map": ["status", "workflow_state", "sla_policy", "sla_status", "description"],
				"validation": {"docstatus": ["=", 0]},
			}
		},
		target_doc,
		set_missing,
	)
