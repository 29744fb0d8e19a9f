"""Moved to complaint_handling.setup.demo in 0.8.

Kept until 0.9 for the command the 0.7 README documents (`bench --site SITE execute complaint_handling.demo.make`;
tests/moved_paths.json); new code imports from the new place."""

from complaint_handling.setup.demo import make
