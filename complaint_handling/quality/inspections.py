"""The region manager's on-site inspection (不良品投诉处理书, docs/procedure.md §5): the shell around
domain/inspection.py — the complaint's facts copied in, photos and the determination stamped by the server,
and the visit passed on to the complaint's on-site timer."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_datetime, getdate, now_datetime, nowdate, nowtime

from complaint_handling.access import fields, protection
from complaint_handling.domain import quality_path as path
from complaint_handling.domain.costs import (
	AT_COST,
	QUALITY_DEFECT_READINGS,
	UNDETERMINED,
	CostPolicy,
	CostRuleError,
	Warranty,
	part_price,
)
from complaint_handling.domain.inspection import InspectionFacts, field_page_url, problems
from complaint_handling.domain.statuses import INSPECTION_DRAFT, PROPOSAL_REVIEW
from complaint_handling.intake import registration
from complaint_handling.integrations.erpnext.companies import settings_company
from complaint_handling.integrations.erpnext.warehouse import serials_of
from complaint_handling.penalties import fines, negligence
from complaint_handling.penalties.negligence import negligence_rule
from complaint_handling.service_levels import clocks

COMPLAINT = "Customer Complaint"
INSPECTION = "Defect Inspection"
QUALITY_PATH = "Product Quality"
COPIED = ("customer", "item", "serial_no", "batch_no")  # from the complaint, never from the client

REASONS = {
	"photo required": "{0}: add at least one photo before setting the determination.",
	"unknown": "{0}: choose one of the three determinations.",
	"handling required": "{0}: say how the misuse is put right.",
	"not a misuse case": "{0}: only a misuse case has a misuse handling.",
	"disagrees": "{0} must agree with the determination and its handling.",
	"in the future": "{0} cannot be in the future.",
	"not a signature": "{0}: the signature is not a drawn image; draw it again.",
	"time required": "{0}: enter the time agreed with the customer.",
}


FREIGHT_REASONS = {
	"kept as recorded": "{0}: a leg recorded before the decision stands as it was; add a new leg instead.",
	"required": "{0} is required for a freight leg recorded after the decision.",
	"unknown leg": "{0}: choose the way to the company or to the customer.",
}


STEP_REASONS = {
	"required": "{0} is required for this step.",
	"not for this determination": "{0}: this step is not for this determination.",
	"not allowed": "{0}: not one of the remedies the warranty allows here.",
	"not received": "{0}: the goods are not back yet; the warehouse submits their return first.",
}


class InspectionError(frappe.ValidationError):
	"""The inspection cannot stand as entered (no photo, a determination without its handling, ...)."""


class InspectionStepError(frappe.ValidationError):
	"""A workflow step of the quality path was taken before what it needs was there."""


def check(doc) -> None:
	"""Validate step of Defect Inspection."""

	fields.check_input(doc)
	for row in doc.get_all_children():
		fields.check_input(row)
	before = doc.get_doc_before_save()
	protection.check_inspection(doc, before)
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
	if before is None and not doc.delivery_note and complaint.get("delivery_note"):
		doc.delivery_note = complaint.delivery_note
	stamp_photos(doc)
	stamp_determination(doc)
	stamp_qa(doc, before)
	found = problems(facts_of(doc), now_datetime())
	if found:
		messages = [
			_(REASONS[problem.reason]).format(_(doc.meta.get_label(problem.field))) for problem in found
		]
		frappe.throw("<br>".join(messages), InspectionError, title=_("Inspection incomplete"))
	check_freight(doc, before)
	allocation = set_warranty_and_costs(doc, complaint, before)
	if before is not None and doc.status != before.status:
		check_step(doc, allocation)
	price_parts(doc, before)


def cost_policy() -> CostPolicy:
	"""Complaint Settings › Warranty and Costs, and the negligence Penalty Rule's band, as the rules' policy."""
	settings = frappe.get_cached_doc("Complaint Settings")
	reading = settings.get("quality_defect_reading")
	try:
		return CostPolicy(
			return_days=cint(settings.return_days),
			exchange_days=cint(settings.exchange_days),
			engineer_day_rate=flt(settings.engineer_day_rate),
			negligence_share=negligence_band(),
			quality_defect_reading=reading
			if reading in QUALITY_DEFECT_READINGS
			else CostPolicy.quality_defect_reading,
		)
	except CostRuleError:
		return CostPolicy()  # the settings screen refuses such values; an old bad row falls back


def negligence_band() -> tuple[float, float]:
	"""The region manager's share of the freight (30-60 %): one home, the negligence Penalty Rule that also
	proposes the penalty (Complaint Settings › Negligence Penalty Rule); the procedure's band without one."""

	rule = negligence_rule()
	if rule and rule.kind == "Percentage Band":
		return flt(rule.percent_low) / 100, flt(rule.percent_high) / 100
	return CostPolicy.negligence_share


def warranty_terms(doc, complaint) -> path.WarrantyTerms:
	settings = frappe.get_cached_doc("Complaint Settings")
	delivered_on = None
	if doc.delivery_note:
		delivered_on = frappe.db.get_value("Delivery Note", doc.delivery_note, "posting_date")
	serial_expiry = None
	if doc.serial_no:
		serial_expiry = frappe.db.get_value("Serial No", doc.serial_no, "warranty_expiry_date")
	item_days = cint(frappe.db.get_value("Item", doc.item, "warranty_period")) if doc.item else 0
	day_one = settings.get("warranty_day_one")
	return path.WarrantyTerms(
		delivered_on=getdate(delivered_on) if delivered_on else None,
		serial_expiry=getdate(serial_expiry) if serial_expiry else None,
		item_days=item_days,
		default_months=cint(settings.warranty_months),
		distance=flt(doc.distance_travelled) if doc.distance_travelled else None,
		distance_limit=flt(settings.warranty_distance_limit),
		accepted_on=accepted_on(doc),
		day_one=day_one if day_one in path.DAY_ONE_READINGS else path.DAY_ONE_ACCEPTANCE,
	)


def accepted_on(doc):
	"""The customer's acceptance of these goods: the earliest submitted ERPNext Installation Note of the
	customer with a row for the item that names the serial number, or (without one) the delivery."""
	if not doc.item or not doc.customer:
		return None

	rows = frappe.get_all(
		"Installation Note",
		filters={"docstatus": 1, "customer": doc.customer},
		fields=[
			"inst_date",
			"`tabInstallation Note Item`.item_code as item_code",
			"`tabInstallation Note Item`.serial_no as serial_no",
			"`tabInstallation Note Item`.prevdoc_docname as delivery_note",
		],
		order_by="inst_date asc",
	)
	for row in rows:
		if row.item_code != doc.item or not row.inst_date:
			continue
		if doc.serial_no and doc.serial_no in serials_of(row.serial_no):
			return getdate(row.inst_date)
		if not doc.serial_no and doc.delivery_note and row.delivery_note == doc.delivery_note:
			return getdate(row.inst_date)
	return None


def freight_legs(rows) -> list[path.FreightLeg]:
	return [
		path.FreightLeg(
			key=row.get("name") or None,
			leg=row.leg,
			amount=flt(row.amount),
			carrier=row.carrier or None,
			tracking_no=row.tracking_no or None,
			document_type=row.get("document_type") or None,
			document=row.get("document") or None,
			shipped_on=getdate(row.shipped_on) if row.get("shipped_on") else None,
		)
		for row in rows
	]


def check_freight(doc, before) -> None:
	"""Each freight leg is recorded when it happens: after the decision added with its document, legs already
	recorded kept as they were (domain/quality_path.py: freight_problems); who invoiced a leg is the app's."""
	kept = {row.name: row.get("sales_invoice") for row in (before.freight if before else [])}
	for row in doc.freight:
		row.sales_invoice = kept.get(row.name)
	found = path.freight_problems(
		freight_legs(before.freight if before else []),
		freight_legs(doc.freight),
		status_before=before.status if before else None,
	)
	if not found:
		return
	messages = []
	for problem in found:
		label = (
			_(doc.meta.get_label("freight"))
			if problem.field == "freight"
			else _(frappe.get_meta("Defect Inspection Freight").get_label(problem.field))
		)
		where = _("{0} (row {1})").format(label, problem.row) if problem.row else label
		messages.append(_(FREIGHT_REASONS[problem.reason]).format(where))
	frappe.throw("<br>".join(messages), InspectionError, title=_("Freight"))


def set_warranty_and_costs(doc, complaint, before) -> path.Allocation | None:
	"""The warranty on the complaint's day and who pays what, by domain/quality_path.py; never the client's."""
	if before is None or before.status == INSPECTION_DRAFT:
		terms = warranty_terms(doc, complaint)
		warranty, expiry = path.warranty_of(getdate(complaint.received_on or complaint.creation), terms)
		doc.delivered_on, doc.warranty_expiry = terms.delivered_on, expiry
		doc.in_warranty, doc.ownership_day = int(warranty.in_warranty), warranty.day
	else:
		# judged as the file went up the chain; ERPNext clears a serial's expiry when it comes back
		for field in ("delivered_on", "warranty_expiry", "in_warranty", "ownership_day"):
			doc.set(field, before.get(field))
		warranty = Warranty(bool(doc.in_warranty), cint(doc.ownership_day) or None)
	allocation = None
	if doc.determination and (doc.determination != path.MISUSE or doc.misuse_handling):
		qa = doc.qa_determination if doc.determination == UNDETERMINED else None
		allocation = path.allocate(
			doc.determination,
			warranty,
			qa_determination=qa or None,
			misuse_handling=doc.misuse_handling or None,
			could_have_determined=bool(doc.could_have_determined),
			freight_legs=[(row.leg, flt(row.amount)) for row in doc.freight],
			policy=cost_policy(),
		)
	decision = allocation.decision if allocation else None
	doc.final_determination = decision.determination if decision else None
	doc.labour_rate = decision.labour_rate if decision else None
	doc.parts_basis = decision.parts_basis if decision else None
	doc.negligence_low, doc.negligence_high = (
		allocation.negligence if allocation and allocation.negligence else (0, 0)
	)
	doc.set("costs", [])
	if allocation:
		for item, payer in allocation.payers.items():
			if payer:
				doc.append("costs", {"cost_item": item, "paid_by": payer})
	for row in doc.freight:
		row.paid_by = path.freight_payer(row.leg, allocation)
	return allocation


def check_step(doc, allocation: path.Allocation | None) -> None:
	"""A workflow step is taken only with what it needs (domain/quality_path.py: step_problems)."""
	facts = path.PathFacts(
		determination=doc.determination or None,
		misuse_handling=doc.misuse_handling or None,
		arrived=bool(doc.arrived_at),
		return_qty=flt(doc.return_qty),
		has_goods_source=bool(doc.item),
		goods_received=bool(doc.goods_received_on),
		qa_determination=doc.qa_determination or None,
		root_cause=(doc.root_cause or "").strip() or None,
		remedy=doc.remedy or None,
		remedies=allocation.decision.remedies if allocation else (),
		customer_proposal=(doc.customer_proposal or "").strip() or None,
		corrective_action=(doc.corrective_action or "").strip() or None,
	)
	found = path.step_problems(doc.status, facts)
	if found:
		messages = [
			_(STEP_REASONS[problem.reason]).format(_(doc.meta.get_label(problem.field))) for problem in found
		]
		frappe.throw("<br>".join(messages), InspectionStepError, title=_("Not ready for this step"))


def propose_penalties(doc) -> None:
	"""on_update: QA's proposal that finds the case determinable on site proposes the region manager's
	share of the freight (fines.py), once per inspection."""

	before = doc.get_doc_before_save()
	if doc.status == PROPOSAL_REVIEW and (before is None or before.status != PROPOSAL_REVIEW):
		negligence.propose_negligence(doc)
	elif before is not None and doc.status in path.DECIDED and len(doc.freight) != len(before.freight):
		negligence.refresh_negligence(doc)


def stamp_qa(doc, before) -> None:
	"""Who gave QA's determination and when: the server's."""
	old = (before.qa_determination or None) if before else None
	if (doc.qa_determination or None) != old:
		doc.qa_by = frappe.session.user if doc.qa_determination else None
		doc.qa_at = now_datetime() if doc.qa_determination else None
	elif before:
		doc.qa_by, doc.qa_at = before.qa_by, before.qa_at
	else:
		doc.qa_by = doc.qa_at = None


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
	"""When the server received each photo and from whom is the server's: set on a new row, kept afterwards;
	when the phone took it, and its key, only as the field page's endpoint sent them."""
	before = {row.name: row for row in (doc.get_doc_before_save() or frappe._dict(photos=[])).photos}
	now, user = now_datetime(), frappe.session.user
	phone = doc.flags.field_photos or {}  # key → when the phone took it: from the field page's endpoint only
	for row in doc.photos:
		old = before.get(row.name)
		if old is None:
			row.taken_at, row.taken_by = now, user
			if row.client_key not in phone:
				row.client_key = row.taken_on_phone_at = None
			else:
				row.taken_on_phone_at = phone[row.client_key]
		else:
			row.taken_at, row.taken_by = old.taken_at, old.taken_by
			row.client_key, row.taken_on_phone_at = old.client_key, old.taken_on_phone_at
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
	else:
		doc.determined_by = doc.determined_at = None


def facts_of(doc) -> InspectionFacts:
	return InspectionFacts(
		determination=doc.determination or None,
		photos=len(doc.photos),
		misuse_handling=doc.misuse_handling or None,
		fixed_on_site=bool(doc.fixed_on_site),
		arrived_at=get_datetime(doc.arrived_at) if doc.arrived_at else None,
		agreed_with_customer=bool(doc.agreed_with_customer),
		visit_scheduled_at=get_datetime(doc.visit_scheduled_at) if doc.visit_scheduled_at else None,
		signature=doc.customer_signature or None,
	)


def link_field_page(doc) -> None:
	"""after_insert: the inspector's open assignment on the complaint links the inspection's field page."""
	link = f'<a href="{field_page_url(doc.name)}">{_("Open the field page")}</a>'
	for todo in frappe.get_all(
		"ToDo",
		filters={
			"reference_type": COMPLAINT,
			"reference_name": doc.complaint,
			"allocated_to": doc.inspector,
			"status": "Open",
		},
		fields=["name", "description"],
	):
		if field_page_url(doc.name) not in (todo.description or ""):
			frappe.db.set_value(
				"ToDo", todo.name, "description", f"{todo.description or ''} — {link}", update_modified=False
			)


def pass_visit_on(doc) -> None:
	"""on_update: the visit moves the complaint's on-site timer (docs/procedure.md §8)."""

	agreed = doc.visit_scheduled_at if doc.agreed_with_customer else None
	clocks.apply_visit(doc.complaint, arrived_at=doc.arrived_at, agreed_at=agreed)


@frappe.whitelist()
def make_defect_inspection(source_name: str, target_doc: Document | str | None = None) -> Document:
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


# --- parts priced by the customer's agreement (part 4: at no more than the contract price) ----------------


def price_parts(doc, before) -> None:
	"""Each part's contract price and the rate the customer is charged (domain/costs.py: part_price), worked
	out while the decision is open and kept once it stands (Proposal Review on, or settled on site)."""

	kept = {row.name: row for row in (before.parts_used if before else [])}
	decided = before is not None and before.status in path.DECIDED
	for row in doc.parts_used:
		old = kept.get(row.name)
		if decided and old is not None:
			row.contract_price, row.rate, row.price_source = old.contract_price, old.rate, old.price_source
			continue
		row.contract_price = row.rate = row.price_source = None
		if not doc.parts_basis or not row.item:
			continue
		asked, contract, source = None, None, None
		if doc.parts_basis == AT_COST:
			asked = flt(frappe.db.get_value("Item", row.item, "valuation_rate"))
			source = _("Valuation Rate")
		else:
			contract, source = sales_order_rate(doc, row.item)
			asked, list_source = customer_price(doc, row.item, flt(row.qty) or 1)
			if contract is None:
				contract, source = asked, list_source
		try:
			price = part_price(doc.parts_basis, cost=asked, asked=asked, contract_price=contract)
		except CostRuleError:
			continue
		row.contract_price, row.rate, row.price_source = price.contract_price, price.rate, source


def sales_order_rate(doc, item: str) -> tuple[float | None, str | None]:
	"""The part's rate in the customer's agreement: the Sales Order behind the inspection's delivery, else the
	customer's latest submitted Sales Order that has the part."""
	orders = []
	if doc.delivery_note:
		orders = frappe.get_all(
			"Delivery Note Item",
			filters={"parent": doc.delivery_note, "against_sales_order": ["is", "set"]},
			pluck="against_sales_order",
			distinct=True,
		)
	for order in orders:
		rate = frappe.db.get_value(
			"Sales Order Item", {"parent": order, "item_code": item, "docstatus": 1}, "rate"
		)
		if rate is not None:
			return flt(rate), _("Sales Order {0}").format(order)
	so, so_item = frappe.qb.DocType("Sales Order"), frappe.qb.DocType("Sales Order Item")
	found = (
		frappe.qb.from_(so_item)
		.join(so)
		.on(so.name == so_item.parent)
		.select(so.name, so_item.rate)
		.where((so.customer == doc.customer) & (so.docstatus == 1) & (so_item.item_code == item))
		.orderby(so.transaction_date, order=frappe.qb.desc)
		.orderby(so.creation, order=frappe.qb.desc)
		.limit(1)
	).run()
	if found:
		return flt(found[0][1]), _("Sales Order {0}").format(found[0][0])
	return None, None


def customer_price(doc, item: str, qty: float) -> tuple[float | None, str | None]:
	"""The part's price for this customer today by ERPNext's own pricing: the customer's (or its group's)
	price list, else the selling default, with its pricing rules (erpnext.stock.get_item_details)."""
	from erpnext.accounts.party import get_default_price_list
	from erpnext.stock.get_item_details import get_item_details

	company = doc.get("company") or settings_company()
	if not company or not doc.customer:
		return None, None
	price_list = get_default_price_list(frappe.get_cached_doc("Customer", doc.customer)) or (
		frappe.db.get_single_value("Selling Settings", "selling_price_list")
	)
	currency = frappe.get_cached_value("Company", company, "default_currency")
	args = (
		{
			"item_code": item,
			"customer": doc.customer,
			"company": company,
			"doctype": "Sales Invoice",
			"selling_price_list": price_list,
			"price_list_currency": frappe.db.get_value("Price List", price_list, "currency") or currency,
			"currency": currency,
			"conversion_rate": 1,
			"plc_conversion_rate": 1,
			"qty": qty,
			"transaction_date": nowdate(),
		},
	)
	try:
		out = get_item_details(*args)
	except frappe.ValidationError:  # a disabled or template item: no price, the invoice shows none
		return None, None
	rate = flt(out.get("price_list_rate"))
	if flt(out.get("discount_percentage")):
		rate *= 1 - flt(out.get("discount_percentage")) / 100
	rate -= flt(out.get("discount_amount"))
	if rate <= 0:
		return None, None
	return flt(rate, 2), _("Price List {0}").format(price_list)
