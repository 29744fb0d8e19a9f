"""Historical complaints (domain/history.py): the paper history imported through ERPNext's Data Import.

A row marked *Imported History* is inserted closed (submitted, workflow state "Closed") in one step, and only
in a System Manager's Data Import (access/protection.py refuses the flag on any other path). What the
registration form says is checked as on any complaint (customer, serial and batch numbers, sales documents,
dates, company); nothing is routed, assigned, e-mailed, timed or surveyed. It is counted at once by the
weekly and satisfaction summaries, and found by repeat detection, failure rates, strikes and reports.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.access.fields import label
from complaint_handling.access.protection import check_history_import
from complaint_handling.domain.history import history_problems
from complaint_handling.domain.statuses import CLOSED
from complaint_handling.intake import registration

REASONS = {
	"required": lambda field: _("{0} is required for an imported complaint.").format(field),
	"future": lambda field: _("{0} cannot be in the future.").format(field),
	"before received": lambda field: _("{0} cannot be before the complaint was received.").format(field),
	"choice": lambda field: _("{0}: choose one of the listed values.").format(field),
	"negative": lambda field: _("{0} cannot be negative.").format(field),
	"range": lambda field: _("{0} must be between 0 and 100.").format(field),
}


class HistoryRowError(frappe.ValidationError):
	"""A row of the history cannot be imported (its field named in the message)."""


def start_import(doc) -> None:
	"""before_insert: the row is inserted submitted, as Frappe inserts any document given as submitted
	(Document.check_docstatus_transition); the workflow then sets its closed state."""
	check_history_import(doc)
	doc.docstatus = 1
	doc._action = "submit"
	doc.check_permission("submit")


def prepare(doc) -> None:
	"""validate of an imported complaint: the registration form's checks, the history's own, closed."""
	problems = history_problems(
		{
			**doc.as_dict(),
			"closed_on": getdate(doc.closed_on) if doc.closed_on else None,
			"received_on": getdate(doc.received_on) if doc.received_on else None,
		},
		getdate(),
	)
	if problems:
		problem = problems[0]
		frappe.throw(REASONS[problem.reason](label(doc, problem.field)), HistoryRowError)
	registration.identify_customer(doc)
	registration.apply_customer_defaults(doc)
	registration.apply_serial_no(doc)
	registration.apply_batch_no(doc)
	registration.apply_sales_documents(doc)
	registration.validate_dates(doc)
	registration.apply_company(doc)
	registration.apply_complained_person(doc)  # the accused never sees it, imported or not
	doc.status = CLOSED
	doc.registration_followup = 0
