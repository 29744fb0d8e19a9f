"""Approvals (docs/procedure.md §7, §9): proposal, the approval chain walked party by party under the
separation of duties, the decision, reply, dispute and closing.

Workflow states are configuration: each state sets the complaint's `status` (its "update field"), and this
module reacts to changes of `status` only, never to a state's name.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_handling.access.fields import has_text, label
from complaint_handling.domain.routing import (
	is_self_approval,
	may_approve,
)
from complaint_handling.domain.statuses import (
	APPROVED,
	CLOSED,
	DISPUTED,
	IN_PROGRESS,
	PROPOSED,
	REPLIED,
	open_statuses,
)
from complaint_handling.handling.routing import approval_chain, party_user


def remaining_approvers(doc) -> list[str]:
	done = [row.party for row in doc.get("approvals") or []]
	chain = approval_chain(doc)
	return chain[len(done) :] if chain[: len(done)] == done else chain


def set_pending(doc, party: str | None) -> None:
	doc.pending_approver = party
	doc.pending_approver_user = party_user(doc, party) if party else None


def apply_stage_change(doc) -> None:
	"""React to the status the workflow (or an API) moved the complaint to."""
	before = doc.get_doc_before_save()
	old, new = (before.status if before else None), doc.status
	if old == new:
		return
	if new == PROPOSED and old == IN_PROGRESS:
		propose(doc)
	elif new == APPROVED and old == PROPOSED:
		approve(doc, before)
	elif new == IN_PROGRESS and old == PROPOSED:
		doc.set("approvals", [])  # sent back: the next proposal is approved afresh
		set_pending(doc, None)
	elif new == REPLIED:
		require(doc, "decision")
	elif new == CLOSED:
		check_memos_finished(doc)
		count_help_article(doc)
	elif new == DISPUTED:
		require(doc, "dispute_reason")
		doc.disputed_on = now_datetime()
	if new == CLOSED and old == DISPUTED:
		require(doc, "final_ruling")


def count_help_article(doc) -> None:
	"""A complaint closed with a first-line answer counts for the article (docs/procedure.md §5)."""
	if doc.help_article:
		frappe.db.sql(
			"""update `tabHelp Article` set complaints_answered = ifnull(complaints_answered, 0) + 1
			where name = %s""",
			doc.help_article,
		)


def require(doc, fieldname: str) -> None:
	if not has_text(doc.get(fieldname)):
		frappe.throw(
			_("Enter {0} first.").format(label(doc, fieldname)),
			frappe.MandatoryError,
			title=_("Missing {0}").format(label(doc, fieldname)),
		)


def propose(doc) -> None:
	require(doc, "proposal")
	doc.proposed_by = frappe.session.user
	chain = approval_chain(doc)
	set_pending(doc, chain[0] if chain else None)


def may_act_for(doc, party: str, user: str) -> bool:
	if user == "Administrator":
		return True
	if one_user := party_user(doc, party):
		return one_user == user
	return may_approve(frappe.get_roles(user), party)


def approve(doc, before) -> None:
	"""Record one approval; while approvers remain, the complaint stays where it was (docs/procedure.md §9).

	Accepting a proposal inside the handler's authority is an approval too: the same separation of duties.
	"""
	party = doc.pending_approver
	user = frappe.session.user
	if user != "Administrator":
		if user == doc.complained_user:
			frappe.throw(
				_("A complaint about you is decided by others."), SelfApprovalError, title=_("Not allowed")
			)
		if is_self_approval(user, doc.handler, doc.proposed_by, doc.owner):
			frappe.throw(
				_(
					"You registered, handled or proposed this complaint's handling, so you cannot approve it; {0} must."
				).format(_(party or "Complaint Coordinator")),
				SelfApprovalError,
				title=_("Self-approval not allowed"),
			)
	if not party:  # inside the handler's authority: the coordinator accepts the proposal
		fill_decision(doc)
		return
	if not may_act_for(doc, party, user):
		frappe.throw(
			_("This complaint awaits approval by {0}.").format(_(party)),
			NotYourApprovalError,
			title=_("Not your approval"),
		)
	doc.append("approvals", {"party": party, "approver": user, "approved_on": now_datetime()})
	remaining = remaining_approvers(doc)
	if remaining:
		doc.status = before.status
		doc.workflow_state = before.workflow_state
	else:
		fill_decision(doc)
	set_pending(doc, remaining[0] if remaining else None)


class SelfApprovalError(frappe.PermissionError):
	"""Whoever registered, handled or proposed a complaint, or is complained about, may not approve it."""


class NotYourApprovalError(frappe.PermissionError):
	"""The complaint awaits another party's approval."""


def fill_decision(doc) -> None:
	"""The approved proposal is what the clerk tells the customer, unless a decision was written already."""
	if not has_text(doc.decision):
		doc.decision = doc.proposal


def check_memos_finished(doc) -> None:
	"""A complaint closes only when each of its memos is closed or cancelled (docs/procedure.md §4)."""
	open_memos = frappe.get_all(
		"Complaint Memo",
		filters={"complaint": doc.name, "docstatus": 0, "status": ("in", open_statuses("Complaint Memo"))},
		pluck="name",
		order_by="name",
	)
	if open_memos:
		frappe.throw(
			_("Close or cancel its memos before closing this complaint: {0}.").format(", ".join(open_memos)),
			OpenMemoError,
			title=_("Memos still open"),
		)


class OpenMemoError(frappe.ValidationError):
	"""A complaint cannot close while one of its memos is open."""


def apply_memo_approver(memo, complaint) -> None:
	"""A memo's answer is approved by the complaint's deciding authority; the marketing director by default."""
	chain = approval_chain(complaint)
	memo.approver_party = chain[-1] if chain else "Marketing Director"
