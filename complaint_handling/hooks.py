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
after_install = "complaint_handling.setup.install.after_install"
after_migrate = "complaint_handling.setup.install.after_migrate"
# Frappe Helpdesk installed after this app: its tickets escalate too (service_desk/helpdesk.py)
after_app_install = "complaint_handling.service_desk.helpdesk.after_app_install"

# Scheduled jobs
# --------------
scheduler_events = {
	"cron": {"*/5 * * * *": ["complaint_handling.service_levels.sweep.sweep"]},
	"daily": [
		"complaint_handling.quality.failure_rates.check_batches",
		"complaint_handling.customer.satisfaction.rebuild",
		"complaint_handling.intake.received_weeks.rebuild",
	],
	"weekly": ["complaint_handling.records.archive.report_past_retention"],
	"monthly": ["complaint_handling.records.monthly_summary.send_monthly_summaries"],
}

# Types
# -----
# DocType controllers carry their fields' types (kept current by Frappe when a DocType is saved); every
# whitelisted method is type-annotated (tests/test_whitelisted.py holds it on frappe versions that do not)
export_python_type_annotations = True
require_type_annotated_api_methods = True

# Testing
# -------
before_tests = "complaint_handling.tests.utils.before_tests"

# Permissions (complaint_handling/access/permissions.py): the accused never sees a complaint or its memos; region
# managers see their territories; portal users see their own customers' only
# ---------------------------------------------------------------------------------------------------
permission_query_conditions = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.get_permission_query_conditions",
	"Complaint Memo": "complaint_handling.complaint_handling.doctype.complaint_memo.complaint_memo.get_permission_query_conditions",
	"Complaint SLA Clock": "complaint_handling.complaint_handling.doctype.complaint_sla_clock.complaint_sla_clock.get_permission_query_conditions",
	"Defect Inspection": "complaint_handling.complaint_handling.doctype.defect_inspection.defect_inspection.get_permission_query_conditions",
	"Complaint Penalty": "complaint_handling.complaint_handling.doctype.complaint_penalty.complaint_penalty.get_permission_query_conditions",
	"Complaint Follow-up Call": "complaint_handling.complaint_handling.doctype.complaint_follow_up_call.complaint_follow_up_call.get_permission_query_conditions",
	"Complaint SLA Breach": "complaint_handling.access.permissions.breach_conditions",
	# a complaint's tables: rows of documents the user may read (access/records.py)
	"Complaint Approval": "complaint_handling.access.permissions.child_row_conditions",
	"Complaint Confirmation": "complaint_handling.access.permissions.child_row_conditions",
	"Complaint Escalation": "complaint_handling.access.permissions.child_row_conditions",
	"Complaint Related": "complaint_handling.access.permissions.child_row_conditions",
	"Defect Inspection Photo": "complaint_handling.access.permissions.child_row_conditions",
	"Defect Inspection Part": "complaint_handling.access.permissions.child_row_conditions",
	"Defect Inspection Freight": "complaint_handling.access.permissions.child_row_conditions",
	"Defect Inspection Cost": "complaint_handling.access.permissions.child_row_conditions",
	# Frappe's records about a document: none about a complaint's document the user may not read
	"ToDo": "complaint_handling.access.permissions.pointer_conditions",
	"Comment": "complaint_handling.access.permissions.pointer_conditions",
	"Communication": "complaint_handling.access.permissions.pointer_conditions",
	"File": "complaint_handling.access.permissions.pointer_conditions",
	"Version": "complaint_handling.access.permissions.pointer_conditions",
	"Workflow Action": "complaint_handling.access.permissions.pointer_conditions",
	"DocShare": "complaint_handling.access.permissions.pointer_conditions",
	"Document Follow": "complaint_handling.access.permissions.pointer_conditions",
	"Notification Log": "complaint_handling.access.permissions.pointer_conditions",
	"Tag Link": "complaint_handling.access.permissions.pointer_conditions",
	"Email Queue": "complaint_handling.access.permissions.pointer_conditions",
	"Activity Log": "complaint_handling.access.permissions.pointer_conditions",
	"Access Log": "complaint_handling.access.permissions.pointer_conditions",
	"View Log": "complaint_handling.access.permissions.pointer_conditions",
	"Energy Point Log": "complaint_handling.access.permissions.pointer_conditions",
}
has_permission = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.has_permission",
	"Complaint Memo": "complaint_handling.complaint_handling.doctype.complaint_memo.complaint_memo.has_permission",
	"Complaint SLA Clock": "complaint_handling.complaint_handling.doctype.complaint_sla_clock.complaint_sla_clock.has_permission",
	"Defect Inspection": "complaint_handling.complaint_handling.doctype.defect_inspection.defect_inspection.has_permission",
	"Complaint Penalty": "complaint_handling.complaint_handling.doctype.complaint_penalty.complaint_penalty.has_permission",
	"Complaint Follow-up Call": "complaint_handling.complaint_handling.doctype.complaint_follow_up_call.complaint_follow_up_call.has_permission",
	"Complaint SLA Breach": "complaint_handling.access.permissions.can_see_breach",
	"ToDo": "complaint_handling.access.permissions.pointer_permission",
	"Comment": "complaint_handling.access.permissions.pointer_permission",
	"Communication": "complaint_handling.access.permissions.pointer_permission",
	"File": "complaint_handling.access.permissions.pointer_permission",
	"Version": "complaint_handling.access.permissions.pointer_permission",
	"Workflow Action": "complaint_handling.access.permissions.pointer_permission",
	"DocShare": "complaint_handling.access.permissions.pointer_permission",
	"Document Follow": "complaint_handling.access.permissions.pointer_permission",
	"Notification Log": "complaint_handling.access.permissions.pointer_permission",
	"Tag Link": "complaint_handling.access.permissions.pointer_permission",
	"Email Queue": "complaint_handling.access.permissions.pointer_permission",
	"Activity Log": "complaint_handling.access.permissions.pointer_permission",
	"Access Log": "complaint_handling.access.permissions.pointer_permission",
	"View Log": "complaint_handling.access.permissions.pointer_permission",
	"Energy Point Log": "complaint_handling.access.permissions.pointer_permission",
}
has_website_permission = {
	"Customer Complaint": "complaint_handling.complaint_handling.doctype.customer_complaint.customer_complaint.has_website_permission",
}

# The inspection's field page, which works offline: its shell, service worker and manifest (quality/field_page.py)
page_renderer = ["complaint_handling.quality.field_page.FieldPage"]

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

# The service desk (service_desk/issue.py): Create ▸ Customer Complaint on an Issue, the
# complaint in the Issue's Connections, the complaint's link on the customer's /issues page
doctype_js = {"Issue": "public/js/issue.js"}
override_doctype_dashboards = {"Issue": "complaint_handling.service_desk.issue.issue_dashboard"}
webform_include_js = {"Issue": "public/js/issue_webform.js"}

# Requests
# --------
before_request = [
	"complaint_handling.access.requests.check_rest_body",
	"complaint_handling.access.doors.check_request",
]

# Frappe's methods that compute over many documents without asking each one's permission
# (access/doors.py): on the app's DocTypes they count and find only what the user may read
override_whitelisted_methods = {
	"frappe.client.get_count": "complaint_handling.access.doors.get_count",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": "complaint_handling.access.replica.number_card_change",
	"frappe.client.validate_link": "complaint_handling.access.doors.validate_link",
	"frappe.desk.search.search_widget": "complaint_handling.access.doors.search_widget",
	"frappe.desk.search.search_link": "complaint_handling.access.doors.search_link",
	"frappe.desk.listview.get_group_by_count": "complaint_handling.access.doors.get_group_by_count",
	"frappe.www.list.get": "complaint_handling.access.doors.list_get",
	"frappe.utils.print_format.download_multi_pdf": "complaint_handling.access.doors.download_multi_pdf",
	"frappe.desk.doctype.number_card.number_card.get_result": "complaint_handling.access.doors.number_card_result",
}

# Document events
# ---------------
doc_events = {
	"Company": {
		"after_insert": "complaint_handling.setup.install.on_company_created",
	},
	# who manages a region: cached, forgotten when a territory, sales person, employee or user changes
	"Territory": {
		"on_update": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"on_trash": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"after_rename": "complaint_handling.integrations.erpnext.people.clear_region_managers",
	},
	"Sales Person": {
		"on_update": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"on_trash": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"after_rename": "complaint_handling.integrations.erpnext.people.clear_region_managers",
	},
	"Employee": {
		"on_update": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"on_trash": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"after_rename": "complaint_handling.integrations.erpnext.people.clear_region_managers",
	},
	"User": {
		"on_update": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"on_trash": "complaint_handling.integrations.erpnext.people.clear_region_managers",
		"after_rename": "complaint_handling.integrations.erpnext.people.clear_region_managers",
	},
	"Communication": {
		"before_insert": [
			"complaint_handling.service_desk.issue.link_new_mail",
			"complaint_handling.service_desk.helpdesk.link_new_mail",
		],
		"after_insert": "complaint_handling.service_levels.replies.on_communication",
		"on_update": [
			"complaint_handling.intake.mail.on_communication",
			"complaint_handling.service_desk.issue.keep_issue_waiting",
		],
	},
	# The service desk (service_desk/issue.py): an Issue escalates into a complaint and learns
	# how it ends
	"Issue": {
		"validate": "complaint_handling.service_desk.issue.keep_complaint_link",
		"after_insert": "complaint_handling.service_desk.issue.apply_escalation_rules",
	},
	"Customer Complaint": {
		"before_validate": "complaint_handling.service_desk.issue.check_issue_link",
		"on_update": [
			"complaint_handling.service_desk.issue.on_complaint_update",
			"complaint_handling.service_desk.helpdesk.on_complaint_update",
		],
	},
	# Frappe Helpdesk, when installed (service_desk/helpdesk.py): the ticket keeps the complaint's fields, waits
	# while it runs, and keeps its time on hold
	"HD Ticket": {
		"before_validate": "complaint_handling.service_desk.helpdesk.keep_ticket_fields",
		"before_save": "complaint_handling.service_desk.helpdesk.keep_hold_time",
	},
	"DocShare": {
		"validate": "complaint_handling.access.permissions.check_share",
	},
	"Document Follow": {
		"validate": "complaint_handling.access.doors.check_follow",
	},
	# a row of a complaint's table changes only with its document (access/doors.py)
	"Complaint Approval": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Complaint Confirmation": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Complaint Escalation": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Complaint Related": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Defect Inspection Photo": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Defect Inspection Part": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Defect Inspection Freight": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	"Defect Inspection Cost": {
		"before_validate": "complaint_handling.access.doors.refuse_row_on_its_own",
		"before_update_after_submit": "complaint_handling.access.doors.refuse_row_on_its_own",
		"on_trash": "complaint_handling.access.doors.refuse_row_on_its_own",
	},
	# goods returned for an inspection (quality/goods_returns.py)
	"Delivery Note": {
		"validate": "complaint_handling.quality.goods_returns.check_link",
		"on_submit": "complaint_handling.quality.goods_returns.on_submit",
		"on_cancel": "complaint_handling.quality.goods_returns.on_cancel",
	},
	"Stock Entry": {
		"validate": "complaint_handling.quality.goods_returns.check_link",
		"on_submit": "complaint_handling.quality.goods_returns.on_submit",
		"on_cancel": "complaint_handling.quality.goods_returns.on_cancel",
	},
	"Sales Invoice": {
		"validate": [
			"complaint_handling.quality.goods_returns.check_link",
			"complaint_handling.quality.resolutions.check_contract_prices",
		]
	},
	"File": {
		"before_insert": "complaint_handling.intake.mail.keep_complaint_files_private",
		"validate": [
			"complaint_handling.access.doors.keep_attachment",  # first: refuse what a client changed
			"complaint_handling.intake.mail.keep_complaint_files_private",
		],
	},
}
