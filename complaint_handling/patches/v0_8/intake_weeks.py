"""Issue 25 on existing sites: the weekly chart reads the weekly intake summary, counted once from the
complaints already registered."""

from complaint_handling.intake.received_weeks import rebuild


def execute() -> None:
	rebuild()
