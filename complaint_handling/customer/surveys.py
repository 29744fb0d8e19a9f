"""The satisfaction survey after closure (parts 5 and 8 of docs/procedure.md): an e-mailed single-use link
that expires, or the portal; answers stored as ERPNext Quality Feedback linked to the complaint; a low score
opens a follow-up for the handler's superior; low scores counted per department, which is flagged to the
general manager at the settings' number of strikes. The rules are in domain/customer.py."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, getdate, now_datetime, today

from complaint_handling.access import throttle
from complaint_handling.access.permissions import sharing_by_app
from complaint_handling.customer import satisfaction
from complaint_handling.customer.answers import own_complaint
from complaint_handling.customer.signed_links import link_problem, signed_url
from complaint_handling.domain import customer as rules
from complaint_handling.domain.statuses import CLOSED
from complaint_handling.domain.strikes import StrikePolicy, StrikeRuleError, strikes_on, termination_due
from complaint_handling.integrations.erpnext.companies import of_company
from complaint_handling.integrations.erpnext.people import user_of_employee, users_with_role
from complaint_handling.penalties.rules import PENALTY, RULE

COMPLAINT = "Customer Complaint"
MAX_COMMENT = 2000


class SurveyError(frappe.ValidationError):
	"""The survey cannot be taken: not closed, rated already, or the answers are not ratings."""


class SurveyLinkError(frappe.PermissionError):
	"""The survey link is forged or has expired."""


# The link ------------------------------------------------------------------------------------------


def survey_url(complaint: str, days: int) -> str:
	return signed_url("/complaint_survey", complaint, add_days(now_datetime(), days), purpose="survey")


def link_is_valid(complaint, expires, signature) -> bool:
	"""Signed by this site for this complaint's survey, and not expired; raises SurveyLinkError otherwise."""
	problem = link_problem(complaint, expires, signature, purpose="survey")
	if problem == "invalid":
		frappe.throw(_("This survey link is not valid."), SurveyLinkError, title=_("Invalid Link"))
	if problem == "expired":
		frappe.throw(_("This survey link has expired."), SurveyLinkError, title=_("Link Expired"))
	return True


def enqueue_survey(name: str) -> None:
	"""On closure: the survey e-mail goes out after the closing transaction commits."""
	frappe.enqueue(
		"complaint_handling.customer.surveys.send_survey",
		name=name,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def send_survey(name: str) -> None:
	"""E-mail the complainant the survey link (when there is an address and no rating yet)."""
	complaint = frappe.db.get_value(
		COMPLAINT,
		name,
		[
			"name",
			"subject",
			"complainant_email",
			"complainant_name",
			"customer",
			"quality_feedback",
			"status",
		],
		as_dict=True,
	)
	if (
		not complaint
		or complaint.status != CLOSED
		or complaint.quality_feedback
		or not complaint.complainant_email
	):
		return
	days = cint(frappe.db.get_single_value("Complaint Settings", "survey_link_days"))
	frappe.sendmail(
		recipients=[complaint.complainant_email],
		subject=_("How did we handle your complaint {0}?").format(complaint.name),
		template="complaint_survey",
		args={"complaint": complaint, "url": survey_url(complaint.name, days), "days": days},
		reference_doctype=COMPLAINT,
		reference_name=complaint.name,
	)


# Taking the survey ---------------------------------------------------------------------------------


def questions() -> list[str]:
	template = frappe.db.get_single_value("Complaint Settings", "survey_template")
	if not template:
		return []
	return frappe.get_all(
		"Quality Feedback Template Parameter",
		filters={"parent": template, "parenttype": "Quality Feedback Template"},
		pluck="parameter",
		order_by="idx asc",
	)


def survey_complaint(complaint, expires=None, signature=None):
	"""The complaint this visitor may rate: through a valid link, or as the customer's own portal user."""
	if signature or expires:
		link_is_valid(complaint, expires, signature)
		if not frappe.db.exists(COMPLAINT, complaint):
			frappe.throw(_("This survey link is not valid."), SurveyLinkError, title=_("Invalid Link"))
		return frappe.get_doc(COMPLAINT, complaint)
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in, or use the link we e-mailed you."), frappe.PermissionError)

	return own_complaint(complaint, _("rate"))


@frappe.whitelist(allow_guest=True, methods=["POST"])
def submit_survey(
	complaint: str | None = None,
	ratings: str | dict | None = None,
	comment: str | None = None,
	expires: str | None = None,
	signature: str | None = None,
) -> dict:
	"""Record the customer's ratings (1–5 per question) once; a low score starts a follow-up."""
	throttle.check("survey", "link_attempts_per_hour")
	doc = survey_complaint(complaint, expires, signature)
	if doc.status != CLOSED:
		frappe.throw(_("A complaint is rated once it is closed."), SurveyError)
	ratings = parse_ratings(ratings, questions())
	if not isinstance(comment, str | type(None)) or len(comment or "") > MAX_COMMENT:
		frappe.throw(_("{0}: at most {1} characters.").format(_("Comment"), MAX_COMMENT), SurveyError)
	# one survey per complaint, even for two answers sent at the same moment
	frappe.db.sql("select name from `tabCustomer Complaint` where name = %s for update", doc.name)
	if frappe.db.get_value(COMPLAINT, doc.name, "quality_feedback"):
		frappe.throw(_("This complaint has been rated already. Thank you."), SurveyError)
	score = rules.survey_score(ratings.values())
	feedback = frappe.get_doc(
		{
			"doctype": "Quality Feedback",
			"template": frappe.db.get_single_value("Complaint Settings", "survey_template"),
			"document_type": "Customer",
			"document_name": doc.customer,
			"customer_complaint": doc.name,
			"satisfaction_score": score,
			"parameters": [
				{
					"parameter": question,
					"rating": str(rating),
					"feedback": frappe.utils.escape_html(comment or ""),
				}
				if i == len(ratings) - 1
				else {"parameter": question, "rating": str(rating)}
				for i, (question, rating) in enumerate(ratings.items())
			],
		}
	)
	feedback.insert(ignore_permissions=True)  # the link or the portal ownership is the permission
	frappe.db.set_value(COMPLAINT, doc.name, {"quality_feedback": feedback.name, "satisfaction_score": score})
	satisfaction.count_survey(doc.name)
	settings = frappe.get_cached_doc("Complaint Settings")
	low = rules.is_low(score, flt(settings.survey_low_score))
	if low:
		follow_up_low_score(doc, score)
		count_low_score(doc, settings)
	return {"quality_feedback": feedback.name, "satisfaction_score": score, "low": low}


def parse_ratings(ratings, asked: list[str]) -> dict[str, int]:
	"""{question: 1..5} for every question asked; refused naming the question otherwise."""
	if isinstance(ratings, str):
		try:
			ratings = frappe.parse_json(ratings)
		except Exception:
			ratings = None
	if not isinstance(ratings, dict) or not asked:
		frappe.throw(_("{0}: rate each question from 1 to 5.").format(_("Ratings")), SurveyError)
	parsed = {}
	for question in asked:
		value = ratings.get(question)
		if isinstance(value, bool) or str(value).strip() not in {"1", "2", "3", "4", "5"}:
			frappe.throw(_("{0}: rate it from 1 to 5.").format(_(question)), SurveyError)
		parsed[question] = int(str(value).strip())
	return parsed


# After a low score ---------------------------------------------------------------------------------


def superiors_of(doc) -> list[str]:
	"""Who follows up a low score: the handler's superior (Employee.reports_to), else the coordinators."""
	if doc.handler:
		employee = frappe.db.get_value("Employee", {"user_id": doc.handler, "status": "Active"}, "reports_to")
		if superior := user_of_employee(employee):
			return [superior]
	return of_company(users_with_role("Complaint Coordinator"), doc.get("company"))[:10]


def follow_up_low_score(doc, score: float) -> None:
	"""A ToDo on the complaint for each follow-up user (shared with them if they could not see it)."""
	from frappe.desk.form.assign_to import add as add_assignment
	from frappe.share import add_docshare

	users = superiors_of(doc)
	with sharing_by_app():  # the handler's superior, whom the procedure names
		for user in users:
			if not frappe.has_permission(COMPLAINT, "read", doc=doc.name, user=user):
				add_docshare(COMPLAINT, doc.name, user, read=1, flags={"ignore_share_permission": True})
		if users:
			add_assignment(
				{
					"assign_to": users,
					"doctype": COMPLAINT,
					"name": doc.name,
					"description": _("The customer rated the handling {0} %: call them back.").format(score),
					"assigned_by": "Administrator",
				},
				ignore_permissions=True,
			)


def count_low_score(doc, settings) -> None:
	"""A low score counts against the handling department and, when a supplier is contracted to run it, against
	that supplier (part 8: "客户意见调查三次满意度达不到60%"). Within the settings' period (domain/strikes.py), at
	the strikes' number the department is flagged to the general manager and the supplier's termination is
	proposed through the penalty rule that ends cooperation — once per run of strikes."""
	if not doc.handling_department:
		return
	frappe.db.sql(
		"""update `tabDepartment` set complaint_low_satisfaction = ifnull(complaint_low_satisfaction, 0) + 1
		where name = %s""",
		doc.handling_department,
	)
	policy = strike_policy(settings)
	on = getdate(today())
	flagged, contractor = frappe.db.get_value(
		"Department", doc.handling_department, ["complaint_satisfaction_flagged_on", "complaint_contractor"]
	)
	scores = survey_scores([doc.handling_department])
	since = getdate(flagged) if flagged else None
	if termination_due(scores, on, policy, proposed_since=since):
		flag_department(doc.handling_department, strikes_on(scores, on, policy), policy)
	if contractor:
		propose_termination(contractor, doc, settings, policy, on)


def strike_policy(settings) -> StrikePolicy:
	try:
		return StrikePolicy(
			below=flt(settings.survey_low_score),
			strikes=cint(settings.survey_strikes),
			period_days=cint(settings.get("survey_strike_days")),
		)
	except StrikeRuleError:
		return StrikePolicy()


def survey_scores(departments: list[str]) -> list[tuple]:
	"""(day, score) of every survey of a complaint handled by these departments, imported history included."""
	feedback, complaint = frappe.qb.DocType("Quality Feedback"), frappe.qb.DocType(COMPLAINT)
	rows = (
		frappe.qb.from_(feedback)
		.join(complaint)
		.on(complaint.name == feedback.customer_complaint)
		.select(feedback.creation, feedback.satisfaction_score)
		.where(complaint.handling_department.isin(departments))
	).run()
	imported = frappe.get_all(  # the paper history's scores, on the day each complaint closed
		COMPLAINT,
		filters={"historical": 1, "handling_department": ["in", departments], "satisfaction_score": [">", 0]},
		fields=["closed_on", "satisfaction_score"],
		as_list=True,
	)
	return [(getdate(day), flt(score)) for day, score in (*rows, *imported)]


def flag_department(department: str, strikes: int, policy: StrikePolicy) -> None:
	frappe.db.set_value("Department", department, "complaint_satisfaction_flagged_on", today())
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Department",
			"document_name": department,
			"subject": _("{0}: customers rated its complaint handling below {1} % {2} times.").format(
				department, policy.below, strikes
			),
			"from_user": "Administrator",
		},
		users_with_role("General Manager", limit=20),
	)


def propose_termination(supplier: str, doc, settings, policy: StrikePolicy, on) -> str | None:
	"""The contracted supplier's strikes over every department it runs; at their number a Complaint Penalty
	under the rule that ends cooperation is proposed (the approvers decide), once per run of strikes."""

	rule = settings.get("low_satisfaction_rule")
	if not rule or not frappe.db.exists(RULE, rule):
		return None
	last = frappe.get_all(
		PENALTY,
		filters={"rule": rule, "party": supplier, "docstatus": ["<", 2], "status": ["!=", "Cancelled"]},
		fields=["creation"],
		order_by="creation desc",
		limit=1,
	)
	departments = frappe.get_all("Department", filters={"complaint_contractor": supplier}, pluck="name")
	scores = survey_scores(departments)
	since = getdate(last[0].creation) if last else None
	if not termination_due(scores, on, policy, proposed_since=since):
		return None
	penalty = frappe.get_doc(
		{
			"doctype": PENALTY,
			"rule": rule,
			"party": supplier,
			"complaint": doc.name,
			"reason": _("Customers rated {0}'s service below {1} % {2} times within {3} days.").format(
				supplier, policy.below, strikes_on(scores, on, policy), policy.period_days
			),
		}
	)
	penalty.insert(ignore_permissions=True)
	return penalty.name
