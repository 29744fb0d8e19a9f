// The customer's /issues page (ERPNext's web form) links the complaint the Issue became
// (service_desk/issue.py). Rendered by Jinja with the web form's context.
{% if reference_doc and reference_doc.customer_complaint %}
frappe.ready(() => {
	const complaint = {{ reference_doc.customer_complaint | tojson }};
	const link = document.createElement("a");
	link.className = "issue-complaint-link";
	link.href = "/complaints/" + encodeURIComponent(complaint);
	link.textContent = {{ _("Your complaint {0}") | tojson }}.replace("{0}", complaint);
	const note = document.createElement("p");
	note.className = "issue-complaint";
	note.appendChild(link);
	const head = document.querySelector(".web-form-header") || document.querySelector(".web-form");
	if (head) head.after(note);
});
{% endif %}
