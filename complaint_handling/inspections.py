"""The region manager's on-site inspection (不良品投诉处理书, docs/procedure.md §5): the shell around
domain/inspection.py — the complaint's facts copied in, photos and the determination stamped by the server,
and the visit passed on to the complaint's on-site timer."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from complaint_handling.domain.inspection import InspectionFacts, problems

COMPLAINT = "Customer Complaint"
QUALITY_PATH = "Product Quality"
COPIED = ("customer", "item", "serial_no", "batch_no")  # from the complaint, never from the client

REASONS = {
	"photo required": "{0}: add at least one photo before setting the determination.",
	"unknown": "{0}: choose one of the three determinations.",
	"handling required": "{0}: say how the misuse is put right.",
	"not a misuse case": "{0}: only a misuse case has a misuse handling.",
	"disagrees": "{0} must agree with the determination and its handling.",
	"in the future": "{0} cannot be in the future.",
	"time required": "{0}: enter the time agreed with the customer.",
}


class InspectionError(frappe.ValidationError):
	"""The inspection cannot stand as entered (no photo, a determination without its handling, ...)."""


def check(doc) -> None:
	"""Validate step of Defect Inspection."""
	complaint = complaint_of(doc)
	for field in COPIED:
		doc.set(field, complaint.get(field))
	if doc.memo and frappe.db.get_value("Complaint Memo", doc.memo, "complaint") != doc.complaint:
		frappe.throw(
			_("{0}: {1} is not a memo of complaint {2}.").format(_("Memo"), doc.memo, doc.complaint),
			InspectionError,
		)
	if not doc.inspector:
		doc.inspector = complaint.region_manager or frappe.session.user
	stamp_photos(doc)
	stamp_determination(doc)
	found = problems(facts_of(doc), now_datetime())
	if found:
		messages = [
			_(REASONS[problem.reason]).format(_(doc.meta.get_label(problem.field))) for problem in found
		]
		frappe.throw("<br>".join(messages), InspectionError, title=_("Inspection incomplete"))


def complaint_of(doc):
	if not doc.complaint or not frappe.db.exists(COMPLAINT, doc.complaint):
		frappe.throw(_("{0}: choose an existing complaint.").format(_(COMPLAINT)), frappe.LinkValidationError)
	complaint = frappe.get_doc(COMPLAINT, doc.complaint)
	if complaint.handling_path != QUALITY_PATH:
		frappe.throw(
			_("{0} is not a product-quality complaint; only those are inspected on site.").format(
				complaint.name
			),
			InspectionError,
		)
	return complaint


def stamp_photos(doc) -> None:
	"""When and by whom each photo was taken is the server's: set on a new row, kept afterwards."""
	before = {row.name: row for row in (doc.get_doc_before_save() or frappe._dict(photos=[])).photos}
	now, user = now_datetime(), frappe.session.user
	for row in doc.photos:
		old = before.get(row.name)
		if old is None:
			row.taken_at, row.taken_by = now, user
		else:
			row.taken_at, row.taken_by = old.taken_at, old.taken_by
			if row.photo != old.photo:
				frappe.throw(
					_("Photos (row {0}): a photo cannot be replaced; add a new one.").format(row.idx),
					InspectionError,
				)


def stamp_determination(doc) -> None:
	before = doc.get_doc_before_save()
	if (doc.determination or None) != ((before.determination or None) if before else None):
		doc.determined_by = frappe.session.user if doc.determination else None
		doc.determined_at = now_datetime() if doc.determination else None
	elif before:
		doc.determined_by, doc.determined_at = before.determined_by, before.determined_at


def facts_of(doc) -> InspectionFacts:
	return InspectionFacts(
		determination=doc.determination or None,
		photos=len(doc.photos),
		misuse_handling=doc.misuse_handling or None,
		fixed_on_site=bool(doc.fixed_on_site),
		arrived_at=get_datetime(doc.arrived_at) if doc.arrived_at else None,
		agreed_with_customer=bool(doc.agreed_with_customer),
		visit_scheduled_at=get_datetime(doc.visit_scheduled_at) if doc.visit_scheduled_at else None,
	)


def pass_visit_on(doc) -> None:
	"""on_update: the visit moves the complaint's on-site timer (docs/procedure.md §8)."""
	from complaint_handling import service_level

	agreed = doc.visit_scheduled_at if doc.agreed_with_customer else None
	service_level.apply_visit(doc.complaint, arrived_at=doc.arrived_at, agreed_at=agreed)


@frappe.whitelist()
def make_defect_inspection(source_name: str, target_doc=None):
	"""Create ▸ Defect Inspection on a product-quality complaint or on its memo."""
	from frappe.model.mapper import get_mapped_doc

	source_doctype = COMPLAINT
	if frappe.db.exists("Complaint Memo", source_name):
		source_doctype = "Complaint Memo"

	def set_missing(source, target) -> None:
		if source_doctype == "Complaint Memo":
			target.memo, target.complaint = source.name, source.complaint
		complaint = frappe.get_doc(COMPLAINT, target.complaint)
		target.inspector = complaint.region_manager or frappe.session.user
		for field in COPIED:
			target.set(field, complaint.get(field))

	field_map = {"name": "complaint"} if source_doctype == COMPLAINT else {}
	return get_mapped_doc(
		source_doctype,
		source_name,
		{
			source_doctype: {
				"doctype": "Defect Inspection",
				"field_map": field_map,
				"field_no_map": ["status", "workflow_state", "sla_policy", "sla_status", "naming_series"],
				"validation": {"docstatus": ["=", 0]},
			}
		},
		target_doc,
		set_missing,
	)
