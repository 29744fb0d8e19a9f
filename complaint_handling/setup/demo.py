"""Demo data: a company whose complaints can be tried end to end, and the data generator for benchmarks.

    bench --site complaints.localhost execute complaint_handling.setup.demo.make
    bench --site complaints.localhost execute complaint_handling.setup.demo.make --kwargs "{'size': 10}"

Everything is found by a stable key before it is created, so running `make` again adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from erpnext.accounts.utils import get_fiscal_year
from frappe.utils import add_days, getdate, nowdate

from complaint_handling.integrations.erpnext.warehouse import stores_warehouse
from complaint_handling.setup.install import default_company, setup_defaults

DEMO_PASSWORD = "Complaints#2026"  # the setup wizard turns on the password policy
EMAIL_DOMAIN = "demo.example.com"
SERIAL_ITEM = "DEMO-PUMP"
BATCH_ITEM = "DEMO-FILTER"
CUSTOMERS_PER_TERRITORY = 3


@dataclass(frozen=True)
class DemoTerritory:
	name: str
	manager_first_name: str
	manager_last_name: str
	manager_email: str


TERRITORIES = (
	DemoTerritory("East Region", "Wei", "Zhang", f"east.manager@{EMAIL_DOMAIN}"),
	DemoTerritory("South Region", "Fang", "Li", f"south.manager@{EMAIL_DOMAIN}"),
)

# Desk users for every role of the process (docs/procedure.md, roles).
STAFF = (
	("clerk", "Complaint Clerk"),
	("coordinator", "Complaint Coordinator"),
	("director", "Marketing Director"),
	("quality", "Quality Manager"),
	("gm", "General Manager"),
	("mr", "Management Representative"),
	("warehouse", "Stock User"),
	("accounts", "Accounts User"),
	("finance", "Accounts Manager"),
)


def make(size: int = 1, outbox: bool = False) -> dict:
	"""Create (or complete) the demo data set; `size` multiplies customers and deliveries.

	`outbox` (the development site of scripts/dev-bench): a default outgoing e-mail account whose queue is
	held, so the complaint e-mails are queued and can be read under Email Queue but never leave the
	machine.
	"""
	size = int(size)
	if size < 1:
		frappe.throw(frappe._("Demo size must be 1 or more, not {0}.").format(size))
	company = ensure_company()
	setup_defaults(company)
	for login, role in STAFF:
		ensure_user(f"{login}@{EMAIL_DOMAIN}", login.title(), "Demo", [role])
	territories = [ensure_territory(company, t) for t in TERRITORIES]
	ensure_department_heads(company)
	items = ensure_items()
	customers = [
		ensure_customer(f"Demo Customer {territory} {i + 1}", territory)
		for territory in territories
		for i in range(CUSTOMERS_PER_TERRITORY * size)
	]
	warehouse = stock_warehouse(company)
	plan = [
		DemoDelivery(customer, f"PUMP-DEMO-{n + 1:05d}", f"FLT-DEMO-{n // 3 + 1:04d}")  # 3 customers per lot
		for n, customer in enumerate(customers)
		if not frappe.db.exists("Delivery Note", {"customer": customer, "docstatus": 1})
	]
	fiscal_year_start = getdate(get_fiscal_year(nowdate(), company=company)[1])
	receive_stock(company, warehouse, items, plan, fiscal_year_start)
	for n, delivery in enumerate(plan):
		posting_date = min(getdate(nowdate()), add_days(fiscal_year_start, 1 + n))
		deliver(company, warehouse, items, delivery, posting_date)
	if int(outbox):
		ensure_outbox()
	complaints = ensure_complaints(company, customers, size)
	frappe.db.commit()
	return {
		"complaints": complaints,
		"company": company,
		"territories": territories,
		"customers": len(customers),
		"new_deliveries": len(plan),
	}


# Departments that answer memos, and who signs their answers (docs/procedure.md §4).
DEPARTMENT_HEADS = (
	("Customer Service", f"service.head@{EMAIL_DOMAIN}", "Service", "Head"),
	("Quality Management", f"quality@{EMAIL_DOMAIN}", "Quality", "Demo"),
)


def ensure_department_heads(company: str) -> None:
	"""Each memo department has a signing head (in every company that has the department)."""
	for department, email, first_name, last_name in DEPARTMENT_HEADS:
		if not frappe.db.exists("User", email):
			ensure_user(email, first_name, last_name, ["Employee"])
		names = frappe.get_all("Department", filters={"department_name": department}, pluck="name")
		if not names:
			names = [
				frappe.get_doc(
					{
						"doctype": "Department",
						"department_name": department,
						"company": company,
						"parent_department": root_of("Department"),
					}
				)
				.insert(ignore_permissions=True)
				.name
			]
		for name in names:
			if not frappe.db.get_value("Department", name, "complaint_head"):
				frappe.db.set_value("Department", name, "complaint_head", email)


def ensure_outbox() -> str:
	"""A default outgoing account that sends nothing: the queue is suspended (Email Queue ▸ Resume)."""
	name = "Demo Outbox"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": f"complaints@{EMAIL_DOMAIN}",
				"service": "",
				"smtp_server": f"smtp.{EMAIL_DOMAIN}",
				"smtp_port": 587,
				"awaiting_password": 1,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"enable_incoming": 0,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_default("suspend_email_queue", 1)
	return name


def ensure_company() -> str:
	"""Use the site's company; on a site fresh from install, run ERPNext's setup wizard non-interactively."""
	company = default_company()
	if company:
		return company
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = getdate(nowdate()).year
	result = setup_complete(
		{
			"currency": "CNY",
			"full_name": "Demo Administrator",
			"company_name": "Demo Complaints Co",
			"timezone": "Asia/Shanghai",
			"company_abbr": "DCC",
			"industry": "Manufacturing",
			"country": "China",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"language": "english",
			"company_tagline": "Complaint handling demo",
			"email": f"admin@{EMAIL_DOMAIN}",
			"password": "admin",
			"chart_of_accounts": "Standard",
		}
	)
	if (result or {}).get("status") not in ("ok", None):
		frappe.throw(frappe._("The setup wizard failed: {0}").format(result))
	frappe.db.commit()
	return default_company()


def ensure_user(email: str, first_name: str, last_name: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
				"new_password": DEMO_PASSWORD,
			}
		)
		user.flags.ignore_permissions = True
		user.insert()
	user = frappe.get_doc("User", email)
	missing = [role for role in roles if role not in {r.role for r in user.roles}]
	if missing:
		user.add_roles(*missing)
	return email


def ensure_territory(company: str, territory: DemoTerritory) -> str:
	"""Territory → territory manager (Sales Person) → Employee → User: the region manager chain."""
	user = ensure_user(
		territory.manager_email, territory.manager_first_name, territory.manager_last_name, ["Region Manager"]
	)
	employee = ensure_employee(company, user, territory.manager_first_name, territory.manager_last_name)
	sales_person_name = f"{territory.manager_first_name} {territory.manager_last_name}"
	if not frappe.db.exists("Sales Person", sales_person_name):
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": sales_person_name,
				"parent_sales_person": root_of("Sales Person"),
				"is_group": 0,
				"employee": employee,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Territory", territory.name):
		frappe.get_doc(
			{
				"doctype": "Territory",
				"territory_name": territory.name,
				"parent_territory": root_of("Territory"),
				"is_group": 0,
				"territory_manager": sales_person_name,
			}
		).insert(ignore_permissions=True)
	return territory.name


def ensure_employee(company: str, user: str, first_name: str, last_name: str) -> str:
	existing = frappe.db.get_value("Employee", {"user_id": user}, "name")
	if existing:
		return existing
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": first_name,
			"last_name": last_name,
			"gender": "Male" if frappe.db.exists("Gender", "Male") else None,
			"date_of_birth": "1985-05-01",
			"date_of_joining": "2015-03-01",
			"company": company,
			"user_id": user,
			"status": "Active",
		}
	)
	employee.insert(ignore_permissions=True)
	return employee.name


def root_of(doctype: str) -> str:
	"""The root node of an ERPNext tree (All Territories, Sales Team, All Customer Groups, ...)."""
	parent_field = f"parent_{frappe.scrub(doctype)}"
	return frappe.db.get_value(doctype, {"is_group": 1, parent_field: ("is", "not set")}, "name")


def leaf_of(doctype: str) -> str:
	"""Any non-group node of an ERPNext tree, preferring one the setup wizard made."""
	return frappe.db.get_value(doctype, {"is_group": 0}, "name", order_by="creation asc")


def ensure_items() -> dict[str, str]:
	"""A serialised pump (12-month warranty) and a batch-tracked filter cartridge."""
	item_group = leaf_of("Item Group")
	specs = {
		SERIAL_ITEM: {
			"item_name": "Demo Water Pump",
			"has_serial_no": 1,
			"serial_no_series": "PUMP-.#####",
			"warranty_period": "365",
		},
		BATCH_ITEM: {
			"item_name": "Demo Filter Cartridge",
			"has_batch_no": 1,
			"create_new_batch": 1,
			"batch_number_series": "FLT-.#####",
		},
	}
	for code, spec in specs.items():
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_group": item_group,
					"stock_uom": "Nos",
					"is_stock_item": 1,
					"include_item_in_manufacturing": 0,
					**spec,
				}
			).insert(ignore_permissions=True)
	return {"serial": SERIAL_ITEM, "batch": BATCH_ITEM}


def ensure_customer(name: str, territory: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": leaf_of("Customer Group"),
				"territory": territory,
			}
		).insert(ignore_permissions=True)
	ensure_contact(name)
	return name


def ensure_contact(customer: str) -> str:
	"""The customer's purchasing contact, whom the clerk picks on a complaint."""
	existing = frappe.db.get_value(
		"Dynamic Link", {"parenttype": "Contact", "link_doctype": "Customer", "link_name": customer}, "parent"
	)
	if existing:
		return existing
	slug = "".join(ch for ch in customer.lower() if ch.isalnum())
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "Buyer",
			"last_name": customer,
			"email_ids": [{"email_id": f"buyer.{slug}@customers.example.com", "is_primary": 1}],
			"phone_nos": [{"phone": "+86 21 5555 0199", "is_primary_phone": 1}],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	contact.insert(ignore_permissions=True)
	return contact.name


def stock_warehouse(company: str) -> str:

	return stores_warehouse(company)


@dataclass(frozen=True)
class DemoDelivery:
	customer: str
	serial_no: str
	batch_no: str


def deliver(company: str, warehouse: str, items: dict[str, str], delivery: DemoDelivery, posting_date) -> str:
	"""A submitted Delivery Note: one serialised pump and two filters of one batch."""
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": company,
			"customer": delivery.customer,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"set_warehouse": warehouse,
			"items": [
				{
					"item_code": items["serial"],
					"qty": 1,
					"rate": 1200,
					"warehouse": warehouse,
					"use_serial_batch_fields": 1,
					"serial_no": delivery.serial_no,
				},
				{
					"item_code": items["batch"],
					"qty": 2,
					"rate": 80,
					"warehouse": warehouse,
					"use_serial_batch_fields": 1,
					"batch_no": delivery.batch_no,
				},
			],
		}
	)
	note.insert(ignore_permissions=True)
	note.submit()
	return note.name


def receive_stock(
	company: str, warehouse: str, items: dict[str, str], plan: list[DemoDelivery], posting_date
) -> None:
	"""One Material Receipt of every serial number and batch the planned deliveries will ship."""
	if not plan:
		return
	batches: dict[str, int] = {}
	for delivery in plan:
		batches[delivery.batch_no] = batches.get(delivery.batch_no, 0) + 2
	for batch_no in batches:
		if not frappe.db.exists("Batch", batch_no):
			frappe.get_doc({"doctype": "Batch", "batch_id": batch_no, "item": items["batch"]}).insert(
				ignore_permissions=True
			)
	rows = [
		{
			"item_code": items["serial"],
			"qty": len(plan),
			"basic_rate": 700,
			"t_warehouse": warehouse,
			"use_serial_batch_fields": 1,
			"serial_no": "\n".join(d.serial_no for d in plan),
		}
	] + [
		{
			"item_code": items["batch"],
			"qty": qty,
			"basic_rate": 30,
			"t_warehouse": warehouse,
			"use_serial_batch_fields": 1,
			"batch_no": batch_no,
		}
		for batch_no, qty in batches.items()
	]
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"items": rows,
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()


# (channel, category, subject, product?) — every channel and every handling path of docs/procedure.md §1
DEMO_COMPLAINTS = (
	("Phone", "Product Quality", "Pump leaks at the outlet after two weeks", True),
	("Fax", "Product Quality", "Filter cartridge cracked on arrival", False),
	("Verbal", "Staff Conduct", "Delivery driver was rude on site", False),
	("E-mail", "Policy / Customer Service", "Invoice amount differs from the quotation", False),
	("Portal", "Policy / Customer Service", "Nobody called back about the spare parts order", False),
	("API", "Product Quality", "Pump motor stops after ten minutes", True),
	("Walk-in", "Staff Conduct", "Sales office would not accept the return", False),
)


def ensure_complaints(company: str, customers: list[str], size: int) -> int:
	"""Complaints of every category and channel, spread over the demo customers (`size` times the set)."""
	driver = ensure_driver(company)
	created = 0
	for round_ in range(size):
		for n, (channel, category, subject, with_product) in enumerate(DEMO_COMPLAINTS):
			index = (round_ * len(DEMO_COMPLAINTS) + n) % len(customers)
			customer = customers[index]
			if frappe.db.exists("Customer Complaint", {"customer": customer, "subject": subject}):
				continue
			complaint = frappe.get_doc(
				{
					"doctype": "Customer Complaint",
					"customer": customer,
					"channel": channel,
					"category": category,
					"subject": subject,
					"description": subject + ".",
					"complainant_name": "Demo Complainant",
					"complainant_phone": "+86 21 5555 0100",
				}
			)
			if with_product:
				complaint.serial_no = f"PUMP-DEMO-{index + 1:05d}"
			if category == "Staff Conduct":
				complaint.complained_employee = driver
			complaint.insert(ignore_permissions=True)
			created += 1
	return created


def ensure_driver(company: str) -> str:
	"""An employee without a desk user, for staff-conduct demo complaints."""
	# the driver reports to the East region manager: the superior who handles staff-conduct complaints
	superior = frappe.db.get_value("Employee", {"user_id": TERRITORIES[0].manager_email}, "name")
	existing = frappe.db.get_value("Employee", {"first_name": "Demo", "last_name": "Driver"}, "name")
	if existing:
		if superior and not frappe.db.get_value("Employee", existing, "reports_to"):
			frappe.db.set_value("Employee", existing, "reports_to", superior)
		return existing
	driver = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": "Demo",
			"last_name": "Driver",
			"gender": "Male" if frappe.db.exists("Gender", "Male") else None,
			"date_of_birth": "1988-08-01",
			"date_of_joining": "2019-04-01",
			"company": company,
			"status": "Active",
			"reports_to": superior,
		}
	)
	driver.insert(ignore_permissions=True)
	return driver.name
