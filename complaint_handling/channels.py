"""Intake channels around the Customer Complaint form: incoming e-mail and attachments."""

import frappe

COMPLAINT = "Customer Complaint"


def on_communication(doc, method: str | None = None) -> None:
	"""A complaint made from an incoming e-mail (Email Account "append to") takes the mail as its text.

	Later mails on the same complaint only thread into its timeline. Runs on update: the mail's content
	arrives with the save that follows the insert.
	"""
	if doc.reference_doctype != COMPLAINT or doc.sent_or_received != "Received" or not doc.reference_name:
		return
	if not doc.content:
		return  # frappe inserts the mail first and saves its content (attachments, inline images) after
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
	complaint.flags.ignore_mandatory = (
		True  # the clerk completes customer and category (docs/procedure.md §2)
	)
	complaint.save()


def keep_complaint_files_private(doc, method: str | None = None) -> None:
	"""Photos, fax scans and documents of a complaint are never public files (customer data, docs/procedure.md §12).

	File's own before_insert has already written the content; frappe moves it to /private here.
	"""
	if doc.attached_to_doctype in (COMPLAINT, "Complaint Memo") and not doc.is_private and not doc.is_folder:
		doc.is_private = 1
		if doc.file_url and not doc.is_remote_file:
			doc.handle_is_private_changed()
