"""The door census: every whitelisted method of the installed apps that takes a DocType, a name or filters,
found in their source (not listed by hand), and a probe that tries one against one document as one user.

A probe is judged by what an attacker learns and what he changes: the answer about a hidden document must
be a refusal, or the same answer as about a document that does not exist (with both names masked), and must
not carry the hidden document's secret words; the hidden document and Frappe's records about it (shares,
comments, assignments, follows, tags, files, versions) are unchanged.
"""

import ast
import functools
import hashlib
import json
import os
from dataclasses import dataclass, field

import frappe

# Arguments naming a DocType, a document, several documents, filters or a whole document.
DOCTYPE_ARGS = frozenset(
	{
		"doctype",
		"dt",
		"doc_type",
		"reference_doctype",
		"ref_doctype",
		"document_type",
		"parenttype",
		"parent_doctype",
		"share_doctype",
		"attached_to_doctype",
		"reference_type",
	}
)
NAME_ARGS = frozenset(
	{
		"name",
		"docname",
		"dn",
		"doc_name",
		"reference_name",
		"ref_docname",
		"document_name",
		"share_name",
		"attached_to_name",
		"parent",
	}
)
NAMES_ARGS = frozenset({"names", "docnames", "items"})
FILTER_ARGS = frozenset({"filters", "or_filters", "current_filters"})
DOC_ARGS = frozenset({"doc", "docs", "document"})
TEXT_ARGS = frozenset({"txt", "search_text", "text", "value"})
DOOR_ARGS = DOCTYPE_ARGS | NAME_ARGS | NAMES_ARGS | FILTER_ARGS | DOC_ARGS
# modules of the app whose doors take the name of a document of one DocType (and no DocType argument)
NAMED_DOCTYPES = {"complaint_handling.quality.field_inspection": "Defect Inspection"}


@dataclass(frozen=True)
class Door:
	method: str
	args: tuple[str, ...]
	required: tuple[str, ...]
	allow_guest: bool
	http_methods: tuple[str, ...] = ("GET", "POST")

	@property
	def takes_doctype(self) -> bool:
		return bool(DOCTYPE_ARGS & set(self.args))

	@property
	def named_doctype(self) -> str | None:
		"""The DocType whose document the door's `name` is, when its module names one."""
		return NAMED_DOCTYPES.get(self.method.rsplit(".", 1)[0])


@functools.cache
def whitelisted_doors(apps: tuple[str, ...] | None = None) -> list[Door]:
	"""Every module-level whitelisted function of the installed apps whose arguments name a DocType, a
	document, documents, filters or a document passed whole — read from the apps' source."""
	doors = []
	for app in apps or frappe.get_installed_apps():
		root = os.path.dirname(frappe.get_app_path(app))
		for dirpath, dirs, files in os.walk(frappe.get_app_path(app)):
			dirs[:] = sorted(d for d in dirs if d not in ("tests", "node_modules", "patches", "__pycache__"))
			for filename in sorted(files):
				if filename.endswith(".py") and not filename.startswith("test_"):
					doors.extend(doors_in_file(os.path.join(dirpath, filename), root))
	return sorted(doors, key=lambda d: d.method)


def doors_in_file(path: str, root: str) -> list[Door]:
	try:
		tree = ast.parse(open(path, encoding="utf-8").read())
	except (SyntaxError, UnicodeDecodeError):
		return []
	module = os.path.relpath(path, root)[:-3].replace(os.sep, ".").removesuffix(".__init__")
	found = []
	for node in tree.body:
		if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
			continue
		decorators = [ast.unparse(d) for d in node.decorator_list]
		whitelist = next((d for d in decorators if "whitelist" in d), None)
		if whitelist is None:
			continue
		positional = node.args.posonlyargs + node.args.args
		args = tuple(a.arg for a in positional + node.args.kwonlyargs)
		if not DOOR_ARGS & set(args):
			continue
		defaults = len(node.args.defaults)
		required = tuple(a.arg for a in positional[: len(positional) - defaults]) + tuple(
			a.arg for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d is None
		)
		methods = ("GET", "POST")
		if "methods=" in whitelist:
			methods = tuple(m for m in ("GET", "POST", "PUT", "DELETE") if f'"{m}"' in whitelist) or ("POST",)
		found.append(Door(f"{module}.{node.name}", args, required, "allow_guest=True" in whitelist, methods))
	return found


def arguments_for(door: Door, doctype: str, name: str) -> dict:
	"""What an attacker sends: the DocType and the name wherever the method takes them, filters that pick
	the document, the document itself, and a harmless value for any other required argument."""
	args = {}
	for arg in door.args:
		if arg in DOCTYPE_ARGS:
			args[arg] = doctype
		elif arg in NAME_ARGS:
			args[arg] = name
		elif arg in NAMES_ARGS:
			args[arg] = json.dumps([name])
		elif arg in FILTER_ARGS:
			args[arg] = json.dumps({"name": name})
		elif arg in DOC_ARGS:
			doc = {"doctype": doctype, "name": name}
			args[arg] = json.dumps([doc] if arg == "docs" else doc)
		elif arg in TEXT_ARGS:
			args[arg] = name
		elif arg == "fields":
			args[arg] = json.dumps(["*"])
		elif arg in door.required:
			args[arg] = "1"
	return args


# Judging a probe ------------------------------------------------------------------------------------


POINTER_COUNTS = (
	("DocShare", "share_doctype", "share_name"),
	("Comment", "reference_doctype", "reference_name"),
	("ToDo", "reference_type", "reference_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
	("Tag Link", "document_type", "document_name"),
	("File", "attached_to_doctype", "attached_to_name"),
	("Communication", "reference_doctype", "reference_name"),
	("Version", "ref_doctype", "docname"),
)


def fingerprint(doctype: str, name: str) -> str:
	"""The document's stored row (every column) and the count of Frappe's records about it (two queries)."""
	row = frappe.db.sql(f"select * from `tab{doctype}` where name = %s", name, as_dict=True)
	counts = frappe.db.sql(
		"select "
		+ ", ".join(
			f"(select count(*) from `tab{pointer}` where `{dt_field}` = %(dt)s and `{name_field}` = %(name)s)"
			for pointer, dt_field, name_field in POINTER_COUNTS
		),
		{"dt": doctype, "name": name},
	)
	return hashlib.sha1(json.dumps([row, counts], default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class Verdict:
	door: str
	doctype: str
	user: str
	problems: list[str] = field(default_factory=list)


def refused(status: int) -> bool:
	return 400 <= status < 500


def masked(text: str, *names: str) -> str:
	for name in names:
		text = text.replace(name, "\u2039name\u203a").replace(json.dumps(name)[1:-1], "\u2039name\u203a")
	return text
