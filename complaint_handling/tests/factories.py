"""Tier-2 factories: real ERPNext documents for tests, found or made once."""

import frappe


def make_company(name: str, abbr: str, currency: str = "CNY", country: str = "China") -> str:
	"""A second company (ERPNext creates its chart of accounts and warehouses on insert)."""
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": currency,
				"country": country,
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name


def demo_delivery(index: int = 0) -> frappe._dict:
	"""A delivered demo pump: customer, serial number, batch and delivery note (from `demo.make`)."""
	from complaint_handling.setup import demo

	demo.make(size=1)
	serial_no = f"PUMP-DEMO-{index + 1:05d}"
	bundle = frappe.db.get_value(
		"Serial and Batch Entry", {"serial_no": serial_no, "docstatus": 1}, "parent", order_by="creation desc"
	)
	note = frappe.db.get_value("Serial and Batch Bundle", bundle, "voucher_no")
	customer = frappe.db.get_value("Delivery Note", note, "customer")
	batch_bundle = frappe.db.get_value(
		"Delivery Note Item", {"parent": note, "item_code": demo.BATCH_ITEM}, "serial_and_batch_bundle"
	)
	return frappe._dict(
		customer=customer,
		serial_no=serial_no,
		delivery_note=note,
		item=demo.SERIAL_ITEM,
		filter_batch=frappe.db.get_value("Serial and Batch Entry", {"parent": batch_bundle}, "batch_no"),
		territory=frappe.db.get_value("Customer", customer, "territory"),
	)


def make_complaint(save: bool = True, **fields):
	complaint = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": fields.pop("customer", None) or demo_delivery().customer,
			"category": "Policy / Customer Service",
			"subject": "Delivery arrived late",
			"channel": "Phone",
			**fields,
		}
	)
	if save:
		complaint.insert()
	return complaint


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": user_type,
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	missing = [r for r in roles if r not in frappe.get_roles(email)]
	if missing:
		user.add_roles(*missing)
	return email


def make_portal_user(email: str, customer: str) -> str:
	"""A customer's portal user (role Customer, listed in the customer's Portal Users)."""
	make_user(email, ["Customer"], user_type="Website User")
	doc = frappe.get_doc("Customer", customer)
	if email not in {row.user for row in doc.portal_users}:
		doc.append("portal_users", {"user": email})
		doc.save(ignore_permissions=True)
	frappe.db.set_value("User", email, "user_type", "Website User")
	return email


def make_employee_user(email: str, roles: list[str]) -> tuple[str, str]:
	"""A desk user who is also an Employee (so they can be complained about)."""
	make_user(email, roles)
	employee = frappe.db.get_value("Employee", {"user_id": email}, "name")
	if not employee:
		employee = (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": email.split("@")[0],
					"gender": "Male" if frappe.db.exists("Gender", "Male") else None,
					"date_of_birth": "1990-01-01",
					"date_of_joining": "2020-01-01",
					"company": frappe.defaults.get_global_default("company"),
					"user_id": email,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return email, employee


INBOX = "complaints@example.com"


def make_email_account() -> "frappe.model.document.Document":
	"""A mail account that appends incoming mail to Customer Complaint and is the default outgoing one."""
	name = "Complaints Inbox"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": INBOX,
				"password": "secret",
				"enable_incoming": 1,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "smtp.example.com",
				"use_imap": 0,
				"pop3_server": "pop.example.com",
				"append_to": "Customer Complaint",
			}
		).insert(ignore_permissions=True)
	return frappe.get_doc("Email Account", name)


def stop_earlier_clocks() -> None:
	"""The sweep is site-wide: a test that sweeps at a frozen instant first stops the complaint clocks
	other tests left running on the shared test site, so only its own complaints come due."""
	frappe.db.sql("update `tabComplaint SLA Clock` set running = 0, next_escalation = null where running = 1")
	frappe.db.commit()


def policy_category(name: str, handling_path: str = "Policy / Customer Service") -> str:
	"""A complaint category of its own for a test's SLA policy."""
	if not frappe.db.exists("Complaint Category", name):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": name, "handling_path": handling_path}
		).insert()
	return name


def office_windows() -> list[dict]:
	"""The Chinese office calendar's windows: Monday-Friday 08:30-12:00 and 13:30-17:30."""
	return [
		{"weekday": day, "start_time": start, "end_time": end}
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
		for start, end in (("08:30", "12:00"), ("13:30", "17:30"))
	]


def spare_pump(serial_no: str) -> str:
	"""A demo pump in the company's stores (for a replacement); returns the stores warehouse."""
	from complaint_handling.integrations.erpnext.warehouse import stores_warehouse
	from complaint_handling.setup import demo

	qa_hold = frappe.db.get_single_value("Complaint Settings", "qa_hold_warehouse")
	company = frappe.db.get_value("Warehouse", qa_hold, "company")
	stores = stores_warehouse(company)
	if not frappe.db.get_value("Serial No", {"name": serial_no, "warehouse": stores}):
		frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"company": company,
				"stock_entry_type": "Material Receipt",
				"purpose": "Material Receipt",
				"items": [
					{
						"item_code": demo.SERIAL_ITEM,
						"qty": 1,
						"t_warehouse": stores,
						"use_serial_batch_fields": 1,
						"serial_no": serial_no,
						"basic_rate": 800,
					}
				],
			}
		).submit()
	return stores


def service_items() -> None:
	"""The labour (person-days, fractions allowed) and freight service items, named in Complaint Settings."""
	from complaint_handling.setup import demo

	if not frappe.db.exists("UOM", "Person-Day"):
		frappe.get_doc({"doctype": "UOM", "uom_name": "Person-Day", "must_be_whole_number": 0}).insert()
	for code, name, uom in (
		("COMPLAINT-ENGINEER-DAY", "Engineer Labour", "Person-Day"),
		("COMPLAINT-FREIGHT", "Freight", "Nos"),
	):
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": name,
					"item_group": demo.leaf_of("Item Group"),
					"stock_uom": uom,
					"is_stock_item": 0,
				}
			).insert()
	frappe.db.set_single_value(
		"Complaint Settings", {"labour_item": "COMPLAINT-ENGINEER-DAY", "freight_item": "COMPLAINT-FREIGHT"}
	)
	frappe.db.commit()


def remove_complaint(name: str) -> None:
	"""Remove a test complaint — closed (submitted) or not — with every document of its file, the calls'
	assignments and its attachments; commits."""
	from complaint_handling.records.archive import FILE_DOCUMENTS

	frappe.set_user("Administrator")
	for doctype, field, _formats in FILE_DOCUMENTS:
		for docname in frappe.get_all(doctype, {field: name}, pluck="name"):
			frappe.db.delete("ToDo", {"reference_type": doctype, "reference_name": docname})
			frappe.db.set_value(doctype, docname, "docstatus", 0, update_modified=False)
			frappe.delete_doc(doctype, docname, force=True, ignore_permissions=True)
	frappe.db.delete("ToDo", {"reference_type": "Customer Complaint", "reference_name": name})
	frappe.db.delete("File", {"attached_to_doctype": "Customer Complaint", "attached_to_name": name})
	if frappe.db.exists("Customer Complaint", name):
		frappe.db.set_value("Customer Complaint", name, "docstatus", 0, update_modified=False)
		frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
	frappe.db.commit()
