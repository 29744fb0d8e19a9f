# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.access import fields, protection, throttle
from complaint_handling.access.permissions import (
	VISIBILITY_COLUMNS,
	VISIBILITY_INDEXES,
	can_see_complaint,
	complaint_conditions,
	revoke_shares_of_accused,
)
from complaint_handling.customer import follow_up_calls, satisfaction, surveys
from complaint_handling.customer.portal import list_context
from complaint_handling.handling import approvals, routing, whose_move, workflow_actions
from complaint_handling.intake import history, received_weeks, registration
from complaint_handling.integrations.erpnext.people import is_website_user
from complaint_handling.records import archive
from complaint_handling.service_levels import clocks

READBACK_METHODS = ("Read back by phone", "Read back in person")


class CustomerComplaint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_handling.complaint_handling.doctype.complaint_approval.complaint_approval import (
			ComplaintApproval,
		)
		from complaint_handling.complaint_handling.doctype.complaint_confirmation.complaint_confirmation import (
			ComplaintConfirmation,
		)
		from complaint_handling.complaint_handling.doctype.complaint_escalation.complaint_escalation import (
			ComplaintEscalation,
		)
		from complaint_handling.complaint_handling.doctype.complaint_related.complaint_related import (
			ComplaintRelated,
		)

		amended_from: DF.Link | None
		amount_at_stake: DF.Currency
		approval_chain: DF.Data | None
		approvals: DF.Table[ComplaintApproval]
		arrival_date: DF.Date | None
		batch_no: DF.Link | None
		category: DF.Link
		channel: DF.Literal["Phone", "Fax", "Verbal", "E-mail", "Portal", "API", "Walk-in"]
		closed_on: DF.Date | None
		company: DF.Link | None
		complainant_email: DF.Data | None
		complainant_name: DF.Data | None
		complainant_phone: DF.Data | None
		complained_employee: DF.Link | None
		complained_sales_person: DF.Link | None
		complained_user: DF.Link | None
		confirmation_status: DF.Literal["Unconfirmed", "Confirmed"]
		confirmations: DF.Table[ComplaintConfirmation]
		contact: DF.Link | None
		cross_department: DF.Check
		customer: DF.Link
		customer_name: DF.Data | None
		customer_responded_on: DF.Datetime | None
		customer_response: DF.Literal["", "Accepted", "Disputed"]
		decision: DF.TextEditor | None
		delivery_note: DF.Link | None
		description: DF.TextEditor | None
		desired_remedy: DF.SmallText | None
		dispute_reason: DF.SmallText | None
		disputed_on: DF.Datetime | None
		escalated: DF.Check
		escalations: DF.Table[ComplaintEscalation]
		final_ruling: DF.TextEditor | None
		first_responded_on: DF.Datetime | None
		follows_up: DF.Link | None
		handler: DF.Link | None
		handler_party: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
		handling_department: DF.Link | None
		handling_path: DF.Literal["", "Policy / Customer Service", "Staff Conduct", "Product Quality"]
		help_article: DF.Link | None
		historical: DF.Check
		historical_cost: DF.Currency
		historical_determination: DF.Literal[
			"", "Obvious Quality Defect", "Obvious Misuse", "Cannot Be Determined"
		]
		historical_paid_by: DF.Literal["", "Company", "Customer", "Dealer", "Shared"]
		is_repeat: DF.Check
		is_vip: DF.Check
		item: DF.Link | None
		item_name: DF.Data | None
		last_replied_on: DF.Datetime | None
		monthly_summary: DF.Check
		naming_series: DF.Literal["CC-.YYYY.-.#####"]
		notify_parties: DF.Data | None
		on_site_agreed_at: DF.Datetime | None
		on_site_arrived_on: DF.Datetime | None
		order_date: DF.Date | None
		paused_seconds: DF.Int
		paused_since: DF.Datetime | None
		pending_approver: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
		pending_approver_user: DF.Link | None
		proposal: DF.TextEditor | None
		proposed_by: DF.Link | None
		quality_feedback: DF.Link | None
		received_on: DF.Datetime
		region_manager: DF.Link | None
		registration_followup: DF.Check
		related_complaints: DF.Table[ComplaintRelated]
		resolution_by: DF.Datetime | None
		response_by: DF.Datetime | None
		route_timers: DF.Data | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		satisfaction_score: DF.Percent
		serial_no: DF.Link | None
		severity: DF.Literal["General", "Major", "Urgent"]
		shipping_date: DF.Date | None
		sla_policy: DF.Link | None
		sla_status: DF.Literal["", "On Track", "Warning", "Breached", "Paused"]
		sla_timer: DF.Data | None
		status: DF.Literal[
			"Registered", "In Progress", "Proposed", "Approved", "Replied", "Disputed", "Closed"
		]
		subject: DF.Data
		territory: DF.Link | None
		timer_due_at: DF.Datetime | None
		timer_level: DF.Int
		timer_next_escalation: DF.Datetime | None
		timer_started: DF.Datetime | None
		timer_warn_at: DF.Datetime | None
		timer_warned: DF.Check
		unconfirmed_reason: DF.SmallText | None
		waiting_for: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
		waiting_for_user: DF.Link | None
		workflow_state: DF.Link | None

	# end: auto-generated types
	def validate(self) -> None:
		protection.check_complaint(self)  # first: what the client sent, before the app's own steps
		registration.note_follow_up_since_read(self)
		received_weeks.note_before(self)
		fields.check_input(self)
		archive.check_follow_on(self)
		if self.historical:
			history.prepare(self)  # imported closed: never routed, assigned, timed or surveyed
			return
		settings = frappe.get_cached_doc("Complaint Settings")
		registration.identify_customer(self)
		registration.restrict_portal_user(self, frappe.session.user)
		registration.apply_customer_defaults(self)
		registration.apply_serial_no(self)
		registration.apply_batch_no(self)
		registration.apply_sales_documents(self)
		registration.apply_company(self)
		registration.validate_dates(self)
		registration.apply_complained_person(self)
		registration.apply_repeats(self, settings)
		registration.apply_confirmation(self)
		routing.apply_routing(self, settings)
		approvals.apply_stage_change(self)
		whose_move.apply(self)
		clocks.apply(self)
		if self.is_new():
			self.registration_followup = 1  # cleared by registration.follow_up_registration

	def on_submit(self) -> None:
		"""Closing submits the complaint: the customer is asked to rate it, and the call-backs are planned."""
		if self.historical:
			return  # imported closed: its survey and call-backs happened on paper
		surveys.enqueue_survey(self.name)
		follow_up_calls.schedule(self)

	def before_cancel(self) -> None:
		archive.refuse_cancel(self)  # a closed complaint is archived; a follow-on complaint amends it

	def before_update_after_submit(self) -> None:
		protection.check_complaint(
			self
		)  # a closed complaint keeps everything but what is recorded after closure
		received_weeks.note_before(self)

	def on_update_after_submit(self) -> None:
		satisfaction.follow(self)  # its survey's score follows it in the satisfaction summary
		received_weeks.follow(self)  # and it in the weekly intake summary

	def before_insert(self) -> None:
		if self.historical:
			history.start_import(self)  # inserted closed, by a System Manager's Data Import only
		if is_website_user(frappe.session.user) or frappe.session.user == "Guest":
			throttle.check("submit", "submissions_per_hour")  # the portal, over any path

	def after_insert(self) -> None:
		frappe.flags.complaint_in_insert = self  # see clocks.on_communication

	def on_update(self) -> None:
		frappe.flags.complaint_in_insert = None
		if self.historical:
			satisfaction.follow(self)  # counted like any closed complaint; nothing is routed or assigned
			received_weeks.follow(self)
			return
		if self.has_value_changed("complained_user"):
			revoke_shares_of_accused(self)  # shares override every rule: the accused keeps none
		workflow_actions.open_first_actions(self)  # before Frappe's own hook, which then finds it done
		clocks.sync_clocks(self)
		clocks.follow_visibility(self)
		satisfaction.follow(self)
		received_weeks.follow(self)  # before a test's inline follow-up counts it
		if self.flags.in_insert:
			registration.enqueue_follow_up(self.name)  # the request does not wait for mails, shares, ToDos
		else:
			registration.assign_after_save(
				self
			)  # shares, assignments (in a job when this request's view is stale)

	def on_trash(self) -> None:
		frappe.db.delete("Complaint SLA Clock", {"complaint": self.name})  # they exist only for it
		satisfaction.forget(self)
		received_weeks.forget(self)

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
		registration.add_confirmation(self, method, corrections)
		self.save()


def on_doctype_update() -> None:
	"""The indexes that serve the visibility rule (access/permissions.py), the portal's list, repeat detection."""
	for name, leading in VISIBILITY_INDEXES.items():
		frappe.db.add_index("Customer Complaint", [*leading, *VISIBILITY_COLUMNS], name)
	frappe.db.add_index("Customer Complaint", ["customer", "creation"], "customer_creation")
	# repeat detection (intake/registration.py): the customer's open complaints, and his recent ones
	frappe.db.add_index(
		"Customer Complaint", ["customer", "status", "received_on"], "customer_status_received"
	)
	frappe.db.add_index("Customer Complaint", ["customer", "received_on"], "customer_received")
	# the imported history's quality defects (quality/failure_rates.py)
	frappe.db.add_index(
		"Customer Complaint", ["historical", "historical_determination"], "historical_determination"
	)


def get_permission_query_conditions(user: str | None = None) -> str:
	return complaint_conditions(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_complaint(doc, user)


def has_website_permission(doc, ptype: str, user: str, verbose: bool = False) -> bool:
	return has_permission(doc, ptype, user)


def get_list_context(context=None) -> dict:
	"""/complaints in the portal (customer/portal.py)."""

	return list_context(context)
