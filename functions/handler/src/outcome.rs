//! The typed results the stages hand upwards: [`Outcome`], the one word per submission or redelivery the
//! log carries (and the template's alarms match); [`Received`], a submission the client gets a reference
//! for; and [`Rejection`], why a submission was answered without being accepted. The HTTP edge turns them into responses, the log into words; nothing here
//! knows about HTTP.

use guidepost_forms::{FieldErrors, RawInput};

/// The `outcome` field of a log line. [`Outcome::as_str`] is the only place the words are spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// No form with the id in the path.
    UnknownForm,
    /// The client's bucket was empty (local server).
    RateLimited,
    /// A browser posted from an origin not allowed.
    WrongOrigin,
    /// Neither urlencoded nor JSON (or a charset other than UTF-8).
    UnsupportedMediaType,
    /// The body was over the limit.
    TooLarge,
    /// The body could not be read or parsed.
    Unreadable,
    /// A field was invalid (or a JSON value nested).
    Invalid,
    /// The honeypot was filled: answered as accepted, nothing sent.
    Honeypot,
    /// Sent faster than a person fills a form: answered as accepted, nothing sent.
    TooFast,
    /// A repeat of a submission pending or delivered: the first reference, nothing sent again.
    Duplicate,
    /// The routing named a desk without an address (a bug: checked at start).
    NoDesk,
    /// The spool could not store the submission: nothing was sent, the client is told to try again.
    SpoolFailed,
    /// Every message was handed over and the entry removed.
    Delivered,
    /// Stored, but a message was not handed over in time: left for redelivery.
    SpooledUndelivered,
    /// Which messages were sent before could not be read: nothing sent, left in the spool.
    SpoolUnreadable,
    /// Everything was handed over but the spool could not be updated.
    DeliveredNotUnspooled,
    /// A redelivery pass delivered an entry.
    Redelivered,
    /// A redelivery pass could not deliver an entry.
    StillUndelivered,
    /// An entry past the retention limit was removed undelivered (the alarm line).
    ExpiredUndeliverable,
    /// The summary line of one redelivery pass.
    RedeliveryRun,
    /// An account link sent with the order was changed, expired, used or for a closed account.
    BadLink,
}

impl Outcome {
    /// Every outcome, in the order above.
    pub const ALL: [Outcome; 21] = [
        Outcome::UnknownForm,
        Outcome::RateLimited,
        Outcome::WrongOrigin,
        Outcome::UnsupportedMediaType,
        Outcome::TooLarge,
        Outcome::Unreadable,
        Outcome::Invalid,
        Outcome::Honeypot,
        Outcome::TooFast,
        Outcome::Duplicate,
        Outcome::NoDesk,
        Outcome::SpoolFailed,
        Outcome::Delivered,
        Outcome::SpooledUndelivered,
        Outcome::SpoolUnreadable,
        Outcome::DeliveredNotUnspooled,
        Outcome::Redelivered,
        Outcome::StillUndelivered,
        Outcome::ExpiredUndeliverable,
        Outcome::RedeliveryRun,
        Outcome::BadLink,
    ];

    /// The word in the log line.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::UnknownForm => "unknown_form",
            Outcome::RateLimited => "rate_limited",
            Outcome::WrongOrigin => "wrong_origin",
            Outcome::UnsupportedMediaType => "unsupported_media_type",
            Outcome::TooLarge => "too_large",
            Outcome::Unreadable => "unreadable",
            Outcome::Invalid => "invalid",
            Outcome::Honeypot => "honeypot",
            Outcome::TooFast => "too_fast",
            Outcome::Duplicate => "duplicate",
            Outcome::NoDesk => "no_desk",
            Outcome::SpoolFailed => "spool_failed",
            Outcome::Delivered => "delivered",
            Outcome::SpooledUndelivered => "spooled_undelivered",
            Outcome::SpoolUnreadable => "spool_unreadable",
            Outcome::DeliveredNotUnspooled => "delivered_not_unspooled",
            Outcome::Redelivered => "redelivered",
            Outcome::StillUndelivered => "still_undelivered",
            Outcome::ExpiredUndeliverable => "expired_undeliverable",
            Outcome::RedeliveryRun => "redelivery_run",
            Outcome::BadLink => "bad_link",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A submission the client is told was received (303 to the receipt page, or 200 with the reference):
/// the reference, and what really became of it, for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The reference the client gets.
    pub reference: String,
    /// Delivered, left for redelivery, a duplicate, or quietly dropped by a trap.
    pub outcome: Outcome,
    /// The desk the routing picked (safe to log), if it got that far.
    pub desk: Option<String>,
    /// The error detail for the log (addresses redacted), if any.
    pub error: Option<String>,
}

/// Why a submission was answered without being accepted.
#[derive(Debug)]
pub enum Rejection {
    /// The client's bucket is empty; it may try again after this many seconds (429).
    RateLimited {
        /// The `Retry-After` value.
        retry_after_secs: u64,
    },
    /// A browser posted from an origin not allowed (403).
    WrongOrigin,
    /// Neither urlencoded nor JSON, or not UTF-8 (415).
    UnsupportedMediaType,
    /// Over the body limit (413).
    TooLarge,
    /// Not UTF-8, not JSON, not an object, or the connection failed (400).
    Unreadable,
    /// These JSON fields held an object or a nested array (422).
    NotText(Vec<String>),
    /// The form's own checks failed (422): the input, to show again, and the messages.
    Invalid {
        /// What was sent.
        input: RawInput,
        /// The messages per field.
        errors: FieldErrors,
    },
    /// The routing named a desk without an address (500); the detail is for the log.
    NoDesk(String),
    /// The spool could not store it (503); the detail is for the log.
    SpoolFailed(String),
    /// The account link sent with the order cannot be used (4xx, or 503 when the register is down).
    AccountLink(crate::accounts::LinkProblem),
}

impl Rejection {
    /// The outcome word for the log.
    pub fn outcome(&self) -> Outcome {
        match self {
            Rejection::RateLimited { .. } => Outcome::RateLimited,
            Rejection::WrongOrigin => Outcome::WrongOrigin,
            Rejection::UnsupportedMediaType => Outcome::UnsupportedMediaType,
            Rejection::TooLarge => Outcome::TooLarge,
            Rejection::Unreadable => Outcome::Unreadable,
            Rejection::NotText(_) | Rejection::Invalid { .. } => Outcome::Invalid,
            Rejection::NoDesk(_) => Outcome::NoDesk,
            Rejection::SpoolFailed(_) => Outcome::SpoolFailed,
            Rejection::AccountLink(_) => Outcome::BadLink,
        }
    }

    /// The error detail for the log (addresses already redacted), if any.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Rejection::NoDesk(detail) | Rejection::SpoolFailed(detail) => Some(detail),
            _ => None,
        }
    }
}

/// Replaces every word holding an `@` (e-mail addresses in service errors) with `<address>`, so the log
/// never carries a submitter's address.
pub fn redact_addresses(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            if word.contains('@') {
                "<address> "
            } else {
                word
            }
        })
        .collect::<String>()
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_redacted_from_errors() {
        assert_eq!(
            redact_addresses("Email address is not verified: a.b@x.example, c@y.example (region)"),
            "Email address is not verified: <address> <address> (region)"
        );
    }

    #[test]
    fn every_outcome_has_its_own_word() {
        let mut words: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), Outcome::ALL.len());
    }

    /// The metric filters of `deploy/template.yaml` match outcome words: each must be one the function
    /// writes, or the alarm can never fire.
    #[test]
    fn the_outcome_words_the_template_alarms_match_exist() {
        let template = include_str!("../../../deploy/template.yaml");
        let matched: Vec<&str> = template
            .split("$.fields.outcome = \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(
            matched.len() >= 4,
            "the template's filters were not found: {matched:?}"
        );
        for word in &matched {
            assert!(
                Outcome::ALL.iter().any(|o| o.as_str() == *word),
                "deploy/template.yaml matches outcome `{word}`, which the function never writes"
            );
        }
        for alarmed in [
            Outcome::ExpiredUndeliverable,
            Outcome::RedeliveryRun,
            Outcome::SpoolFailed,
            Outcome::NoDesk,
        ] {
            assert!(matched.contains(&alarmed.as_str()), "{alarmed} not alarmed");
        }
    }
}
