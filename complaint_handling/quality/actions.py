"""QA's records in ERPNext's own quality documents (docs/procedure.md §7.4-§7.5), each made from the inspection
with one action:

- Quality Inspection of the returned goods: QA's verdict (defective: Rejected; misuse: Accepted) against the
  stock document that brought them into the QA hold, where ERPNext takes one (a Stock Entry always; a Delivery
  Note return only when Stock Settings allow inspections after delivery, or the item asks for them).
- Non Conformance carrying the 8D steps the inspection recorded (containment, root cause, corrective action,
  prevention); QA supervises it to *Resolved* in the Quality module."""

import frappe
from frappe import _

from complaint_handling.domain.costs import QUALITY_DEFECT
from complaint_handling.domain.statuses import DIRECTOR_REVIEW, INSPECTION_DRAFT, SETTLED_ON_SITE
from complaint_handling.quality.create_menu import inspection_for_action

INSPECTION = "Defect Inspection"
PROCEDURE = "Customer Complaint Handling"  # a Quality Procedure, made once


class NonConformanceError(frappe.ValidationError):
	"""The Non Conformance cannot be made yet."""


class QualityInspectionError(frappe.ValidationError):
	"""No Quality Inspection of the returned goods can be made (yet)."""


@frappe.whitelist(methods=["POST"])
def make_quality_inspection(inspection: str) -> dict:
	"""Create ▸ Quality Inspection of the returned goods once QA has its verdict; asking again returns it."""
	doc = inspection_for_action(inspection)
	if doc.quality_inspection and frappe.db.get_value(
		"Quality Inspection", doc.quality_inspection, "docstatus"
	) in (0, 1):
		return {"doctype": "Quality Inspection", "name": doc.quality_inspection}
	if not doc.goods_received_on or not doc.goods_return:
		frappe.throw(
			_("{0}: the goods are not back in the QA hold.").format(_("Quality Inspection")),
			QualityInspectionError,
		)
	if not doc.final_determination:
		frappe.throw(
			_("{0}: QA records its determination first.").format(_("Quality Inspection")),
			QualityInspectionError,
		)
	if doc.goods_return_doctype == "Delivery Note" and not takes_delivery_inspection(doc.item):
		frappe.throw(
			_(
				"{0}: ERPNext takes no Quality Inspection against the Delivery Note return {1} unless Stock"
				" Settings allow inspections after delivery or item {2} requires one before delivery; QA's"
				" verdict stands on the inspection."
			).format(_("Quality Inspection"), doc.goods_return, doc.item),
			QualityInspectionError,
		)
	qty = 1 if doc.serial_no else frappe.utils.flt(doc.return_qty) or 1
	found = frappe.get_doc(
		{
			"doctype": "Quality Inspection",
			"inspection_type": "Incoming",
			"reference_type": doc.goods_return_doctype,
			"reference_name": doc.goods_return,
			"item_code": doc.item,
			"item_serial_no": doc.serial_no or None,
			"batch_no": doc.batch_no or None,
			"sample_size": qty,
			"manual_inspection": 1,
			"status": "Rejected" if doc.final_determination == QUALITY_DEFECT else "Accepted",
			"inspected_by": frappe.session.user,
			"remarks": _("{0}: {1}. Root cause: {2}").format(
				doc.name, _(doc.final_determination), doc.root_cause or "-"
			),
		}
	)
	found.insert(ignore_permissions=True)  # QA (Quality Manager) submits it
	frappe.db.set_value(INSPECTION, doc.name, "quality_inspection", found.name, update_modified=False)
	return {"doctype": "Quality Inspection", "name": found.name}


def takes_delivery_inspection(item: str) -> bool:
	return bool(
		frappe.db.get_single_value(
			"Stock Settings", "allow_to_make_quality_inspection_after_purchase_or_delivery"
		)
		or frappe.db.get_value("Item", item, "inspection_required_before_delivery")
	)


@frappe.whitelist(methods=["POST"])
def make_non_conformance(inspection: str) -> dict:
	"""Create ▸ Non Conformance once QA has the goods' verdict; asking again returns the same one."""
	doc = inspection_for_action(inspection)
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
			"procedure": ensure_procedure(),
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


def ensure_procedure() -> str:
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
