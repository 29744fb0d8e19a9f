"""Tier 1: the customer's moves (domain/customer.py) — answering the decision, outside escalation,
photo checks, survey score, the low-score threshold and the strikes clause."""

import pytest

from complaint_handling.domain import customer as side
from complaint_handling.domain.statuses import COMPLAINT_STATUSES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 12
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"


@pytest.mark.parametrize("status", [s.name for s in COMPLAINT_STATUSES])
def test_only_a_replied_complaint_can_be_answered(status):
	expected = None if status == "Replied" else "not_replied"
	assert side.response_problem(status, None, "Accepted", None) == expected


def test_an_answer_is_given_once_and_a_dispute_needs_its_reason():
	assert side.response_problem("Replied", "Accepted", "Disputed", "no") == "answered"
	assert side.response_problem("Replied", None, "Disputed", "  ") == "no_reason"
	assert side.response_problem("Replied", None, "Disputed", None) == "no_reason"
	assert side.response_problem("Replied", None, "Disputed", "Too little") is None
	assert side.response_problem("Replied", None, "Maybe", "x") == "unknown"
	assert side.response_problem("Replied", None, None, "x") == "unknown"


def test_outside_escalation_once_the_company_has_answered():
	allowed = {s.name for s in COMPLAINT_STATUSES if side.may_escalate_outside(s.name)}
	assert allowed == {"Replied", "Disputed", "Closed"}


@pytest.mark.parametrize(
	("filename", "head", "kind"),
	[
		("a.png", PNG, "image/png"),
		("a.JPG", JPEG, "image/jpeg"),
		("a.jpeg", JPEG, "image/jpeg"),
		("a.webp", WEBP, "image/webp"),
		("a.heic", HEIC, "image/heic"),
		("a.gif", b"GIF89a" + b"\x00" * 10, "image/gif"),
	],
)
def test_photos_by_name_and_content(filename, head, kind):
	assert side.photo_type(filename, head) == kind


@pytest.mark.parametrize(
	("filename", "head", "reason"),
	[
		("invoice.pdf", b"%PDF-1.4", "type"),
		("noextension", PNG, "type"),
		("script.svg", b"<svg onload=x>", "type"),
		("renamed.jpg", b"MZ\x90\x00", "content"),
		("renamed.png", JPEG, "content"),  # a JPEG named .png: not what it says
		("", PNG, "type"),
	],
)
def test_anything_else_is_refused(filename, head, reason):
	with pytest.raises(side.PhotoError, match=reason):
		side.photo_type(filename, head)


def test_photo_limits_size_count_and_empty():
	assert side.check_photo("a.png", PNG, max_bytes=16, already=0, max_count=1) == "image/png"
	with pytest.raises(side.PhotoError, match="size"):
		side.check_photo("a.png", PNG + b"x", max_bytes=16, already=0, max_count=1)
	with pytest.raises(side.PhotoError, match="count"):
		side.check_photo("a.png", PNG, max_bytes=16, already=1, max_count=1)
	with pytest.raises(side.PhotoError, match="empty"):
		side.check_photo("a.png", b"", max_bytes=16, already=0, max_count=1)


def test_survey_score_is_the_mean_over_the_best_rating():
	assert side.survey_score([5, 5, 5, 5]) == 100.0
	assert side.survey_score([1, 1]) == 20.0
	assert side.survey_score(["3", 4, None, "x", 9]) == 70.0  # unrated and out-of-scale answers left out
	assert side.survey_score([2, 3], scale=10) == 25.0
	with pytest.raises(side.CustomerResponseError):
		side.survey_score([None, 0, 6])


def test_low_is_strictly_below_the_threshold():
	assert side.is_low(59.9, 60)
	assert not side.is_low(60, 60)


@pytest.mark.parametrize(
	("low", "strikes", "flagged"), [(2, 3, False), (3, 3, True), (4, 3, True), (9, 0, False)]
)
def test_the_strikes_clause(low, strikes, flagged):
	assert side.strikes_reached(low, strikes) is flagged
