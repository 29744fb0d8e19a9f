"""Tier 1: code points to docs/procedure.md, never to documents outside the repository."""

import re

from appcheck import APP_DIR, REPO

PROCEDURE = REPO / "docs" / "procedure.md"
SOURCES = ("*.py", "*.js", "*.json", "*.html")
OUTSIDE = re.compile(r"PROCESS\.md|PROCESS §|\bseed \d\.\d|\bseeds?/")
CITED = re.compile(r"docs/procedure\.md((?:,? ?§\d+)+)")


def source_files():
	for root in (APP_DIR, REPO / "tests", REPO / "benchmarks"):
		for pattern in SOURCES:
			yield from (
				p for p in root.rglob(pattern) if "__pycache__" not in p.parts and p.name != "test_docs.py"
			)


def sections() -> set[str]:
	return set(re.findall(r"^## (\d+)\. ", PROCEDURE.read_text(encoding="utf-8"), re.M))


def test_procedure_has_its_sections():
	assert sections() >= {str(n) for n in range(1, 13)}


def test_no_reference_to_documents_outside_the_repository():
	offenders = [
		f"{path.relative_to(REPO)}:{n}"
		for path in source_files()
		for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
		if OUTSIDE.search(line)
	]
	assert not offenders, offenders


def test_every_cited_section_exists():
	known = sections()
	cited = {
		(str(path.relative_to(REPO)), number)
		for path in source_files()
		for match in CITED.finditer(path.read_text(encoding="utf-8"))
		for number in re.findall(r"§(\d+)", match.group(1))
	}
	assert cited, "the code cites docs/procedure.md somewhere"
	assert not {c for c in cited if c[1] not in known}


def test_the_check_catches_an_outside_reference():
	assert OUTSIDE.search("# the clerk reads back (seed 5.2.3)")
	assert OUTSIDE.search("see PROCESS.md §3")
	assert not OUTSIDE.search("see docs/procedure.md §2")
