"""Issue 25 on existing sites: the satisfaction card reads the monthly summary, counted once from the
complaints already surveyed."""

from complaint_handling.records.satisfaction import rebuild


def execute() -> None:
	rebuild()
