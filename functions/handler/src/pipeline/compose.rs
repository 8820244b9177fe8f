//! Route and compose: a checked submission → the desk it goes to → the finished messages (desk mail, then
//! the receipt when the form has the submitter's e-mail), as raw MIME with a stable Message-ID each.

use guidepost_forms::{Envelope, Form, Submission, compose_desk_email, compose_receipt};
use jiff::Zoned;

use crate::desks::DeskBook;
use crate::transport::{MessageKind, OutgoingMessage};

/// The routing rule named a desk the desk book does not have (checked at start, so a bug if seen).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("form `{form}` routed to desk `{desk}`, which has no address")]
pub struct NoDesk {
    /// The form id.
    pub form: String,
    /// The desk key.
    pub desk: String,
}

/// What one accepted submission sends.
#[derive(Debug)]
pub struct Composed {
    /// The desk key the routing picked (safe to log).
    pub desk: String,
    /// Desk mail first, then the receipt if any.
    pub messages: Vec<OutgoingMessage>,
}

/// Routes `submission` and composes its messages, dated `submitted` (the organisation's local time).
pub fn compose_messages(
    form: &Form,
    submission: &Submission,
    desks: &DeskBook,
    sender: &str,
    reference: &str,
    submitted: &Zoned,
) -> Result<Composed, NoDesk> {
    let desk = form.route(submission).to_owned();
    let desk_to = desks
        .addresses(&desk)
        .ok_or_else(|| NoDesk {
            form: form.id.clone(),
            desk: desk.clone(),
        })?
        .to_vec();
    let submitted_at = submitted.strftime("%Y-%m-%d %H:%M %Z").to_string();
    let date = jiff::fmt::rfc2822::to_string(submitted)
        .unwrap_or_else(|_| submitted.timestamp().to_string());
    let envelope = Envelope {
        reference,
        submitted_at: &submitted_at,
        from: sender,
        desk_to: &desk_to,
    };
    let domain = sender_domain(sender);
    let finish = |kind: MessageKind, email: guidepost_forms::Email| {
        let message_id = format!(
            "<{}.{}@{domain}>",
            reference.to_ascii_lowercase(),
            kind.as_str()
        );
        OutgoingMessage {
            kind,
            reference: reference.to_owned(),
            from: sender.to_owned(),
            to: email.to.clone(),
            raw: email.to_mime(&message_id, &date),
        }
    };
    let mut messages = vec![finish(
        MessageKind::Desk,
        compose_desk_email(form, submission, &envelope),
    )];
    if let Some(receipt) = compose_receipt(form, submission, &envelope) {
        messages.push(finish(MessageKind::Receipt, receipt));
    }
    Ok(Composed { desk, messages })
}

/// The domain of `Name <local@domain>` or `local@domain`.
fn sender_domain(sender: &str) -> &str {
    let address = sender
        .rsplit('<')
        .next()
        .unwrap_or(sender)
        .trim_end_matches('>');
    address
        .rsplit_once('@')
        .map_or("guidepost.invalid", |(_, domain)| domain)
}

#[cfg(test)]
mod tests {
    use super::sender_domain;

    #[test]
    fn the_message_id_domain_is_the_senders() {
        assert_eq!(
            sender_domain("Region <formular@region.example>"),
            "region.example"
        );
        assert_eq!(sender_domain("formular@region.example"), "region.example");
        assert_eq!(sender_domain("nobody"), "guidepost.invalid");
    }
}
