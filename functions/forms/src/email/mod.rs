//! E-mail: the message to the desk and the receipt to the submitter ([`compose`]), and [`Email::to_mime`],
//! the one place mail-builder is used: a multipart/alternative RFC 5322 message, UTF-8, bodies in
//! quoted-printable (7bit when the text is plain short-lined ASCII, base64 when that is shorter; see
//! [`encode`]), headers encoded-word, and no way for a value to start a header of its own.

mod compose;
mod encode;

use std::borrow::Cow;

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::MimePart;

pub use compose::{Envelope, compose_desk_email, compose_receipt};

/// A composed e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// The sender (`addr` or `Name <addr>`).
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// Where replies go (the submitter, for desk e-mails).
    pub reply_to: Option<String>,
    /// The subject: the form's title and the reference, never user text.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body (every user value escaped).
    pub html: String,
}

/// Removes CR, LF and other control characters: nothing can end a header line early.
fn header_safe(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// `Name <addr>` or `addr` → an address with CR/LF removed.
fn address(value: &str) -> Address<'static> {
    let value = header_safe(value);
    match value.rsplit_once('<') {
        Some((name, rest)) => {
            let email = rest.trim_end_matches('>').trim().to_string();
            let name = name.trim().trim_matches('"').trim().to_string();
            if name.is_empty() {
                Address::from(email)
            } else {
                Address::from((name, email))
            }
        }
        None => Address::from(value),
    }
}

/// A UTF-8 text part, encoded here rather than by mail-builder (whose encoder formats byte by byte).
fn body_part(content_type: &'static str, body: &str) -> MimePart<'static> {
    let body = encode::encode_body(body);
    MimePart::new(
        ContentType::new(content_type).attribute("charset", "utf-8"),
        body.bytes,
    )
    .transfer_encoding(body.encoding.as_str())
}

impl Email {
    /// RFC 5322 message, multipart/alternative (text + HTML), UTF-8, quoted-printable, 7bit or base64 bodies,
    /// encoded-word headers; no user value can add a header (CR/LF stripped from every header value).
    /// The MIME boundary is derived from `message_id`, so the output is deterministic.
    pub fn to_mime(&self, message_id: &str, date_rfc2822: &str) -> String {
        let id = header_safe(message_id).trim_matches(['<', '>']).to_string();
        let boundary: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(40)
            .collect();
        let boundary = format!("=_gp_alt_{boundary}");
        let text = body_part("text/plain", &self.text);
        let html = body_part("text/html", &self.html);
        let body = MimePart::new(
            ContentType::new("multipart/alternative").attribute("boundary", boundary),
            vec![text, html],
        );
        let to: Vec<Address<'static>> = self.to.iter().map(|t| address(t)).collect();
        let mut builder = MessageBuilder::new()
            .message_id(id)
            .header("Date", Raw::new(Cow::Owned(header_safe(date_rfc2822))))
            .from(address(&self.from))
            .to(Address::new_list(to))
            .subject(header_safe(&self.subject));
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(address(reply_to));
        }
        builder.body(body).write_to_string().unwrap_or_default()
    }
}
