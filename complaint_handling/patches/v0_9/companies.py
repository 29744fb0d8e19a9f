"""Issue 27 on an existing single-company site: every complaint, and every document it made, belongs to a
company — its order's, delivery's or invoice's, else the settings' company; the SLA clocks and both summaries
carry it as a column of the visibility rule. Set-based and idempotent: only blanks are filled."""

import frappe

from complaint_handling.customer import satisfaction
from complaint_handling.intake import received_weeks
from complaint_handling.integrations.erpnext.companies import settings_company
from complaint_handling.integrations.erpnext.permissions import grant_erpnext_permissions
from complaint_handling.service_levels import clocks

BELONGING = ("Complaint Memo", "Defect Inspection", "Complaint Penalty", "Complaint Follow-up Call")


def execute() -> None:
	grant_erpnext_permissions()  # the app's roles read Company (a report's Company filter)
	company = settings_company()
	if not company:
		return  # a site before ERPNext's setup wizard: its first company is the settings' (setup/install.py)
	frappe.db.sql(
		"""update `tabCustomer Complaint` complaint
		left join `tabDelivery Note` dn on dn.name = complaint.delivery_note
		left join `tabSales Invoice` si on si.name = complaint.sales_invoice
		left join `tabSales Order` so on so.name = complaint.sales_order
		set complaint.company = coalesce(dn.company, si.company, so.company, %(company)s)
		where ifnull(complaint.company, '') = ''""",
		{"company": company},
	)
	for doctype in BELONGING:
		frappe.db.sql(
			f"""update `tab{doctype}` doc
			left join `tabCustomer Complaint` complaint on complaint.name = doc.complaint
			set doc.company = coalesce(complaint.company, %(company)s)
			where ifnull(doc.company, '') = ''""",
			{"company": company},
		)
	clocks.carry_visibility_everywhere()
	satisfaction.rebuild()
	received_weeks.rebuild()
