//! A form's privacy notice as HTML: a headed section with one term per part (controller, purpose,
//! legal basis, retention, rights, contact) and a link to the full text; shown before the submit button.

use std::fmt::Write as _;

use super::escape;
use crate::model::{Form, Privacy};
use crate::strings;

/// The notice of `form` as a section headed by `h2`, or nothing when the form names none.
pub fn render_privacy(form: &Form) -> String {
    let Some(p) = &form.privacy else {
        return String::new();
    };
    let lang = form.lang;
    let id = format!("privacy-{}", escape(&form.id));
    let mut out = format!(
        "<section class=\"privacy-notice\" aria-labelledby=\"{id}\">\n<h2 class=\"privacy-heading\" id=\"{id}\">{}</h2>\n<dl class=\"privacy-list\">\n",
        strings::privacy_heading(lang)
    );
    for (term, text) in parts(p, lang) {
        let _ = writeln!(out, "<dt>{term}</dt>\n<dd>{}</dd>", escape(text));
    }
    out.push_str("</dl>\n");
    if let Some(page) = &p.page {
        let _ = writeln!(
            out,
            "<p><a href=\"{}\">{}</a></p>",
            escape(page),
            strings::privacy_more(lang)
        );
    }
    out.push_str("</section>\n");
    out
}

/// The parts of a notice with their terms, in the order a reader needs them.
fn parts(p: &Privacy, lang: crate::model::Lang) -> [(&'static str, &str); 6] {
    [
        (strings::privacy_controller(lang), p.controller.as_str()),
        (strings::privacy_purpose(lang), p.purpose.as_str()),
        (strings::privacy_legal_basis(lang), p.legal_basis.as_str()),
        (strings::privacy_retention(lang), p.retention.as_str()),
        (strings::privacy_rights(lang), p.rights.as_str()),
        (strings::privacy_contact(lang), p.contact.as_str()),
    ]
}
