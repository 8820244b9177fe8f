//! The form as HTML (GOV.UK / Designsystemet patterns): error summary first, fieldsets with legends,
//! a label, hint and error slot per field, the user's values kept, a hidden honeypot. The same code
//! renders the empty form in the generator and the form with errors in the handler.
//!
//! The output does not include the [`form_markers`]: the generator writes them around it, and the
//! handler replaces what lies strictly between them with a new `render_form`.

mod privacy;
mod receipt;
mod widgets;

pub use privacy::render_privacy;
pub use receipt::{RECEIPT_ID, render_receipt};

use std::fmt::Write as _;

use crate::model::Form;
use crate::strings;
use crate::validate::{FieldErrors, RawInput};

/// The hidden field the page's script sets to the milliseconds spent on the page before sending (empty
/// without JavaScript); the function quietly drops submissions sent faster than a person could.
pub const FILL_TIME_FIELD: &str = "gp_elapsed_ms";

/// The hidden field that carries a signed account link (an extension opened from a reminder) back with
/// the order; rendered only when the values hold one.
pub const ACCOUNT_TOKEN_FIELD: &str = "gp_account";

/// Where forms post by default: `POST {ACTION_PREFIX}{id}` on the site's own origin (the generator writes
/// it into each form, the dev server routes it, the function serves it unless configured otherwise).
pub const ACTION_PREFIX: &str = "/forms/";

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    // The five characters are ASCII, so the text is copied in runs between them, byte-wise (a run
    // never ends inside a UTF-8 sequence).
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

/// Text as paragraphs: blank lines separate paragraphs, single line breaks are spaces (as in Markdown).
pub(crate) fn paragraphs(text: &str, class: &str) -> String {
    paragraph_texts(text)
        .map(|p| format!("<p class=\"{class}\">{}</p>\n", escape(&p)))
        .collect()
}

/// The paragraphs of `text` (split at blank lines), each on one line, unescaped.
pub(crate) fn paragraph_texts(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The marker comments around a form in a built page: `<!--guidepost:form:ID-->`, `<!--/guidepost:form:ID-->`.
pub fn form_markers(id: &str) -> (String, String) {
    (
        format!("<!--guidepost:form:{id}-->"),
        format!("<!--/guidepost:form:{id}-->"),
    )
}

/// The form as HTML with `values` filled in and `errors` shown (error summary first), posting to `action`.
pub fn render_form(form: &Form, values: &RawInput, errors: &FieldErrors, action: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<form method=\"post\" action=\"{}\" novalidate accept-charset=\"UTF-8\" class=\"gp-form\" id=\"form-{}\" data-form=\"{}\">",
        escape(action),
        escape(&form.id),
        escape(&form.id)
    );
    out.push_str(&error_summary(form, errors));
    out.push_str(&paragraphs(&form.intro, "form-intro"));
    for group in &form.groups {
        out.push_str("<fieldset class=\"form-group\">\n");
        let _ = writeln!(
            out,
            "<legend class=\"form-legend\">{}</legend>",
            escape(&group.legend)
        );
        if let Some(hint) = &group.hint {
            out.push_str(&paragraphs(hint, "hint"));
        }
        for field in &group.fields {
            out.push_str(&widgets::field(
                field,
                form.lang,
                values,
                errors.get(&field.name),
            ));
        }
        out.push_str("</fieldset>\n");
    }
    out.push_str(&render_privacy(form));
    out.push_str(&honeypot(form, values));
    if let Some(token) = values.all(ACCOUNT_TOKEN_FIELD).next() {
        let _ = writeln!(
            out,
            "<input type=\"hidden\" name=\"{ACCOUNT_TOKEN_FIELD}\" value=\"{}\">",
            escape(token)
        );
    }
    let _ = writeln!(
        out,
        "<input type=\"hidden\" name=\"{FILL_TIME_FIELD}\" value=\"\">"
    );
    let _ = writeln!(
        out,
        "<button type=\"submit\" class=\"button\">{}</button>",
        strings::submit(form.lang)
    );
    out.push_str("</form>\n");
    out
}

/// The error summary: a heading and a link to each field with an error, in form order.
fn error_summary(form: &Form, errors: &FieldErrors) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus aria-labelledby=\"error-summary-title\">\n",
    );
    let _ = writeln!(
        out,
        "<h2 class=\"error-summary-title\" id=\"error-summary-title\">{}</h2>",
        strings::error_summary_heading(form.lang)
    );
    out.push_str("<ul class=\"error-summary-list\">\n");
    for field in form.fields() {
        for message in errors.get(&field.name) {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                field.html_id(),
                escape(message)
            );
        }
    }
    out.push_str("</ul>\n</div>\n");
    out
}

/// The honeypot: hidden from sight and from assistive technology, skipped by the tab key, labelled
/// for anyone who meets it anyway.
fn honeypot(form: &Form, values: &RawInput) -> String {
    let name = escape(form.honeypot());
    let value = values
        .all(form.honeypot())
        .next()
        .map(escape)
        .unwrap_or_default();
    format!(
        "<div class=\"visually-hidden\" aria-hidden=\"true\">\n<label for=\"f-{name}\">{}</label>\n<input type=\"text\" id=\"f-{name}\" name=\"{name}\" value=\"{value}\" tabindex=\"-1\" autocomplete=\"off\">\n</div>\n",
        strings::honeypot(form.lang)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_replaces_the_five_characters_and_keeps_the_rest_of_the_text() {
        assert_eq!(
            super::escape(r#"Åsa & "Ölund" <a href='x'>→</a>"#),
            "Åsa &amp; &quot;Ölund&quot; &lt;a href=&#39;x&#39;&gt;→&lt;/a&gt;"
        );
        assert_eq!(super::escape("vårdgivare"), "vårdgivare");
        assert_eq!(super::escape(""), "");
    }
}
