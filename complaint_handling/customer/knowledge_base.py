"""First-line answers from the knowledge base (docs/procedure.md §5): Frappe's own Help Articles, tagged with
a complaint category and an item, offered while a complaint is being told — in the desk as the clerk
registers it, in the portal before a customer submits. Ranking is domain/knowledge_base.py's."""

import frappe
from frappe import _
from frappe.utils import cint

from complaint_handling.domain.knowledge_base import Article, rank, words

CANDIDATES = 200  # the most published articles looked at for one suggestion


@frappe.whitelist(methods=["GET", "POST"])
def suggest_articles(
	category: str | None = None, item: str | None = None, subject: str | None = None, limit: int = 5
) -> list[dict]:
	"""Published help articles that fit the complaint so far, best first (title and route)."""
	for label, value in ((_("Category"), category), (_("Item"), item), (_("Subject"), subject)):
		if value is not None and not isinstance(value, str):
			frappe.throw(_("{0}: enter text.").format(label), frappe.ValidationError)
	if not cint(frappe.db.count("Help Article", {"published": 1})):
		return []
	article = frappe.qb.DocType("Help Article")
	query = (
		frappe.qb.from_(article)
		.select(
			article.name, article.title, article.route, article.complaint_category, article.complaint_item
		)
		.where(article.published == 1)
	)
	fits = []
	if category:
		fits.append(article.complaint_category == category)
	if item:
		fits.append(article.complaint_item == item)
	for word in sorted(words(subject))[:10]:
		fits.append(article.title.like(f"%{word.replace('%', '').replace('_', '')}%"))
	if not fits:
		return []
	condition = fits[0]
	for fit in fits[1:]:
		condition = condition | fit
	rows = query.where(condition).limit(CANDIDATES).run(as_dict=True)
	found = rank(
		(Article(r.name, r.title, r.complaint_category, r.complaint_item) for r in rows),
		category=category,
		item=item,
		subject=subject,
		limit=min(max(cint(limit), 0), 20),
	)
	routes = {r.name: r.route for r in rows}
	return [{"name": a.name, "title": a.title, "route": routes.get(a.name)} for a in found]
