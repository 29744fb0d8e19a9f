"""The quality path (docs/procedure.md §5–§7): on-site inspection, goods returned, QA, resolutions and who pays, failure rates."""
