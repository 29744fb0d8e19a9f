"""The product-quality path after the site visit (docs/procedure.md §5-§7): who may write which part of a
Defect Inspection at each step, what each step needs before it is taken, and who pays what once the
determination is final (domain/costs.py).

The steps are the statuses of domain/statuses.py (INSPECTION_STATUSES); the installed workflow moves between
them and an administrator may edit it, so the rules here key on the status a workflow state sets.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from complaint_handling.domain.costs import (
	COMPANY,
	COST_ITEMS,
	FREIGHT_INBOUND,
	FREIGHT_OUTBOUND,
	MISUSE,
	NEEDS_REPAIR,
	QUALITY_DEFECT,
	UNDETERMINED,
	CostDecision,
	CostFacts,
	CostPolicy,
	Warranty,
	add_months,
	decide,
	negligence_amount_range,
	warranty_on,
)
from complaint_handling.domain.protection import Refusal
from complaint_handling.domain.statuses import (
	AWAITING_GOODS,
	CORRECTIVE_ACTION_REVIEW,
	DIRECTOR_REVIEW,
	GM_REVIEW,
	INSPECTION_CLOSED,
	INSPECTION_DRAFT,
	PROPOSAL_REVIEW,
	QA_REVIEW,
	QUALITY_MANAGER,
	REGION_MANAGER,
	RETURN_DECISION,
	SETTLED_ON_SITE,
)

COORDINATOR = "Complaint Coordinator"
SYSTEM_MANAGER = "System Manager"

# What the region manager records on site (and may correct until the file goes to the director).
SITE_FIELDS: frozenset[str] = frozenset(
	{
		"memo",
		"inspector",
		"visit_scheduled_at",
		"agreed_with_customer",
		"arrived_at",
		"findings",
		"photos",
		"determination",
		"misuse_handling",
		"fixed_on_site",
		"parts_used",
		"customer_opinion",
		"customer_signature",
		"delivery_note",
		"return_qty",
		"distance_travelled",
	}
)
# QA's verdict on the returned goods and its proposal to the customer.
QA_FIELDS: frozenset[str] = frozenset(
	{
		"qa_determination",
		"could_have_determined",
		"root_cause",
		"remedy",
		"customer_proposal",
		"labour_days",
		"containment",
		"corrective_action",
		"preventive_action",
	}
)
# What each leg of freight cost (who pays it is the rules', below).
FREIGHT_FIELDS: frozenset[str] = frozenset({"freight"})
# Set by the app on every save whatever a client sends: the complaint's facts, stamps, the warranty, who
# pays, the stock documents and the status (the workflow's). A forged value never sticks.
SERVER_SET: frozenset[str] = frozenset(
	{
		"status",
		"customer",
		"item",
		"serial_no",
		"batch_no",
		"determined_by",
		"determined_at",
		"qa_by",
		"qa_at",
		"delivered_on",
		"warranty_expiry",
		"in_warranty",
		"ownership_day",
		"final_determination",
		"costs",
		"labour_rate",
		"parts_basis",
		"negligence_low",
		"negligence_high",
		"goods_return_doctype",
		"goods_return",
		"goods_received_on",
		"non_conformance",
		"quality_inspection",
	}
)
# Changed by other documents (the stock entry's submission, the Non Conformance made from it), never by a
# save of the inspection: taken from the database on every save, so a form opened earlier still saves.
SERVER_KEPT: frozenset[str] = frozenset(
	{"goods_return_doctype", "goods_return", "goods_received_on", "non_conformance", "quality_inspection"}
)

# Freight is recorded at every step, each leg when it happens (after the decision only added, with its
# document: freight_problems below).
WRITABLE: Mapping[str, frozenset[str]] = {
	INSPECTION_DRAFT: SITE_FIELDS | FREIGHT_FIELDS,
	DIRECTOR_REVIEW: FREIGHT_FIELDS,
	RETURN_DECISION: FREIGHT_FIELDS,
	AWAITING_GOODS: FREIGHT_FIELDS,
	QA_REVIEW: QA_FIELDS | FREIGHT_FIELDS,
	PROPOSAL_REVIEW: FREIGHT_FIELDS,
	CORRECTIVE_ACTION_REVIEW: FREIGHT_FIELDS,
	GM_REVIEW: FREIGHT_FIELDS,
	INSPECTION_CLOSED: FREIGHT_FIELDS,
	SETTLED_ON_SITE: FREIGHT_FIELDS,
}
SITE_ROLES: frozenset[str] = frozenset({REGION_MANAGER, COORDINATOR, SYSTEM_MANAGER})
QA_ROLES: frozenset[str] = frozenset({QUALITY_MANAGER, SYSTEM_MANAGER})


def inspection_refusals(
	changed: Iterable[str], *, status_before: str | None, roles: Iterable[str], allowed: Iterable[str] = ()
) -> list[Refusal]:
	"""The changed fields this writer may not change now, each with why (a new inspection is a draft).

	Server-set fields are not refused but overwritten by the shell; the workflow state is Frappe's to check.
	"""
	roles, allowed = set(roles), set(allowed)
	stage = status_before or INSPECTION_DRAFT
	found = []
	for field in sorted(set(changed) - allowed - SERVER_SET - {"workflow_state"}):
		if field == "complaint":
			if status_before is not None:
				found.append(Refusal(field, "stage"))
		elif field not in WRITABLE.get(stage, frozenset()):
			found.append(Refusal(field, "stage"))
		elif field in SITE_FIELDS and not roles & SITE_ROLES:
			found.append(Refusal(field, "role"))
		elif field in QA_FIELDS and not roles & QA_ROLES:
			found.append(Refusal(field, "role"))
		elif field in FREIGHT_FIELDS and not roles & (SITE_ROLES | QA_ROLES):
			found.append(Refusal(field, "role"))
	return found


# --- what each step needs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathFacts:
	determination: str | None
	misuse_handling: str | None = None
	arrived: bool = False
	return_qty: float = 0
	has_goods_source: bool = False  # an item (and its delivery, serial or batch) to bring back
	goods_received: bool = False
	qa_determination: str | None = None
	root_cause: str | None = None
	remedy: str | None = None
	remedies: tuple[str, ...] = ()  # what the customer may choose, from the cost decision
	customer_proposal: str | None = None
	corrective_action: str | None = None


@dataclass(frozen=True)
class StepProblem:
	field: str
	reason: str  # "required", "not for this determination", "not allowed", "not received"


def step_problems(target: str, facts: PathFacts) -> list[StepProblem]:
	"""What stops the inspection from moving into status `target`; empty when it may."""
	found: list[StepProblem] = []
	if target == DIRECTOR_REVIEW:
		if facts.determination not in (QUALITY_DEFECT, UNDETERMINED):
			found.append(StepProblem("determination", "not for this determination"))
		if not facts.arrived:
			found.append(StepProblem("arrived_at", "required"))
	elif target == SETTLED_ON_SITE:
		if facts.determination != MISUSE:
			found.append(StepProblem("determination", "not for this determination"))
		if not facts.arrived:
			found.append(StepProblem("arrived_at", "required"))
	elif target == AWAITING_GOODS:
		if not facts.has_goods_source:
			found.append(StepProblem("item", "required"))
		if not facts.return_qty or facts.return_qty <= 0:
			found.append(StepProblem("return_qty", "required"))
	elif target == QA_REVIEW:
		if facts.determination == UNDETERMINED and not facts.goods_received:
			# QA determines only goods that are back (§7.4)
			found.append(StepProblem("goods_received_on", "not received"))
	elif target == PROPOSAL_REVIEW:
		if facts.determination == UNDETERMINED and facts.qa_determination not in (QUALITY_DEFECT, MISUSE):
			found.append(StepProblem("qa_determination", "required"))
		if facts.determination != UNDETERMINED and facts.qa_determination:
			found.append(StepProblem("qa_determination", "not for this determination"))
		if not facts.root_cause:
			found.append(StepProblem("root_cause", "required"))
		if facts.remedies and facts.remedy not in facts.remedies:
			found.append(StepProblem("remedy", "required" if not facts.remedy else "not allowed"))
		if not facts.remedies and facts.remedy:
			found.append(StepProblem("remedy", "not allowed"))
		if not facts.customer_proposal:
			found.append(StepProblem("customer_proposal", "required"))
	elif target == CORRECTIVE_ACTION_REVIEW:
		if not facts.corrective_action:
			found.append(StepProblem("corrective_action", "required"))
	return found


# --- who pays, once the determination is final ---------------------------------------------------------


@dataclass(frozen=True)
class Allocation:
	decision: CostDecision
	payers: Mapping[str, str | None]  # every cost item, None where not incurred (or not yet known)
	freight_payers: Mapping[str, str | None]  # freight leg -> payer
	negligence: tuple[float, float] | None  # the region manager's band of the freight incurred


FREIGHT_LEGS: tuple[str, ...] = (FREIGHT_INBOUND, FREIGHT_OUTBOUND)


def allocate(
	determination: str,
	warranty: Warranty,
	*,
	qa_determination: str | None = None,
	misuse_handling: str | None = None,
	could_have_determined: bool = False,
	freight_legs: Iterable[tuple[str, float]] = (),
	policy: CostPolicy | None = None,
) -> Allocation:
	"""Who pays each cost item and each freight leg (docs/procedure.md §6), and the region manager's band of
	the freight the company paid (`freight_legs`: each recorded leg and its amount).

	Goods returned undetermined and found misused by QA are repaired at the company: the "complex or needs
	parts" row, inbound freight still the company's.
	"""
	handling = misuse_handling
	if determination == UNDETERMINED and qa_determination == MISUSE:
		handling = NEEDS_REPAIR
	decision = decide(
		CostFacts(
			on_site=determination,
			warranty=warranty,
			qa=qa_determination,
			misuse_handling=handling if (qa_determination or determination) == MISUSE else None,
			could_have_determined=could_have_determined and qa_determination is not None,
		),
		policy,
	)
	payers = {item: decision.payers.get(item) for item in COST_ITEMS}
	freight_payers = {leg: payers[leg] for leg in FREIGHT_LEGS}
	negligence = None
	if decision.negligence_share is not None:
		base = negligence_base(freight_legs, freight_payers)
		negligence = negligence_amount_range(base, policy)
	return Allocation(decision, payers, freight_payers, negligence)


def negligence_base(legs: Iterable[tuple[str, float]], freight_payers: Mapping[str, str | None]) -> float:
	"""What the company actually spent on freight (5.5.3 ⑶ "实际发生的运输费用"): the legs recorded whose
	payer is the company; a leg the customer pays is not the company's cost and never part of the base."""
	return round(
		sum(amount for leg, amount in legs if freight_payers.get(leg) == COMPANY and amount and amount > 0), 2
	)


def freight_payer(leg: str, allocation: Allocation | None) -> str:
	"""Who pays a leg of freight: the rules' answer; the company until the rules have one."""
	if allocation is None:
		return COMPANY
	return allocation.freight_payers.get(leg) or COMPANY


# --- freight legs recorded when they happen -------------------------------------------------------------

# From QA's proposal on (and once a misuse case is settled on site) the decision stands: a freight leg that
# happens later is added with the document that carried it, and legs already recorded are kept as they were.
DECIDED: frozenset[str] = frozenset(
	{PROPOSAL_REVIEW, CORRECTIVE_ACTION_REVIEW, GM_REVIEW, INSPECTION_CLOSED, SETTLED_ON_SITE}
)


@dataclass(frozen=True)
class FreightLeg:
	key: str | None  # the stored row's name; None for a row added now
	leg: str
	amount: float = 0
	carrier: str | None = None
	tracking_no: str | None = None
	document_type: str | None = None  # the document that carried the goods (delivery, return, invoice)
	document: str | None = None
	shipped_on: date | None = None

	def recorded(self) -> tuple:
		return (self.leg, self.amount, self.carrier, self.tracking_no, self.document_type, self.document)


@dataclass(frozen=True)
class FreightProblem:
	row: int  # 1-based position in the table as sent
	field: str
	reason: str  # "kept as recorded", "required", "unknown leg"


def freight_problems(
	before: Iterable[FreightLeg], after: Iterable[FreightLeg], *, status_before: str | None
) -> list[FreightProblem]:
	"""What is wrong with the freight legs as sent: an unknown leg or an amount below zero at any step; after
	the decision a recorded leg changed or removed, or a new leg without its document."""
	before, after = list(before), list(after)
	found = []
	for idx, row in enumerate(after, 1):
		if row.leg not in FREIGHT_LEGS:
			found.append(FreightProblem(idx, "leg", "unknown leg"))
		if row.amount is None or row.amount < 0:
			found.append(FreightProblem(idx, "amount", "required"))
	if (status_before or INSPECTION_DRAFT) not in DECIDED:
		return found
	sent = {row.key: (idx, row) for idx, row in enumerate(after, 1) if row.key}
	for old in before:
		idx, new = sent.get(old.key, (0, None))
		if new is None or new.recorded() != old.recorded():
			found.append(FreightProblem(idx, "freight", "kept as recorded"))
	known = {old.key for old in before}
	for idx, row in enumerate(after, 1):
		if row.key in known:
			continue
		if not (row.document_type and row.document):
			found.append(FreightProblem(idx, "document", "required"))
		if not row.amount or row.amount <= 0:
			found.append(FreightProblem(idx, "amount", "required"))
	return found


# --- the warranty on the day of the complaint ------------------------------------------------------------

# Which day is day 1 of the three guarantees and of the warranty (docs/procedure.md §6). The after-sales
# commitment counts the warranty "自验收合格之日起" (from acceptance); where ERPNext records no acceptance
# (Installation Note) the delivery is day 1.
DAY_ONE_ACCEPTANCE = "Acceptance, Else Delivery"
DAY_ONE_DELIVERY = "Delivery"
DAY_ONE_READINGS: tuple[str, ...] = (DAY_ONE_ACCEPTANCE, DAY_ONE_DELIVERY)


@dataclass(frozen=True)
class WarrantyTerms:
	"""Where the warranty comes from, most specific first (ERPNext's own fields, then the settings)."""

	delivered_on: date | None = None
	serial_expiry: date | None = None  # Serial No › Warranty Expiry Date (ERPNext sets it on delivery)
	item_days: int = 0  # Item › Warranty Period (in days)
	default_months: int = 0  # Complaint Settings › Warranty (Months)
	distance: float | None = None
	distance_limit: float = 0  # 0: no distance limit
	accepted_on: date | None = None  # Installation Note › Installation Date (the customer's acceptance)
	day_one: str = DAY_ONE_ACCEPTANCE  # Complaint Settings › Day 1 Is


def first_day(terms: WarrantyTerms, today: date | None = None) -> date | None:
	"""Day 1: the acceptance when the reading counts from it and it was recorded (on or after the delivery and,
	given `today`, not after it — goods not yet accepted when complained about count from their delivery);
	else the delivery."""
	if terms.day_one not in DAY_ONE_READINGS:
		raise ValueError(f"day_one must be one of {DAY_ONE_READINGS}, got {terms.day_one!r}")
	accepted = terms.accepted_on
	if terms.day_one == DAY_ONE_ACCEPTANCE and accepted is not None:
		after_delivery = terms.delivered_on is None or accepted >= terms.delivered_on
		if after_delivery and (today is None or accepted <= today):
			return accepted
	return terms.delivered_on


def warranty_expiry(terms: WarrantyTerms, today: date | None = None) -> date | None:
	"""The last day covered: the serial's expiry, else the item's period, else the default months — each
	counted from day 1 (a serial's expiry, which ERPNext counts from the delivery, moves with the acceptance)."""
	start = first_day(terms, today)
	if terms.serial_expiry is not None:
		if start is not None and terms.delivered_on is not None and start > terms.delivered_on:
			return terms.serial_expiry + (start - terms.delivered_on)
		return terms.serial_expiry
	if start is None:
		return None
	if terms.item_days > 0:
		return start + timedelta(days=terms.item_days)  # ERPNext's own arithmetic
	if terms.default_months > 0:
		return add_months(start, terms.default_months) - timedelta(days=1)
	return None


def warranty_of(today: date, terms: WarrantyTerms) -> tuple[Warranty, date | None]:
	"""The product's warranty on `today` and the last day it covers (None when nothing states one)."""
	expires_on = warranty_expiry(terms, today)
	limit = terms.distance_limit if terms.distance_limit and terms.distance_limit > 0 else None
	distance = terms.distance if limit is not None else None
	if limit is not None and distance is None:
		distance = 0.0  # not recorded: the period alone decides
	start = first_day(terms, today)
	started = start if start and start <= today else None
	warranty = warranty_on(
		today,
		delivered_on=started,
		expires_on=expires_on if expires_on is not None else date.min,
		distance=distance,
		distance_limit=limit,
	)
	return warranty, expires_on


# --- batch failure rate (the procedure's part 3: failure rate at most 1 per mille) ---------------------


@dataclass(frozen=True)
class BatchRate:
	batch: str
	defects: int
	delivered: float
	per_mille: float


def batch_rates(defects: Mapping[str, int], delivered: Mapping[str, float]) -> list[BatchRate]:
	"""Each batch's confirmed quality defects per mille of the quantity delivered, worst first.

	A batch with no delivered quantity on record is not judged (its rate is unknown, not infinite).
	"""
	found = []
	for batch, count in defects.items():
		quantity = delivered.get(batch) or 0
		if count <= 0 or quantity <= 0:
			continue
		found.append(BatchRate(batch, count, quantity, round(1000 * count / quantity, 3)))
	return sorted(found, key=lambda b: (-b.per_mille, b.batch))


def batches_over(
	defects: Mapping[str, int], delivered: Mapping[str, float], promised_per_mille: float
) -> list[BatchRate]:
	"""Batches whose failure rate exceeds the promised rate (per mille), worst first."""
	if promised_per_mille < 0:
		raise ValueError(f"the promised rate must be >= 0, got {promised_per_mille!r}")
	return [rate for rate in batch_rates(defects, delivered) if rate.per_mille > promised_per_mille]
