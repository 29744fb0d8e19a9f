// The inspection's field page (quality/field_page.py, quality/field_inspection.py): the region manager fills the
// site report on a phone, with or without a connection. What is entered is kept on the phone (IndexedDB) with
// the photos, shown as waiting to send, and sent in order when the connection returns; each change and photo has
// a key, so a retry never stores it twice; a change the server answers with a conflict is shown, never dropped.
(function () {
	"use strict";
	const T = (text, ...args) => {
		let out = (window.FIELD.texts || {})[text] || text;
		args.forEach((arg, i) => (out = out.replace(`{${i}}`, arg)));
		return out;
	};
	const API = "/api/method/complaint_handling.quality.field_inspection.";
	const DB_NAME = "complaint-field";
	const RETRY_MS = 5000;
	const FIELDS = ["arrived_at", "findings", "determination", "misuse_handling", "fixed_on_site", "customer_opinion", "customer_signature", "parts_used"];
	const LABELS = {
		arrived_at: "Arrived At",
		findings: "Findings",
		determination: "Determination",
		misuse_handling: "Misuse Handling",
		fixed_on_site: "Fixed on Site",
		parts_used: "Parts Used",
		customer_opinion: "Customer's Opinion",
		customer_signature: "Customer Signature",
	};

	let db = null;
	let name = "";
	let record = null; // {name, state} as the server last sent it
	let outbox = []; // this inspection's waiting, conflicting and refused sends, in order
	let draft = {}; // edited on the form, not saved yet
	let flushing = false;
	let loginNeeded = false;
	let previews = []; // object URLs of the photos waiting to send, shown on the page

	// --- storage on the phone -------------------------------------------------------------------------
	function request(req) {
		return new Promise((resolve, reject) => {
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
	}
	function openDb() {
		const open = indexedDB.open(DB_NAME, 1);
		open.onupgradeneeded = () => {
			const d = open.result;
			d.createObjectStore("inspections", { keyPath: "name" });
			const box = d.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
			box.createIndex("inspection", "inspection");
		};
		return request(open);
	}
	function store(name, mode) {
		return db.transaction(name, mode || "readonly").objectStore(name);
	}
	async function loadLocal() {
		record = (await request(store("inspections").get(name))) || null;
		const all = await request(store("outbox").index("inspection").getAll(name));
		outbox = all.sort((a, b) => a.id - b.id);
	}
	async function saveRecord(state) {
		record = { name: state.name, state, saved_at: new Date().toISOString() };
		await request(store("inspections", "readwrite").put(record));
	}
	async function putOp(op) {
		op.id = await request(store("outbox", "readwrite").put(op));
		return op;
	}
	async function deleteOp(op) {
		await request(store("outbox", "readwrite").delete(op.id));
	}
	function newKey() {
		if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
		return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
	}

	// --- what the phone believes: the server's values with the unsent changes on top ---------------
	function believed() {
		const values = Object.assign({}, record ? record.state.values : {});
		outbox.filter((op) => op.kind === "change").forEach((op) => Object.assign(values, op.changes));
		return values;
	}
	function current() {
		return Object.assign(believed(), draft);
	}

	// --- the server ---------------------------------------------------------------------------------
	function token() {
		return (record && record.state.csrf_token) || "";
	}
	function message(body) {
		try {
			const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
			if (messages.length) return messages.join(" ").replace(/<[^>]+>/g, " ");
		} catch (e) {
			/* not Frappe's messages */
		}
		return body.exception || body.exc_type || "HTTP error";
	}
	async function refresh() {
		let response;
		try {
			response = await fetch(`${API}field_state?name=${encodeURIComponent(name)}`, {
				headers: { Accept: "application/json" },
				credentials: "same-origin",
			});
		} catch (e) {
			return false; // no connection: what the phone has is shown
		}
		if (response.status === 403 || response.status === 401) {
			loginNeeded = true;
			return false;
		}
		if (!response.ok) return false;
		loginNeeded = false;
		await saveRecord((await response.json()).message);
		return true;
	}
	async function send(op) {
		const form = new FormData();
		form.append("name", op.inspection);
		form.append("key", op.key);
		let method;
		if (op.kind === "photo") {
			method = "add_photo";
			form.append("file", op.blob, op.filename);
			form.append("taken_on_phone_at", op.taken_on_phone_at);
			if (op.caption) form.append("caption", op.caption);
		} else {
			method = "apply_change";
			form.append("changes", JSON.stringify(op.changes));
			form.append("seen", JSON.stringify(op.seen));
			form.append("sent_at", op.made_at);
		}
		return fetch(API + method, {
			method: "POST",
			body: form,
			credentials: "same-origin",
			headers: { Accept: "application/json", "X-Frappe-CSRF-Token": token() },
		});
	}
	async function flush() {
		if (flushing || !navigator.onLine || !name) return;
		flushing = true;
		let worked = false;
		try {
			let retriedToken = false;
			for (;;) {
				const op = outbox[0];
				if (!op || op.status !== "waiting") break; // in order: a conflict or refusal waits for the user
				worked = true;
				showSync(T("Sending…"));
				let response;
				try {
					response = await send(op);
				} catch (e) {
					break; // the connection dropped: sent again later, under the same key
				}
				let body = {};
				try {
					body = await response.json();
				} catch (e) {
					body = {};
				}
				if (response.ok) {
					await deleteOp(op);
					outbox.shift();
					if (body.message && body.message.state) await saveRecord(body.message.state);
				} else if (response.status === 409 && body.message && body.message.conflicts) {
					op.status = "conflict";
					op.conflicts = body.message.conflicts;
					await putOp(op);
					await saveRecord(body.message.state);
					break;
				} else if (body.exc_type === "CSRFTokenError" && !retriedToken) {
					retriedToken = true;
					await refresh();
				} else if (response.status >= 500 || response.status === 0 || response.status === 502) {
					break;
				} else if (response.status === 403 && !body.exc_type) {
					loginNeeded = true;
					break;
				} else {
					op.status = "refused";
					op.error = message(body);
					await putOp(op);
					break;
				}
			}
		} finally {
			flushing = false;
			if (worked) render(); // not while nothing happened: the user may be typing
		}
	}

	// --- what the user does -------------------------------------------------------------------------
	async function saveDraft() {
		const now = believed();
		const changes = {};
		const seen = {};
		Object.keys(draft).forEach((field) => {
			if (JSON.stringify(draft[field]) !== JSON.stringify(now[field])) {
				changes[field] = draft[field];
				seen[field] = now[field] === undefined ? null : now[field];
			}
		});
		draft = {};
		if (Object.keys(changes).length) {
			outbox.push(
				await putOp({
					inspection: name,
					kind: "change",
					key: newKey(),
					changes,
					seen,
					made_at: new Date().toISOString(),
					status: "waiting",
				})
			);
		}
		render();
		flush();
	}
	async function addPhotos(files, caption) {
		for (const file of files) {
			outbox.push(
				await putOp({
					inspection: name,
					kind: "photo",
					key: newKey(),
					blob: file,
					filename: file.name || "photo.jpg",
					caption: caption || "",
					taken_on_phone_at: new Date(file.lastModified || Date.now()).toISOString(),
					made_at: new Date().toISOString(),
					status: "waiting",
				})
			);
		}
		render();
		flush();
	}
	async function resolveConflict(op, keepMine) {
		if (keepMine) {
			Object.keys(op.conflicts).forEach((field) => (op.seen[field] = op.conflicts[field].server));
		} else {
			Object.keys(op.conflicts).forEach((field) => {
				delete op.changes[field];
				delete op.seen[field];
			});
		}
		delete op.conflicts;
		op.status = "waiting";
		if (Object.keys(op.changes).length) {
			await putOp(op);
		} else {
			await deleteOp(op);
			outbox.splice(outbox.indexOf(op), 1);
		}
		render();
		flush();
	}
	async function discard(op) {
		await deleteOp(op);
		outbox.splice(outbox.indexOf(op), 1);
		render();
		flush();
	}

	// --- the page -----------------------------------------------------------------------------------
	const esc = (value) =>
		String(value === null || value === undefined ? "" : value).replace(
			/[&<>"']/g,
			(c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]
		);
	const shown = (value) => {
		if (value === null || value === undefined || value === "") return "—";
		if (Array.isArray(value)) return value.map((p) => `${p.item || ""} × ${p.qty || 0}`).join(", ") || "—";
		if (typeof value === "string" && value.startsWith("data:image/")) return "✍";
		if (value === 1 || value === true) return "✓";
		if (value === 0 || value === false) return "—";
		return String(value);
	};
	function showNetwork() {
		const el = document.getElementById("network");
		el.textContent = navigator.onLine ? T("Online") : T("Offline: what you enter is kept on this phone and sent when the connection returns.");
		el.className = "network " + (navigator.onLine ? "online" : "offline");
	}
	function showSync(text) {
		document.getElementById("sync").textContent = text;
	}
	function syncText() {
		const waiting = outbox.length;
		if (!waiting) return T("All sent");
		return T("{0} waiting to send", waiting);
	}
	// date-times are the site's wall clock (as the desk shows them), whatever the phone's own time zone
	function nowOnSite() {
		const zone = (record && record.state.time_zone) || undefined;
		const parts = {};
		new Intl.DateTimeFormat("en-CA", {
			timeZone: zone,
			year: "numeric",
			month: "2-digit",
			day: "2-digit",
			hour: "2-digit",
			minute: "2-digit",
			hourCycle: "h23",
		})
			.formatToParts(new Date())
			.forEach((part) => (parts[part.type] = part.value));
		return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
	}
	function toLocalInput(value) {
		return value ? String(value).replace(" ", "T").slice(0, 16) : "";
	}
	function fromLocalInput(value) {
		return value ? value.replace("T", " ") + (value.length === 16 ? ":00" : "") : null;
	}
	function render() {
		showNetwork();
		const main = document.getElementById("main");
		if (!name) {
			main.innerHTML = `<p class="note">${esc(T("No inspection named in the address."))}</p>`;
			showSync("");
			return;
		}
		if (!record) {
			main.innerHTML = loginNeeded
				? `<p class="note"><a href="/login?redirect-to=${encodeURIComponent(location.pathname + location.hash)}">${esc(T("Log in to open the inspection."))}</a></p>`
				: `<p class="note">${esc(T("This inspection is not on this phone yet: open it once with a connection."))}</p>`;
			showSync("");
			return;
		}
		showSync(syncText());
		const state = record.state;
		const values = current();
		const editable = state.editable;
		const off = editable ? "" : " disabled";
		const options = (field) =>
			[`<option value=""></option>`]
				.concat(
					(state.options[field] || []).map(
						(o) => `<option value="${esc(o.value)}"${values[field] === o.value ? " selected" : ""}>${esc(o.label)}</option>`
					)
				)
				.join("");
		const parts = (values.parts_used || [])
			.map(
				(p, i) => `<div class="part" data-i="${i}">
					<input class="part-item" placeholder="${esc(T("Item"))}" value="${esc(p.item)}"${off}>
					<input class="part-qty" type="number" min="0" step="any" placeholder="${esc(T("Qty"))}" value="${esc(p.qty)}"${off}>
					<input class="part-serial" placeholder="${esc(T("Serial No"))}" value="${esc(p.serial_no)}"${off}>
				</div>`
			)
			.join("");
		const serverPhotos = (state.photos || [])
			.map(
				(p) => `<figure class="photo sent"><img src="${esc(p.photo)}" alt=""><figcaption>${esc(p.caption || "")}
					<small>${esc(T("Taken on the phone"))}: ${esc(p.taken_on_phone_at || "—")} · ${esc(T("Received"))}: ${esc(p.received_at || "")}</small></figcaption></figure>`
			)
			.join("");
		previews.forEach((url) => URL.revokeObjectURL(url)); // the previous render's previews
		previews = [];
		const pendingPhotos = outbox
			.filter((op) => op.kind === "photo")
			.map((op) => {
				const url = URL.createObjectURL(op.blob);
				previews.push(url);
				return `<figure class="photo waiting"><img src="${url}" alt=""><figcaption>${esc(op.caption || "")}
					<small class="badge">${esc(T("Waiting to send"))}</small></figcaption></figure>`;
			})
			.join("");
		const queue = outbox
			.map((op) => {
				const what = op.kind === "photo" ? T("Photo") : Object.keys(op.changes).map((f) => T(LABELS[f] || f)).join(", ");
				if (op.status === "conflict") {
					const rows = Object.keys(op.conflicts)
						.map((f) => {
							const c = op.conflicts[f];
							return `<li><b>${esc(c.label)}</b> — ${esc(T("On the server"))}: <span class="server-value">${esc(shown(c.server))}</span>; ${esc(T("Yours"))}: <span class="my-value">${esc(shown(c.mine))}</span></li>`;
						})
						.join("");
					return `<div class="op conflict" data-id="${op.id}"><b>${esc(T("Changed on the server meanwhile"))}</b><ul>${rows}</ul>
						<button class="keep-mine">${esc(T("Keep mine"))}</button> <button class="take-server">${esc(T("Take the server's"))}</button></div>`;
				}
				if (op.status === "refused") {
					return `<div class="op refused" data-id="${op.id}"><b>${esc(T("Refused by the server"))}</b>: ${esc(what)} — ${esc(op.error)}
						<button class="discard">${esc(T("Discard"))}</button></div>`;
				}
				return `<div class="op waiting" data-id="${op.id}">${esc(T("Waiting to send"))}: ${esc(what)}</div>`;
			})
			.join("");
		main.innerHTML = `
			<section class="card head">
				<div class="name">${esc(state.name)} · ${esc(state.status_label)}</div>
				<div>${esc(state.customer_name || state.customer || "")}</div>
				<div>${esc(state.item || "")} ${esc(state.serial_no || "")}</div>
				<a class="desk" href="/app/defect-inspection/${encodeURIComponent(state.name)}">${esc(T("Open in the desk"))}</a>
				${editable ? "" : `<p class="note">${esc(T("Only the inspector writes the site report, while the inspection is a draft."))}</p>`}
			</section>
			<section class="queue">${queue}</section>
			<section class="card">
				<label>${esc(T("Arrived At"))}
					<span class="row"><input id="arrived_at" type="datetime-local" value="${esc(toLocalInput(values.arrived_at))}"${off}>
					<button id="now" type="button"${off}>${esc(T("Now"))}</button></span></label>
				<label>${esc(T("Findings"))}<textarea id="findings" rows="4"${off}>${esc(values.findings || "")}</textarea></label>
			</section>
			<section class="card">
				<h2>${esc(T("Photos"))}</h2>
				<div class="photos">${serverPhotos}${pendingPhotos}</div>
				<label>${esc(T("Caption"))}<input id="caption"${off}></label>
				<label class="button take${editable ? "" : " disabled"}">${esc(T("Take a Photo"))}
					<input id="camera" type="file" accept="image/*" capture="environment" multiple${off}></label>
			</section>
			<section class="card">
				<label>${esc(T("Determination"))}<select id="determination"${off}>${options("determination")}</select></label>
				<label>${esc(T("Misuse Handling"))}<select id="misuse_handling"${off}>${options("misuse_handling")}</select></label>
				<label class="check"><input id="fixed_on_site" type="checkbox"${values.fixed_on_site ? " checked" : ""}${off}> ${esc(T("Fixed on Site"))}</label>
			</section>
			<section class="card">
				<h2>${esc(T("Parts Used"))}</h2>
				<div id="parts">${parts}</div>
				<button id="add-part" type="button"${off}>${esc(T("Add a Part"))}</button>
			</section>
			<section class="card">
				<label>${esc(T("Customer's Opinion"))}<textarea id="customer_opinion" rows="3"${off}>${esc(values.customer_opinion || "")}</textarea></label>
				<label>${esc(T("Customer Signature"))}</label>
				<canvas id="signature" width="600" height="200"></canvas>
				<button id="clear-signature" type="button"${off}>${esc(T("Clear"))}</button>
			</section>
			<div class="actions"><button id="save" class="primary" type="button"${off}>${esc(T("Save"))}</button></div>`;
		bind(values, editable);
	}
	function bind(values, editable) {
		const el = (id) => document.getElementById(id);
		const set = (field, value) => (draft[field] = value);
		el("arrived_at").addEventListener("change", (e) => set("arrived_at", fromLocalInput(e.target.value)));
		el("now").addEventListener("click", () => {
			const local = nowOnSite();
			el("arrived_at").value = local;
			set("arrived_at", fromLocalInput(local));
		});
		["findings", "customer_opinion"].forEach((f) => el(f).addEventListener("input", (e) => set(f, e.target.value)));
		["determination", "misuse_handling"].forEach((f) => el(f).addEventListener("change", (e) => set(f, e.target.value || null)));
		el("fixed_on_site").addEventListener("change", (e) => set("fixed_on_site", e.target.checked ? 1 : 0));
		const readParts = () =>
			Array.from(document.querySelectorAll("#parts .part")).map((row) => ({
				item: row.querySelector(".part-item").value || null,
				qty: parseFloat(row.querySelector(".part-qty").value) || 0,
				serial_no: row.querySelector(".part-serial").value || null,
			}));
		el("parts").addEventListener("input", () => set("parts_used", readParts()));
		el("add-part").addEventListener("click", () => {
			set("parts_used", readParts().concat([{ item: null, qty: 1, serial_no: null }]));
			render();
		});
		el("camera").addEventListener("change", (e) => {
			const files = Array.from(e.target.files || []);
			if (files.length) addPhotos(files, el("caption").value);
		});
		el("save").addEventListener("click", saveDraft);
		signature(el("signature"), values.customer_signature, editable);
		el("clear-signature").addEventListener("click", () => {
			set("customer_signature", null);
			render();
		});
		document.querySelectorAll(".op.conflict").forEach((box) => {
			const op = outbox.find((o) => String(o.id) === box.dataset.id);
			box.querySelector(".keep-mine").addEventListener("click", () => resolveConflict(op, true));
			box.querySelector(".take-server").addEventListener("click", () => resolveConflict(op, false));
		});
		document.querySelectorAll(".op.refused .discard").forEach((button) => {
			const op = outbox.find((o) => String(o.id) === button.parentElement.dataset.id);
			button.addEventListener("click", () => discard(op));
		});
	}
	function signature(canvas, value, editable) {
		const ctx = canvas.getContext("2d");
		ctx.lineWidth = 3;
		ctx.lineCap = "round";
		if (value) {
			const img = new Image();
			img.onload = () => ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
			img.src = value;
		}
		if (!editable) return;
		let drawing = false;
		const at = (e) => {
			const box = canvas.getBoundingClientRect();
			return [((e.clientX - box.left) * canvas.width) / box.width, ((e.clientY - box.top) * canvas.height) / box.height];
		};
		canvas.addEventListener("pointerdown", (e) => {
			drawing = true;
			ctx.beginPath();
			ctx.moveTo(...at(e));
		});
		canvas.addEventListener("pointermove", (e) => {
			if (!drawing) return;
			ctx.lineTo(...at(e));
			ctx.stroke();
		});
		const end = () => {
			if (!drawing) return;
			drawing = false;
			draft.customer_signature = canvas.toDataURL("image/png");
		};
		canvas.addEventListener("pointerup", end);
		canvas.addEventListener("pointerleave", end);
	}

	async function start() {
		name = decodeURIComponent(location.hash.slice(1));
		if ("serviceWorker" in navigator) {
			navigator.serviceWorker.register(window.FIELD.scope + "sw.js", { scope: window.FIELD.scope }).catch(() => {});
		}
		window.addEventListener("online", () => {
			showNetwork();
			refresh().then(render).then(flush);
		});
		window.addEventListener("offline", render);
		window.addEventListener("hashchange", () => location.reload());
		db = await openDb();
		if (name) await loadLocal();
		render();
		if (name && navigator.onLine) {
			await refresh();
			render();
			flush();
		}
		setInterval(flush, RETRY_MS);
	}
	start();
})();
