//! `POST /forms/{id}`: the pipeline intake → screen → validate → route and compose → accept (spool) →
//! deliver → response, and the one structured log line per submission (form, reference, outcome, desk,
//! status, duration; never a field value).

use std::time::Instant;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use guidepost_forms::{Form, Submission};
use jiff::Zoned;

use crate::compose::compose_messages;
use crate::deliver::{AcceptError, Accepted, accept, deliver};
use crate::idempotency::{fingerprint, random_reference, window_of};
use crate::intake::{gate, read_input};
use crate::messages::Message;
use crate::request::BodyKind;
use crate::response::{html_invalid, json_field_errors, json_reference, plain, problem, see_other};
use crate::screening::{Verdict, screen};
use crate::spool::SpoolEntry;
use crate::state::{AppState, Parts};

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

async fn handle(parts: &Parts, form: &Form, request: Request) -> (Response, Record) {
    if let Some((answer, outcome)) = gate(parts, form, &request) {
        return (answer, Record::new(outcome));
    }
    let (kind, input) = match read_input(form, request).await {
        Ok(read) => read,
        Err((answer, outcome)) => return (answer, Record::new(outcome)),
    };
    let now = Zoned::new(
        (parts.clock)(),
        parts.settings.time_zones.get(form.lang).clone(),
    );
    let verdict = screen(form, &input, parts.settings.min_fill);
    if verdict != Verdict::Pass {
        // Looks accepted, so a bot learns nothing; nothing is stored or sent.
        let reference = random_reference();
        let record = Record {
            reference: Some(reference.clone()),
            ..Record::new(verdict.outcome())
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

/// The answer for an accepted (or seemingly accepted) submission.
fn accepted(parts: &Parts, form: &Form, kind: BodyKind, reference: &str) -> Response {
    match kind {
        BodyKind::Form => see_other(&parts.settings.receipt_location(form.lang, reference)),
        BodyKind::Json => json_reference(reference),
    }
}

async fn accept_and_deliver(
    parts: &Parts,
    form: &Form,
    kind: BodyKind,
    submission: &Submission,
    now: &Zoned,
) -> (Response, Record) {
    let deadline = tokio::time::Instant::now() + parts.settings.retry.budget;
    let fingerprint = fingerprint(submission);
    let window = window_of(
        now.timestamp().as_second(),
        parts.settings.idempotency_window,
    );
    let desk = form.route(submission).to_owned();
    let make = |reference: &str| {
        let composed = compose_messages(
            form,
            submission,
            &parts.desks,
            &parts.settings.sender,
            reference,
            now,
        )?;
        Ok::<_, crate::compose::NoDesk>(SpoolEntry {
            reference: reference.to_owned(),
            form: form.id.clone(),
            accepted_at: now.timestamp().to_string(),
            fingerprint: fingerprint.clone(),
            messages: composed.messages,
        })
    };
    let entry = match accept(parts.spool.as_ref(), &fingerprint, window, make).await {
        Ok(Accepted::New(entry)) => entry,
        Ok(Accepted::Duplicate(reference)) => {
            let record = Record {
                reference: Some(reference.clone()),
                desk: Some(desk),
                ..Record::new("duplicate")
            };
            return (accepted(parts, form, kind, &reference), record);
        }
        Err(error) => {
            let (status, outcome) = match &error {
                AcceptError::Compose(_) => (StatusCode::INTERNAL_SERVER_ERROR, "no_desk"),
                AcceptError::Spool(_) | AcceptError::Taken => {
                    (StatusCode::SERVICE_UNAVAILABLE, "spool_failed")
                }
            };
            let text = Message::TryAgainLater.text(form.lang);
            let record = Record {
                error: Some(redact_addresses(&error.to_string())),
                ..Record::new(outcome)
            };
            return (problem(status, kind, form.lang, text), record);
        }
    };
    let settings = &parts.settings;
    let transport = parts.transport.as_ref();
    let delivery = deliver(
        parts.spool.as_ref(),
        transport,
        &settings.retry,
        &entry,
        deadline,
        false,
    )
    .await;
    let record = Record {
        reference: Some(entry.reference.clone()),
        outcome: delivery.outcome(),
        desk: Some(desk),
        error: delivery.error().map(|e| redact_addresses(&e)),
    };
    (accepted(parts, form, kind, &entry.reference), record)
}

/// Replaces every word holding an `@` (e-mail addresses in service errors) with `<address>`, so the log
/// never carries a submitter's address.
pub(crate) fn redact_addresses(text: &str) -> String {
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
