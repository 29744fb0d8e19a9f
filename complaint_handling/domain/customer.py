"""The customer's own moves (docs/procedure.md §6, parts 5 and 8): answering the decision, taking it to an
outside authority, sending photos, and rating the handling afterwards. Pure rules; the portal calls them."""

from collections.abc import Iterable

from complaint_handling.domain.statuses import CLOSED, DISPUTED, REPLIED

ACCEPTED = "Accepted"
RESPONSES: tuple[str, ...] = (ACCEPTED, DISPUTED)

# what a photo may be: the formats every phone and browser produce, by extension and content type
PHOTO_TYPES: dict[str, str] = {
	"jpg": "image/jpeg",
	"jpeg": "image/jpeg",
	"png": "image/png",
	"webp": "image/webp",
	"gif": "image/gif",
	"heic": "image/heic",
}
# the first bytes of each format: a renamed document is not a photo
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
	(b"\xff\xd8\xff", "jpg"),
	(b"\x89PNG\r\n\x1a\n", "png"),
	(b"GIF87a", "gif"),
	(b"GIF89a", "gif"),
)


class CustomerResponseError(ValueError):
	"""The customer cannot answer the decision now, or not this way."""


class PhotoError(ValueError):
	"""The file is not a photo the portal accepts (type, size, count)."""


def response_problem(
	status: str | None, answered: str | None, response: str, reason: str | None
) -> str | None:
	"""Why this answer to the decision cannot be taken, as a key the shell translates; None if it can.

	The customer answers once, after the company has replied and before the complaint is closed.
	"""
	if response not in RESPONSES:
		return "unknown"
	if status != REPLIED:
		return "not_replied"
	if answered:
		return "answered"
	if response == DISPUTED and not (reason or "").strip():
		return "no_reason"
	return None


def may_escalate_outside(status: str | None) -> bool:
	"""A customer may go to an outside authority once the company has answered, even after closure."""
	return status in (REPLIED, DISPUTED, CLOSED)


def photo_type(filename: str, head: bytes) -> str:
	"""The photo's format from its name and first bytes; raises PhotoError for anything else."""
	extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
	if extension not in PHOTO_TYPES:
		raise PhotoError("type")
	found = next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)
	if found is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
		found = "webp"
	if found is None and head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1"):
		found = "heic"
	if found is None or PHOTO_TYPES[found] != PHOTO_TYPES[extension]:
		raise PhotoError("content")
	return PHOTO_TYPES[found]


def check_photo(filename: str, content: bytes, *, max_bytes: int, already: int, max_count: int) -> str:
	"""Check one uploaded photo against the portal's limits; returns its content type."""
	if already >= max_count:
		raise PhotoError("count")
	if not content:
		raise PhotoError("empty")
	if len(content) > max_bytes:
		raise PhotoError("size")
	return photo_type(filename, content[:16])


def survey_score(ratings: Iterable[int | str | None], scale: int = 5) -> float:
	"""Satisfaction in percent: the mean rating over the scale's top. Unrated questions are left out."""
	values = []
	for rating in ratings:
		try:
			value = int(rating)
		except (TypeError, ValueError):
			continue
		if 1 <= value <= scale:
			values.append(value)
	if not values:
		raise CustomerResponseError("no ratings")
	return round(100 * sum(values) / (len(values) * scale), 1)


def is_low(score: float, threshold: float) -> bool:
	"""Below the threshold (60 % by default) a score opens a follow-up."""
	return score < threshold


def strikes_reached(low_scores: int, strikes: int) -> bool:
	"""The contract clause: satisfaction under the threshold `strikes` times (3 by default) flags the party.

	Every low score counts; a good score does not wipe out earlier low ones. `strikes` 0 never flags.
	"""
	return strikes > 0 and low_scores >= strikes
