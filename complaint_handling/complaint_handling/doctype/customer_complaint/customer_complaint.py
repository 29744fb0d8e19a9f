# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling import (
	archive,
	follow_up_calls,
	guard,
	handling,
	intake,
	next_step,
	service_level,
	surveys,
	throttle,
	workflow_actions,
)
from complaint_handling.integrations.erpnext.people import is_website_user
from complaint_handling.permissions import can_see_complaint, complaint_conditions, revoke_shares_of_accused

READBACK_METHODS = ("Read back by phone", "Read back in person")


class CustomerComplaint(Document):
	def validate(self) -> None:
		guard.check_complaint(self)  # first: what the client sent, before the app's own steps
		intake.note_follow_up_since_read(self)
		intake.check_input(self)
		archive.check_follow_on(self)
		settings = frappe.get_cached_doc("Complaint Settings")
		intake.identify_customer(self)
		intake.restrict_portal_user(self, frappe.session.user)
		intake.apply_customer_defaults(self)
		intake.apply_serial_no(self)
		intake.apply_batch_no(self)
		intake.apply_sales_documents(self)
		intake.validate_dates(self)
		intake.apply_complained_person(self)
		intake.apply_repeats(self, settings)
		intake.apply_confirmation(self)
		handling.apply_routing(self, settings)
		handling.apply_stage_change(self)
		next_step.apply(self)
		service_level.apply(self)
		if self.is_new():
			self.registration_followup = 1  # cleared by intake.follow_up_registration

	def on_submit(self) -> None:
		"""Closing submits the complaint: the customer is asked to rate it, and the call-backs are planned."""
		surveys.enqueue_survey(self.name)
		follow_up_calls.schedule(self)

	def before_cancel(self) -> None:
		archive.refuse_cancel(self)  # a closed complaint is archived; a follow-on complaint amends it

	def before_update_after_submit(self) -> None:
		guard.check_complaint(self)  # a closed complaint keeps everything but what is recorded after closure

	def before_insert(self) -> None:
		if is_website_user(frappe.session.user) or frappe.session.user == "Guest":
			throttle.check("submit", "submissions_per_hour")  # the portal, over any path

	def after_insert(self) -> None:
		frappe.flags.complaint_in_insert = self  # see service_level.on_communication

	def on_update(self) -> None:
		frappe.flags.complaint_in_insert = None
		if self.has_value_changed("complained_user"):
			revoke_shares_of_accused(self)  # shares override every rule: the accused keeps none
		workflow_actions.open_first_actions(self)  # before Frappe's own hook, which then finds it done
		service_level.sync_clocks(self)
		if self.flags.in_insert:
			intake.enqueue_follow_up(self.name)  # the request does not wait for mails, shares, ToDos
		else:
			intake.assign_after_save(self)  # shares, assignments (in a job when this request's view is stale)

	def on_trash(self) -> None:
		frappe.db.delete("Complaint SLA Clock", {"complaint": self.name})  # they exist only for it

	@frappe.whitelist()
	def record_readback(self, readback_method: str, corrections: str | None = None) -> None:
		"""The clerk read the record back to the customer (docs/procedure.md §2); corrections stay in the record.

		The parameter is not called `method`: the desk calls this through `run_doc_method`, whose own
		`method` argument would collide with it.
		"""
		self.check_permission("write")
		method = readback_method
		if method not in READBACK_METHODS:
			frappe.throw(
				_("{0}: choose one of {1}.").format(_("Method"), ", ".join(_(m) for m in READBACK_METHODS))
			)
		intake.add_confirmation(self, method, corrections)
		self.save()


def get_permission_query_conditions(user: str | None = None) -> str:
	return complaint_conditions(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_complaint(doc, user)


def has_website_permission(doc, ptype: str, user: str, verbose: bool = False) -> bool:
	return has_permission(doc, ptype, user)


def get_list_context(context=None) -> dict:
	"""/complaints in the portal (portal.py)."""
	from complaint_handling.portal import list_context

	return list_context(context)
