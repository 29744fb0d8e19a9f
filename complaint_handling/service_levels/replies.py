"""Replies to the customer (docs/procedure.md §8): an e-mail sent to the complainant stops the first-response
clock, as does a formal reply recorded on the complaint.
"""

from datetime import datetime

import frappe
from frappe.utils import parse_addr, split_emails

from complaint_handling.domain.deadlines import (
	reaches_customer,
)
from complaint_handling.service_levels.calendars import aware, calendar_of, naive, now_aware
from complaint_handling.service_levels.clocks import current_status, plan_clocks, sync_clocks
from complaint_handling.service_levels.policies import COMPLAINT


def on_communication(comm, method: str | None = None) -> None:
	"""Communication after_insert: a reply that reached the customer stops first response and the 24 h
	customer reply (domain/deadlines.py: reaches_customer) without saving the complaint as the sender."""
	if comm.reference_doctype != COMPLAINT or not comm.reference_name or comm.sent_or_received != "Sent":
		return
	# the acknowledgement goes out while the complaint is inserted: stamp the document being saved
	inserting = frappe.flags.get("complaint_in_insert")
	if inserting is not None and inserting.name == comm.reference_name:
		complaint = inserting
	else:
		complaint = frappe.get_doc(COMPLAINT, comm.reference_name)
	recipients = [
		parse_addr(address)[1]
		for field in ("recipients", "cc")
		for address in split_emails(comm.get(field) or "")
	]
	automated = bool(frappe.db.get_single_value("Complaint Settings", "acknowledgement_counts_as_response"))
	if not reaches_customer(
		comm.sent_or_received,
		comm.communication_type,
		comm.communication_medium,
		recipients,
		customer_addresses(complaint),
		automated,
	):
		return
	record_reply(complaint, aware(comm.communication_date) or now_aware())


def customer_addresses(complaint) -> list[str]:
	"""Where a reply reaches the complainant: the complaint's e-mail and its contact's addresses."""
	addresses = [complaint.complainant_email] if complaint.complainant_email else []
	if complaint.get("contact"):
		addresses += frappe.get_all(
			"Contact Email", filters={"parent": complaint.contact, "parenttype": "Contact"}, pluck="email_id"
		)
	return addresses


def record_reply(complaint, at: datetime) -> None:
	"""Stamp the reply and bring the clocks and SLA status up to date, without a full save."""
	values = {"last_replied_on": naive(at)}
	if not complaint.first_responded_on:
		values["first_responded_on"] = naive(at)
	complaint.update(values)
	if complaint.sla_policy:
		policy = frappe.get_cached_doc("Complaint SLA Policy", complaint.sla_policy)
		plan_clocks(complaint, policy, calendar_of(policy), now_aware())
		values["sla_status"] = current_status(complaint, now_aware())
		values.update(response_by=complaint.response_by, resolution_by=complaint.resolution_by)
	complaint.db_set(values, update_modified=False)
	sync_clocks(complaint)
