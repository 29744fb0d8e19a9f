"""Tier-2 browser tests: the site served over HTTP and a real headless Chromium driving the desk.

`served_site()` starts gunicorn for the test site on a free loopback port (the way scripts/dev-bench
serves the development site); Chromium resolves every `*.localhost` name to the loopback address, so the
site is reached by its own name. `Desk` logs a user in through the login page and does what that user
does: types into link fields and picks from the drop-down, saves with Ctrl+S, clicks workflow actions
and custom buttons. Every JavaScript error, HTTP 5xx and permission dialog is recorded as a problem.
Playwright drives the system's chromium; it never downloads a browser.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import frappe

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
# A phone in the hand of a region manager at the customer's site (an Android phone's screen and browser).
PHONE = {
	"viewport": {"width": 393, "height": 851},
	"device_scale_factor": 2.75,
	"is_mobile": True,
	"has_touch": True,
	"user_agent": (
		"Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
		"Chrome/120.0.0.0 Mobile Safari/537.36"
	),
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PERMISSION_WORDS = ("not permitted", "do not have", "permission", "Server Error", "Traceback", "Not allowed")
SCREENSHOTS_ENV = "COMPLAINT_TEST_SCREENSHOTS"  # where the screenshots go (default: the site's test-output)

# Is `text` on screen as a person sees it? The deepest elements whose text contains it are the candidates;
# one must be rendered (no `display: none` up the chain, not `visibility: hidden`), opaque enough (the
# opacities of it and its ancestors multiplied), of a size, not clipped away by an ancestor's overflow, and
# inside the viewport once scrolled into view. Returns "" when one is, else why none is.
VISIBLE_TEXT = r"""([wanted, scope]) => {
	const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
	const target = norm(wanted);
	const roots = scope ? Array.from(document.querySelectorAll(scope)) : [document.body];
	if (!roots.length) return `nothing matches ${scope}`;
	const skip = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "TITLE", "HEAD"]);
	const has = (el) => !skip.has(el.tagName) && norm(el.textContent).includes(target);
	const candidates = [];
	for (const root of roots) {
		for (const el of [root, ...root.querySelectorAll("*")]) {
			if (has(el) && !Array.from(el.children).some(has)) candidates.push(el);
		}
	}
	if (!candidates.length) return "not in the page";
	const describe = (el) =>
		el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
		(typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
	const hidden = (el) => {
		el.scrollIntoView({ block: "center", inline: "nearest" });
		const own = getComputedStyle(el);
		if (own.visibility !== "visible") return `visibility: ${own.visibility}`;
		const color = own.color.match(/rgba?\(([^)]+)\)/);
		if (color && color[1].split(",").length === 4 && parseFloat(color[1].split(",")[3]) === 0)
			return "transparent text";
		let opacity = 1;
		for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
			const style = getComputedStyle(node);
			if (style.display === "none") return `display: none on ${describe(node)}`;
			opacity *= parseFloat(style.opacity);
			if (opacity < 0.1) return `opacity ${style.opacity} on ${describe(node)}`;
		}
		const range = document.createRange();
		range.selectNodeContents(el);
		let boxes = Array.from(range.getClientRects()).filter((r) => r.width >= 2 && r.height >= 2);
		if (!boxes.length) return "no size";
		for (let node = el.parentElement; node && node !== document.documentElement; node = node.parentElement) {
			const style = getComputedStyle(node);
			if (style.overflowX === "visible" && style.overflowY === "visible") continue;
			const clip = node.getBoundingClientRect();
			boxes = boxes
				.map((r) => {
					const left = Math.max(r.left, clip.left), right = Math.min(r.right, clip.right);
					const top = Math.max(r.top, clip.top), bottom = Math.min(r.bottom, clip.bottom);
					return { left, right, top, bottom, width: right - left, height: bottom - top };
				})
				.filter((r) => r.width >= 2 && r.height >= 2);
			if (!boxes.length) return `clipped by ${describe(node)}`;
		}
		const onScreen = boxes.some(
			(r) => r.right > 0 && r.bottom > 0 && r.left < window.innerWidth && r.top < window.innerHeight
		);
		return onScreen ? "" : "outside the viewport";
	};
	const reasons = [];
	for (const el of candidates) {
		const why = hidden(el);
		if (!why) return "";
		reasons.push(`${describe(el)}: ${why}`);
	}
	return reasons.slice(0, 4).join("; ");
}"""


def visible_text_problem(page, text: str, within: str | None = None) -> str:
	"""Why `text` is not visible on the page (see VISIBLE_TEXT), or "" when it is."""
	return page.evaluate(VISIBLE_TEXT, [text, within])


def assert_visible_text(page, text: str, within: str | None = None, timeout: int = 10_000) -> None:
	"""Fail unless a person sees `text` (inside the elements `within` selects, if given): present in the DOM
	is not enough — rendered, opaque, of a size, on screen once scrolled to. Waits up to `timeout` ms for it."""
	deadline = time.monotonic() + timeout / 1000
	while True:
		why = visible_text_problem(page, text, within)
		if not why:
			return
		if time.monotonic() > deadline:
			raise AssertionError(
				f"{text!r} is not visible{f' in {within}' if within else ''} at {page.url}: {why}"
			)
		page.wait_for_timeout(200)


def screenshot_folder() -> Path:
	"""Where the browser tests save their screenshots: $COMPLAINT_TEST_SCREENSHOTS, else the test site's
	test-output/screenshots (printed once per run)."""
	folder = Path(
		os.environ.get(SCREENSHOTS_ENV)
		or Path(frappe.get_site_path()).resolve() / "test-output" / "screenshots"
	)
	if not folder.exists():
		folder.mkdir(parents=True)
	if not getattr(screenshot_folder, "told", False):
		print(f"\nscreenshots: {folder}")
		screenshot_folder.told = True
	return folder


def screenshot(page, name: str) -> Path:
	"""Save what the page shows (the viewport, as a person sees it) as <name>.png in the screenshot folder."""
	path = screenshot_folder() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
	page.screenshot(path=str(path))
	return path


def chromium_path() -> str | None:
	return os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_CANDIDATES)), None)


def missing_browser() -> str | None:
	"""Why the browser tests cannot run here, or None."""
	try:
		import playwright
	except ImportError:
		return "playwright is not installed in the bench env (scripts/test installs it)"
	if not chromium_path():
		return "no chromium found (apt-get install chromium)"
	return None


def free_port() -> int:
	with contextlib.closing(socket.socket()) as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@contextlib.contextmanager
def served_site(site: str | None = None):
	"""Yield the base URL of this test site served by gunicorn; stop it afterwards."""
	site = site or frappe.local.site
	port = free_port()
	bench = Path(frappe.utils.get_bench_path())
	gunicorn = Path(sys.executable).with_name("gunicorn")
	log = open(bench / "logs" / f"browser-test-{port}.log", "w")
	process = subprocess.Popen(
		[
			*(str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "-t", "120"),
			"frappe.app:application_with_statics()",
		],
		cwd=bench / "sites",
		stdout=log,
		stderr=subprocess.STDOUT,
		env={**os.environ, "FRAPPE_SITE": site},
	)
	base = f"http://{site}:{port}"
	try:
		deadline = time.monotonic() + 60
		while True:
			try:
				request = urllib.request.Request(
					f"http://127.0.0.1:{port}/api/method/ping", headers={"Host": f"{site}:{port}"}
				)
				if urllib.request.urlopen(request, timeout=5).status == 200:
					break
			except OSError:
				if process.poll() is not None or time.monotonic() > deadline:
					raise RuntimeError(f"gunicorn for {site} did not start; see {log.name}") from None
				time.sleep(0.5)
		yield base
	finally:
		process.terminate()
		try:
			process.wait(timeout=20)
		except subprocess.TimeoutExpired:
			process.kill()
		log.close()


def start_browser(cls) -> None:
	"""For a test class: the test site served and Chromium started (cls.site, .base, .playwright, .browser)."""
	from playwright.sync_api import sync_playwright

	cls.site = served_site()
	cls.base = cls.site.__enter__()
	cls.playwright = sync_playwright().start()
	cls.browser = cls.playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])


def stop_browser(cls) -> None:
	cls.browser.close()
	cls.playwright.stop()
	cls.site.__exit__(None, None, None)


class Desk:
	"""One user's browser tab in the desk."""

	def __init__(
		self,
		browser,
		base: str,
		user: str,
		password: str,
		language: str = "en-US",
		phone: bool = False,
		screen: dict | None = None,
	):
		self.base, self.user = base, user
		screen = screen or (PHONE if phone else {"viewport": {"width": 1400, "height": 1000}})
		self.context = browser.new_context(**screen, locale=language)
		self.page = self.context.new_page()
		self.page.set_default_timeout(30_000)
		self.problems: list[str] = []
		self.page.on("pageerror", lambda error: self.problems.append(f"{user}: JavaScript error: {error}"))
		self.page.on("response", self._on_response)
		self.login(password)

	def _on_response(self, response) -> None:
		if response.status >= 500:
			self.problems.append(f"{self.user}: HTTP {response.status} {response.url}")
		elif response.status == 403 and "/api/" in response.url:
			self.problems.append(f"{self.user}: HTTP 403 {response.url}")

	def login(self, password: str) -> None:
		self.page.goto(f"{self.base}/login")
		self.page.fill("#login_email", self.user)
		self.page.fill("#login_password", password)
		self.page.click(".btn-login")
		self.page.wait_for_url("**/app**")

	def close(self) -> None:
		self.context.close()

	# what the user sees ----------------------------------------------------------------------------

	def see(self, *texts: str, within: str | None = None) -> None:
		"""Each text is visible to the user (`assert_visible_text`), on the page on screen."""
		for text in texts:
			assert_visible_text(self.page, text, within)

	def shot(self, name: str) -> Path:
		return screenshot(self.page, name)

	# waiting ---------------------------------------------------------------------------------------

	def idle(self) -> None:
		"""Until no request of the desk is pending and the form has settled."""
		self.page.wait_for_function("() => !(frappe.request && frappe.request.ajax_count > 0)")
		self.page.wait_for_timeout(400)
		self.page.wait_for_function("() => !(frappe.request && frappe.request.ajax_count > 0)")

	def check_dialogs(self) -> None:
		"""A shown message that speaks of permissions or server errors is a problem."""
		for text in self.page.locator(".modal.show .modal-body, .modal.show .msgprint").all_inner_texts():
			if any(word.lower() in text.lower() for word in PERMISSION_WORDS):
				self.problems.append(f"{self.user}: dialog: {text.strip()[:300]}")

	def messages(self) -> list[str]:
		return [t.strip() for t in self.page.locator(".modal.show .msgprint").all_inner_texts() if t.strip()]

	def dismiss(self) -> None:
		for button in self.page.locator(".modal.show .btn-modal-close").all():
			with contextlib.suppress(Exception):
				button.click(timeout=2000)
		self.page.wait_for_timeout(300)

	# forms -----------------------------------------------------------------------------------------

	def open(self, route: str) -> None:
		"""A form by its route, e.g. 'customer-complaint/CC-2026-00001' or 'customer-complaint/new'."""
		self.page.goto(f"{self.base}/app/{route}")
		self.page.wait_for_function("() => window.cur_frm && cur_frm.doc && cur_frm.layout")
		self.idle()
		self.check_dialogs()

	def doc(self) -> dict:
		return self.page.evaluate("() => cur_frm.doc")

	def reveal(self, field: str) -> None:
		self.page.evaluate("(f) => cur_frm.scroll_to_field(f)", field)
		self.page.wait_for_timeout(200)

	def here(self, selector: str):
		"""Within the page on screen: the desk keeps earlier forms in the DOM, hidden."""
		return self.page.locator(f".page-container:visible {selector}")

	def control(self, field: str):
		return self.here(f'.frappe-control[data-fieldname="{field}"]').first

	def set_link(self, field: str, value: str, pick: str | None = None) -> None:
		"""Type into a link field and pick the suggestion that shows `pick` (default: the value)."""
		self.reveal(field)
		box = self.control(field).locator("input").first
		box.click()
		box.fill("")
		box.type(value, delay=15)
		options = self.control(field).locator('.awesomplete [role="option"]')
		if pick:
			wanted = options.filter(has_text=pick).first
		else:  # the suggestion whose value is exactly this, not one that merely mentions it
			exact = re.compile(f"^\\s*{re.escape(value)}\\s*$")
			wanted = options.filter(has=self.page.locator("strong").filter(has_text=exact)).first
		try:
			wanted.wait_for(timeout=10_000)
		except Exception:
			raise AssertionError(
				f"{self.user}: no suggestion {pick or value!r} for {field}; offered {options.all_inner_texts()}"
			) from None
		wanted.click()
		self.idle()
		self.check_dialogs()

	def set_text(self, field: str, value: str) -> None:
		self.reveal(field)
		box = self.control(field).locator("input, textarea").first
		box.fill(value)
		box.press("Tab")
		self.idle()

	def set_editor(self, field: str, value: str) -> None:
		self.reveal(field)
		editor = self.control(field).locator(".ql-editor").first
		editor.click()
		editor.fill(value)
		self.page.wait_for_timeout(600)  # the editor reports its value after a debounce
		self.idle()

	def save(self) -> None:
		self.page.keyboard.press("Control+s")
		self.page.wait_for_function("() => cur_frm && !cur_frm.is_dirty() && !cur_frm.is_new()")
		self.idle()
		self.check_dialogs()

	def refused_action(self, label: str) -> list[str]:
		"""A workflow action the server refuses: returns the messages shown.

		Frappe's workflow menu leaves the refused request's promise unhandled, which the page reports as
		an error "undefined"; that one report is the refusal itself, not a fault of the page.
		"""
		before = len(self.problems)
		self.action(label)
		messages = self.messages()
		self.problems[before:] = [
			p for p in self.problems[before:] if not p.endswith("JavaScript error: undefined")
		]
		self.dismiss()
		return messages

	def action(self, label: str) -> None:
		"""A workflow action from the Actions menu (which the user sees, and the action in it)."""
		menu = self.here('.page-actions button:has-text("Actions")').first
		if self.page.viewport_size["width"] >= 768:
			self.see("Actions", within=".page-actions")
		else:  # a phone shows the menu's icon, not its label
			assert menu.is_visible(), f"{self.user}: the Actions menu is not on screen"
		menu.click()
		self.see(label, within=".page-actions .dropdown-menu")
		self.here(".page-actions .dropdown-menu a").filter(has_text=label).first.click()
		self.idle()
		confirm = self.page.locator(".modal.show .btn-primary:has-text('Yes')")
		if confirm.count():
			confirm.first.click()
			self.idle()
		self.page.wait_for_timeout(500)
		self.idle()
		self.check_dialogs()

	def actions(self) -> list[str]:
		self.here('.page-actions button:has-text("Actions")').first.click()
		labels = self.here(".page-actions .dropdown-menu:visible a").all_inner_texts()
		self.page.keyboard.press("Escape")
		return [label.strip() for label in labels if label.strip()]

	def button(self, label: str, group: str | None = None) -> None:
		"""A custom button, optionally inside a group (Create ▸ Memo)."""
		grouped = self.here(".page-actions .inner-group-button button").filter(has_text=group)
		if group and not grouped.first.is_visible():
			# a phone: the desk lists the form's buttons in its "..." menu as "Group > Label"
			self.here(".page-actions .menu-btn-group button").first.click()
			self.here(".page-actions .menu-btn-group .dropdown-menu a").filter(
				has_text=f"{group} > {label}"
			).first.click()
		elif group:
			self.see(group, within=".page-actions")
			grouped.first.click()
			self.see(label, within=".page-actions .inner-group-button .dropdown-menu")
			self.here(".page-actions .inner-group-button .dropdown-menu a").filter(
				has_text=label
			).first.click()
		else:
			self.see(label, within=".page-actions")
			self.here(".page-actions button").filter(has_text=label).first.click()
		self.idle()
		self.check_dialogs()

	def headline(self) -> str:
		return " ".join(self.here(".form-message").all_inner_texts()).strip()

	def reload(self) -> None:
		self.page.evaluate("() => cur_frm.reload_doc()")
		self.idle()


@contextlib.contextmanager
def language(user: str, lang: str):
	"""The user's desk and portal in `lang` (User ▸ Language) while inside; their own setting afterwards."""
	before = frappe.db.get_value("User", user, "language")

	def use(value):
		frappe.db.set_value("User", user, "language", value)
		frappe.clear_cache(user=user)
		frappe.db.commit()  # nosemgrep: the served site reads the user's language

	use(lang)
	try:
		yield
	finally:
		use(before)
