"""Intake of a Customer Complaint (docs/procedure.md §2): load facts from ERPNext, apply the domain rules, set fields.

Desk, e-mail, portal, API and REST all save through the Customer Complaint controller, which calls these.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, flt, get_datetime, getdate, now_datetime

from complaint_handling.access.fields import label
from complaint_handling.domain.companies import CompanyMismatchError, check_documents, choose_company
from complaint_handling.domain.intake import (
	ComplaintFacts,
	check_date_order,
	default_vip,
	find_repeats,
	severity_after_repeat,
)
from complaint_handling.domain.statuses import REGISTERED, is_open
from complaint_handling.domain.statuses import names as st_names
from complaint_handling.handling import routing, shares, whose_move
from complaint_handling.intake import received_weeks
from complaint_handling.integrations.erpnext import companies
from complaint_handling.integrations.erpnext.people import (
	customer_of_email,
	customers_of_portal_user,
	is_website_user,
	region_manager_for,
	user_of_employee,
	user_of_sales_person,
)
from complaint_handling.integrations.erpnext.sales import sales_document, sales_order_of, serial_delivery

COMPLAINT_DOCTYPE = "Customer Complaint"

FINISHED_STATUSES = tuple(
	name for name in st_names(COMPLAINT_DOCTYPE) if not is_open(COMPLAINT_DOCTYPE, name)
)
OPEN_STATUSES = tuple(name for name in st_names(COMPLAINT_DOCTYPE) if is_open(COMPLAINT_DOCTYPE, name))
SALES_DOCUMENTS = (
	("sales_order", "Sales Order"),
	("delivery_note", "Delivery Note"),
	("sales_invoice", "Sales Invoice"),
)


# Who complains ------------------------------------------------------------------------------------


def identify_customer(doc) -> None:
	"""Sender e-mail → Contact → Customer, for e-mail intake and callers without a customer."""
	if not doc.customer and doc.complainant_email:
		if found := customer_of_email(doc.complainant_email):
			doc.customer = found.customer
			doc.contact = doc.contact or found.contact
	if doc.contact and not (doc.complainant_name or doc.complainant_phone or doc.complainant_email):
		contact = frappe.db.get_value(
			"Contact", doc.contact, ["full_name", "phone", "mobile_no", "email_id"], as_dict=True
		)
		if contact:
			doc.complainant_name = contact.full_name
			doc.complainant_phone = contact.mobile_no or contact.phone
			doc.complainant_email = contact.email_id


def restrict_portal_user(doc, user: str) -> None:
	"""A portal user complains only for their own customer, always through the portal channel.

	Server flows acting for the customer (the signed e-mail link) set `ignore_permissions` instead.
	"""
	if doc.flags.ignore_permissions or user == "Guest" or not is_website_user(user):
		return
	customers = customers_of_portal_user(user)
	if not customers:
		frappe.throw(
			_("Your user is not linked to a customer; ask us to add you to your company's portal users."),
			frappe.PermissionError,
		)
	if not doc.customer and len(customers) == 1:
		doc.customer = customers[0]
	if doc.customer not in customers:
		frappe.throw(
			_("{0}: you may only register complaints for {1}.").format(
				label(doc, "customer"), ", ".join(customers)
			),
			frappe.PermissionError,
		)
	doc.complainant_email = frappe.db.get_value("User", user, "email")  # answers go to the portal user only
	if doc.is_new():
		doc.channel = "Portal"
		doc.status = REGISTERED
		for internal in ("region_manager", "handling_department", "complained_user", "unconfirmed_reason"):
			doc.set(internal, None)


def apply_customer_defaults(doc) -> None:
	"""Territory, region manager and the VIP / green-channel flag follow the customer."""
	if not doc.customer:
		return
	customer = frappe.get_cached_value(
		"Customer", doc.customer, ["territory", "customer_group", "complaint_vip"], as_dict=True
	)
	if doc.is_new() or doc.has_value_changed("customer"):
		doc.territory = customer.territory or doc.territory  # not ERPNext's default root territory
	if not doc.region_manager or (doc.has_value_changed("territory") and not doc.is_new()):
		doc.region_manager = region_manager_for(doc.territory) or doc.region_manager
	if doc.is_new() and not doc.is_vip:
		group_flag = frappe.get_cached_value("Customer Group", customer.customer_group, "complaint_vip")
		customer_flag = {"Yes": True, "No": False}.get(customer.complaint_vip or "")
		doc.is_vip = int(default_vip(customer_flag, bool(group_flag)))


# What is complained about -------------------------------------------------------------------------


def apply_serial_no(doc) -> None:
	"""The serial number must have been delivered (or invoiced) to this customer (docs/procedure.md §2)."""
	if not doc.serial_no:
		return
	serial = frappe.db.get_value("Serial No", doc.serial_no, ["item_code", "batch_no"], as_dict=True)
	if doc.item and serial.item_code != doc.item:
		frappe.throw(
			_("{0}: {1} is a serial number of item {2}, not of {3}.").format(
				label(doc, "serial_no"), doc.serial_no, serial.item_code, doc.item
			)
		)
	delivery = serial_delivery(doc.serial_no)
	if not delivery:
		frappe.throw(
			_("{0}: {1} has not been delivered or invoiced to any customer.").format(
				label(doc, "serial_no"), doc.serial_no
			)
		)
	if doc.customer and delivery.customer != doc.customer:
		frappe.throw(
			_("{0}: {1} was delivered to {2}, not to {3}.").format(
				label(doc, "serial_no"), doc.serial_no, delivery.customer, doc.customer
			)
		)
	doc.item = doc.item or delivery.item_code
	doc.batch_no = doc.batch_no or delivery.batch_no or serial.batch_no
	voucher_field = frappe.scrub(delivery.voucher_type)
	doc.set(voucher_field, doc.get(voucher_field) or delivery.voucher_no)


def apply_batch_no(doc) -> None:
	"""The batch must be a batch of the complained item."""
	if not doc.batch_no:
		return
	batch_item = frappe.db.get_value("Batch", doc.batch_no, "item")
	if doc.item and batch_item != doc.item:
		frappe.throw(
			_("{0}: {1} is a batch of item {2}, not of {3}.").format(
				label(doc, "batch_no"), doc.batch_no, batch_item, doc.item
			)
		)
	doc.item = doc.item or batch_item


def apply_sales_documents(doc) -> None:
	"""Orders, deliveries and invoices must be submitted documents of this customer; dates follow them."""
	for fieldname, doctype in SALES_DOCUMENTS:
		name = doc.get(fieldname)
		if not name:
			continue
		info = sales_document(doctype, name)
		if info.docstatus != 1:
			frappe.throw(_("{0}: {1} is not submitted.").format(label(doc, fieldname), name))
		if doc.customer and info.customer != doc.customer:
			frappe.throw(
				_("{0}: {1} belongs to customer {2}, not to {3}.").format(
					label(doc, fieldname), name, info.customer, doc.customer
				)
			)
		if (
			doc.item
			and doctype != "Sales Order"
			and not frappe.db.exists(f"{doctype} Item", {"parent": name, "item_code": doc.item})
		):
			frappe.throw(
				_("{0}: {1} does not contain item {2}.").format(label(doc, fieldname), name, doc.item)
			)
		if doctype == "Sales Order":
			doc.order_date = doc.order_date or info.date
		else:
			doc.shipping_date = doc.shipping_date or info.date
			doc.sales_order = doc.sales_order or sales_order_of(doctype, name, doc.item)
	if doc.sales_order and not doc.order_date:
		doc.order_date = sales_document("Sales Order", doc.sales_order).date


class CompanyError(frappe.ValidationError):
	"""The complaint's company does not fit what it names, or is not one of the user's companies."""


def apply_company(doc) -> None:
	"""The complaint's company: chosen, else its order's, delivery's or invoice's, else the user's default,
	else the settings' (domain/companies.py); a document of another company and a company the user may not
	use (ERPNext's User Permission on Company) are refused."""
	documents = {
		fieldname: (sales_document(doctype, doc.get(fieldname)) or {}).get("company")
		for fieldname, doctype in SALES_DOCUMENTS
		if doc.get(fieldname)
	}
	if doc.is_new() or not doc.company:
		doc.company = choose_company(
			doc.company,
			documents,
			companies.user_company(),
			companies.settings_company(),
			form_default=frappe.defaults.get_defaults().get("company"),  # what Frappe fills a new form with
		)
	elif doc.has_value_changed("delivery_note") or doc.has_value_changed("sales_invoice"):
		doc.company = choose_company(None, documents, None, doc.company)  # named later: it decides
	try:
		check_documents(doc.company, documents)
	except CompanyMismatchError as error:
		frappe.throw(
			_("{0}: {1} belongs to company {2}, not to {3}.").format(
				label(doc, error.field), doc.get(error.field), error.document_company, error.company
			),
			CompanyError,
		)
	allowed = companies.allowed_companies()
	if allowed is not None and doc.company not in allowed and not is_website_user(frappe.session.user):
		frappe.throw(
			_("{0}: you may register complaints of {1} only.").format(_("Company"), ", ".join(allowed)),
			frappe.PermissionError,
		)


def validate_dates(doc) -> None:
	"""Ordered, then shipped, then arrived — and none of them after the complaint was received."""
	dates = {
		f: getdate(doc.get(f)) if doc.get(f) else None
		for f in ("order_date", "shipping_date", "arrival_date")
	}
	dates["received_on"] = getdate(doc.received_on) if doc.received_on else None
	problems = check_date_order(dates, ("order_date", "shipping_date", "arrival_date", "received_on"))
	if problems:
		frappe.throw(
			"<br>".join(
				_("{0} ({1}) cannot be before {2} ({3}).").format(
					label(doc, p.field),
					doc.get_formatted(p.field),
					label(doc, p.must_not_precede),
					doc.get_formatted(p.must_not_precede),
				)
				for p in problems
			),
			title=_("Dates out of order"),
		)


# Staff conduct -----------------------------------------------------------------------------------


def apply_complained_person(doc) -> None:
	"""Remember the user of the person complained about, so permissions can keep them out (docs/procedure.md §12)."""
	from_employee = user_of_employee(doc.complained_employee)
	from_sales_person = user_of_sales_person(doc.complained_sales_person)
	if from_employee and from_sales_person and from_employee != from_sales_person:
		frappe.throw(
			_("{0} and {1} name two different people; name the one person complained about.").format(
				label(doc, "complained_employee"), label(doc, "complained_sales_person")
			)
		)
	doc.complained_user = from_employee or from_sales_person


# Repeats -----------------------------------------------------------------------------------------


def facts_of(row) -> ComplaintFacts:
	return ComplaintFacts(
		name=row.name,
		customer=row.customer,
		received_on=get_datetime(row.received_on),
		is_open=row.status not in FINISHED_STATUSES,
		subject=row.subject or "",
		item=row.item,
		batch_no=row.batch_no,
		serial_no=row.serial_no,
	)


REPEAT_FIELDS = ("name", "customer", "received_on", "status", "subject", "item", "batch_no", "serial_no")


def apply_repeats(doc, settings) -> None:
	"""List open or recent complaints of the same customer on the same product or subject (docs/procedure.md §2),
	in the same company."""
	if not doc.customer:
		return
	window = timedelta(days=cint(settings.repeat_window_days))
	received_on = get_datetime(doc.received_on or now_datetime())
	table = frappe.qb.DocType("Customer Complaint")
	# open ones, then recent ones: two queries, each on an index of its own (customer_status_received,
	# customer_received); one `or` of the two read every complaint the customer ever had
	by_name = {}
	for condition in (
		table.status.isin(OPEN_STATUSES),
		table.status.isin(FINISHED_STATUSES) & (table.received_on >= received_on - window),
	):
		for row in (
			frappe.qb.from_(table)
			.select(*(table[field] for field in REPEAT_FIELDS))
			.where(table.customer == doc.customer)
			.where(table.company == doc.company)  # a company's complaints are not shown to another's staff
			.where(table.name != (doc.name or ""))
			.where(condition)
			.run(as_dict=True)
		):
			by_name[row.name] = row
	candidates = list(by_name.values())
	matches = find_repeats(
		facts_of(frappe._dict({field: doc.get(field) for field in REPEAT_FIELDS}, received_on=received_on)),
		[facts_of(row) for row in candidates],
		window,
		subject_threshold=flt(settings.subject_similarity) / 100 or 0.6,
	)
	doc.set("related_complaints", [])
	for match in matches:
		row = by_name[match.name]
		doc.append(
			"related_complaints",
			{
				"complaint": row.name,
				"subject": row.subject,
				"received_on": row.received_on,
				"status": row.status,
				"matched_on": ", ".join(_(doc.meta.get_label(field)) for field in match.matched_on),
			},
		)
	doc.is_repeat = int(bool(matches))
	doc.severity = severity_after_repeat(
		doc.severity, bool(matches), settings.repeat_severity_floor or "Major"
	)


# Read-back confirmation (docs/procedure.md §2) --------------------------------------------------------------


def add_confirmation(
	doc,
	method: str,
	corrections: str | None = None,
	by_customer: bool = False,
	link_signature: str | None = None,
) -> None:
	doc.flags.owner_writes = (doc.flags.owner_writes or set()) | {"confirmations"}
	doc.append(
		"confirmations",
		{
			"confirmed_on": now_datetime(),
			"confirmed_by": frappe.session.user,
			"method": method,
			"by_customer": int(by_customer),
			"corrections": (corrections or "").strip() or None,
			"link_signature": link_signature,
		},
	)


def apply_confirmation(doc) -> None:
	"""Unconfirmed complaints stay at registration unless a reason to proceed is recorded."""
	doc.confirmation_status = "Confirmed" if doc.get("confirmations") else "Unconfirmed"
	if (
		doc.status != REGISTERED
		and doc.confirmation_status != "Confirmed"
		and not (doc.unconfirmed_reason or "").strip()
	):
		frappe.throw(
			_(
				"Read the record back to the customer and record the confirmation, or enter a {0}, before moving the complaint past registration."
			).format(label(doc, "unconfirmed_reason")),
			title=_("Not confirmed by the customer"),
		)


# After registration ----------------------------------------------------------------------------------


FOLLOW_UP_JOB = "complaint_handling.intake.registration.follow_up_registrations"
FOLLOW_UP_JOB_KEY = "complaint_handling:registration_follow_up_job"


def enqueue_follow_up(name: str) -> None:
	"""After the insert commits: acknowledgement, reports, shares and assignment in a background job.

	One job works through every registration waiting for it (`follow_up_registrations`), so a burst of
	registrations costs a few jobs instead of one each (a job's start costs a worker a second or two); a job
	is queued unless one is already waiting to start. Tests run the registration's own follow-up at once."""
	if frappe.flags.in_test:
		follow_up_registration(name)
		return
	frappe.db.after_commit.add(ensure_follow_up_job)


def ensure_follow_up_job() -> None:
	"""Queue `follow_up_registrations` unless one is queued and not started: a started one may have looked
	for waiting registrations already, so a registration committed now needs a job that starts after it."""
	from frappe.utils.background_jobs import get_job_status
	from rq.job import JobStatus

	queued = frappe.cache.get_value(FOLLOW_UP_JOB_KEY)
	if queued and get_job_status(queued) == JobStatus.QUEUED:
		return
	job_id = f"registration-follow-ups-{frappe.generate_hash(length=12)}"
	frappe.enqueue(FOLLOW_UP_JOB, job_id=job_id)
	# no expiry: Frappe then keeps this request's copy of the value in step
	frappe.cache.set_value(FOLLOW_UP_JOB_KEY, job_id)


def follow_up_registrations(batch: int = 100) -> int:
	"""Background job: the follow-up of every registration waiting for it, oldest first, each in its own
	transaction. A registration another worker is on is left to it (SKIP LOCKED); one that fails is logged
	and left to the sweep's retry. Looks again until none it has not seen is waiting. Returns how many it did."""
	table = frappe.qb.DocType(COMPLAINT_DOCTYPE)
	seen: set[str] = set()
	done = 0
	while True:
		frappe.db.commit()  # nosemgrep: a fresh view of what has been registered since
		names = [
			name
			for name in (
				frappe.qb.from_(table)
				.select(table.name)
				.where(table.registration_followup == 1)
				.orderby(table.creation)
				.limit(batch + len(seen))
			).run(pluck=True)
			if name not in seen
		][:batch]
		if not names:
			return done
		for name in names:
			seen.add(name)
			try:
				with whose_move.notifications_in_this_job():
					if follow_up_registration(name, skip_locked=True):
						done += 1
				frappe.db.commit()  # nosemgrep: one registration, one transaction
			except Exception:
				frappe.db.rollback()
				frappe.log_error(title=f"Registration follow-up of {name}", reference_doctype=COMPLAINT_DOCTYPE,
					reference_name=name)  # fmt: skip


def follow_up_registration(name: str, skip_locked: bool = False) -> bool:
	"""The work a registration sets off that need not block it (docs/procedure.md §2): the Notifications on
	method `after_registration` (the acknowledgement to the customer, the quality report to the general
	manager and management representative), then shares and assignment. One transaction: if it fails,
	nothing of it is kept and the sweep runs it again (`retry_follow_ups`). True when it did the work.

	A user may act on the complaint while this runs (a second after registering it). Both take the
	complaint's row first — a save locks it before it writes (Frappe's `Document.check_if_latest`), this
	job before anything else — so one waits for the other instead of each holding what the other needs
	(a deadlock); and what this job reads after the lock includes what that user committed.
	`skip_locked`: a complaint whose row is locked (another worker's follow-up, a user's save) is left."""

	if not lock_complaint(name, fresh=True, skip_locked=skip_locked):
		return False  # done already (a retry racing the first run), the complaint is gone, or skipped
	doc = frappe.get_doc(COMPLAINT_DOCTYPE, name)
	doc.run_method("after_registration")
	shares.share_and_assign(doc)
	doc.db_set("registration_followup", 0, update_modified=False)
	received_weeks.count_registration(name)  # now on the weekly chart
	return True


def lock_complaint(name: str, fresh: bool = False, skip_locked: bool = False) -> bool:
	"""Lock the complaint's row (SELECT … FOR UPDATE); True when its registration follow-up is still due.

	`fresh`: a job's transaction that has written nothing yet ends first, so that its reads after the lock
	see what others committed while it waited (MariaDB's repeatable read keeps the view of a transaction's
	first read). A transaction that has written (a test's, running the job inline) is left as it is.
	`skip_locked`: a row locked by another transaction is not waited for (False)."""
	if fresh and not frappe.db.transaction_writes:
		frappe.db.commit()  # nosemgrep: ends a read-only transaction; nothing is written by it
	due = frappe.db.sql(
		"select registration_followup from `tabCustomer Complaint` where name = %s for update"
		+ (" skip locked" if skip_locked else ""),
		name,
	)
	return bool(due and due[0][0])


def note_follow_up_since_read(doc) -> None:
	"""Validate step of a save: has the registration's follow-up job committed since this transaction began
	reading? The saved row was read locked, as it is now (`Document.check_if_latest`); a plain read gives
	this transaction's older view. Then its reads of the complaint's assignments and shares are stale, and
	`assign_after_save` leaves them to a job that reads afresh."""
	before = doc.get_doc_before_save()
	if before is None or before.registration_followup:
		return
	seen = frappe.db.sql(
		"select registration_followup from `tabCustomer Complaint` where name = %s", doc.name
	)
	doc.flags.follow_up_since_read = bool(seen and seen[0][0])


def assign_after_save(doc) -> None:
	"""On update: shares and assignments for whose move it is now — in this request when what it reads is
	current, else (`note_follow_up_since_read`) in a job that locks the complaint and reads afresh."""

	if doc.flags.follow_up_since_read:
		frappe.enqueue(
			"complaint_handling.intake.registration.assign_current",
			queue="short",
			name=doc.name,
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
		)
	else:
		shares.share_and_assign(doc)


def assign_current(name: str) -> None:
	"""In a job: shares and assignments for whose move it is now, read under the complaint's row lock."""

	lock_complaint(name, fresh=True)
	if frappe.db.exists(COMPLAINT_DOCTYPE, name):
		shares.share_and_assign(frappe.get_doc(COMPLAINT_DOCTYPE, name))


def retry_follow_ups(older_than_minutes: int = 10) -> int:
	"""From the sweep: registrations whose follow-up job has not finished in time are queued again."""
	table = frappe.qb.DocType("Customer Complaint")
	cutoff = add_to_date(now_datetime(), minutes=-older_than_minutes)
	names = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(table.registration_followup == 1)
		.where(table.creation < cutoff)
		.limit(500)
	).run(pluck=True)
	for name in names:
		enqueue_follow_up(name)
	return len(names)
