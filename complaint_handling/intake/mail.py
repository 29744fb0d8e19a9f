"""Intake channels around the Customer Complaint form: incoming e-mail and attachments."""

import shutil
from pathlib import Path

import frappe

COMPLAINT = "Customer Complaint"
PRIVATE_ATTACHMENTS = (COMPLAINT, "Complaint Memo", "Defect Inspection")  # a complaint's documents


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
	"""Photos, fax scans and documents of a complaint (and of its memos and inspections) are never public files (customer data, docs/procedure.md §12).

	File's own before_insert has already written the content; it is moved to /private here. The same
	content uploaded again finds its private copy already there: that copy is reused, never a failure.
	"""
	if doc.attached_to_doctype not in PRIVATE_ATTACHMENTS or doc.is_private or doc.is_folder:
		return
	doc.is_private = 1
	if not doc.file_url or doc.is_remote_file or not doc.file_url.startswith("/files/"):
		return
	name = doc.file_url.rsplit("/", 1)[-1]
	public = Path(frappe.get_site_path("public", "files", name))
	target = Path(frappe.get_site_path("private", "files", name))
	if target.exists() and public.exists() and not same_content(target, public):
		target = target.with_name(f"{target.stem}-{frappe.generate_hash(length=8)}{target.suffix}")
	still_used = frappe.db.exists("File", {"file_url": doc.file_url, "name": ("!=", doc.name or "")})
	if public.exists() and not target.exists():
		(shutil.copy2 if still_used else shutil.move)(public, target)
	elif public.exists() and not still_used:
		public.unlink()  # the private copy holds the same content
	doc.file_url = f"/private/files/{target.name}"


def same_content(a: Path, b: Path) -> bool:
	return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
