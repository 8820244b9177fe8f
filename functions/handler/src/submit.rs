//! `POST /forms/{id}`: the pipeline request → parse → validate → route → deliver → response, and the one
//! structured log line per submission (form, reference, outcome, duration; never a field value).

use std::collections::BTreeMap;
use std::time::Instant;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use guidepost_forms::{FieldErrors, Form, RawInput, reference_from_bytes};
use jiff::Zoned;

use crate::compose::compose_messages;
use crate::deliver::{Delivery, accept, deliver};
use crate::messages::Message;
use crate::parse::{ParseError, parse_json, parse_urlencoded};
use crate::request::{BodyError, BodyKind, MAX_BODY_BYTES, body_kind, read_body};
use crate::response::{html_invalid, json_field_errors, json_reference, plain, problem, see_other};
use crate::spool::{SpoolEntry, SpoolError};
use crate::state::{AppState, Parts};

/// How many fresh references to try when one is already in the spool.
const REFERENCE_ATTEMPTS: usize = 5;

/// What the log line says about one submission.
struct Record {
    reference: Option<String>,
    outcome: &'static str,
    desk: Option<String>,
    error: Option<String>,
}

impl Record {
    fn new(outcome: &'static str) -> Record {
        Record {
            reference: None,
            outcome,
            desk: None,
            error: None,
        }
    }
}

/// The axum handler for `POST /forms/{id}`.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let started = Instant::now();
    let parts = &*state.inner;
    let Some(form) = parts.forms.get(&id) else {
        tracing::info!(target: "guidepost::submission", outcome = "unknown_form", "submission");
        return plain(StatusCode::NOT_FOUND, "No such form.\n");
    };
    let (response, record) = handle(parts, form, request).await;
    tracing::info!(
        target: "guidepost::submission",
        form = %form.id,
        reference = record.reference.as_deref().unwrap_or(""),
        outcome = record.outcome,
        desk = record.desk.as_deref().unwrap_or(""),
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_millis() as u64,
        error = record.error.as_deref().unwrap_or(""),
        "submission"
    );
    response
}

/// An answer given before validation, with what to log.
type Early = (Response, Record);

async fn handle(parts: &Parts, form: &Form, request: Request) -> (Response, Record) {
    let (kind, input) = match read_input(form, request).await {
        Ok(read) => read,
        Err(early) => return early,
    };
    let now = Zoned::new(
        (parts.clock)(),
        parts.settings.time_zones.get(form.lang).clone(),
    );
    if honeypot_filled(form, &input) {
        let reference = new_reference();
        let record = Record {
            reference: Some(reference.clone()),
            ..Record::new("honeypot")
        };
        return (accepted(parts, form, kind, &reference), record);
    }
    match form.validate(&input, crate::clock::civil_date(&now)) {
        Err(errors) => {
            let answer = match kind {
                BodyKind::Json => json_field_errors(&errors),
                BodyKind::Form => {
                    let action = parts.settings.action(&form.id);
                    html_invalid(parts.pages.invalid_page(form, &input, &errors, &action))
                }
            };
            (answer, Record::new("invalid"))
        }
        Ok(submission) => accept_and_deliver(parts, form, kind, &submission, &now).await,
    }
}

/// Request → (body kind, input), or the 4xx answer: 415, 413, 400, or 422 for nested JSON values.
async fn read_input(form: &Form, request: Request) -> Result<(BodyKind, RawInput), Early> {
    let lang = form.lang;
    let (head, body) = request.into_parts();
    let Some(kind) = body_kind(&head.headers) else {
        let text = "Send the form as application/x-www-form-urlencoded or application/json.\n";
        let answer = plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, text);
        return Err((answer, Record::new("unsupported_media_type")));
    };
    let refuse = |status, message: Message, outcome| {
        (
            problem(status, kind, lang, message.text(lang)),
            Record::new(outcome),
        )
    };
    let bytes = match read_body(&head.headers, body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            return Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                Message::TooLarge,
                "too_large",
            ));
        }
        Err(BodyError::Unreadable) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                Message::Unreadable,
                "unreadable",
            ));
        }
    };
    let parsed = match kind {
        BodyKind::Form => parse_urlencoded(&bytes),
        BodyKind::Json => parse_json(&bytes),
    };
    match parsed {
        Ok(input) => Ok((kind, input)),
        Err(ParseError::NestedValues(names)) => {
            let text = Message::NotText.text(lang);
            let errors: BTreeMap<String, Vec<String>> = names
                .into_iter()
                .map(|n| (n, vec![text.to_owned()]))
                .collect();
            Err((
                json_field_errors(&FieldErrors(errors)),
                Record::new("invalid"),
            ))
        }
        Err(ParseError::NotUtf8 | ParseError::NotJsonObject(_)) => Err(refuse(
            StatusCode::BAD_REQUEST,
            Message::Unreadable,
            "unreadable",
        )),
    }
}

/// A honeypot counts as filled when any value sent under its name is not blank.
fn honeypot_filled(form: &Form, input: &RawInput) -> bool {
    let trap = form.honeypot();
    input
        .0
        .iter()
        .any(|(name, value)| name == trap && !value.trim().is_empty())
}

/// The answer for an accepted (or seemingly accepted) submission.
fn accepted(parts: &Parts, form: &Form, kind: BodyKind, reference: &str) -> Response {
    match kind {
        BodyKind::Form => see_other(&parts.settings.receipt_location(form.lang, reference)),
        BodyKind::Json => json_reference(reference),
    }
}

/// Why an accepted submission could not be spooled: the status, the log outcome, the detail.
type NotSpooled = (StatusCode, &'static str, String);

async fn accept_and_deliver(
    parts: &Parts,
    form: &Form,
    kind: BodyKind,
    submission: &guidepost_forms::Submission,
    now: &Zoned,
) -> (Response, Record) {
    let (entry, desk) = match spool_new(parts, form, submission, now).await {
        Ok(spooled) => spooled,
        Err((status, outcome, error)) => {
            let answer = problem(
                status,
                kind,
                form.lang,
                Message::TryAgainLater.text(form.lang),
            );
            let record = Record {
                error: Some(redact_addresses(&error)),
                ..Record::new(outcome)
            };
            return (answer, record);
        }
    };
    let delivery = deliver(parts.spool.as_ref(), parts.transport.as_ref(), &entry).await;
    let error = match &delivery {
        Delivery::Delivered => None,
        Delivery::Failed { delivered, error } => Some(format!("after {delivered} sent: {error}")),
        Delivery::NotRemoved(error) => Some(error.to_string()),
    };
    let record = Record {
        reference: Some(entry.reference.clone()),
        outcome: delivery.outcome(),
        desk: Some(desk),
        error: error.map(|e| redact_addresses(&e)),
    };
    (accepted(parts, form, kind, &entry.reference), record)
}

/// Routes and composes under a fresh reference and spools the result (a reference already in the
/// spool is replaced by a new one); returns the entry and the desk key.
async fn spool_new(
    parts: &Parts,
    form: &Form,
    submission: &guidepost_forms::Submission,
    now: &Zoned,
) -> Result<(SpoolEntry, String), NotSpooled> {
    let sender = &parts.settings.sender;
    for _ in 0..REFERENCE_ATTEMPTS {
        let reference = new_reference();
        let composed = compose_messages(form, submission, &parts.desks, sender, &reference, now)
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, "no_desk", e.to_string()))?;
        let entry = SpoolEntry {
            reference,
            form: form.id.clone(),
            accepted_at: now.timestamp().to_string(),
            messages: composed.messages,
        };
        match accept(parts.spool.as_ref(), &entry).await {
            Ok(()) => return Ok((entry, composed.desk)),
            Err(SpoolError::Exists(_)) => continue,
            Err(e) => {
                return Err((
                    StatusCode::SERVICE_UNAVAILABLE,
                    "spool_failed",
                    e.to_string(),
                ));
            }
        }
    }
    let error = format!("{REFERENCE_ATTEMPTS} references in a row were taken");
    Err((StatusCode::SERVICE_UNAVAILABLE, "spool_failed", error))
}

/// A fresh reference from the operating system's randomness.
fn new_reference() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: fall back to the clock's nanoseconds (still unique per spool by create-new).
        let nanos = jiff::Timestamp::now().as_nanosecond();
        bytes = (nanos as u64).to_le_bytes();
    }
    reference_from_bytes(bytes)
}

/// Replaces every word holding an `@` (e-mail addresses in service errors) with `<address>`, so the log
/// never carries a submitter's address.
fn redact_addresses(text: &str) -> String {
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
    use super::redact_addresses;

    #[test]
    fn addresses_are_redacted_from_errors() {
        assert_eq!(
            redact_addresses("Email address is not verified: a.b@x.example, c@y.example (region)"),
            "Email address is not verified: <address> <address> (region)"
        );
    }
}
