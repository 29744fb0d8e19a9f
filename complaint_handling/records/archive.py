"""The archive (docs/procedure.md §8): a closed complaint is submitted and stays as it was — never cancelled
(so never deleted: Frappe deletes no submitted document), amended only by a new complaint that follows it up; its whole file exports as one zip; what
has passed the retention period is reported weekly, and removed only by a System Manager's explicit act."""

import io
import json
import re
import zipfile

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_years, cint, getdate, now_datetime

from complaint_handling.domain.statuses import CLOSED
from complaint_handling.integrations.erpnext.people import is_website_user, users_with_role

COMPLAINT = "Customer Complaint"
# the documents of a complaint's file: the field linking each to it, the print formats it is archived in
FILE_DOCUMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
	("Complaint Memo", "complaint", ("Complaint Memo Form",)),
	("Defect Inspection", "complaint", ("Defect Inspection Form", "QA Determination")),
	("Complaint Penalty", "complaint", ("Penalty Notice",)),
	("Complaint Follow-up Call", "complaint", ("Standard",)),
	("Quality Feedback", "customer_complaint", ("Standard",)),
)


class ArchivedComplaintError(frappe.PermissionError):
	"""A closed complaint is archived: not cancelled, not deleted."""


def refuse_cancel(doc) -> None:
	"""`before_cancel` of a complaint: the archive keeps it; a follow-on complaint amends it."""
	frappe.throw(
		_(
			"Complaint {0} is closed and archived: it cannot be cancelled. Create a follow-on complaint instead."
		).format(doc.name),
		ArchivedComplaintError,
		title=_("Archived"),
	)


# An amendment is a new complaint ------------------------------------------------------------------


@frappe.whitelist()
def make_follow_on(source_name: str | None = None, target_doc: Document | str | None = None) -> Document:
	"""Create ▸ Follow-on Complaint: a new complaint about the same customer and goods, linked to the closed one."""
	if not isinstance(source_name, str) or not frappe.db.exists(COMPLAINT, source_name):
		frappe.throw(_("{0}: choose an existing complaint.").format(_("Complaint")), frappe.DoesNotExistError)
	frappe.get_doc(COMPLAINT, source_name).check_permission("read")

	def fill(source, target) -> None:
		target.follows_up = source.name
		target.subject = _("Follow-on to {0}: {1}").format(source.name, source.subject or "")[:140]
		target.received_on = now_datetime()

	return get_mapped_doc(
		COMPLAINT,
		source_name,
		{
			COMPLAINT: {
				"doctype": COMPLAINT,
				"field_no_map": [
					field.fieldname
					for field in frappe.get_meta(COMPLAINT).fields
					if field.fieldname not in FOLLOW_ON_FIELDS
				],
			}
		},
		target_doc,
		fill,
	)


FOLLOW_ON_FIELDS = frozenset(
	{
		"customer",
		"contact",
		"complainant_name",
		"complainant_phone",
		"complainant_email",
		"category",
		"item",
		"serial_no",
		"batch_no",
		"sales_order",
		"delivery_note",
		"sales_invoice",
	}
)


def check_follow_on(doc) -> None:
	"""`validate` of a new complaint: what it follows up is a closed complaint this user may read."""
	if not doc.is_new() or not doc.follows_up:
		return
	source = (
		frappe.db.get_value(COMPLAINT, doc.follows_up, ["docstatus"], as_dict=True)
		if isinstance(doc.follows_up, str)
		else None
	)
	if (
		not source
		or source.docstatus != 1
		or not frappe.has_permission(COMPLAINT, "read", doc=doc.follows_up)
	):
		frappe.throw(
			_("{0}: a closed complaint you can see.").format(_("Follows Up")), frappe.ValidationError
		)


# The whole file as one zip ------------------------------------------------------------------------


def file_documents(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
	"""(doctype, name, print formats) of the complaint and each document of its file the user may read."""
	found = [(COMPLAINT, name, ("Complaint File", "Complaint Registration Form"))]
	for doctype, field, formats in FILE_DOCUMENTS:
		for docname in frappe.get_all(doctype, filters={field: name}, pluck="name", order_by="creation asc"):
			if frappe.has_permission(doctype, "read", doc=docname):
				found.append((doctype, docname, formats))
	return found


def clean_file_name(part: str) -> str:
	return re.sub(r"[^\w.\-]+", "_", str(part), flags=re.UNICODE).strip("._") or "file"


@frappe.whitelist()
def export_file(name: str | None = None) -> None:
	"""Download the complaint's whole file: a PDF of each document and every attachment, in one zip."""
	if is_website_user(frappe.session.user):
		frappe.throw(
			_(
				"The complaint's file is the company's record: download your registration form from the portal."
			),
			frappe.PermissionError,
		)
	if not isinstance(name, str) or not frappe.db.exists(COMPLAINT, name):
		frappe.throw(_("{0}: choose an existing complaint.").format(_("Complaint")), frappe.DoesNotExistError)
	frappe.get_doc(COMPLAINT, name).check_permission("read")
	documents = file_documents(name)
	manifest = []
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for doctype, docname, formats in documents:
			folder = f"{clean_file_name(doctype)}/{clean_file_name(docname)}"
			for print_format in formats:
				pdf = frappe.get_print(doctype, docname, print_format=print_format, as_pdf=True)
				archive.writestr(f"{folder}/{clean_file_name(print_format)}.pdf", pdf)
			files = []
			for file in frappe.get_all(
				"File",
				filters={"attached_to_doctype": doctype, "attached_to_name": docname, "is_folder": 0},
				fields=["name", "file_name"],
				order_by="creation asc",
			):
				content = frappe.get_doc("File", file.name).get_content()
				entry = f"{folder}/attachments/{clean_file_name(file.name)}-{clean_file_name(file.file_name)}"
				archive.writestr(entry, content if isinstance(content, bytes) else content.encode())
				files.append(entry)
			manifest.append(
				{"doctype": doctype, "name": docname, "print_formats": list(formats), "attachments": files}
			)
		archive.writestr(
			"manifest.json",
			json.dumps(
				{
					"complaint": name,
					"exported_by": frappe.session.user,
					"exported_on": str(now_datetime()),
					"documents": manifest,
				},
				ensure_ascii=False,
				indent=1,
			),
		)
	frappe.local.response.filename = f"{clean_file_name(name)}.zip"
	frappe.local.response.filecontent = buffer.getvalue()
	frappe.local.response.type = "download"


# Retention ----------------------------------------------------------------------------------------


def past_retention_cutoff():
	years = cint(frappe.db.get_single_value("Complaint Settings", "retention_years"))
	return add_years(getdate(), -years) if years > 0 else None


def past_retention(limit: int | None = None) -> list[str]:
	"""Closed complaints last changed before the retention period (0 years = keep for ever); an imported one
	(the paper history) by the day the paper file closed it, not the day it was imported."""
	cutoff = past_retention_cutoff()
	if cutoff is None:
		return []
	return frappe.db.sql_list(
		f"""select name from `tab{COMPLAINT}`
		where docstatus = 1 and status = %(closed)s
			and if(historical = 1 and closed_on is not null, closed_on, modified) < %(cutoff)s
		order by modified asc {"limit %(limit)s" if limit else ""}""",
		{"closed": CLOSED, "cutoff": cutoff, "limit": cint(limit)},
	)


def report_past_retention() -> int:
	"""Weekly: tell the System Managers how many closed complaints have passed retention. Deletes nothing."""
	cutoff = past_retention_cutoff()
	if cutoff is None:
		return 0
	count = frappe.db.count(COMPLAINT, {"docstatus": 1, "status": CLOSED, "modified": ["<", cutoff]})
	if not count:
		return 0
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Complaint Settings",
			"document_name": "Complaint Settings",
			"subject": _(
				"{0} closed complaints have passed their retention period (closed before {1})."
			).format(count, cutoff),
			"from_user": "Administrator",
		},
		users_with_role("System Manager", limit=20),
	)
	return count


@frappe.whitelist(methods=["POST"])
def delete_past_retention(names: str | list | None = None) -> dict:
	"""A System Manager's explicit act: delete the named complaints that have passed retention, with their file."""
	frappe.only_for("System Manager")
	names = frappe.parse_json(names) if isinstance(names, str) else names
	if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
		frappe.throw(_("{0}: a list of complaints.").format(_("Complaints")), frappe.ValidationError)
	allowed = set(past_retention())
	refused = sorted(set(names) - allowed)
	if refused:
		frappe.throw(
			_("Not past retention, or not closed: {0}.").format(", ".join(refused[:10])),
			ArchivedComplaintError,
		)
	for name in names:
		for doctype, field, _formats in FILE_DOCUMENTS:
			for docname in frappe.get_all(doctype, filters={field: name}, pluck="name"):
				frappe.db.set_value(doctype, docname, "docstatus", 0, update_modified=False)
				frappe.delete_doc(doctype, docname, force=True, ignore_permissions=True)
		frappe.db.set_value(COMPLAINT, name, "docstatus", 0, update_modified=False)
		frappe.delete_doc(COMPLAINT, name, force=True, ignore_permissions=True)
	return {"deleted": len(names)}
