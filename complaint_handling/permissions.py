"""Moved to complaint_handling.access.permissions in 0.8.

Kept until 0.9 for the dotted paths Frappe has stored, cached or queued under this name (tests/moved_paths.json);
new code imports from the new place."""

from complaint_handling.access.permissions import (
	breach_conditions,
	can_see_breach,
	check_share,
	child_row_conditions,
	pointer_conditions,
	pointer_permission,
)
