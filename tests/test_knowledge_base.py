"""Tier 1: which help articles fit a complaint (domain/knowledge_base.py)."""

from complaint_handling.domain.knowledge_base import Article, rank, words

ARTICLES = [
	Article("a", "Pump noise after installation", "Product Quality", "PUMP"),
	Article("b", "How to clean the filter cartridge", "Product Quality", "FILTER"),
	Article("c", "Delivery times and tracking", "Policy / Customer Service"),
	Article("d", "Pump does not start", None, "PUMP"),
]


def names(found):
	return [a.name for a in found]


def test_category_and_item_count_most_then_subject_words():
	assert names(rank(ARTICLES, category="Product Quality", item="PUMP", subject="noise")) == ["a", "b", "d"]
	assert names(rank(ARTICLES, subject="the filter cartridge leaks")) == ["b"]
	assert names(rank(ARTICLES, category="Policy / Customer Service")) == ["c"]


def test_nothing_fits_nothing_is_offered():
	assert rank(ARTICLES, subject="xy") == []
	assert rank(ARTICLES) == []
	assert rank([], category="Product Quality") == []


def test_ties_by_title_and_the_limit():
	found = rank(ARTICLES, category="Product Quality", limit=1)
	assert names(found) == ["b"]  # "How to clean..." before "Pump noise..."
	assert rank(ARTICLES, category="Product Quality", limit=0) == []


def test_short_words_and_case_do_not_matter():
	assert words("The PUMP is OFF, 泵 不 转") == {"the", "pump", "off"}
