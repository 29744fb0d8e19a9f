"""QA's corrective and preventive action as ERPNext's own Non Conformance (docs/procedure.md §7.5): made from
the inspection with one action, carrying the 8D steps the inspection recorded (containment, root cause,
corrective action, prevention); QA supervises it to *Resolved* in the Quality module."""

import frappe
from frappe import _

from complaint_handling.domain.statuses import DIRECTOR_REVIEW, INSPECTION_DRAFT, SETTLED_ON_SITE

INSPECTION = "Defect Inspection"
PROCEDURE = "Customer Complaint Handling"  # a Quality Procedure, made once


class NonConformanceError(frappe.ValidationError):
	"""The Non Conformance cannot be made yet."""


@frappe.whitelist(methods=["POST"])
def make_non_conformance(inspection: str) -> dict:
	"""Create ▸ Non Conformance once QA has the goods' verdict; asking again returns the same one."""
	if not isinstance(inspection, str) or not frappe.db.exists(INSPECTION, inspection):
		frappe.throw(_("{0}: choose an existing inspection.").format(_(INSPECTION)), frappe.DoesNotExistError)
	doc = frappe.get_doc(INSPECTION, inspection)
	doc.check_permission("write")
	frappe.db.get_value(INSPECTION, inspection, "name", for_update=True)
	if doc.non_conformance and frappe.db.exists("Non Conformance", doc.non_conformance):
		return {"doctype": "Non Conformance", "name": doc.non_conformance}
	if (
		doc.status in (INSPECTION_DRAFT, DIRECTOR_REVIEW, SETTLED_ON_SITE)
		or not (doc.root_cause or "").strip()
	):
		frappe.throw(
			_("{0}: QA records the root cause first.").format(_("Non Conformance")), NonConformanceError
		)
	found = frappe.get_doc(
		{
			"doctype": "Non Conformance",
			"subject": _("Complaint {0}: {1}").format(
				doc.complaint, doc.final_determination or doc.determination
			)[:140],
			"procedure": procedure(),
			"status": "Open",
			"details": details(doc),
			"corrective_action": doc.corrective_action,
			"preventive_action": doc.preventive_action,
			"defect_inspection": doc.name,
		}
	)
	found.insert(ignore_permissions=True)  # QA (Quality Manager) edits it afterwards in the Quality module
	frappe.db.set_value(INSPECTION, doc.name, "non_conformance", found.name, update_modified=False)
	doc.add_comment("Info", _("Non Conformance {0} opened.").format(found.name))
	return {"doctype": "Non Conformance", "name": found.name}


def procedure() -> str:
	if not frappe.db.exists("Quality Procedure", PROCEDURE):
		frappe.get_doc({"doctype": "Quality Procedure", "quality_procedure_name": PROCEDURE}).insert(
			ignore_permissions=True
		)
	return PROCEDURE


def details(doc) -> str:
	"""The 8D record so far: the problem, containment and root cause (D2-D4)."""
	parts = [
		(_("Item"), " ".join(filter(None, (doc.item, doc.serial_no, doc.batch_no)))),
		(_("Findings"), frappe.utils.strip_html(doc.findings or "")),
		(_("Containment"), doc.containment),
		(_("Root Cause"), doc.root_cause),
	]
	return "".join(
		f"<p><b>{frappe.utils.escape_html(label)}</b>: {frappe.utils.escape_html(value)}</p>"
		for label, value in parts
		if value
	)
