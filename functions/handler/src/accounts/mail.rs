//! The register's mails, composed in the account's language: the note added to a desk mail (with the
//! confirmation link), the reminder (with the extend and end links), the removal and unconfirmed
//! notices to the desk, and the request to end an account. Every value is escaped in the HTML part;
//! subjects carry the name as the orderer wrote it, with control characters removed by the MIME writer.

use guidepost_forms::{Email, escape};
use jiff::Zoned;

use super::record::Account;
use super::texts::{fill, texts};
use crate::transport::{MessageKind, OutgoingMessage};

/// Text added to a desk mail: a sentence and a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeskNote {
    /// What to do.
    pub text: String,
    /// The link.
    pub link: String,
}

impl DeskNote {
    /// Appends the note to both parts of `email`.
    pub fn append_to(&self, email: &mut Email) {
        email
            .text
            .push_str(&format!("\n{}\n{}\n", self.text, self.link));
        let paragraph = paragraph_with_link(&self.text, &self.link);
        match email.html.rfind("</body>") {
            Some(at) => email.html.insert_str(at, &paragraph),
            None => email.html.push_str(&paragraph),
        }
    }
}

fn paragraph_with_link(text: &str, link: &str) -> String {
    format!(
        "<p>{}<br>\n<a href=\"{}\">{}</a></p>\n",
        escape(text),
        escape(link),
        escape(link)
    )
}

fn html_document(lang: guidepost_forms::Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.code(),
        escape(title)
    )
}

/// One paragraph of a mail: text, and a link under it if any.
struct Part<'a>(String, Option<&'a str>);

fn email(
    account: &Account,
    sender: &str,
    to: Vec<String>,
    subject: String,
    parts: &[Part<'_>],
) -> Email {
    let mut text = String::new();
    let mut html = String::new();
    for Part(words, link) in parts {
        match link {
            Some(link) => {
                text.push_str(&format!("{words}\n{link}\n\n"));
                html.push_str(&paragraph_with_link(words, link));
            }
            None => {
                text.push_str(&format!("{words}\n\n"));
                html.push_str(&format!("<p>{}</p>\n", escape(words)));
            }
        }
    }
    Email {
        from: sender.to_owned(),
        to,
        reply_to: None,
        html: html_document(account.lang, &subject, &html),
        subject,
        text,
    }
}

/// What every mail about an account fills in.
fn slots(account: &Account) -> [(&'static str, String); 3] {
    [
        ("name", account.person_name.clone()),
        ("account", account.id.clone()),
        ("end", account.end_date.to_string()),
    ]
}

fn filled(template: &str, account: &Account, more: &[(&str, &str)]) -> String {
    let base = slots(account);
    let mut all: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(more);
    fill(template, &all)
}

/// The reminder `days` before the end date, to `to`, under the spool key `key`.
#[allow(clippy::too_many_arguments)]
pub fn reminder(
    account: &Account,
    key: &str,
    days: u32,
    late_since: Option<guidepost_forms::Date>,
    extend: &str,
    end: &str,
    to: Vec<String>,
    sender: &str,
    now: &Zoned,
) -> OutgoingMessage {
    let t = texts(account.lang);
    let days_text = days.to_string();
    let mut parts = vec![Part(
        filled(t.reminder_body, account, &[("days", &days_text)]),
        None,
    )];
    if let Some(due) = late_since {
        parts.push(Part(
            fill(t.reminder_late, &[("due", &due.to_string())]),
            None,
        ));
    }
    parts.push(Part(t.reminder_extend.to_owned(), Some(extend)));
    parts.push(Part(t.reminder_end.to_owned(), Some(end)));
    parts.push(Part(t.reminder_nothing.to_owned(), None));
    let subject = filled(t.reminder_subject, account, &[]);
    let mail = email(account, sender, to, subject, &parts);
    OutgoingMessage::finish(MessageKind::Reminder, key, sender, &mail, now)
}

/// The desk's notice that the end date has come.
pub fn removal(
    account: &Account,
    key: &str,
    desk_to: Vec<String>,
    sender: &str,
    now: &Zoned,
) -> OutgoingMessage {
    let t = texts(account.lang);
    let parts = [Part(filled(t.removal_body, account, &[]), None)];
    let mail = email(
        account,
        sender,
        desk_to,
        filled(t.removal_subject, account, &[]),
        &parts,
    );
    OutgoingMessage::finish(MessageKind::Removal, key, sender, &mail, now)
}

/// The desk's notice that the order waits for its confirmation.
pub fn unconfirmed(
    account: &Account,
    key: &str,
    confirm: &str,
    desk_to: Vec<String>,
    sender: &str,
    now: &Zoned,
) -> OutgoingMessage {
    let t = texts(account.lang);
    let ordered = account.ordered_on.to_string();
    let parts = [Part(
        filled(t.unconfirmed_body, account, &[("ordered", &ordered)]),
        Some(confirm),
    )];
    let mail = email(
        account,
        sender,
        desk_to,
        filled(t.unconfirmed_subject, account, &[]),
        &parts,
    );
    OutgoingMessage::finish(MessageKind::Unconfirmed, key, sender, &mail, now)
}

/// The request to end the account, to the desk, Reply-To the contact person.
pub fn end_request(
    account: &Account,
    reference: &str,
    confirm: &str,
    desk_to: Vec<String>,
    sender: &str,
    now: &Zoned,
) -> OutgoingMessage {
    let t = texts(account.lang);
    let more = [
        ("reference", reference),
        ("contact", account.contact_email.as_str()),
    ];
    let parts = [Part(filled(t.end_body, account, &more), Some(confirm))];
    let mut mail = email(
        account,
        sender,
        desk_to,
        filled(t.end_subject, account, &more),
        &parts,
    );
    mail.reply_to = Some(account.contact_email.clone());
    OutgoingMessage::finish(MessageKind::Desk, reference, sender, &mail, now)
}
