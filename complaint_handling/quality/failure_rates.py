"""The promised failure rate per batch (the procedure's part 3: at most 1 per mille, Complaint Settings): confirmed
quality defects over the quantity delivered, per batch. A batch that crosses it opens one Non Conformance and
tells QA, once; the next runs find that Non Conformance and stay quiet. Set-based: two grouped queries a run.
"""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.domain.costs import QUALITY_DEFECT
from complaint_handling.domain.quality_path import batches_over
from complaint_handling.domain.statuses import (
	CORRECTIVE_ACTION_REVIEW,
	GM_REVIEW,
	INSPECTION_CLOSED,
	PROPOSAL_REVIEW,
	QUALITY_MANAGER,
)
from complaint_handling.quality.actions import ensure_procedure

# QA has confirmed the defect (its proposal went up) or the chain has approved it
CONFIRMED = (PROPOSAL_REVIEW, CORRECTIVE_ACTION_REVIEW, GM_REVIEW, INSPECTION_CLOSED)


def check_batches() -> list[str]:
	"""Daily job: open a Non Conformance for each batch newly over the promised rate; returns their names."""
	promised = flt(frappe.db.get_single_value("Complaint Settings", "promised_failure_rate"))
	defects = confirmed_defects()
	if not defects:
		return []
	known = set(
		frappe.get_all(
			"Non Conformance",
			filters={"failure_batch": ["in", list(defects)], "status": ["!=", "Cancelled"]},
			pluck="failure_batch",
		)
	)
	defects = {batch: count for batch, count in defects.items() if batch not in known}
	if not defects:
		return []
	opened = [
		open_non_conformance(rate, promised)
		for rate in batches_over(defects, delivered_quantities(list(defects)), promised)
	]
	if opened:
		tell_qa(opened)
	return opened


def confirmed_defects() -> dict[str, int]:
	"""Batch -> quality defects QA has confirmed (the batch of the inspection, else of its serial number),
	and those the imported paper history records (the complaint's batch, else its serial number's)."""
	return {
		batch: int(count)
		for batch, count in frappe.db.sql(
			"""select batch, count(*) from (
				select coalesce(nullif(di.batch_no, ''), sn.batch_no) as batch
				from `tabDefect Inspection` di
				left join `tabSerial No` sn on sn.name = di.serial_no
				where di.final_determination = %(defect)s and di.status in %(confirmed)s
				union all
				select coalesce(nullif(cc.batch_no, ''), sn.batch_no) as batch
				from `tabCustomer Complaint` cc
				left join `tabSerial No` sn on sn.name = cc.serial_no
				where cc.historical = 1 and cc.historical_determination = %(defect)s
			) defects
			group by batch""",
			{"defect": QUALITY_DEFECT, "confirmed": CONFIRMED},
		)
		if batch
	}


def delivered_quantities(batches: list[str]) -> dict[str, float]:
	"""Batch -> quantity delivered to customers (submitted Delivery Notes' serial and batch bundles)."""
	if not batches:
		return {}
	return {
		batch: flt(qty)
		for batch, qty in frappe.db.sql(
			"""select sbe.batch_no, sum(-sbe.qty)
			from `tabSerial and Batch Entry` sbe
			join `tabSerial and Batch Bundle` sbb on sbb.name = sbe.parent
			where sbb.voucher_type = 'Delivery Note' and sbb.type_of_transaction = 'Outward'
				and sbb.docstatus = 1 and sbb.is_cancelled = 0 and sbe.batch_no in %(batches)s
			group by sbe.batch_no""",
			{"batches": batches},
		)
	}


def open_non_conformance(rate, promised: float) -> str:
	item = frappe.db.get_value("Batch", rate.batch, "item")
	found = frappe.get_doc(
		{
			"doctype": "Non Conformance",
			"subject": _("Batch {0}: failure rate {1} ‰ over the promised {2} ‰").format(
				rate.batch, rate.per_mille, promised
			)[:140],
			"procedure": ensure_procedure(),
			"status": "Open",
			"failure_batch": rate.batch,
			"details": _("{0} confirmed quality defects out of {1} delivered of item {2}, batch {3}.").format(
				rate.defects, rate.delivered, item, rate.batch
			),
		}
	)
	found.insert(ignore_permissions=True)
	return found.name


def tell_qa(names: list[str]) -> None:
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = frappe.get_all(
		"Has Role",
		filters={"role": QUALITY_MANAGER, "parenttype": "User"},
		pluck="parent",
	)
	users = [u for u in users if frappe.db.get_value("User", u, "enabled") and u != "Administrator"]
	for name in names:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": "Non Conformance",
				"document_name": name,
				"subject": frappe.db.get_value("Non Conformance", name, "subject"),
				"from_user": "Administrator",
			},
		)
