"""Tier 1: everything the app imports outside frappe/erpnext and the standard library is declared."""

import ast
import re
import sys
from pathlib import Path

from appcheck import APP_DIR, REPO

# Shipped by frappe itself (its own dependencies); the app may import them like frappe does.
FRAPPE_PROVIDED = {"frappe", "erpnext", "pypika", "werkzeug", "jinja2", "markupsafe", "bleach", "rq", "redis"}
# Frappe apps used only where a site has them installed (guarded by frappe.get_installed_apps() / skipIf)
OPTIONAL_APPS = {"hrms"}


def top_level_imports(tree: ast.AST) -> set[str]:
	names = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			names |= {alias.name.split(".")[0] for alias in node.names}
		elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
			names.add(node.module.split(".")[0])
	return names


def third_party_imports(paths) -> dict[str, list[str]]:
	found: dict[str, list[str]] = {}
	for path in paths:
		for name in top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
			if name in sys.stdlib_module_names or name == "complaint_handling":
				continue
			found.setdefault(name, []).append(str(path.relative_to(REPO)))
	return found


def declared(section: str) -> set[str]:
	"""Distribution names listed in a `name = [ ... ]` array of pyproject.toml (no tomllib on 3.10)."""
	text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
	match = re.search(rf"^{section} = \[(.*?)^\]", text, re.S | re.M)
	assert match, f"pyproject.toml has no {section} list"
	return {re.split(r"[<>=~!\[; ]", item)[0].lower() for item in re.findall(r'"([^"]+)"', match.group(1))}


def dev_dependencies() -> set[str]:
	text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
	block = text.split("[tool.bench.dev-dependencies]", 1)[1].split("\n[", 1)[0]
	return {line.split("=")[0].strip().lower() for line in block.splitlines() if "=" in line}


def test_app_imports_are_declared():
	runtime = [p for p in APP_DIR.rglob("*.py") if "tests" not in p.relative_to(APP_DIR).parts]
	missing = {
		name: where
		for name, where in third_party_imports(runtime).items()
		if name not in FRAPPE_PROVIDED and name.lower() not in declared("dependencies")
	}
	assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_tier2_test_imports_are_declared():
	tests = list((APP_DIR / "tests").rglob("*.py"))
	missing = {
		name: where
		for name, where in third_party_imports(tests).items()
		if name not in FRAPPE_PROVIDED | OPTIONAL_APPS
		and name.lower() not in declared("dependencies") | dev_dependencies() | {"requests"}
	}
	assert not missing, f"tier-2 tests import undeclared packages: {missing}"


def test_holidays_is_a_runtime_dependency():
	assert "holidays" in declared("dependencies")


def test_the_check_catches_an_undeclared_import(tmp_path):
	module = tmp_path / "m.py"
	module.write_text("import os\nimport numpy as np\nfrom frappe import _\nfrom .x import y\n")
	found = {
		name
		for name in top_level_imports(ast.parse(module.read_text()))
		if name not in sys.stdlib_module_names
	}
	assert found == {"numpy", "frappe"}
