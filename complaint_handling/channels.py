"""Intake channels around the Customer Complaint form: incoming e-mail and attachments."""

import frappe

COMPLAINT = "Customer Complaint"


def on_communication(doc, method: str | None = None) -> None:
	"""A complaint made from an incoming e-mail (Email Account "append to") takes the mail as its text.

	Later mails on the same complaint only thread into its timeline.
	"""
	if doc.reference_doctype != COMPLAINT or doc.sent_or_received != "Received" or not doc.reference_name:
		return
	received = frappe.db.count(
		"Communication",
		{
			"reference_doctype": COMPLAINT,
			"reference_name": doc.reference_name,
			"sent_or_received": "Received",
		},
	)
	complaint = frappe.get_doc(COMPLAINT, doc.reference_name)
	if received > 1 or complaint.description:
		return
	complaint.description = doc.content
	complaint.channel = "E-mail"
	complaint.received_on = doc.communication_date or complaint.received_on
	complaint.flags.ignore_permissions = True
	complaint.flags.ignore_mandatory = True  # the clerk completes customer and category (seed 5.2.3)
	complaint.save()


def keep_complaint_files_private(doc, method: str | None = None) -> None:
	"""Photos, fax scans and documents of a complaint are never public files (customer data, part 2)."""
	if doc.attached_to_doctype == COMPLAINT:
		doc.is_private = 1
