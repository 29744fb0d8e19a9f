# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling.access.permissions import belongs_to_complaint_conditions, can_see_belonging
from complaint_handling.quality import inspections


class DefectInspection(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_handling.complaint_handling.doctype.defect_inspection_cost.defect_inspection_cost import (
			DefectInspectionCost,
		)
		from complaint_handling.complaint_handling.doctype.defect_inspection_freight.defect_inspection_freight import (
			DefectInspectionFreight,
		)
		from complaint_handling.complaint_handling.doctype.defect_inspection_part.defect_inspection_part import (
			DefectInspectionPart,
		)
		from complaint_handling.complaint_handling.doctype.defect_inspection_photo.defect_inspection_photo import (
			DefectInspectionPhoto,
		)

		agreed_with_customer: DF.Check
		arrived_at: DF.Datetime | None
		batch_no: DF.Data | None
		company: DF.Link | None
		complaint: DF.Link
		containment: DF.SmallText | None
		corrective_action: DF.SmallText | None
		costs: DF.Table[DefectInspectionCost]
		could_have_determined: DF.Check
		customer: DF.Link | None
		customer_opinion: DF.SmallText | None
		customer_proposal: DF.SmallText | None
		delivered_on: DF.Date | None
		delivery_note: DF.Link | None
		determination: DF.Literal["", "Obvious Quality Defect", "Obvious Misuse", "Cannot Be Determined"]
		determined_at: DF.Datetime | None
		determined_by: DF.Link | None
		distance_travelled: DF.Float
		final_determination: DF.Data | None
		findings: DF.TextEditor | None
		fixed_on_site: DF.Check
		freight: DF.Table[DefectInspectionFreight]
		goods_received_on: DF.Datetime | None
		goods_return: DF.DynamicLink | None
		goods_return_doctype: DF.Link | None
		in_warranty: DF.Check
		inspector: DF.Link | None
		item: DF.Link | None
		labour_days: DF.Float
		labour_rate: DF.Currency
		memo: DF.Link | None
		misuse_handling: DF.Literal["", "Fixed on Site", "Simple Part Swap", "Complex or Needs Parts"]
		naming_series: DF.Literal["DI-.YYYY.-.#####"]
		negligence_high: DF.Currency
		negligence_low: DF.Currency
		non_conformance: DF.Link | None
		ownership_day: DF.Int
		parts_basis: DF.Data | None
		parts_used: DF.Table[DefectInspectionPart]
		photos: DF.Table[DefectInspectionPhoto]
		preventive_action: DF.SmallText | None
		qa_at: DF.Datetime | None
		qa_by: DF.Link | None
		qa_determination: DF.Literal["", "Obvious Quality Defect", "Obvious Misuse"]
		quality_inspection: DF.Link | None
		remedy: DF.Literal["", "Return", "Exchange", "Repair"]
		return_qty: DF.Float
		root_cause: DF.SmallText | None
		serial_no: DF.Data | None
		status: DF.Literal[
			"Draft",
			"Director Review",
			"Return Decision",
			"Awaiting Goods",
			"QA Review",
			"Proposal Review",
			"Corrective Action Review",
			"General Manager Review",
			"Closed",
			"Settled on Site",
		]
		visit_scheduled_at: DF.Datetime | None
		warranty_expiry: DF.Date | None
		workflow_state: DF.Link | None

	# end: auto-generated types
	def validate(self) -> None:
		inspections.check(self)

	def after_insert(self) -> None:
		inspections.link_field_page(self)  # reachable from the inspector's assignment

	def on_update(self) -> None:
		inspections.pass_visit_on(self)
		inspections.propose_penalties(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	"""Seen by whoever sees its complaint (never by the person complained about)."""
	return belongs_to_complaint_conditions("Defect Inspection", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return can_see_belonging(doc, user) if doc.get("complaint") else doc.is_new()
