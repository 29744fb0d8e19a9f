"""Tier 1: the app's layers. The pure domain imports nothing of the app; each shell package imports only the
domain and packages below it; no module imports another in a cycle; an own-app import inside a function
says why (a comment `# why:` on its line or the line above)."""

import ast
from pathlib import Path

from appcheck import APP_DIR

# Lower rank first. A package may import a package of lower rank, never one of the same or a higher rank.
# DocType controllers, reports, pages, hooks, patches, tests and the forwarding modules of moved paths sit
# above all of them and are not listed.
RANKS = {
	"domain": 0,
	"bulk_insert": 1,
	"integrations": 1,
	"access": 2,
	"handling": 3,
	"intake": 4,
	"service_levels": 5,
	"penalties": 5,
	"quality": 6,
	"customer": 6,
	"records": 6,
	"service_desk": 7,
	"setup": 8,
}


def module_name(path: Path) -> str:
	name = ".".join(path.relative_to(APP_DIR.parent).with_suffix("").parts)
	return name.removesuffix(".__init__")


def area(module: str) -> str | None:
	parts = module.split(".")
	return parts[1] if len(parts) > 1 and parts[1] in RANKS else None


def app_imports(tree: ast.Module, top_level_only: bool) -> list[tuple[int, str]]:
	nodes = tree.body if top_level_only else ast.walk(tree)
	found = []
	for node in nodes:
		if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("complaint_handling."):
			found += [(node.lineno, node.module)]
			found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
		elif isinstance(node, ast.Import):
			found += [(node.lineno, a.name) for a in node.names if a.name.startswith("complaint_handling.")]
	return found


def is_forwarding(tree: ast.Module) -> bool:
	"""A module kept only so that a moved dotted path still answers (its docstring says where it went)."""
	return (ast.get_docstring(tree) or "").startswith("Moved to ")


def layer_breaches(modules: dict[str, ast.Module]) -> list[str]:
	breaches = []
	for name, tree in modules.items():
		own = area(name)
		if own is None or is_forwarding(tree):
			continue
		for line, target in app_imports(tree, top_level_only=False):
			other = area(target)
			if other is None and target.split(".")[1:2] != [] and target in modules:
				breaches.append(f"{name}:{line} imports {target}, which sits above every package")
			elif other not in (None, own) and RANKS[other] >= RANKS[own]:
				breaches.append(f"{name}:{line} ({own}) imports {target} ({other})")
	return breaches


def cycles(modules: dict[str, ast.Module]) -> list[list[str]]:
	"""Strongly connected groups of modules that import each other at import time (a package's module also
	imports its package)."""
	graph: dict[str, set[str]] = {}
	for name, tree in modules.items():
		deps = {t for _, t in app_imports(tree, top_level_only=True) if t in modules and t != name}
		package = name.rsplit(".", 1)[0]
		while package.count(".") >= 1:
			if package in modules and package != name:
				deps.add(package)
			package = package.rsplit(".", 1)[0]
		graph[name] = deps
	index: dict[str, int] = {}
	low: dict[str, int] = {}
	stack: list[str] = []
	found: list[list[str]] = []

	def visit(node: str) -> None:
		index[node] = low[node] = len(index)
		stack.append(node)
		for nxt in graph[node]:
			if nxt not in index:
				visit(nxt)
				low[node] = min(low[node], low[nxt])
			elif nxt in stack:
				low[node] = min(low[node], index[nxt])
		if low[node] == index[node]:
			group = []
			while True:
				member = stack.pop()
				group.append(member)
				if member == node:
					break
			if len(group) > 1:
				found.append(sorted(group))

	for node in graph:
		if node not in index:
			visit(node)
	return found


def unexplained_inner_imports(source: str) -> list[int]:
	lines = source.splitlines()
	found = []
	for fn in ast.walk(ast.parse(source)):
		if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
			continue
		for node in ast.walk(fn):
			if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("complaint_handling"):
				here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
				if "# why:" not in here and not above.strip().startswith("# why:"):
					found.append(node.lineno)
	return found


def app_modules() -> dict[str, ast.Module]:
	return {
		module_name(path): ast.parse(path.read_text(encoding="utf-8"))
		for path in APP_DIR.rglob("*.py")
		if "tests" not in path.relative_to(APP_DIR).parts
	}


def test_every_shell_package_has_a_rank():
	packages = {p.name for p in APP_DIR.iterdir() if (p / "__init__.py").exists()}
	unranked = (
		packages - set(RANKS) - {"complaint_handling", "patches", "tests", "templates", "www", "public"}
	)
	assert not unranked, f"give these packages a rank in RANKS: {sorted(unranked)}"


def test_packages_import_only_lower_layers():
	assert layer_breaches(app_modules()) == []


def test_no_import_cycle():
	assert cycles(app_modules()) == []


def test_own_app_imports_inside_functions_say_why():
	found = {
		str(path.relative_to(APP_DIR)): lines
		for path in APP_DIR.rglob("*.py")
		if not {"tests", "patches"} & set(path.relative_to(APP_DIR).parts)
		and (lines := unexplained_inner_imports(path.read_text(encoding="utf-8")))
	}
	assert not found, found


def test_the_checks_catch_a_breach_a_cycle_and_a_silent_import():
	modules = {
		"complaint_handling.access.fields": ast.parse(
			"from complaint_handling.intake.registration import x\n"
		),
		"complaint_handling.intake.registration": ast.parse(
			"from complaint_handling.access.fields import y\n"
		),
	}
	assert layer_breaches(modules) == [
		"complaint_handling.access.fields:1 (access) imports complaint_handling.intake.registration (intake)",
		"complaint_handling.access.fields:1 (access) imports complaint_handling.intake.registration.x (intake)",
	]
	assert cycles(modules) == [["complaint_handling.access.fields", "complaint_handling.intake.registration"]]
	source = "def f():\n\tfrom complaint_handling.intake import registration\n\n\ndef g():\n\t# why: lazy\n\tfrom complaint_handling.intake import mail\n"
	assert unexplained_inner_imports(source) == [2]
