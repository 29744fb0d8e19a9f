"""Registering a complaint (docs/procedure.md §1–§2): the form's checks, the customer's facts, repeats, read-back, mail in."""

# The previous release queued these jobs as complaint_handling.intake.<name>; until 0.9 they still answer here
# (tests/moved_paths.json). Looked up lazily, so importing a module of this package loads nothing else.
MOVED_TO_REGISTRATION = ("assign_current", "follow_up_registration")


def __getattr__(name: str):
	if name in MOVED_TO_REGISTRATION:
		from complaint_handling.intake import registration  # why: lazy, see above

		return getattr(registration, name)
	raise AttributeError(name)
