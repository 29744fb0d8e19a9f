"""Tier 1: the app's files are well-formed; every check is shown to catch a broken example."""

import json
import re
import textwrap
from pathlib import Path

import appcheck
import pytest
from appcheck import APP_DIR, REPO


@pytest.fixture(scope="module")
def registry() -> appcheck.Registry:
	return appcheck.load_app_registry()


@pytest.fixture(scope="module")
def modules() -> set[str]:
	return appcheck.modules_of()


def good_doctype() -> dict:
	return {
		"doctype": "DocType",
		"name": "Sample Complaint",
		"module": "Complaint Handling",
		"field_order": ["customer", "items", "status"],
		"fields": [
			{"fieldname": "customer", "fieldtype": "Link", "options": "Customer"},
			{"fieldname": "items", "fieldtype": "Table", "options": "Delivery Note Item"},
			{"fieldname": "status", "fieldtype": "Select", "options": "Open\nClosed"},
		],
		"permissions": [{"role": "Complaint Clerk", "read": 1, "write": 1}],
	}


# The real app ------------------------------------------------------------------------------------


def test_app_has_doctypes():
	assert appcheck.app_doctype_files(), "no DocType JSON found: the check would pass vacuously"


@pytest.mark.parametrize("path", appcheck.app_doctype_files(), ids=lambda p: p.parent.name)
def test_app_doctype_is_valid(path: Path, registry, modules):
	doc = json.loads(path.read_text(encoding="utf-8"))
	assert appcheck.check_doctype(doc, registry, modules) == []
	assert appcheck.check_doctype_folder(path) == []


def test_hooks_paths_resolve():
	hooks = APP_DIR / "hooks.py"
	assert appcheck.dotted_paths(__import__("ast").parse(hooks.read_text())), "hooks name no app function"
	assert appcheck.check_hooks(hooks) == []


def test_fixtures_are_consistent(registry):
	assert appcheck.check_fixtures(APP_DIR, registry) == []


def test_domain_is_pure():
	assert list((APP_DIR / "domain").glob("*.py")), "no domain module found"
	assert appcheck.check_domain() == []


def test_app_layout():
	for required in ("hooks.py", "modules.txt", "patches.txt", "__init__.py", "domain/__init__.py"):
		assert (APP_DIR / required).exists(), required
	assert (REPO / "pyproject.toml").exists()
	assert appcheck.modules_of() == {"Complaint Handling"}
	assert (APP_DIR / appcheck.scrub("Complaint Handling") / "__init__.py").exists()


# Each check catches a broken example --------------------------------------------------------------


def test_good_example_passes(registry, modules):
	assert appcheck.check_doctype(good_doctype(), registry, modules) == []


@pytest.mark.parametrize(
	"breakage, expected",
	[
		(lambda d: d["fields"][2].update(fieldtype="Dropdown"), "unknown fieldtype 'Dropdown'"),
		(lambda d: d["fields"][0].update(options="Customr"), "Link target 'Customr' is not a known DocType"),
		(
			lambda d: d["fields"][0].update(options="Delivery Note Item"),
			"Link target 'Delivery Note Item' is a child table",
		),
		(
			lambda d: d["fields"][1].update(options="Delivery Note"),
			"Table target 'Delivery Note' is not a child table",
		),
		(lambda d: d["fields"][1].update(fieldname="customer"), "customer: duplicate fieldname"),
		(lambda d: d["fields"][2].update(options=""), "Select without options"),
		(lambda d: d.update(permissions=[]), "no role permissions"),
		(lambda d: d["permissions"][0].update(role="Complaint Wizard"), "unknown role 'Complaint Wizard'"),
		(lambda d: d["permissions"][0].update(read=0, write=0), "grants nothing"),
		(lambda d: d.update(module="Complaints"), "not in modules.txt"),
		(lambda d: d.update(field_order=["status", "customer", "items"]), "field_order"),
	],
)
def test_doctype_check_catches(breakage, expected, registry, modules):
	doc = good_doctype()
	breakage(doc)
	problems = appcheck.check_doctype(doc, registry, modules)
	assert any(expected in p for p in problems), problems


def test_child_table_needs_no_permissions(registry, modules):
	doc = good_doctype() | {"istable": 1, "permissions": []}
	assert appcheck.check_doctype(doc, registry, modules) == []


def make_app(tmp_path: Path, hooks: str, modules: dict[str, str]) -> Path:
	app = tmp_path / "complaint_handling"
	app.mkdir()
	(app / "__init__.py").write_text("")
	(app / "hooks.py").write_text(textwrap.dedent(hooks))
	for name, source in modules.items():
		path = app.joinpath(*name.split("/"))
		path.parent.mkdir(parents=True, exist_ok=True)
		path.write_text(textwrap.dedent(source))
	return app


def test_hooks_check_catches_missing_function_and_module(tmp_path):
	app = make_app(
		tmp_path,
		"""
		app_name = "complaint_handling"
		app_title = "X"
		required_apps = ["erpnext"]
		after_install = "complaint_handling.install.after_install"
		before_tests = "complaint_handling.install.befor_tests"
		doc_events = {"Company": {"after_insert": "complaint_handling.nowhere.run"}}
		""",
		{"install.py": "def after_install():\n\tpass\n"},
	)
	problems = appcheck.check_hooks(app / "hooks.py", root=tmp_path)
	assert problems == [
		"complaint_handling.install.befor_tests: complaint_handling.install has no befor_tests",
		"complaint_handling.nowhere.run: complaint_handling has no nowhere.run",
	]


def test_hooks_check_resolves_packages_and_requires_app_settings(tmp_path):
	app = make_app(
		tmp_path,
		'app_name = "complaint_handling"\nscheduler_events = {"cron": {"*/5 * * * *": ["complaint_handling.jobs.sweep.run"]}}\n',
		{"jobs/__init__.py": "", "jobs/sweep.py": "def run():\n\tpass\n"},
	)
	assert appcheck.check_hooks(app / "hooks.py", root=tmp_path) == [
		"hooks.py: app_title is not set",
		"hooks.py: required_apps is not set",
	]


def test_fixture_check_catches(tmp_path, registry):
	app = make_app(
		tmp_path,
		"""
		fixtures = [
			{"dt": "Role", "filters": [["name", "in", ["Complaint Clerk", "Complaint Judge"]]]},
			"Custom Feild",
		]
		""",
		{},
	)
	(app / "fixtures").mkdir()
	(app / "fixtures" / "role.json").write_text(json.dumps([{"doctype": "Role", "name": "Complaint Clerk"}]))
	(app / "fixtures" / "custom_field.json").write_text(
		json.dumps([{"doctype": "Custom Field", "name": "Customer-x", "dt": "Custmer", "fieldtype": "Data"}])
	)
	problems = appcheck.check_fixtures(app, registry)
	assert "fixtures/role.json: 'Complaint Judge' is named in hooks.fixtures but not exported" in problems
	assert "hooks.fixtures: 'Custom Feild' is not a known DocType" in problems
	assert "fixtures/custom_field.json: Customer-x targets an unknown DocType" in problems
	assert "fixtures/custom_field.json: not declared in hooks.fixtures, so it is never synced" in problems


@pytest.mark.parametrize(
	"source, expected",
	[
		("import frappe\n", "imports frappe"),
		("from frappe.utils import now_datetime\n", "imports frappe.utils"),
		("from erpnext.stock import utils\n", "imports erpnext.stock"),
		("from complaint_handling.install import setup_defaults\n", "outside the domain"),
		("from datetime import datetime\nx = datetime.now()\n", "reads the clock (now())"),
		("import time\nx = time.time()\n", "reads the clock (time())"),
		("data = open('x').read()\n", "does I/O (open())"),
	],
)
def test_domain_check_catches(source, expected):
	problems = appcheck.check_pure_module(source, "domain/bad.py")
	assert any(expected in p for p in problems), problems


def test_domain_check_allows_pure_code():
	source = (
		"from datetime import datetime, timedelta\nfrom complaint_handling.domain.calendar import Calendar\n"
	)
	assert appcheck.check_pure_module(source, "domain/good.py") == []


def test_doctype_folder_check_catches_missing_controller(tmp_path):
	folder = tmp_path / "sample_complaint"
	folder.mkdir()
	path = folder / "sample_complaint.json"
	path.write_text(json.dumps(good_doctype()))
	problems = appcheck.check_doctype_folder(path)
	assert "sample_complaint.json: controller sample_complaint.py is missing" in problems
	(folder / "sample_complaint.py").write_text("class Other:\n\tpass\n")
	(folder / "__init__.py").write_text("")
	assert appcheck.check_doctype_folder(path) == ["sample_complaint.py: class SampleComplaint is missing"]


def test_every_user_facing_string_has_a_chinese_translation():
	strings = appcheck.translatable_strings() - set(
		appcheck.load_platform().doctypes
	)  # frappe/erpnext translate theirs
	assert "QA Hold Warehouse" in strings and "Complaint Clerk" in strings
	translations = appcheck.read_translations(APP_DIR / "translations" / "zh.csv")
	assert appcheck.check_translations(strings, translations) == []


def test_translation_check_catches_a_missing_entry(tmp_path):
	app = make_app(
		tmp_path, "", {"api.py": 'from frappe import _\n\ndef f():\n\treturn _("Complaint {0} is closed")\n'}
	)
	strings = appcheck.translatable_strings(app)
	assert strings == {"Complaint {0} is closed"}
	assert appcheck.check_translations(strings, {}) == ["no zh translation for 'Complaint {0} is closed'"]
	assert appcheck.check_translations(strings, {"Complaint {0} is closed": "投诉 {0} 已关闭"}) == []


def workflow_definitions() -> list[Path]:
	return sorted((APP_DIR / "workflows").glob("*.json"))


def test_app_ships_workflows():
	assert {p.stem for p in workflow_definitions()} == {
		"customer_complaint",
		"complaint_memo",
		"defect_inspection",
		"complaint_penalty",
	}


@pytest.mark.parametrize("path", workflow_definitions(), ids=lambda p: p.stem)
def test_workflow_is_valid(path: Path, registry):
	workflow = json.loads(path.read_text(encoding="utf-8"))
	assert appcheck.check_workflow(workflow, registry, appcheck.doctype_json(workflow["document_type"])) == []


@pytest.mark.parametrize(
	"breakage, expected",
	[
		(lambda w: w["states"][0].update(allow_edit="Complaint Wizard"), "unknown role 'Complaint Wizard'"),
		(lambda w: w["states"][0].update(update_value="Pending"), "unknown value 'Pending'"),
		(lambda w: w["states"][0].update(update_field="stage"), "unknown field 'stage'"),
		(lambda w: w["transitions"][0].update(next_state="Limbo"), "unknown state 'Limbo'"),
		(lambda w: w["transitions"][0].update(allowed="Janitor"), "unknown role 'Janitor'"),
	],
)
def test_workflow_check_catches(breakage, expected, registry):
	workflow = json.loads((APP_DIR / "workflows" / "customer_complaint.json").read_text(encoding="utf-8"))
	breakage(workflow)
	problems = appcheck.check_workflow(workflow, registry, appcheck.doctype_json(workflow["document_type"]))
	assert any(expected in p for p in problems), problems


def test_workflow_check_catches_submitting_a_non_submittable_doctype(registry):
	workflow = json.loads((APP_DIR / "workflows" / "customer_complaint.json").read_text(encoding="utf-8"))
	target = appcheck.doctype_json("Customer Complaint") | {"is_submittable": 0}
	assert any("is not submittable" in p for p in appcheck.check_workflow(workflow, registry, target))


@pytest.mark.parametrize("path", sorted(APP_DIR.glob("*/print_format/*/*.json")), ids=lambda p: p.stem)
def test_print_format_is_valid_jinja_for_an_app_doctype(path: Path, registry):
	import jinja2

	print_format = json.loads(path.read_text(encoding="utf-8"))
	assert print_format["doc_type"] in registry.doctypes
	assert print_format["module"] in appcheck.modules_of()
	jinja2.Environment().parse(print_format["html"])  # raises TemplateSyntaxError on a broken template


def test_jinja_check_catches_a_broken_template():
	import jinja2

	with pytest.raises(jinja2.TemplateSyntaxError):
		jinja2.Environment().parse("{% if doc.subject %}{{ doc.subject }}")


@pytest.mark.parametrize("path", sorted(APP_DIR.glob("*/notification/*/*.json")), ids=lambda p: p.stem)
def test_standard_notification_has_its_message_template(path: Path):
	"""Frappe sends a standard notification's <name>.html (or .md), not the message stored in its JSON."""
	import jinja2

	notification = json.loads(path.read_text(encoding="utf-8"))
	template = path.with_suffix(".html" if notification.get("message_type") == "HTML" else ".md")
	assert template.exists() and template.read_text(encoding="utf-8").strip(), template.name
	jinja2.Environment().parse(template.read_text(encoding="utf-8"))


# Field types that Frappe's TypeExporter writes into a controller's type block (frappe/types/DF.py, 15.x)
TYPED_FIELDTYPES = frozenset(
	"Data Text Autocomplete Attach AttachImage Barcode Check Code Color Currency Date Datetime Duration "
	"DynamicLink Float HTMLEditor Int JSON Link LongText MarkdownEditor Password Percent Phone ReadOnly Rating "
	"Select SmallText TextEditor Time Table TableMultiSelect".split()
)


def expected_type_block(doctype: dict) -> set[str]:
	names = {
		df["fieldname"]
		for df in doctype.get("fields", [])
		if df.get("fieldtype", "").replace(" ", "") in TYPED_FIELDTYPES
		and not (df.get("is_virtual") and not df.get("options"))
	}
	if doctype.get("istable"):
		names |= {"parent", "parentfield", "parenttype"}
	if doctype.get("autoname") == "autoincrement":
		names.add("name")
	return names


def type_block(source: str) -> set[str] | None:
	"""The field names of a controller's `# begin: auto-generated types` block, or None without one."""
	if "# begin: auto-generated types" not in source:
		return None
	block = source.split("# begin: auto-generated types", 1)[1].split("# end: auto-generated types", 1)[0]
	return {m.group(1) for m in re.finditer(r"^\s+(\w+): DF\.", block, re.M)}


@pytest.mark.parametrize("path", appcheck.app_doctype_files(), ids=lambda p: p.parent.name)
def test_type_block_is_current(path: Path):
	"""hooks.py turns export_python_type_annotations on: every controller lists its DocType's fields."""
	doctype = json.loads(path.read_text(encoding="utf-8"))
	found = type_block(path.with_suffix(".py").read_text(encoding="utf-8"))
	assert found == expected_type_block(doctype), "run the DocType's save (developer mode) to refresh it"


def test_type_block_check_catches_a_stale_block():
	doctype = {
		"fields": [{"fieldname": "a", "fieldtype": "Data"}, {"fieldname": "b", "fieldtype": "Section Break"}]
	}
	assert expected_type_block(doctype) == {"a"}
	assert type_block(
		"class X(Document):\n\t# begin: auto-generated types\n\t\tz: DF.Data\n\t# end: auto-generated types\n"
	) == {"z"}
	assert type_block("class X(Document):\n\tpass\n") is None
