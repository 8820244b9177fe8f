//! Mail transports: takes a finished [`OutgoingMessage`] (envelope + raw MIME) and hands it to SES, a folder of
//! `.eml` files, an SMTP relay, or a recording fake. The pipeline only sees the [`Transport`] trait.

mod counted;
mod folder;
mod recording;
#[cfg(feature = "aws")]
mod ses;
#[cfg(feature = "smtp")]
mod smtp;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

pub use counted::CountedTransport;
pub use folder::EmlFolder;
pub use recording::RecordingTransport;
#[cfg(feature = "aws")]
pub use ses::SesTransport;
#[cfg(feature = "smtp")]
pub use smtp::{SmtpOptions, SmtpSecurity, SmtpSetupError, SmtpTransport};

/// One message ready to send: who it is from, the envelope recipients, and the whole RFC 5322 text.
///
/// Recipients are the envelope: for the desk mail they come from the handler's desk config, for the receipt
/// from the checked submission; never from a raw form value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// What the message is, for logs and file names (`desk` or `receipt`); never personal data.
    pub kind: MessageKind,
    /// The submission's reference (for file names and logs).
    pub reference: String,
    /// The sender address as configured (`GUIDEPOST_SENDER`).
    pub from: String,
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The message as produced by `Email::to_mime`.
    pub raw: String,
}

impl OutgoingMessage {
    /// `email` as a finished message of `kind` for `reference`, dated `when`, with the stable Message-ID
    /// `<reference.kind@sender's domain>` (a resend is recognisable as the same message).
    pub fn finish(
        kind: MessageKind,
        reference: &str,
        sender: &str,
        email: &guidepost_forms::Email,
        when: &jiff::Zoned,
    ) -> OutgoingMessage {
        let date =
            jiff::fmt::rfc2822::to_string(when).unwrap_or_else(|_| when.timestamp().to_string());
        let message_id = format!(
            "<{}.{}@{}>",
            reference.to_ascii_lowercase(),
            kind.as_str(),
            sender_domain(sender)
        );
        OutgoingMessage {
            kind,
            reference: reference.to_owned(),
            from: sender.to_owned(),
            to: email.to.clone(),
            raw: email.to_mime(&message_id, &date),
        }
    }
}

/// The domain of `Name <local@domain>` or `local@domain`.
pub fn sender_domain(sender: &str) -> &str {
    let address = sender
        .rsplit('<')
        .next()
        .unwrap_or(sender)
        .trim_end_matches('>');
    address
        .rsplit_once('@')
        .map_or("guidepost.invalid", |(_, domain)| domain)
}

/// Which of a submission's messages this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// The routed desk's copy of the submission.
    Desk,
    /// The submitter's receipt.
    Receipt,
    /// A reminder about an account's end date (to the contact person, at the last one the external
    /// person too).
    Reminder,
    /// The desk's notice that an account's end date has come with no extension.
    Removal,
    /// The desk's notice that an account order is still unconfirmed.
    Unconfirmed,
}

impl MessageKind {
    /// The lower-case name used in file names and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Desk => "desk",
            MessageKind::Receipt => "receipt",
            MessageKind::Reminder => "reminder",
            MessageKind::Removal => "removal",
            MessageKind::Unconfirmed => "unconfirmed",
        }
    }
}

/// Why a message was not handed over. The detail is for the log only, never for the client.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The mail service refused the message (not worth retrying within this request).
    #[error("mail service refused or failed: {0}")]
    Service(String),
    /// The mail service throttled, failed with a 5xx, or could not be reached: worth retrying.
    #[error("mail service temporarily unavailable: {0}")]
    Transient(String),
    /// The attempt took longer than its share of the time budget.
    #[error("mail service did not answer within {0:?}")]
    TimedOut(std::time::Duration),
    /// Writing the message to the mail folder failed.
    #[error("could not write the message to {path}: {source}")]
    Folder {
        /// The file that could not be written.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl DeliveryError {
    /// Whether trying again soon may succeed: throttling, 5xx, timeouts, refused connections.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            DeliveryError::Transient(_) | DeliveryError::TimedOut(_)
        )
    }
}

/// Something that delivers a finished message.
pub trait Transport: Send + Sync {
    /// Hands `message` over for delivery; `Ok` means the service accepted it.
    fn send(
        &self,
        message: &OutgoingMessage,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;

    /// Whether the service can be reached now (for `/readyz`); `Err` says why not. Default: yes.
    fn probe(&self) -> impl Future<Output = Result<(), String>> + Send {
        async { Ok(()) }
    }
}

/// A boxed future, for the object-safe form of the traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The object-safe form of [`Transport`], implemented for every transport, so the app state can hold any
/// of them behind one `Arc<dyn DynTransport>`.
pub trait DynTransport: Send + Sync {
    /// See [`Transport::send`].
    fn send_boxed<'a>(
        &'a self,
        message: &'a OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), DeliveryError>>;
    /// See [`Transport::probe`].
    fn probe_boxed(&self) -> BoxFuture<'_, Result<(), String>>;
}

impl<T: Transport> DynTransport for T {
    fn send_boxed<'a>(
        &'a self,
        message: &'a OutgoingMessage,
    ) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send(message))
    }
    fn probe_boxed(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(self.probe())
    }
}
