"""First-line answers (docs/procedure.md §5): which help articles fit a complaint as it is being told — the
same complaint category and item count most, then words of the subject found in an article's title."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

CATEGORY_WEIGHT = 3
ITEM_WEIGHT = 3
MIN_WORD = 3  # shorter words ("a", "is", "的") say nothing about a fault


@dataclass(frozen=True)
class Article:
	name: str
	title: str
	category: str | None = None  # the complaint category it answers
	item: str | None = None


def words(text: str | None) -> set[str]:
	"""The subject's words worth matching, case-folded."""
	return {w for w in re.findall(r"\w+", (text or "").casefold()) if len(w) >= MIN_WORD}


def score(article: Article, category: str | None, item: str | None, subject_words: set[str]) -> int:
	found = 0
	if category and article.category == category:
		found += CATEGORY_WEIGHT
	if item and article.item == item:
		found += ITEM_WEIGHT
	return found + len(subject_words & words(article.title))


def rank(
	articles: Iterable[Article],
	*,
	category: str | None = None,
	item: str | None = None,
	subject: str | None = None,
	limit: int = 5,
) -> list[Article]:
	"""The best-fitting articles first (ties by title); those that fit in nothing are left out."""
	subject_words = words(subject)
	scored = [(score(a, category, item, subject_words), a) for a in articles]
	kept = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: (-pair[0], pair[1].title))
	return [article for _, article in kept[: max(limit, 0)]]
