"""The complaint's file on its form (Connections): every document that belongs to it (docs/procedure.md §8)."""

from frappe import _


def get_data() -> dict:
	return {
		"fieldname": "complaint",
		"non_standard_fieldnames": {"Quality Feedback": "customer_complaint", "Issue": "customer_complaint"},
		"transactions": [
			{"label": _("Service Desk"), "items": ["Issue"]},
			{"label": _("Handling"), "items": ["Complaint Memo", "Defect Inspection"]},
			{"label": _("Penalties"), "items": ["Complaint Penalty"]},
			{"label": _("After Closure"), "items": ["Complaint Follow-up Call", "Quality Feedback"]},
		],
	}
