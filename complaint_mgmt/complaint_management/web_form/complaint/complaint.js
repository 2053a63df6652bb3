frappe.ready(function () {
	// show the complaint number the customer will quote from now on (texts translated by the server)
	const message = {{ _("Your complaint number is {0}. Please quote it whenever you contact us.") | tojson }};
	const follow = {{ _("Follow your complaint") | tojson }};
	const show_success = frappe.web_form.handle_success.bind(frappe.web_form);
	frappe.web_form.handle_success = (data) => {
		show_success(data);
		if (data && data.name) {
			$(".success-message").text(message.replace("{0}", data.name));
			$(".success-footer").prepend(
				$("<a class='btn btn-primary btn-md'>")
					.attr("href", "/complaint-status?complaint=" + encodeURIComponent(data.name))
					.text(follow)
			);
		}
	};
});
