"""Who pays for a product-quality complaint (docs/procedure.md §5, §6): replacement, freight each way, labour
and parts, the remedies the customer may choose, and whether the region manager's negligence is to be
penalised.

Inputs are the on-site determination, QA's determination of returned goods, how a misuse case is handled,
and the product's warranty state; the windows and rates are policy (settings) passed in by the caller,
with the procedure's figures as defaults. Nothing here reads a clock or the database.
"""

import calendar as _months
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

# --- determinations and handlings (docs/procedure.md §5) -------------------------------------------

QUALITY_DEFECT = "Obvious Quality Defect"
MISUSE = "Obvious Misuse"
UNDETERMINED = "Cannot Be Determined"
DETERMINATIONS: tuple[str, ...] = (QUALITY_DEFECT, MISUSE, UNDETERMINED)

FIXED_ON_SITE = "Fixed on Site"  # staff fix it there; result and the customer's opinion reported in writing
PART_SWAP = "Simple Part Swap"  # the customer pays the part, staff swap it on site
NEEDS_REPAIR = "Complex or Needs Parts"  # returned for repair: free labour, customer pays parts and freight
MISUSE_HANDLINGS: tuple[str, ...] = (FIXED_ON_SITE, PART_SWAP, NEEDS_REPAIR)

# --- what is paid, by whom ---------------------------------------------------------------------------

REPLACEMENT = "Replacement"
FREIGHT_INBOUND = "Freight to the Company"  # the customer ships the goods back
FREIGHT_OUTBOUND = "Freight to the Customer"  # the replacement or repaired goods go back
LABOUR = "Labour"
PARTS = "Parts"
COST_ITEMS: tuple[str, ...] = (REPLACEMENT, FREIGHT_INBOUND, FREIGHT_OUTBOUND, LABOUR, PARTS)

COMPANY, CUSTOMER = "Company", "Customer"

RETURN, EXCHANGE, REPAIR = "Return", "Exchange", "Repair"

AT_COST, CONTRACT_PRICE = "At Cost", "Contract Price"  # how parts are charged in / after warranty

# Two readings of the company's documents for an obvious quality defect outside the three guarantees
# (docs/procedure.md §6): the service commitments (parts 3 and 4: return days 1-7, exchange days 8-15, then
# repair under warranty, after it paid service) or the procedure's unconditional free replacement (5.4.4,
# 5.5.1) on any day, in or out of warranty.
SERVICE_COMMITMENTS = "Service Commitments"
FREE_REPLACEMENT_ALWAYS = "Free Replacement Always"
QUALITY_DEFECT_READINGS: tuple[str, ...] = (SERVICE_COMMITMENTS, FREE_REPLACEMENT_ALWAYS)


class CostRuleError(ValueError):
	"""The facts do not allow a decision (an unknown determination, a misuse case without its handling)."""


# --- policy and warranty -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CostPolicy:
	"""The procedure's commitments as settings (docs/procedure.md §6); defaults are its figures."""

	return_days: int = 7  # three guarantees: days 1-7 free return, exchange or repair
	exchange_days: int = 15  # days 8-15 free exchange or repair
	engineer_day_rate: float = 500.0  # post-warranty paid service, per person-day
	negligence_share: tuple[float, float] = (0.30, 0.60)  # of the freight the company actually paid
	quality_defect_reading: str = SERVICE_COMMITMENTS  # see QUALITY_DEFECT_READINGS

	def __post_init__(self) -> None:
		for name in ("return_days", "exchange_days"):
			value = getattr(self, name)
			if isinstance(value, bool) or not isinstance(value, int) or value < 0:
				raise CostRuleError(f"{name} must be an int >= 0, got {value!r}")
		if self.exchange_days < self.return_days:
			raise CostRuleError("exchange_days must not be shorter than return_days")
		if self.quality_defect_reading not in QUALITY_DEFECT_READINGS:
			raise CostRuleError(
				f"quality_defect_reading must be one of {QUALITY_DEFECT_READINGS}, "
				f"got {self.quality_defect_reading!r}"
			)
		if not _finite(self.engineer_day_rate) or self.engineer_day_rate < 0:
			raise CostRuleError(f"engineer_day_rate must be a number >= 0, got {self.engineer_day_rate!r}")
		low, high = self.negligence_share
		if not (_finite(low) and _finite(high) and 0 <= low <= high <= 1):
			raise CostRuleError(
				f"negligence_share must be 0 <= low <= high <= 1, got {self.negligence_share!r}"
			)


@dataclass(frozen=True)
class Warranty:
	"""The product's warranty on the day of the complaint."""

	in_warranty: bool
	day: int | None = None  # day of ownership, 1 = the first day (delivery or acceptance); None when unknown


def add_months(start: date, months: int) -> date:
	"""The same day `months` later, clipped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
	index = start.month - 1 + months
	year, month = start.year + index // 12, index % 12 + 1
	return date(year, month, min(start.day, _months.monthrange(year, month)[1]))


def warranty_on(
	today: date,
	delivered_on: date | None = None,
	months: int | None = None,
	expires_on: date | None = None,
	distance: float | None = None,
	distance_limit: float | None = None,
) -> Warranty:
	"""Whether the product is in warranty on `today`.

	An explicit expiry (ERPNext's Serial No › Warranty Expiry Date) wins over a period counted from the
	delivery; with a distance limit (e.g. 24 months or 50,000 km, whichever first) reaching the limit ends
	it too. The last day of a period is still covered. Without an expiry or a delivery and period, the
	product counts as out of warranty (the customer must show otherwise).
	"""
	if delivered_on is not None and today < delivered_on:
		raise CostRuleError(f"the complaint ({today}) cannot be before the delivery ({delivered_on})")
	if expires_on is not None:
		covered = today <= expires_on
	elif delivered_on is not None and months is not None:
		if isinstance(months, bool) or not isinstance(months, int) or months < 0:
			raise CostRuleError(f"warranty months must be an int >= 0, got {months!r}")
		covered = today < add_months(delivered_on, months)
	else:
		covered = False
	if distance_limit is not None:
		if distance is None:
			raise CostRuleError("a warranty with a distance limit needs the distance travelled")
		if not (_finite(distance) and distance >= 0):
			raise CostRuleError(f"distance must be a number >= 0, got {distance!r}")
		covered = covered and distance < distance_limit
	day = (today - delivered_on).days + 1 if delivered_on is not None else None
	return Warranty(covered, day)


# --- the decision -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostFacts:
	on_site: str  # the region manager's determination on site
	warranty: Warranty
	qa: str | None = None  # QA's determination of returned goods (quality defect or misuse)
	misuse_handling: str | None = None  # for misuse: how it is (to be) put right
	could_have_determined: bool = False  # QA: the region manager could have determined it on site


@dataclass(frozen=True)
class CostDecision:
	determination: str | None  # the final one; None while QA has not determined a returned case
	payers: Mapping[str, str | None]  # cost item -> COMPANY / CUSTOMER; None: not incurred (or not yet known)
	remedies: tuple[str, ...]  # what the customer may choose, in order of preference
	labour_rate: float | None = None  # charged per person-day when the customer pays labour
	parts_basis: str | None = None  # how parts the customer pays are priced
	negligence_share: tuple[float, float] | None = None  # the region manager's share of the freight
	awaiting_qa: bool = False
	notes: tuple[str, ...] = field(default=())


def decide(facts: CostFacts, policy: CostPolicy | None = None) -> CostDecision:
	"""Who pays what (docs/procedure.md §6), from the determination, the handling and the warranty."""
	policy = policy or CostPolicy()
	_check(facts)
	returned = facts.on_site == UNDETERMINED
	if returned and facts.qa is None:
		# goods come back for QA: the inbound freight is the company's whatever QA finds
		payers = _payers(**{FREIGHT_INBOUND: COMPANY})
		return CostDecision(None, payers, (), awaiting_qa=True)
	final = facts.qa if returned else facts.on_site
	if final == QUALITY_DEFECT:
		decision = _quality_defect(facts, policy)
		if returned:  # sent back undetermined: inbound freight is the company's whatever follows (5.5.3 ⑵)
			decision = replace(decision, payers=_payers(**{**decision.payers, FREIGHT_INBOUND: COMPANY}))
	else:
		decision = _misuse(facts, policy, returned)
	negligence = policy.negligence_share if returned and facts.could_have_determined else None
	return CostDecision(
		final,
		decision.payers,
		decision.remedies,
		decision.labour_rate,
		decision.parts_basis,
		negligence,
		notes=decision.notes,
	)


def quality_defect_remedies(warranty: Warranty, policy: CostPolicy) -> tuple[str, ...]:
	"""What the customer may choose for an obvious quality defect on its day of ownership.

	Three guarantees (part 3): days 1..return_days return, exchange or repair; up to exchange_days exchange
	or repair; after that repair (free under warranty, paid service after it). Under the procedure's reading
	(FREE_REPLACEMENT_ALWAYS) the free replacement stays on offer on any day; the return window holds in both.
	"""
	day = warranty.day
	if day is not None and day <= policy.return_days:
		return (RETURN, EXCHANGE, REPAIR)
	if policy.quality_defect_reading == FREE_REPLACEMENT_ALWAYS:
		return (EXCHANGE, REPAIR)
	if day is not None and day <= policy.exchange_days:
		return (EXCHANGE, REPAIR)
	return (REPAIR,)


def quality_defect_is_paid_service(warranty: Warranty, policy: CostPolicy) -> bool:
	"""After the warranty and outside the three guarantees, the service commitments (part 4) make the repair a
	paid service: engineer person-days at the day rate, parts at no more than the contract price."""
	if policy.quality_defect_reading == FREE_REPLACEMENT_ALWAYS or warranty.in_warranty:
		return False
	return warranty.day is None or warranty.day > policy.exchange_days


def _quality_defect(facts: CostFacts, policy: CostPolicy) -> CostDecision:
	"""The company's in every respect — replacement (while one is on offer), freight both ways, labour and
	parts — unless the service commitments make it a paid service after the warranty."""
	remedies = quality_defect_remedies(facts.warranty, policy)
	replacement = COMPANY if EXCHANGE in remedies else None
	if not quality_defect_is_paid_service(facts.warranty, policy):
		payers = _payers(**{**dict.fromkeys(COST_ITEMS, COMPANY), REPLACEMENT: replacement})
		return CostDecision(QUALITY_DEFECT, payers, remedies)
	payers = _payers(
		**{LABOUR: CUSTOMER, PARTS: CUSTOMER, FREIGHT_INBOUND: CUSTOMER, FREIGHT_OUTBOUND: CUSTOMER}
	)
	notes = ("After the warranty: paid service (engineer person-days, parts at most the contract price).",)
	return CostDecision(
		QUALITY_DEFECT, payers, remedies, policy.engineer_day_rate, CONTRACT_PRICE, notes=notes
	)


def _misuse(facts: CostFacts, policy: CostPolicy, returned: bool) -> CostDecision:
	"""The customer bears what misuse costs; in warranty labour is free and parts are charged at cost,
	after it labour is paid service at the engineer rate and parts at no more than the contract price."""
	handling = facts.misuse_handling
	covered = facts.warranty.in_warranty
	labour = COMPANY if covered else CUSTOMER
	basis = AT_COST if covered else CONTRACT_PRICE
	rate = None if covered else policy.engineer_day_rate
	if handling == FIXED_ON_SITE:
		payers = _payers(**{LABOUR: labour})
		remedies: tuple[str, ...] = ()
		notes = ("Report the result and the customer's opinion in writing.",)
		basis = None
	elif handling == PART_SWAP:
		payers = _payers(**{LABOUR: labour, PARTS: CUSTOMER})
		remedies, notes = (), ()
	else:  # NEEDS_REPAIR
		payers = _payers(
			**{LABOUR: labour, PARTS: CUSTOMER, FREIGHT_INBOUND: CUSTOMER, FREIGHT_OUTBOUND: CUSTOMER}
		)
		remedies, notes = (REPAIR,), ()
	if returned:  # sent back undetermined: inbound freight stays the company's whatever QA found
		payers = _payers(**{**payers, FREIGHT_INBOUND: COMPANY})
	return CostDecision(MISUSE, payers, remedies, rate if labour == CUSTOMER else None, basis, notes=notes)


def negligence_amount_range(freight_incurred: float, policy: CostPolicy | None = None) -> tuple[float, float]:
	"""The band (e.g. 30-60 %) of the freight the company actually paid that the region manager may be
	charged (the base: domain/quality_path.py negligence_base)."""
	if not _finite(freight_incurred) or freight_incurred < 0:
		raise CostRuleError(f"freight incurred must be a number >= 0, got {freight_incurred!r}")
	low, high = (policy or CostPolicy()).negligence_share
	return round(freight_incurred * low, 2), round(freight_incurred * high, 2)


# --- helpers ------------------------------------------------------------------------------------------


def _check(facts: CostFacts) -> None:
	if facts.on_site not in DETERMINATIONS:
		raise CostRuleError(
			f"unknown on-site determination {facts.on_site!r}; expected one of {DETERMINATIONS}"
		)
	if facts.qa is not None and facts.qa not in (QUALITY_DEFECT, MISUSE):
		raise CostRuleError(f"QA determines {QUALITY_DEFECT!r} or {MISUSE!r}, got {facts.qa!r}")
	if facts.qa is not None and facts.on_site != UNDETERMINED:
		raise CostRuleError("QA determines only goods returned as 'cannot be determined'")
	final = facts.qa if facts.on_site == UNDETERMINED else facts.on_site
	if final == MISUSE and facts.misuse_handling not in MISUSE_HANDLINGS:
		raise CostRuleError(f"a misuse case needs its handling, one of {MISUSE_HANDLINGS}")
	if facts.could_have_determined and facts.on_site != UNDETERMINED:
		raise CostRuleError("only a case returned undetermined can have been determinable on site")


def _payers(**given: str | None) -> Mapping[str, str | None]:
	"""Every cost item, None where not incurred."""
	unknown = set(given) - set(COST_ITEMS)
	if unknown:
		raise CostRuleError(f"unknown cost items {sorted(unknown)}")
	return MappingProxyType({item: given.get(item) for item in COST_ITEMS})


def _finite(value: object) -> bool:
	return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- parts priced (part 4: after the warranty "不高于本次合同的价格", at no more than the contract price) ---------


@dataclass(frozen=True)
class PartPrice:
	rate: float | None  # charged per unit; None when nothing prices the part
	contract_price: float | None  # the customer's agreement (Sales Order, price list, pricing rule)
	capped: bool = False  # the asked price was above the contract price: charged at the contract price


def part_price(
	basis: str | None,
	*,
	cost: float | None = None,
	asked: float | None = None,
	contract_price: float | None = None,
) -> PartPrice:
	"""What the customer is charged per unit for a part: its cost in warranty (AT_COST); after it
	(CONTRACT_PRICE) the price asked today, never above the contract price (the contract price itself when
	nothing else is asked)."""
	for name, value in (("cost", cost), ("asked", asked), ("contract_price", contract_price)):
		if value is not None and not (_finite(value) and value >= 0):
			raise CostRuleError(f"{name} must be a number >= 0, got {value!r}")
	contract = contract_price if contract_price else None
	if basis == AT_COST:
		return PartPrice(cost if cost else None, contract)
	if basis != CONTRACT_PRICE:
		raise CostRuleError(f"parts are charged {AT_COST!r} or {CONTRACT_PRICE!r}, got {basis!r}")
	price = asked if asked else contract
	if contract is not None and price is not None and price > contract:
		return PartPrice(round(contract, 2), contract, capped=True)
	return PartPrice(round(price, 2) if price is not None else None, contract)


def above_contract(rate: float, contract_price: float | None) -> bool:
	"""A charge above the contract price (to the cent) breaks the commitment; no contract price, no limit."""
	return bool(contract_price) and round(rate, 2) > round(contract_price, 2)
