//! Route and compose: a checked submission → the desk it goes to → the finished messages (desk mail, then
//! the receipt when the form has the submitter's e-mail), as raw MIME with a stable Message-ID each.

use guidepost_forms::{Envelope, Form, Submission, compose_desk_email, compose_receipt};
use jiff::Zoned;

use crate::accounts::mail::DeskNote;
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
    compose_messages_with(form, submission, desks, sender, reference, submitted, None)
}

/// [`compose_messages`], with `note` (an account form's confirmation link) added to the desk mail.
pub fn compose_messages_with(
    form: &Form,
    submission: &Submission,
    desks: &DeskBook,
    sender: &str,
    reference: &str,
    submitted: &Zoned,
    note: Option<&DeskNote>,
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
    let envelope = Envelope {
        reference,
        submitted_at: &submitted_at,
        from: sender,
        desk_to: &desk_to,
    };
    let finish = |kind: MessageKind, email: guidepost_forms::Email| {
        OutgoingMessage::finish(kind, reference, sender, &email, submitted)
    };
    let mut desk_email = compose_desk_email(form, submission, &envelope);
    if let Some(note) = note {
        note.append_to(&mut desk_email);
    }
    let mut messages = vec![finish(MessageKind::Desk, desk_email)];
    if let Some(receipt) = compose_receipt(form, submission, &envelope) {
        messages.push(finish(MessageKind::Receipt, receipt));
    }
    Ok(Composed { desk, messages })
}
