//! The HTML of the account register's pages, placed where the account form is on its built page: the
//! desk's confirmation (with the end date to correct), the contact person's "end the account?"
//! question, what was done, and every link problem. Every value is escaped.

use std::fmt::Write as _;

use guidepost_forms::{Lang, escape};

use crate::accounts::texts::texts;

/// A section with a heading and paragraphs.
pub fn message(heading: &str, paragraphs: &[&str], role_alert: bool) -> String {
    let role = if role_alert { " role=\"alert\"" } else { "" };
    let mut out = format!(
        "<section class=\"account-page\" aria-labelledby=\"account-heading\"{role}>\n<h2 id=\"account-heading\" tabindex=\"-1\">{}</h2>\n",
        escape(heading)
    );
    for paragraph in paragraphs {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
    }
    out.push_str("</section>\n");
    out
}

/// The date field of the confirmation, with its error when there is one.
fn date_field(lang: Lang, value: &str, error: Option<&str>) -> String {
    let t = texts(lang);
    let (invalid, described, error_html) = match error {
        Some(error) => (
            " aria-invalid=\"true\"",
            "account-end-hint account-end-error",
            format!(
                "<p class=\"field-error\" id=\"account-end-error\">{}</p>\n",
                escape(error)
            ),
        ),
        None => ("", "account-end-hint", String::new()),
    };
    format!(
        "<div class=\"field{}\">\n<label class=\"label\" for=\"account-end\">{}</label>\n<p class=\"hint\" id=\"account-end-hint\">{}</p>\n{error_html}<input class=\"input input--short\" id=\"account-end\" name=\"end_date\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" spellcheck=\"false\" value=\"{}\" aria-describedby=\"{described}\"{invalid}>\n</div>\n",
        if error.is_some() { " field--error" } else { "" },
        escape(t.end_date_label),
        escape(t.end_date_hint),
        escape(value),
    )
}

/// A page with a question, an optional date field and one button that posts `token` to `action`.
pub fn question(
    lang: Lang,
    heading: &str,
    text: &str,
    action: &str,
    token: &str,
    date: Option<(&str, Option<&str>)>,
    button: &str,
) -> String {
    let mut out = format!(
        "<section class=\"account-page\" aria-labelledby=\"account-heading\">\n<h2 id=\"account-heading\" tabindex=\"-1\">{}</h2>\n<p>{}</p>\n<form method=\"post\" action=\"{}\" accept-charset=\"UTF-8\" class=\"account-form\" novalidate>\n<input type=\"hidden\" name=\"t\" value=\"{}\">\n",
        escape(heading),
        escape(text),
        escape(action),
        escape(token),
    );
    if let Some((value, error)) = date {
        out.push_str(&date_field(lang, value, error));
    }
    let _ = writeln!(
        out,
        "<button type=\"submit\" class=\"button\">{}</button>\n</form>\n</section>",
        escape(button)
    );
    out
}
