"""Moved to complaint_handling.access.requests, complaint_handling.customer.confirmation in 0.8.

Kept until 0.9 for the dotted paths Frappe has stored, cached or queued under this name (tests/moved_paths.json);
new code imports from the new place."""

from complaint_handling.access.requests import check_rest_body
from complaint_handling.customer.confirmation import (
	confirm_by_link,
	confirm_complaint,
	send_confirmation_link,
	submit_complaint,
)
