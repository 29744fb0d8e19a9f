"""Who may open a complaint besides the visibility rule (docs/procedure.md §12): the handler, the pending
approver and the people named on a memo get a share; whoever's move it is gets the assignment.
"""

import frappe

from complaint_handling.access.permissions import sharing_by_app
from complaint_handling.handling import whose_move


def share_with(doc, *users: str | None) -> None:
	"""Let people named on the document open and edit it, whatever their roles (a superior, a signer)."""
	for user in set(users) - {None, ""}:
		if not frappe.db.exists(
			"DocShare", {"share_doctype": doc.doctype, "share_name": doc.name, "user": user}
		):
			with sharing_by_app():
				frappe.share.add_docshare(
					doc.doctype, doc.name, user, write=1, flags={"ignore_share_permission": True}
				)


def share_and_assign(doc) -> None:
	"""Handler and pending approver may open the complaint; whoever's move it is now is assigned."""

	share_with(doc, *(u for u in (doc.handler, doc.pending_approver_user) if u != doc.complained_user))
	whose_move.reassign(doc)
