"""Moved to complaint_handling.service_levels.replies, complaint_handling.service_levels.retiming, complaint_handling.service_levels.sweep in 0.8.

Kept until 0.9 for the dotted paths Frappe has stored, cached or queued under this name (tests/moved_paths.json);
new code imports from the new place."""

from complaint_handling.service_levels.replies import on_communication
from complaint_handling.service_levels.retiming import retime_open_documents
from complaint_handling.service_levels.sweep import send_notices, sweep
