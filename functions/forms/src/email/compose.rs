//! Composing e-mails from a form and a submission: the desk's copy (every field in form order under
//! its group, with the reference and time, Reply-To the submitter) and the submitter's receipt, which
//! carries nothing the sender typed (reference, form title, time, the form's own "what happens next"
//! text and the labels of the questions answered), so the form cannot be used to mail a stranger
//! someone's own words.

use std::fmt::Write as _;

use super::Email;
use crate::html::{escape, paragraphs};
use crate::model::{Form, Lang};
use crate::strings;
use crate::validate::{Submission, Value};

/// What the handler adds: the reference, the local time, the sender, the desk's addresses.
#[derive(Clone, Copy, Debug)]
pub struct Envelope<'a> {
    /// The submission's reference (`GP-7K4M-9QXD`).
    pub reference: &'a str,
    /// Local time of submission, e.g. `2026-11-22 14:05 CET`.
    pub submitted_at: &'a str,
    /// The sender address.
    pub from: &'a str,
    /// The desk's addresses.
    pub desk_to: &'a [String],
}

/// The answers as (group legend, [(label, value)]) in form order.
fn summary(form: &Form, sub: &Submission, masked: bool) -> Vec<(String, Vec<(String, String)>)> {
    form.groups
        .iter()
        .map(|g| {
            let rows = g
                .fields
                .iter()
                .filter_map(|f| {
                    sub.get(&f.name)
                        .map(|v| (f.label.clone(), v.display(f, form.lang, masked)))
                })
                .collect();
            (g.legend.clone(), rows)
        })
        .collect()
}

/// The summary as plain text: a heading per group, `Label: value`, longer values indented below.
fn summary_text(groups: &[(String, Vec<(String, String)>)]) -> String {
    let mut out = String::new();
    for (legend, rows) in groups {
        let _ = writeln!(out, "\n{legend}\n{}", "-".repeat(legend.chars().count()));
        for (label, value) in rows {
            if value.contains('\n') {
                let _ = writeln!(out, "{label}:");
                for line in value.lines() {
                    let _ = writeln!(out, "    {line}");
                }
            } else {
                let _ = writeln!(out, "{label}: {value}");
            }
        }
    }
    out
}

/// The summary as HTML: a heading and a two-column table per group, every value escaped.
fn summary_html(groups: &[(String, Vec<(String, String)>)]) -> String {
    let mut out = String::new();
    for (legend, rows) in groups {
        let _ = writeln!(out, "<h2>{}</h2>\n<table>", escape(legend));
        for (label, value) in rows {
            let value = escape(value).replace('\n', "<br>\n");
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\" style=\"text-align:left;vertical-align:top;padding-right:1em\">{}</th><td>{value}</td></tr>",
                escape(label)
            );
        }
        out.push_str("</table>\n");
    }
    out
}

/// The frame of an HTML e-mail.
fn html_document(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.code(),
        escape(title)
    )
}

/// To the desk: every field in form order under its group with its label; reference; time; Reply-To
/// the submitter.
pub fn compose_desk_email(form: &Form, sub: &Submission, env: &Envelope<'_>) -> Email {
    let lang = form.lang;
    let subject = format!("{} – {}", form.title, env.reference);
    let groups = summary(form, sub, false);
    let head = format!(
        "{}: {}\n{}: {}\n{}: {}\n",
        strings::desk_intro(lang),
        form.title,
        strings::reference(lang),
        env.reference,
        strings::submitted(lang),
        env.submitted_at
    );
    let text = format!("{head}{}", summary_text(&groups));
    let body = format!(
        "<h1>{}</h1>\n<p>{}: {}<br>\n{}: {}</p>\n{}",
        escape(&form.title),
        strings::reference(lang),
        escape(env.reference),
        strings::submitted(lang),
        escape(env.submitted_at),
        summary_html(&groups)
    );
    Email {
        from: env.from.to_string(),
        to: env.desk_to.to_vec(),
        reply_to: sub.submitter_email().map(str::to_string),
        subject: subject.clone(),
        text,
        html: html_document(lang, &subject, &body),
    }
}

/// The labels of the questions answered, in form order.
fn answered_labels<'a>(form: &'a Form, sub: &Submission) -> Vec<&'a str> {
    form.groups
        .iter()
        .flat_map(|g| &g.fields)
        .filter(|f| sub.get(&f.name).is_some_and(|v| *v != Value::Empty))
        .map(|f| f.label.as_str())
        .collect()
}

/// To the submitter, when the form has their e-mail: the reference, the time, what happens next and the
/// labels of the questions answered, never an answer. `None` when there is no submitter e-mail.
pub fn compose_receipt(form: &Form, sub: &Submission, env: &Envelope<'_>) -> Option<Email> {
    let to = sub.submitter_email()?;
    let lang = form.lang;
    let subject = format!(
        "{}: {} ({})",
        strings::receipt_subject(lang),
        form.title,
        env.reference
    );
    let labels = answered_labels(form, sub);
    let list_text: String = labels.iter().map(|l| format!("- {l}\n")).collect();
    let list_html: String = labels
        .iter()
        .map(|l| format!("<li>{}</li>\n", escape(l)))
        .collect();
    let heading = strings::answered_heading(lang);
    let (privacy_text, privacy_html) = privacy_short(form);
    let text = format!(
        "{}\n{} {}\n{}: {}\n\n{}\n{}\n\n{}\n{}\n{}\n{}\n{privacy_text}",
        strings::receipt_thanks(lang),
        strings::receipt_reference(lang),
        env.reference,
        strings::submitted(lang),
        env.submitted_at,
        strings::next_heading(lang),
        form.receipt,
        heading,
        "=".repeat(heading.chars().count()),
        list_text,
        strings::answers_not_repeated(lang),
    );
    let body = format!(
        "<h1>{}</h1>\n<p>{}</p>\n<p>{} <strong>{}</strong><br>\n{}: {}</p>\n<h2>{}</h2>\n{}<h2>{}</h2>\n<ul>\n{}</ul>\n<p>{}</p>\n{privacy_html}",
        escape(&form.title),
        strings::receipt_thanks(lang),
        strings::receipt_reference(lang),
        escape(env.reference),
        strings::submitted(lang),
        escape(env.submitted_at),
        strings::next_heading(lang),
        paragraphs(&form.receipt, "receipt"),
        escape(heading),
        list_html,
        strings::answers_not_repeated(lang),
    );
    Some(Email {
        from: env.from.to_string(),
        to: vec![to.to_string()],
        reply_to: None,
        subject: subject.clone(),
        text,
        html: html_document(lang, &subject, &body),
    })
}

/// The receipt's short privacy part (controller, retention, whom to ask) as text and HTML; empty when
/// the form names no notice.
fn privacy_short(form: &Form) -> (String, String) {
    let Some(p) = &form.privacy else {
        return (String::new(), String::new());
    };
    let lang = form.lang;
    let heading = strings::privacy_heading(lang);
    let rows = [
        (strings::privacy_controller(lang), &p.controller),
        (strings::privacy_retention(lang), &p.retention),
        (strings::privacy_contact(lang), &p.contact),
    ];
    let mut text = format!("\n{heading}\n{}\n", "=".repeat(heading.chars().count()));
    let mut html = format!("<h2>{heading}</h2>\n");
    for (term, value) in rows {
        let _ = writeln!(text, "{term}: {value}");
        let _ = writeln!(html, "<p><strong>{term}:</strong> {}</p>", escape(value));
    }
    (text, html)
}
