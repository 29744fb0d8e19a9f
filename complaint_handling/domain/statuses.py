"""The one table of statuses: what each status of a complaint or memo means and whose move it is next.

Workflow states are configuration (an administrator may rename or add them); each state sets one of
these statuses, and the app reacts to the status only (docs/procedure.md §9). The party whose move it is
is a role or a named party on the document (the handler, the pending approver, a memo's addressee or
department head); the Frappe shell turns it into users, assigns them and shows it on the form.
"""

from dataclasses import dataclass

# Parties that are not roles: resolved from fields of the document.
HANDLER = "Handler"
PENDING_APPROVER = "Pending Approver"
ADDRESSEE = "Addressee"
DEPARTMENT_HEAD = "Department Head"
MEMO_APPROVER = "Memo Approver"
CLERK = "Complaint Clerk"
COORDINATOR = "Complaint Coordinator"
MARKETING_DIRECTOR = "Marketing Director"


@dataclass(frozen=True)
class Status:
	name: str
	meaning: str
	is_open: bool
	next_party: str | None  # whose move it is while the document has this status; None when finished
	step: str | None  # what that party does next, as a short imperative


COMPLAINT_STATUSES: tuple[Status, ...] = (
	Status(
		"Registered", "Registered; read back to the customer, then dispatched", True, COORDINATOR, "Dispatch"
	),
	Status("In Progress", "Being handled; a proposal is due", True, HANDLER, "Propose a handling"),
	Status("Proposed", "Proposal awaiting approval", True, PENDING_APPROVER, "Approve the proposal"),
	Status(
		"Approved", "Decision approved; the customer is to be answered", True, CLERK, "Reply to the customer"
	),
	Status(
		"Replied", "Customer answered; awaiting acceptance", True, COORDINATOR, "Close or record a dispute"
	),
	Status(
		"Disputed",
		"Customer disputes the decision; HQ rules finally",
		True,
		MARKETING_DIRECTOR,
		"Give the final ruling",
	),
	Status("Closed", "Closed and archived", False, None, None),
)

MEMO_STATUSES: tuple[Status, ...] = (
	Status(
		"Draft",
		"Being written; the coordinator checks and dispatches it",
		True,
		COORDINATOR,
		"Dispatch the memo",
	),
	Status("Dispatched", "With the responsible department", True, ADDRESSEE, "Answer the memo"),
	Status("Replied", "Answered; the department head signs", True, DEPARTMENT_HEAD, "Sign the answer"),
	Status("Signed", "Signed; awaiting approval", True, MEMO_APPROVER, "Approve the answer"),
	Status("Approved", "Approved; the coordinator closes it", True, COORDINATOR, "Close the memo"),
	Status("Closed", "Closed", False, None, None),
)

QUALITY_MANAGER = "Quality Manager"
REGION_MANAGER = "Region Manager"
GENERAL_MANAGER = "General Manager"
MANAGEMENT_REPRESENTATIVE = "Management Representative"
STOCK_USER = "Stock User"

# The product-quality path after the site visit (docs/procedure.md §7), one status per step.
INSPECTION_STATUSES: tuple[Status, ...] = (
	Status("Draft", "Filled in on site by the region manager", True, REGION_MANAGER, "Submit for approval"),
	Status(
		"Director Review",
		"The file (memo, evidence, photos) awaits the marketing director",
		True,
		MARKETING_DIRECTOR,
		"Approve the file",
	),
	Status(
		"Return Decision",
		"First approval: is the report true, and do the goods come back?",
		True,
		REGION_MANAGER,
		"Decide the return",
	),
	Status(
		"Awaiting Goods",
		"The goods are on their way into the QA-hold warehouse",
		True,
		STOCK_USER,
		"Receive the goods",
	),
	Status(
		"QA Review",
		"QA determines the returned goods and proposes the customer handling",
		True,
		QUALITY_MANAGER,
		"Propose the handling",
	),
	Status(
		"Proposal Review",
		"Second approval: the proposal against the service commitment",
		True,
		REGION_MANAGER,
		"Approve the proposal",
	),
	Status(
		"Corrective Action Review",
		"The corrective and preventive report awaits the management representative",
		True,
		MANAGEMENT_REPRESENTATIVE,
		"Approve the corrective action",
	),
	Status(
		"General Manager Review",
		"The corrective and preventive report awaits the general manager",
		True,
		GENERAL_MANAGER,
		"Approve the corrective action",
	),
	Status("Closed", "Decided; QA supervises the corrective action", False, None, None),
	Status("Settled on Site", "Misuse put right on site; the customer bears the cost", False, None, None),
)

TABLES: dict[str, tuple[Status, ...]] = {
	"Customer Complaint": COMPLAINT_STATUSES,
	"Complaint Memo": MEMO_STATUSES,
	"Defect Inspection": INSPECTION_STATUSES,
}

REGISTERED, IN_PROGRESS, PROPOSED, APPROVED, REPLIED, DISPUTED, CLOSED = (s.name for s in COMPLAINT_STATUSES)
MEMO_DRAFT, DISPATCHED, MEMO_REPLIED, SIGNED, MEMO_APPROVED, MEMO_CLOSED = (s.name for s in MEMO_STATUSES)
(
	INSPECTION_DRAFT,
	DIRECTOR_REVIEW,
	RETURN_DECISION,
	AWAITING_GOODS,
	QA_REVIEW,
	PROPOSAL_REVIEW,
	CORRECTIVE_ACTION_REVIEW,
	GM_REVIEW,
	INSPECTION_CLOSED,
	SETTLED_ON_SITE,
) = (s.name for s in INSPECTION_STATUSES)


def status_of(doctype: str, name: str | None) -> Status | None:
	"""The row for a status; None for a status the table does not know (or none at all)."""
	return next((s for s in TABLES.get(doctype, ()) if s.name == name), None)


def names(doctype: str) -> tuple[str, ...]:
	return tuple(s.name for s in TABLES[doctype])


def open_statuses(doctype: str) -> tuple[str, ...]:
	return tuple(s.name for s in TABLES[doctype] if s.is_open)


def is_open(doctype: str, name: str | None) -> bool:
	row = status_of(doctype, name)
	return bool(row and row.is_open)


def next_party(
	doctype: str, status: str | None, *, confirmed: bool = True, pending_approver: str | None = None
) -> str | None:
	"""Whose move it is.

	A registered complaint not yet read back waits for the clerk (docs/procedure.md §2); a proposal with
	no approver left (inside the handler's authority) waits for the coordinator to accept it (§9).
	"""
	row = status_of(doctype, status)
	if not row or not row.next_party:
		return None
	if doctype == "Customer Complaint" and row.name == REGISTERED and not confirmed:
		return CLERK
	if row.next_party == PENDING_APPROVER:
		return pending_approver or COORDINATOR
	return row.next_party


def next_step(doctype: str, status: str | None, *, confirmed: bool = True) -> str | None:
	row = status_of(doctype, status)
	if doctype == "Customer Complaint" and row and row.name == REGISTERED and not confirmed:
		return "Read the record back to the customer"
	return row.step if row else None
