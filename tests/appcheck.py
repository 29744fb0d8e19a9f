"""Static checks of the app's files, without Frappe installed.

Each `check_*` function returns a list of problems (empty when all is well), so the tests can run it
on the real app and on deliberately broken examples.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = "complaint_handling"
APP_DIR = REPO / APP
DATA = Path(__file__).resolve().parent / "data"

# frappe/core/doctype/docfield/docfield.json, "fieldtype" options (version-15)
FIELDTYPES = frozenset(
	[
		"Autocomplete",
		"Attach",
		"Attach Image",
		"Barcode",
		"Button",
		"Check",
		"Code",
		"Color",
		"Column Break",
		"Currency",
		"Data",
		"Date",
		"Datetime",
		"Duration",
		"Dynamic Link",
		"Float",
		"Fold",
		"Geolocation",
		"Heading",
		"HTML",
		"HTML Editor",
		"Icon",
		"Image",
		"Int",
		"JSON",
		"Link",
		"Long Text",
		"Markdown Editor",
		"Password",
		"Percent",
		"Phone",
		"Read Only",
		"Rating",
		"Section Break",
		"Select",
		"Signature",
		"Small Text",
		"Tab Break",
		"Table",
		"Table MultiSelect",
		"Text",
		"Text Editor",
		"Time",
	]
)
TABLE_FIELDTYPES = frozenset(["Table", "Table MultiSelect"])
FORBIDDEN_IN_DOMAIN = frozenset(["frappe", "erpnext", "hrms", "pymysql", "requests", "redis"])
CLOCK_CALLS = frozenset(["now", "utcnow", "today", "time", "monotonic", "perf_counter"])


@dataclass(frozen=True)
class DocTypeInfo:
	name: str
	istable: bool = False
	issingle: bool = False


@dataclass
class Registry:
	"""DocTypes and roles a DocType of this app may refer to."""

	doctypes: dict[str, DocTypeInfo] = field(default_factory=dict)
	roles: set[str] = field(default_factory=set)

	def add_doctype(self, info: DocTypeInfo) -> None:
		self.doctypes[info.name] = info


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()


def load_platform() -> Registry:
	"""Frappe/ERPNext DocTypes and roles, from the lists kept in tests/data."""
	registry = Registry()
	for line in (DATA / "platform_doctypes.tsv").read_text(encoding="utf-8").splitlines():
		if line and not line.startswith("#"):
			name, _app, istable, issingle = line.split("\t")
			registry.add_doctype(DocTypeInfo(name, istable == "1", issingle == "1"))
	for line in (DATA / "platform_roles.txt").read_text(encoding="utf-8").splitlines():
		if line and not line.startswith("#"):
			registry.roles.add(line)
	return registry


def app_doctype_files(app_dir: Path = APP_DIR) -> list[Path]:
	"""Every `<module>/doctype/<folder>/<folder>.json` of the app."""
	return sorted(
		path
		for path in app_dir.glob("*/doctype/*/*.json")
		if path.stem == path.parent.name
		and json.loads(path.read_text(encoding="utf-8")).get("doctype") == "DocType"
	)


def fixture_roles(app_dir: Path = APP_DIR) -> set[str]:
	path = app_dir / "fixtures" / "role.json"
	if not path.exists():
		return set()
	return {record["name"] for record in json.loads(path.read_text(encoding="utf-8"))}


def load_app_registry(app_dir: Path = APP_DIR) -> Registry:
	"""Platform DocTypes and roles plus the app's own DocTypes and fixture roles."""
	registry = load_platform()
	for path in app_doctype_files(app_dir):
		doc = json.loads(path.read_text(encoding="utf-8"))
		registry.add_doctype(DocTypeInfo(doc["name"], bool(doc.get("istable")), bool(doc.get("issingle"))))
	registry.roles |= fixture_roles(app_dir)
	return registry


def modules_of(app_dir: Path = APP_DIR) -> set[str]:
	return {
		line.strip()
		for line in (app_dir / "modules.txt").read_text(encoding="utf-8").splitlines()
		if line.strip()
	}


# DocType JSON -------------------------------------------------------------------------------------


def check_doctype(doc: dict, registry: Registry, modules: set[str], where: str = "") -> list[str]:
	"""Problems in one DocType definition."""
	where = where or doc.get("name", "?")
	problems: list[str] = []
	if doc.get("doctype") != "DocType":
		problems.append(f"{where}: 'doctype' must be 'DocType'")
	if not doc.get("name"):
		problems.append(f"{where}: no name")
	if doc.get("module") not in modules:
		problems.append(f"{where}: module {doc.get('module')!r} is not in modules.txt")
	problems += check_fields(doc, registry, where)
	problems += check_permissions(doc, registry, where)
	return problems


def check_fields(doc: dict, registry: Registry, where: str) -> list[str]:
	problems: list[str] = []
	fields = doc.get("fields") or []
	names = [f.get("fieldname") for f in fields]
	seen: set[str] = set()
	for f in fields:
		fieldname, fieldtype, options = f.get("fieldname"), f.get("fieldtype"), f.get("options")
		label = f"{where}.{fieldname}"
		if not fieldname:
			problems.append(f"{where}: a field has no fieldname")
			continue
		if fieldname in seen:
			problems.append(f"{label}: duplicate fieldname")
		seen.add(fieldname)
		if fieldtype not in FIELDTYPES:
			problems.append(f"{label}: unknown fieldtype {fieldtype!r}")
		elif fieldtype == "Link" or fieldtype in TABLE_FIELDTYPES:
			target = registry.doctypes.get(options or "")
			if target is None:
				problems.append(f"{label}: {fieldtype} target {options!r} is not a known DocType")
			elif fieldtype in TABLE_FIELDTYPES and not target.istable:
				problems.append(f"{label}: {fieldtype} target {options!r} is not a child table")
			elif fieldtype == "Link" and target.istable:
				problems.append(f"{label}: Link target {options!r} is a child table")
		elif fieldtype == "Select" and not (options or "").strip():
			problems.append(f"{label}: Select without options")
		elif fieldtype == "Dynamic Link" and options not in names:
			problems.append(f"{label}: Dynamic Link options must name a field of this DocType")
	order = doc.get("field_order")
	if order is not None and order != names:
		problems.append(f"{where}: field_order does not list the fields in order")
	return problems


def check_permissions(doc: dict, registry: Registry, where: str) -> list[str]:
	if doc.get("istable"):
		return []  # child tables take their parent's permissions
	problems: list[str] = []
	permissions = doc.get("permissions") or []
	if not permissions:
		problems.append(f"{where}: no role permissions")
	for perm in permissions:
		role = perm.get("role")
		if role not in registry.roles:
			problems.append(f"{where}: permission for unknown role {role!r}")
		if not any(perm.get(right) for right in ("read", "select", "write", "create")):
			problems.append(f"{where}: permission row for {role!r} grants nothing")
	return problems


def check_doctype_folder(path: Path) -> list[str]:
	"""The folder, JSON name and controller follow Frappe's layout."""
	doc = json.loads(path.read_text(encoding="utf-8"))
	problems: list[str] = []
	if scrub(doc.get("name", "")) != path.parent.name:
		problems.append(f"{path.name}: folder should be named {scrub(doc.get('name', ''))!r}")
	controller = path.with_suffix(".py")
	class_name = doc.get("name", "").replace(" ", "").replace("-", "")
	if not controller.exists():
		problems.append(f"{path.name}: controller {controller.name} is missing")
	elif class_name not in defined_names(controller):
		problems.append(f"{controller.name}: class {class_name} is missing")
	if not (path.parent / "__init__.py").exists():
		problems.append(f"{path.parent.name}: __init__.py is missing")
	return problems


# hooks.py ----------------------------------------------------------------------------------------


def dotted_paths(tree: ast.AST, app: str = APP) -> list[str]:
	"""Every string constant in hooks.py that names something inside the app."""
	return [
		node.value
		for node in ast.walk(tree)
		if isinstance(node, ast.Constant)
		and isinstance(node.value, str)
		and node.value.startswith(f"{app}.")
		and " " not in node.value
		and not node.value.endswith((".js", ".css", ".html", ".json", ".txt"))
	]


def defined_names(module_file: Path) -> set[str]:
	"""Top-level functions, classes and assignments of a module (read, not imported)."""
	tree = ast.parse(module_file.read_text(encoding="utf-8"))
	names: set[str] = set()
	for node in tree.body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names.add(node.name)
		elif isinstance(node, ast.Assign):
			names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
			names.add(node.target.id)
		elif isinstance(node, ast.ImportFrom):
			names |= {alias.asname or alias.name for alias in node.names}
	return names


def resolve(dotted: str, root: Path = REPO) -> str | None:
	"""None if `dotted` names a module attribute in the source tree under `root`, else why not."""
	parts = dotted.split(".")
	for split in range(len(parts) - 1, 0, -1):
		module, attrs = parts[:split], parts[split:]
		base = root.joinpath(*module)
		module_file = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
		if not module_file.exists():
			continue
		if len(attrs) == 1 and attrs[0] in defined_names(module_file):
			return None
		return f"{dotted}: {'.'.join(module)} has no {'.'.join(attrs)}"
	return f"{dotted}: no module found"


def check_hooks(hooks_file: Path, root: Path = REPO, app: str = APP) -> list[str]:
	tree = ast.parse(hooks_file.read_text(encoding="utf-8"))
	problems = [problem for path in dotted_paths(tree, app) if (problem := resolve(path, root))]
	assigned = {
		t.id
		for node in tree.body
		if isinstance(node, ast.Assign)
		for t in node.targets
		if isinstance(t, ast.Name)
	}
	for required in ("app_name", "app_title", "required_apps"):
		if required not in assigned:
			problems.append(f"hooks.py: {required} is not set")
	return problems


# fixtures ----------------------------------------------------------------------------------------


def hook_value(hooks_file: Path, name: str):
	tree = ast.parse(hooks_file.read_text(encoding="utf-8"))
	for node in tree.body:
		if isinstance(node, ast.Assign) and any(
			isinstance(t, ast.Name) and t.id == name for t in node.targets
		):
			return ast.literal_eval(node.value)
	return None


def check_fixtures(app_dir: Path, registry: Registry) -> list[str]:
	"""Fixture files and the `fixtures` hook agree, and name DocTypes and roles that exist."""
	problems: list[str] = []
	declared = hook_value(app_dir / "hooks.py", "fixtures") or []
	for entry in declared:
		dt = entry["dt"] if isinstance(entry, dict) else entry
		if dt not in registry.doctypes:
			problems.append(f"hooks.fixtures: {dt!r} is not a known DocType")
		path = app_dir / "fixtures" / f"{scrub(dt)}.json"
		if not path.exists():
			problems.append(f"hooks.fixtures: {dt!r} has no file fixtures/{path.name}")
			continue
		filters = entry.get("filters") or [] if isinstance(entry, dict) else []
		wanted = {name for f in filters if f[0] == "name" and f[1] == "in" for name in f[2]}
		records = json.loads(path.read_text(encoding="utf-8"))
		present = {r.get("name") for r in records}
		for missing in sorted(wanted - present):
			problems.append(f"fixtures/{path.name}: {missing!r} is named in hooks.fixtures but not exported")
	for path in sorted((app_dir / "fixtures").glob("*.json")):
		for record in json.loads(path.read_text(encoding="utf-8")):
			dt = record.get("doctype")
			if dt not in registry.doctypes:
				problems.append(f"fixtures/{path.name}: record of unknown DocType {dt!r}")
			if (
				dt in ("Custom Field", "Property Setter")
				and record.get("dt", record.get("doc_type")) not in registry.doctypes
			):
				problems.append(f"fixtures/{path.name}: {record.get('name')} targets an unknown DocType")
			if dt == "Custom Field" and record.get("fieldtype") not in FIELDTYPES:
				problems.append(f"fixtures/{path.name}: {record.get('name')} has unknown fieldtype")
		if path.stem not in {scrub(e["dt"] if isinstance(e, dict) else e) for e in declared}:
			problems.append(f"fixtures/{path.name}: not declared in hooks.fixtures, so it is never synced")
	return problems


# domain purity -----------------------------------------------------------------------------------


def check_pure_module(source: str, where: str) -> list[str]:
	"""The domain imports no framework or I/O library and reads no clock."""
	problems: list[str] = []
	for node in ast.walk(ast.parse(source)):
		modules: list[str] = []
		if isinstance(node, ast.Import):
			modules = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			modules = [node.module]
		for module in modules:
			top = module.split(".")[0]
			if top in FORBIDDEN_IN_DOMAIN:
				problems.append(f"{where}:{node.lineno}: imports {module}")
			if top == APP and not module.startswith(f"{APP}.domain"):
				problems.append(f"{where}:{node.lineno}: imports {module} (outside the domain)")
		if isinstance(node, ast.Call):
			func = node.func
			if isinstance(func, ast.Attribute) and func.attr in CLOCK_CALLS and not node.args:
				problems.append(f"{where}:{node.lineno}: reads the clock ({func.attr}())")
			if isinstance(func, ast.Name) and func.id in ("open", "input", "print"):
				problems.append(f"{where}:{node.lineno}: does I/O ({func.id}())")
	return problems


def check_domain(domain_dir: Path = APP_DIR / "domain") -> list[str]:
	return [
		problem
		for path in sorted(domain_dir.rglob("*.py"))
		for problem in check_pure_module(
			path.read_text(encoding="utf-8"), str(path.relative_to(domain_dir.parent))
		)
	]


# translations ------------------------------------------------------------------------------------


# `_("...")` in Jinja templates, `__("...")` in form scripts
TEMPLATE_STRING = re.compile(r"""(?<![\w.])_{1,2}\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def translatable_strings(app_dir: Path = APP_DIR) -> set[str]:
	"""Literal `_("...")`/`__("...")` in Python, templates and scripts; DocType labels, descriptions and
	Select options; roles; workspace labels."""
	strings: set[str] = set()
	for path in app_dir.rglob("*.py"):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name | ast.Attribute)
				and getattr(node.func, "id", getattr(node.func, "attr", None)) == "_"
				and node.args
				and isinstance(node.args[0], ast.Constant)
				and isinstance(node.args[0].value, str)
			):
				strings.add(node.args[0].value)
	for path in [*app_dir.rglob("*.html"), *app_dir.rglob("*.js")]:
		strings |= set(TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")))
	for path in app_doctype_files(app_dir):
		doc = json.loads(path.read_text(encoding="utf-8"))
		strings.add(doc["name"])
		if doc.get("description"):
			strings.add(doc["description"])
		for f in doc.get("fields", []):
			strings |= {f[key] for key in ("label", "description") if f.get(key)}
			if f.get("fieldtype") == "Select":
				strings |= {
					option for option in (f.get("options") or "").split("\n") if option and "." not in option
				}
	strings |= fixture_roles(app_dir)
	custom_fields = app_dir / "fixtures" / "custom_field.json"
	if custom_fields.exists():
		for field in json.loads(custom_fields.read_text(encoding="utf-8")):
			strings |= {field[key] for key in ("label", "description") if field.get(key)}
	for path in (app_dir / "workflows").glob("*.json"):
		workflow = json.loads(path.read_text(encoding="utf-8"))
		strings |= {row["state"] for row in workflow["states"]} | {
			row["action"] for row in workflow["transitions"]
		}
	for path in app_dir.glob("*/notification/*/*.json"):
		notification = json.loads(path.read_text(encoding="utf-8"))
		strings |= set(
			TEMPLATE_STRING.findall(
				notification.get("subject", "")
				+ (
					path.with_suffix(".html").read_text(encoding="utf-8")
					if path.with_suffix(".html").exists()
					else ""
				)
			)
		)
	for path in app_dir.glob("*/print_format/*/*.json"):
		strings |= set(TEMPLATE_STRING.findall(json.loads(path.read_text(encoding="utf-8")).get("html", "")))
	for path in app_dir.glob("*/workspace/*/*.json"):
		doc = json.loads(path.read_text(encoding="utf-8"))
		strings.add(doc["label"])
		strings |= {link["label"] for link in doc.get("links", [])}
	# the names a user reads in the desk: reports, number cards, charts, print formats, shortcuts
	for kind, key in (
		("report", "report_name"),
		("number_card", "label"),
		("dashboard_chart", "chart_name"),
		("print_format", "name"),
	):
		for path in app_dir.glob(f"*/{kind}/*/*.json"):
			value = json.loads(path.read_text(encoding="utf-8")).get(key)
			if value:
				strings.add(value)
	for path in app_dir.glob("*/workspace/*/*.json"):
		doc = json.loads(path.read_text(encoding="utf-8"))
		strings |= {row["label"] for row in doc.get("shortcuts", []) if row.get("label")}
	# the survey's questions and the follow-up levels installed by default are shown translated
	install = app_dir / "setup" / "install.py"
	if install.exists():
		tree = ast.parse(install.read_text(encoding="utf-8"))
		for node in ast.walk(tree):
			if isinstance(node, ast.Assign) and any(
				getattr(t, "id", None) in ("SURVEY_QUESTIONS", "DEFAULT_FOLLOW_UP_LEVELS")
				for t in node.targets
			):
				strings |= {
					item.value
					for item in ast.walk(node.value)
					if isinstance(item, ast.Constant) and isinstance(item.value, str)
				}
	return strings


def read_translations(path: Path) -> dict[str, str]:
	import csv

	with path.open(encoding="utf-8", newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def check_translations(strings: set[str], translations: dict[str, str]) -> list[str]:
	return [f"no zh translation for {s!r}" for s in sorted(strings) if not translations.get(s, "").strip()]


# workflows ---------------------------------------------------------------------------------------


def doctype_json(name: str, app_dir: Path = APP_DIR) -> dict | None:
	for path in app_doctype_files(app_dir):
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc["name"] == name:
			return doc
	return None


def check_workflow(workflow: dict, registry: Registry, target: dict | None) -> list[str]:
	"""States and transitions name existing roles and states; each state sets an existing Select value."""
	where = workflow.get("workflow_name", "?")
	problems: list[str] = []
	if target is None:
		return [f"{where}: document type {workflow.get('document_type')!r} is not a DocType of this app"]
	fields = {f["fieldname"]: f for f in target.get("fields", [])}
	if workflow.get("workflow_state_field") not in fields:
		problems.append(
			f"{where}: workflow_state_field {workflow.get('workflow_state_field')!r} is not a field"
		)
	states = [row["state"] for row in workflow.get("states", [])]
	for row in workflow.get("states", []):
		if row.get("allow_edit") not in registry.roles:
			problems.append(
				f"{where}: state {row['state']!r} allows edit to unknown role {row.get('allow_edit')!r}"
			)
		field = fields.get(row.get("update_field") or "")
		if row.get("update_field") and field is None:
			problems.append(f"{where}: state {row['state']!r} updates unknown field {row['update_field']!r}")
		elif (
			field
			and field.get("fieldtype") == "Select"
			and row.get("update_value") not in field["options"].split("\n")
		):
			problems.append(
				f"{where}: state {row['state']!r} sets {field['fieldname']} to unknown value {row.get('update_value')!r}"
			)
		if str(row.get("doc_status")) == "1" and not target.get("is_submittable"):
			problems.append(
				f"{where}: state {row['state']!r} submits, but {target['name']} is not submittable"
			)
	for row in workflow.get("transitions", []):
		for key in ("state", "next_state"):
			if row.get(key) not in states:
				problems.append(
					f"{where}: transition {row.get('action')!r} names unknown state {row.get(key)!r}"
				)
		if row.get("allowed") not in registry.roles:
			problems.append(
				f"{where}: transition {row.get('action')!r} allowed to unknown role {row.get('allowed')!r}"
			)
	return problems
