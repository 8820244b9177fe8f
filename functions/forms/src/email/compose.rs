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

/// One group of the summary: its legend and its (label, value) rows.
type Group<'a> = (&'a str, Vec<(&'a str, String)>);

/// The answers as (group legend, [(label, value)]) in form order.
fn summary<'a>(form: &'a Form, sub: &Submission, masked: bool) -> Vec<Group<'a>> {
    form.groups
        .iter()
        .map(|g| {
            let rows = g
                .fields
                .iter()
                .filter_map(|f| {
                    sub.get(&f.name)
                        .map(|v| (f.label.as_str(), v.display(f, form.lang, masked)))
                })
                .collect();
            (g.legend.as_str(), rows)
        })
        .collect()
}

/// A capacity for a body holding the summary: its text plus `per_row` bytes of markup per row.
fn summary_capacity(groups: &[Group<'_>], per_row: usize) -> usize {
    let rows = groups.iter().flat_map(|(_, rows)| rows);
    let text: usize = rows
        .map(|(label, value)| label.len() + value.len() + per_row)
        .sum();
    text + groups
        .iter()
        .map(|(legend, _)| 2 * legend.len() + per_row)
        .sum::<usize>()
}

/// Appends the pieces to `out`, in order.
fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// Appends `c` once per character of `heading`: the underline of a plain-text heading.
fn push_underline(out: &mut String, c: char, heading: &str) {
    out.extend(std::iter::repeat_n(c, heading.chars().count()));
}

/// The summary as plain text: a heading per group, `Label: value`, longer values indented below.
fn summary_text(out: &mut String, groups: &[Group<'_>]) {
    for (legend, rows) in groups {
        push_all(out, &["\n", legend, "\n"]);
        push_underline(out, '-', legend);
        out.push('\n');
        for (label, value) in rows {
            if value.contains('\n') {
                push_all(out, &[label, ":\n"]);
                for line in value.lines() {
                    push_all(out, &["    ", line, "\n"]);
                }
            } else {
                push_all(out, &[label, ": ", value, "\n"]);
            }
        }
    }
}

/// The start of a summary row in HTML, up to the label.
const ROW_START: &str =
    "<tr><th scope=\"row\" style=\"text-align:left;vertical-align:top;padding-right:1em\">";

/// The summary as HTML: a heading and a two-column table per group, every value escaped.
fn summary_html(out: &mut String, groups: &[Group<'_>]) {
    for (legend, rows) in groups {
        push_all(out, &["<h2>", &escape(legend), "</h2>\n<table>\n"]);
        for (label, value) in rows {
            let mut value = escape(value);
            if value.contains('\n') {
                value = value.replace('\n', "<br>\n");
            }
            let cells = [
                ROW_START,
                &escape(label),
                "</th><td>",
                &value,
                "</td></tr>\n",
            ];
            push_all(out, &cells);
        }
        out.push_str("</table>\n");
    }
}

/// The frame of an HTML e-mail around what `body` writes; `capacity` is a guess at the body's size.
fn html_document(
    lang: Lang,
    title: &str,
    capacity: usize,
    body: impl FnOnce(&mut String),
) -> String {
    let mut out = String::with_capacity(capacity + title.len() + 128);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n",
        lang.code(),
        escape(title)
    );
    body(&mut out);
    out.push_str("</body>\n</html>\n");
    out
}

/// To the desk: every field in form order under its group with its label; reference; time; Reply-To
/// the submitter.
pub fn compose_desk_email(form: &Form, sub: &Submission, env: &Envelope<'_>) -> Email {
    let lang = form.lang;
    let subject = format!("{} – {}", form.title, env.reference);
    let groups = summary(form, sub, false);
    let (reference, submitted) = (strings::reference(lang), strings::submitted(lang));
    let mut text = String::with_capacity(summary_capacity(&groups, 8) + 256);
    let _ = write!(
        text,
        "{}: {}\n{reference}: {}\n{submitted}: {}\n",
        strings::desk_intro(lang),
        form.title,
        env.reference,
        env.submitted_at
    );
    summary_text(&mut text, &groups);
    let html = html_document(
        lang,
        &subject,
        summary_capacity(&groups, 110) + 256,
        |out| {
            let _ = write!(
                out,
                "<h1>{}</h1>\n<p>{reference}: {}<br>\n{submitted}: {}</p>\n",
                escape(&form.title),
                escape(env.reference),
                escape(env.submitted_at)
            );
            summary_html(out, &groups);
        },
    );
    Email {
        from: env.from.to_string(),
        to: env.desk_to.to_vec(),
        reply_to: sub.submitter_email().map(str::to_string),
        subject,
        text,
        html,
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
    let capacity = form.receipt.len() + labels.iter().map(|l| l.len() + 16).sum::<usize>() + 1024;
    let heading = strings::answered_heading(lang);
    let mut text = String::with_capacity(capacity);
    let _ = write!(
        text,
        "{}\n{} {}\n{}: {}\n\n{}\n{}\n\n{heading}\n",
        strings::receipt_thanks(lang),
        strings::receipt_reference(lang),
        env.reference,
        strings::submitted(lang),
        env.submitted_at,
        strings::next_heading(lang),
        form.receipt,
    );
    push_underline(&mut text, '=', heading);
    text.push('\n');
    for label in &labels {
        push_all(&mut text, &["- ", label, "\n"]);
    }
    push_all(
        &mut text,
        &["\n", strings::answers_not_repeated(lang), "\n"],
    );
    privacy_text(&mut text, form);
    let html = html_document(lang, &subject, capacity + form.receipt.len(), |out| {
        let _ = write!(
            out,
            "<h1>{}</h1>\n<p>{}</p>\n<p>{} <strong>{}</strong><br>\n{}: {}</p>\n<h2>{}</h2>\n{}<h2>{}</h2>\n<ul>\n",
            escape(&form.title),
            strings::receipt_thanks(lang),
            strings::receipt_reference(lang),
            escape(env.reference),
            strings::submitted(lang),
            escape(env.submitted_at),
            strings::next_heading(lang),
            paragraphs(&form.receipt, "receipt"),
            escape(heading),
        );
        for label in &labels {
            push_all(out, &["<li>", &escape(label), "</li>\n"]);
        }
        push_all(
            out,
            &["</ul>\n<p>", strings::answers_not_repeated(lang), "</p>\n"],
        );
        privacy_html(out, form);
    });
    Some(Email {
        from: env.from.to_string(),
        to: vec![to.to_string()],
        reply_to: None,
        subject,
        text,
        html,
    })
}

/// The receipt's short privacy part (controller, retention, whom to ask): its heading and rows; `None`
/// when the form names no notice.
fn privacy_rows(form: &Form) -> Option<(&'static str, [(&'static str, &str); 3])> {
    let p = form.privacy.as_ref()?;
    let lang = form.lang;
    let rows = [
        (strings::privacy_controller(lang), p.controller.as_str()),
        (strings::privacy_retention(lang), p.retention.as_str()),
        (strings::privacy_contact(lang), p.contact.as_str()),
    ];
    Some((strings::privacy_heading(lang), rows))
}

/// The short privacy part as text, appended to `out` (nothing when the form names no notice).
fn privacy_text(out: &mut String, form: &Form) {
    let Some((heading, rows)) = privacy_rows(form) else {
        return;
    };
    push_all(out, &["\n", heading, "\n"]);
    push_underline(out, '=', heading);
    out.push('\n');
    for (term, value) in rows {
        push_all(out, &[term, ": ", value, "\n"]);
    }
}

/// The short privacy part as HTML, appended to `out` (nothing when the form names no notice).
fn privacy_html(out: &mut String, form: &Form) {
    let Some((heading, rows)) = privacy_rows(form) else {
        return;
    };
    push_all(out, &["<h2>", heading, "</h2>\n"]);
    for (term, value) in rows {
        push_all(
            out,
            &["<p><strong>", term, ":</strong> ", &escape(value), "</p>\n"],
        );
    }
}
