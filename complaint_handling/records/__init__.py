"""Records (docs/procedure.md §8, §10): the archive and the management reports."""
