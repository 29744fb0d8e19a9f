"""Tier 1: whitelisted document methods can be called from the desk (`run_doc_method`)."""

import ast

from appcheck import APP_DIR

# run_doc_method(method, docs=None, dt=None, dn=None, arg=None, args=None) takes these itself; a document
# method with a parameter of the same name fails with "got multiple values for argument".
RESERVED = {"method", "docs", "dt", "dn", "arg", "args"}


def is_whitelisted(node: ast.FunctionDef) -> bool:
	return any(
		(isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "whitelist")
		or (isinstance(d, ast.Attribute) and d.attr == "whitelist")
		for d in node.decorator_list
	)


def clashing_parameters(source: str) -> list[str]:
	found = []
	for cls in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef)):
		for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef) and is_whitelisted(n)):
			args = fn.args.args + fn.args.kwonlyargs
			found += [f"{cls.name}.{fn.name}({a.arg})" for a in args if a.arg in RESERVED]
	return found


def test_no_document_method_parameter_clashes_with_run_doc_method():
	clashes = [
		clash
		for path in (APP_DIR / "complaint_handling" / "doctype").rglob("*.py")
		for clash in clashing_parameters(path.read_text(encoding="utf-8"))
	]
	assert not clashes, clashes


def test_the_check_catches_a_clash():
	source = (
		"import frappe\nclass C:\n\t@frappe.whitelist()\n\tdef record(self, method, note=None):\n\t\tpass\n"
	)
	assert clashing_parameters(source) == ["C.record(method)"]


def unannotated(source: str) -> list[str]:
	"""Parameters and returns of whitelisted functions and methods without a type annotation: Frappe checks an
	annotated argument's type on every request, and `require_type_annotated_api_methods` (hooks.py) refuses a
	whitelisted method with an unannotated parameter on frappe versions that enforce it."""
	found = []
	for fn in (
		n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef) and is_whitelisted(n)
	):
		params = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
		params += [a for a in (fn.args.vararg, fn.args.kwarg) if a]
		found += [f"{fn.name}({a.arg})" for a in params if a.arg != "self" and a.annotation is None]
		if fn.returns is None:
			found.append(f"{fn.name} -> ?")
	return found


def test_every_whitelisted_method_is_type_annotated():
	bare = {
		str(path.relative_to(APP_DIR)): found
		for path in APP_DIR.rglob("*.py")
		if "tests" not in path.parts and (found := unannotated(path.read_text(encoding="utf-8")))
	}
	assert not bare, bare


def test_the_annotation_check_catches_a_bare_parameter():
	source = "import frappe\n@frappe.whitelist()\ndef f(name: str, filters=None) -> dict:\n\tpass\n"
	assert unannotated(source) == ["f(filters)"]
	assert unannotated("import frappe\n@frappe.whitelist()\ndef g(**kw: str):\n\tpass\n") == ["g -> ?"]
