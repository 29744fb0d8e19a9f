"""Moved to complaint_handling.customer.surveys in 0.8.

Kept until 0.9 for the dotted paths Frappe has stored, cached or queued under this name (tests/moved_paths.json);
new code imports from the new place."""

from complaint_handling.customer.surveys import send_survey, submit_survey
