# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Each batch's confirmed quality defects per mille of the quantity delivered, against the promised rate
(Complaint Settings) — the same figures the daily check opens Non Conformances on."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.domain.quality_path import batch_rates
from complaint_handling.quality.failure_rates import confirmed_defects, delivered_quantities


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	promised = flt(frappe.db.get_single_value("Complaint Settings", "promised_failure_rate"))
	defects = confirmed_defects()
	rates = batch_rates(defects, delivered_quantities(list(defects)))
	nonconformance = dict(
		frappe.get_all(
			"Non Conformance",
			filters={
				"failure_batch": ["in", [r.batch for r in rates] or [""]],
				"status": ["!=", "Cancelled"],
			},
			fields=["failure_batch", "name"],
			as_list=True,
		)
	)
	rows = [
		{
			"batch": rate.batch,
			"defects": rate.defects,
			"delivered": rate.delivered,
			"per_mille": rate.per_mille,
			"promised": promised,
			"over": int(rate.per_mille > promised),
			"non_conformance": nonconformance.get(rate.batch),
		}
		for rate in rates
	]
	columns = [
		{"fieldname": "batch", "label": _("Batch"), "fieldtype": "Link", "options": "Batch", "width": 160},
		{"fieldname": "defects", "label": _("Confirmed Defects"), "fieldtype": "Int", "width": 130},
		{"fieldname": "delivered", "label": _("Delivered"), "fieldtype": "Float", "width": 110},
		{
			"fieldname": "per_mille",
			"label": _("Failure Rate (‰)"),
			"fieldtype": "Float",
			"precision": 3,
			"width": 130,
		},
		{
			"fieldname": "promised",
			"label": _("Promised (‰)"),
			"fieldtype": "Float",
			"precision": 3,
			"width": 120,
		},
		{"fieldname": "over", "label": _("Over the Promise"), "fieldtype": "Check", "width": 120},
		{
			"fieldname": "non_conformance",
			"label": _("Non Conformance"),
			"fieldtype": "Link",
			"options": "Non Conformance",
			"width": 150,
		},
	]
	chart = {
		"data": {
			"labels": [r["batch"] for r in rows[:20]],
			"datasets": [
				{"name": _("Failure Rate (‰)"), "values": [r["per_mille"] for r in rows[:20]]},
				{"name": _("Promised (‰)"), "values": [promised for _r in rows[:20]]},
			],
		},
		"type": "bar",
	}
	return columns, rows, None, chart
