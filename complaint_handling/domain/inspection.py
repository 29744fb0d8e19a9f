"""The region manager's on-site inspection of a product-quality complaint (docs/procedure.md §5): what
must be true before a determination stands, and when the on-site clock stops.

Photos are mandatory for every quality case whoever is responsible, so no determination without at least
one photo; a misuse case says how it is put right, and "fixed on site" agrees with that handling. The
visit stops the on-site timer when the inspector arrives; a time agreed with the customer (when the
default 2-3 working hours are impossible) replaces the default deadline.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from complaint_handling.domain.costs import (
	DETERMINATIONS,
	FIXED_ON_SITE,
	MISUSE,
	MISUSE_HANDLINGS,
)

# Field names of the Defect Inspection form, so a refusal names what to fix.
PHOTOS, DETERMINATION, MISUSE_HANDLING, FIXED, ARRIVED, AGREED, SIGNATURE = (
	"photos",
	"determination",
	"misuse_handling",
	"fixed_on_site",
	"arrived_at",
	"visit_scheduled_at",
	"customer_signature",
)
# the customer's signature as drawn in the desk's signature field or on the field page: a PNG data URL
SIGNATURE_PATTERN = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+={0,2}")


def is_signature(value: str) -> bool:
	return bool(SIGNATURE_PATTERN.fullmatch(value))


# the inspection's field page, a phone-first page that works offline (quality/field_page.py)
FIELD_PAGE = "/inspection-field/app"


def field_page_url(inspection: str) -> str:
	return f"{FIELD_PAGE}#{quote(inspection, safe='')}"


@dataclass(frozen=True)
class InspectionFacts:
	determination: str | None
	photos: int
	misuse_handling: str | None = None
	fixed_on_site: bool = False
	arrived_at: datetime | None = None
	agreed_with_customer: bool = False
	visit_scheduled_at: datetime | None = None
	signature: str | None = None


@dataclass(frozen=True)
class Problem:
	"""A reason the inspection cannot be saved as it is: the field and what is wrong with it."""

	field: str
	reason: str  # "photo required", "unknown", "handling required", "not a misuse case", "disagrees",
	# "in the future", "time required", "not a signature"


def problems(facts: InspectionFacts, now: datetime) -> list[Problem]:
	"""Everything that stops this inspection from standing as entered, in form order; empty when it may."""
	found: list[Problem] = []
	if facts.arrived_at is not None and facts.arrived_at > now:
		found.append(Problem(ARRIVED, "in the future"))
	if facts.agreed_with_customer and facts.visit_scheduled_at is None:
		found.append(Problem(AGREED, "time required"))
	if facts.signature and not is_signature(facts.signature):
		found.append(Problem(SIGNATURE, "not a signature"))
	determination = facts.determination or None
	if determination is None:
		if facts.misuse_handling:
			found.append(Problem(MISUSE_HANDLING, "not a misuse case"))
		return found
	if determination not in DETERMINATIONS:
		found.append(Problem(DETERMINATION, "unknown"))
		return found
	if facts.photos < 1:
		found.append(Problem(PHOTOS, "photo required"))
	if determination == MISUSE:
		if facts.misuse_handling not in MISUSE_HANDLINGS:
			found.append(Problem(MISUSE_HANDLING, "handling required"))
		elif facts.fixed_on_site != (facts.misuse_handling == FIXED_ON_SITE):
			found.append(Problem(FIXED, "disagrees"))
	else:
		if facts.misuse_handling:
			found.append(Problem(MISUSE_HANDLING, "not a misuse case"))
		if facts.fixed_on_site and determination != MISUSE:
			# a quality defect is repaired or replaced by the company; "fixed on site" is a misuse outcome
			found.append(Problem(FIXED, "disagrees"))
	return found


def on_site_due(default_due: datetime, agreed_at: datetime | None) -> tuple[datetime, bool]:
	"""The on-site deadline: the time agreed with the customer when there is one (recorded as such), else
	the policy's default (2-3 working hours from dispatch). Returns (due, agreed)."""
	if agreed_at is not None:
		return agreed_at, True
	return default_due, False
