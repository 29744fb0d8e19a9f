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
