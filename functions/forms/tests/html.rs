//! render_form: the empty form, values kept and escaped, errors shown with a summary first, ids
//! unique and every aria-describedby target present, for the fixtures and every real form.

mod common;

use common::{fixture_forms, input, real_forms, today};
use guidepost_forms::{FieldErrors, Form, RawInput, form_markers, render_form};

/// Every value of `attr="…"` in the HTML.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| html[at + needle.len()..].split('"').next())
        .collect()
}

/// Structural checks standing in for the Nu validator: unique ids, every described-by and label target
/// present, balanced containers.
fn assert_well_formed(html: &str) {
    let ids = attribute_values(html, "id");
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids");
    for list in attribute_values(html, "aria-describedby") {
        for id in list.split(' ') {
            assert!(
                ids.contains(&id),
                "aria-describedby points at missing #{id}"
            );
        }
    }
    for target in attribute_values(html, "for") {
        assert!(ids.contains(&target), "label for missing #{target}");
    }
    for target in attribute_values(html, "href")
        .iter()
        .filter_map(|h| h.strip_prefix('#'))
    {
        assert!(ids.contains(&target), "link to missing #{target}");
    }
    for tag in ["div", "fieldset", "form", "select", "ul", "p", "label"] {
        let opens =
            html.matches(&format!("<{tag} ")).count() + html.matches(&format!("<{tag}>")).count();
        assert_eq!(
            opens,
            html.matches(&format!("</{tag}>")).count(),
            "<{tag}> balanced"
        );
    }
    assert!(!html.contains("<script"), "no raw script tags");
}

fn demo() -> Form {
    fixture_forms().get("demo").expect("demo").clone()
}

#[test]
fn empty_form() {
    let form = demo();
    let html = render_form(
        &form,
        &RawInput::default(),
        &FieldErrors::default(),
        "/forms/demo",
    );
    assert_well_formed(&html);
    assert!(html.starts_with("<form method=\"post\" action=\"/forms/demo\" novalidate"));
    assert!(!html.contains("error-summary"));
    assert!(!html.contains("aria-invalid"));
    assert!(
        html.contains("<label class=\"label\" for=\"f-name\">Full name</label>"),
        "required fields are not marked"
    );
    assert!(html.contains("Phone number <span class=\"optional\">(optional)</span>"));
    assert!(html.contains("type=\"email\" autocomplete=\"email\""));
    assert!(html.contains("type=\"tel\" inputmode=\"tel\" autocomplete=\"tel\""));
    assert!(
        html.contains("<option value=\"fibre\">Symmetric fibre</option>"),
        "options from the data file"
    );
    assert!(html.contains("<p class=\"char-count\" id=\"f-notes-count\" data-max-chars=\"10000\" aria-live=\"polite\">You can enter up to 10000 characters.</p>"));
    assert!(
        !html.contains("maxlength"),
        "long texts have no maxlength: users may paste, then trim"
    );
    assert!(html.contains("name=\"capacity_unit\""));
    assert!(html.contains("<option value=\"Mbit/s\" selected>Mbit/s</option>"));
    assert!(html.contains("<input type=\"text\" id=\"f-website\" name=\"website\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">"));
    assert!(html.contains("<label for=\"f-website\">Leave this field empty</label>"));
    assert!(html.contains("<button type=\"submit\" class=\"button\">Send</button>"));
    let (start, end) = form_markers("demo");
    assert_eq!(
        (start.as_str(), end.as_str()),
        ("<!--guidepost:form:demo-->", "<!--/guidepost:form:demo-->")
    );
}

#[test]
fn values_are_kept_escaped_and_errors_shown() {
    let form = demo();
    let raw = input(&[
        ("name", "\"><script>alert(1)</script>"),
        ("kind", "cancel"),
        ("connection", "adsl"),
        ("extras", "router"),
        ("extras", "advice"),
        ("capacity", "abc"),
        ("capacity_unit", "Gbit/s"),
        ("notes", "line one\n</textarea><script>"),
    ]);
    let errors = form.validate(&raw, today()).expect_err("invalid");
    let html = render_form(&form, &raw, &errors, "/forms/demo");
    assert_well_formed(&html);
    let summary = html
        .find("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"")
        .expect("summary");
    assert!(
        summary < html.find("<fieldset").expect("fields"),
        "summary first"
    );
    assert!(html.contains(
        "<h2 class=\"error-summary-title\" id=\"error-summary-title\">There is a problem</h2>"
    ));
    assert!(html.contains("<li><a href=\"#f-email\">Fill in “Email address”</a></li>"));
    assert!(html.contains(
        "<li><a href=\"#f-accept\">Answer the question “Do you accept the terms?”</a></li>"
    ));
    let email_at = html.find("href=\"#f-email\"").expect("email link");
    let accept_at = html.find("href=\"#f-accept\"").expect("accept link");
    assert!(email_at < accept_at, "summary in form order");
    assert!(
        html.contains("<p class=\"field-error\" id=\"f-email-error\">Fill in “Email address”</p>")
    );
    assert!(html.contains("aria-describedby=\"f-email-error\" aria-invalid=\"true\""));
    assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    assert!(html.contains(">line one\n&lt;/textarea&gt;&lt;script&gt;</textarea>"));
    assert!(html.contains("value=\"cancel\" checked"));
    assert!(html.contains("value=\"router\" checked") && html.contains("value=\"advice\" checked"));
    assert!(!html.contains("value=\"backup\" checked"));
    assert!(html.contains("<option value=\"adsl\" selected>"));
    assert!(html.contains("<option value=\"Gbit/s\" selected>Gbit/s</option>"));
    assert!(html.contains("value=\"abc\" aria-invalid=\"true\""));
}

#[test]
fn every_real_form_renders_well_formed() {
    for form in real_forms().iter() {
        let html = render_form(
            form,
            &RawInput::default(),
            &FieldErrors::default(),
            "/api/forms",
        );
        assert_well_formed(&html);
        let errors = form
            .validate(&RawInput::default(), today())
            .expect_err("empty is refused");
        let html = render_form(form, &RawInput::default(), &errors, "/api/forms");
        assert_well_formed(&html);
        assert!(html.contains("error-summary"));
    }
}

#[test]
fn swedish_and_norwegian_ui_strings() {
    let set = real_forms();
    let sv = set.get("network-order").expect("sv");
    let errors = sv
        .validate(&RawInput::default(), today())
        .expect_err("empty");
    let html = render_form(sv, &RawInput::default(), &errors, "/api/forms");
    assert!(html.contains(">Skicka beställningen</button>"));
    assert!(html.contains(">Det finns fel i formuläret</h2>"));
    assert!(html.contains("<span class=\"optional\">(valfritt)</span>"));
    assert!(html.contains("Du kan skriva högst 2000 tecken."));
    let nb = set.get("nhn-email-account").expect("nb");
    let errors = nb
        .validate(&RawInput::default(), today())
        .expect_err("empty");
    let html = render_form(nb, &RawInput::default(), &errors, "/api/forms");
    assert!(html.contains(">Send bestillingen</button>"));
    assert!(html.contains(">Det er feil i skjemaet</h2>"));
    assert!(
        html.contains("<label class=\"choice-label\" for=\"f-registered_contact-2\">Nei</label>")
    );
}

#[test]
fn the_privacy_notice_comes_before_the_submit_button() {
    let forms = fixture_forms();
    let form = forms.get("demo").expect("demo");
    let html = render_form(form, &RawInput::default(), &FieldErrors::default(), "/f");
    let notice = html
        .find("<section class=\"privacy-notice\" aria-labelledby=\"privacy-demo\">\n<h2 class=\"privacy-heading\" id=\"privacy-demo\">How we handle your personal data</h2>")
        .expect("the notice is shown");
    let button = html.find("<button type=\"submit\"").expect("button");
    assert!(notice < button, "{html}");
    assert!(html.contains("<dt>Controller</dt>\n<dd>The Demo Desk, a made-up publisher.</dd>"));
    assert!(html.contains("<dt>Questions about your data</dt>\n<dd>privacy@demo.example</dd>"));
    assert!(
        html.contains(
            "<p><a href=\"/privacy/\">Read more about how we handle personal data</a></p>"
        )
    );
    assert_well_formed(&html);
}

#[test]
fn the_editors_own_message_replaces_the_default_for_an_unanswered_field() {
    let forms = fixture_forms();
    let form = forms.get("demo").expect("demo");
    let errors = form.validate(&input(&[]), today()).expect_err("empty form");
    assert_eq!(errors.get("name"), ["Tell us your full name"]);
    assert_eq!(errors.get("email"), ["Fill in “Email address”"]);
}

#[test]
fn a_date_is_a_text_input_that_states_the_format_it_accepts() {
    let forms = fixture_forms();
    let form = forms.get("demo").expect("demo");
    let html = render_form(form, &RawInput::default(), &FieldErrors::default(), "/f");
    assert!(html.contains("<p class=\"hint\" id=\"f-start-format\">Write the date as YYYY-MM-DD, for example 2027-03-15.</p>"), "{html}");
    assert!(html.contains("<input class=\"input input--date\" id=\"f-start\" name=\"start\" type=\"text\" spellcheck=\"false\" value=\"\" aria-describedby=\"f-start-format\">"), "{html}");
}
