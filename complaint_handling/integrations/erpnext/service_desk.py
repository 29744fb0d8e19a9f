"""Moved to complaint_handling.service_desk.issue in 0.8.

Kept until 0.9 for the dotted paths Frappe has stored, cached or queued under this name (tests/moved_paths.json);
new code imports from the new place."""

from complaint_handling.service_desk.issue import (
	apply_escalation_rules,
	check_issue_link,
	issue_dashboard,
	keep_complaint_link,
	keep_issue_waiting,
	link_new_mail,
	make_complaint_from_issue,
	on_complaint_update,
)
