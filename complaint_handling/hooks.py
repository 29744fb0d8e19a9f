app_name = "complaint_handling"
app_title = "Complaint Handling"
app_publisher = "complaint_handling developers"
app_description = "Customer complaint handling for ERPNext"
app_email = "complaints@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]  # org/repo form: installing needs no lookup on GitHub

# Roles shipped with the app (desk users); ERPNext's own "Quality Manager" is reused, not shadowed.
# Synced on every migrate: roles hold no site-specific settings of their own.
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"Complaint Clerk",
					"Complaint Coordinator",
					"Region Manager",
					"Marketing Director",
					"General Manager",
					"Management Representative",
				],
			]
		],
	},
	{"dt": "Custom Field", "filters": [["module", "=", "Complaint Handling"]]},
]

# Installation
# ------------
after_install = "complaint_handling.install.after_install"
after_migrate = "complaint_handling.install.after_migrate"

# Scheduled jobs
# --------------
scheduler_events = {
	"cron": {"*/5 * * * *": ["complaint_handling.service_level.sweep"]},
	"daily": ["complaint_handling.failure_rates.check_batches"],
	"weekly": ["complaint_handling.archive.report_past_retention"],
	"monthly": ["complaint_handling.summary.send_monthly_summaries"],
}

# Testing
# -------
before_tests = "complaint_handling.tests.utils.before_tests"

# Permissions (complaint_handling/permissions.py): the accused never sees a complaint or its memos; region
# managers see their territories; portal users see their own customers' only
# ---------------------------------------------------------------------------------------------------
permission_query_conditions = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.get_permission_query_conditions",
	"Complaint Memo": "complaint_handling.complaint_handling.doctype.complaint_memo.complaint_memo.get_permission_query_conditions",
	"Complaint SLA Clock": "complaint_handling.complaint_handling.doctype.complaint_sla_clock.complaint_sla_clock.get_permission_query_conditions",
	"Defect Inspection": "complaint_handling.complaint_handling.doctype.defect_inspection.defect_inspection.get_permission_query_conditions",
	"Complaint Penalty": "complaint_handling.complaint_handling.doctype.complaint_penalty.complaint_penalty.get_permission_query_conditions",
	"Complaint Follow-up Call": "complaint_handling.complaint_handling.doctype.complaint_follow_up_call.complaint_follow_up_call.get_permission_query_conditions",
}
has_permission = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.has_permission",
	"Complaint Memo": "complaint_handling.complaint_handling.doctype.complaint_memo.complaint_memo.has_permission",
	"Complaint SLA Clock": "complaint_handling.complaint_handling.doctype.complaint_sla_clock.complaint_sla_clock.has_permission",
	"Defect Inspection": "complaint_handling.complaint_handling.doctype.defect_inspection.defect_inspection.has_permission",
	"Complaint Penalty": "complaint_handling.complaint_handling.doctype.complaint_penalty.complaint_penalty.has_permission",
	"Complaint Follow-up Call": "complaint_handling.complaint_handling.doctype.complaint_follow_up_call.complaint_follow_up_call.has_permission",
}
has_website_permission = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.has_website_permission",
}

# Portal (docs/procedure.md §2): a customer's complaints and one complaint's updates
website_route_rules = [
	{"from_route": "/complaints", "to_route": "Customer Complaint"},
	{"from_route": "/complaints/new", "to_route": "new_complaint"},
	{
		"from_route": "/complaints/<path:name>",
		"to_route": "complaint",
		"defaults": {
			"doctype": "Customer Complaint",
			"parents": [{"label": "Complaints", "route": "complaints"}],
		},
	},
]
portal_menu_items = [
	{
		"title": "Complaints",
		"route": "/complaints",
		"reference_doctype": "Customer Complaint",
		"role": "Customer",
	}
]

# Requests
# --------
before_request = ["complaint_handling.api.check_rest_body"]

# Document events
# ---------------
doc_events = {
	"Company": {
		"after_insert": "complaint_handling.install.on_company_created",
	},
	**{
		doctype: {
			event: "complaint_handling.integrations.erpnext.people.clear_region_managers"
			for event in ("on_update", "on_trash", "after_rename")
		}
		for doctype in ("Territory", "Sales Person", "Employee", "User")
	},
	"Communication": {
		"after_insert": "complaint_handling.service_level.on_communication",
		"on_update": "complaint_handling.channels.on_communication",
	},
	"DocShare": {
		"validate": "complaint_handling.permissions.refuse_share_to_accused",
	},
	**{
		doctype: {
			"validate": "complaint_handling.goods_returns.check_link",
			"on_submit": "complaint_handling.goods_returns.on_submit",
			"on_cancel": "complaint_handling.goods_returns.on_cancel",
		}
		for doctype in ("Delivery Note", "Stock Entry")
	},
	"Sales Invoice": {"validate": "complaint_handling.goods_returns.check_link"},
	"File": {
		"before_insert": "complaint_handling.channels.keep_complaint_files_private",
		"validate": "complaint_handling.channels.keep_complaint_files_private",
	},
}
