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

WRITABLE: Mapping[str, frozenset[str]] = {
	INSPECTION_DRAFT: SITE_FIELDS | FREIGHT_FIELDS,
	DIRECTOR_REVIEW: frozenset(),
	RETURN_DECISION: FREIGHT_FIELDS,
	AWAITING_GOODS: FREIGHT_FIELDS,
	QA_REVIEW: QA_FIELDS | FREIGHT_FIELDS,
	PROPOSAL_REVIEW: frozenset(),
	CORRECTIVE_ACTION_REVIEW: frozenset(),
	GM_REVIEW: frozenset(),
	INSPECTION_CLOSED: frozenset(),
	SETTLED_ON_SITE: frozenset(),
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
	freight_incurred: float = 0,
	policy: CostPolicy | None = None,
) -> Allocation:
	"""Who pays each cost item and each freight leg (docs/procedure.md §6).

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
	negligence = None
	if decision.negligence_share is not None:
		negligence = negligence_amount_range(freight_incurred, policy)
	payers = {item: decision.payers.get(item) for item in COST_ITEMS}
	return Allocation(decision, payers, {leg: payers[leg] for leg in FREIGHT_LEGS}, negligence)


def freight_payer(leg: str, allocation: Allocation | None) -> str:
	"""Who pays a leg of freight: the rules' answer; the company until the rules have one."""
	if allocation is None:
		return COMPANY
	return allocation.freight_payers.get(leg) or COMPANY


# --- the warranty on the day of the complaint ------------------------------------------------------------


@dataclass(frozen=True)
class WarrantyTerms:
	"""Where the warranty comes from, most specific first (ERPNext's own fields, then the settings)."""

	delivered_on: date | None = None
	serial_expiry: date | None = None  # Serial No › Warranty Expiry Date (ERPNext sets it on delivery)
	item_days: int = 0  # Item › Warranty Period (in days)
	default_months: int = 0  # Complaint Settings › Warranty (Months)
	distance: float | None = None
	distance_limit: float = 0  # 0: no distance limit


def warranty_expiry(terms: WarrantyTerms) -> date | None:
	"""The last day covered: the serial's expiry, else the item's period, else the default months."""
	if terms.serial_expiry is not None:
		return terms.serial_expiry
	if terms.delivered_on is None:
		return None
	if terms.item_days > 0:
		return terms.delivered_on + timedelta(days=terms.item_days)  # ERPNext's own arithmetic
	if terms.default_months > 0:
		return add_months(terms.delivered_on, terms.default_months) - timedelta(days=1)
	return None


def warranty_of(today: date, terms: WarrantyTerms) -> tuple[Warranty, date | None]:
	"""The product's warranty on `today` and the last day it covers (None when nothing states one)."""
	expires_on = warranty_expiry(terms)
	limit = terms.distance_limit if terms.distance_limit and terms.distance_limit > 0 else None
	distance = terms.distance if limit is not None else None
	if limit is not None and distance is None:
		distance = 0.0  # not recorded: the period alone decides
	delivered = terms.delivered_on if terms.delivered_on and terms.delivered_on <= today else None
	warranty = warranty_on(
		today,
		delivered_on=delivered,
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
