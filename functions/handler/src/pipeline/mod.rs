//! The pipeline for one submission of a known form, stages in order: [`parse`] (body → input) →
//! [`screening`] (quiet bot traps) → validate (the forms crate) → [`compose`] (route to a desk, compose
//! the messages) → accept (spool first) → deliver. It returns a [`Received`] or a [`Rejection`]; nothing
//! here builds an HTTP response (see [`crate::http`]).

pub mod compose;
pub mod parse;
pub mod screening;

use guidepost_forms::{Form, Submission};
use jiff::Zoned;

use crate::clock::civil_date;
use crate::delivery::idempotency::{fingerprint, random_reference, window_of};
use crate::delivery::{AcceptError, Accepted, accept, deliver};
use crate::outcome::{Outcome, Received, Rejection, redact_addresses};
use crate::spool::SpoolEntry;
use crate::state::Parts;
use compose::{NoDesk, compose_messages};
use parse::{BodyKind, ParseError, parse_json, parse_urlencoded};
use screening::screen;

/// Runs one submission of `form` (a `kind` body already read) through every stage.
pub(crate) async fn run(
    parts: &Parts,
    form: &Form,
    kind: BodyKind,
    body: &[u8],
) -> Result<Received, Rejection> {
    let parsed = match kind {
        BodyKind::Form => parse_urlencoded(body),
        BodyKind::Json => parse_json(body),
    };
    let input = parsed.map_err(|error| match error {
        ParseError::NestedValues(names) => Rejection::NotText(names),
        ParseError::NotUtf8 | ParseError::NotJsonObject(_) => Rejection::Unreadable,
    })?;
    let now = Zoned::new(
        (parts.clock)(),
        parts.settings.time_zones.get(form.lang).clone(),
    );
    if let Some(outcome) = screen(form, &input, parts.settings.min_fill).trapped() {
        // Looks accepted, so a bot learns nothing; nothing is stored or sent.
        return Ok(Received {
            reference: random_reference(&parts.clock),
            outcome,
            desk: None,
            error: None,
        });
    }
    match form.validate(&input, civil_date(&now)) {
        Err(errors) => Err(Rejection::Invalid { input, errors }),
        Ok(submission) => accept_and_deliver(parts, form, &submission, &now).await,
    }
}

/// Composes and spools the submission (or recognises a repeat), then delivers it within the budget.
async fn accept_and_deliver(
    parts: &Parts,
    form: &Form,
    submission: &Submission,
    now: &Zoned,
) -> Result<Received, Rejection> {
    let settings = &parts.settings;
    let deadline = tokio::time::Instant::now() + settings.retry.budget;
    let fingerprint = fingerprint(submission);
    let window = window_of(now.timestamp().as_second(), settings.idempotency_window);
    let desk = form.route(submission).to_owned();
    let make = |reference: &str| {
        let composed = compose_messages(
            form,
            submission,
            &parts.desks,
            &settings.sender,
            reference,
            now,
        )?;
        Ok::<_, NoDesk>(SpoolEntry {
            reference: reference.to_owned(),
            form: form.id.clone(),
            accepted_at: now.timestamp().to_string(),
            fingerprint: fingerprint.clone(),
            messages: composed.messages,
        })
    };
    let entry = match accept(
        parts.spool.as_ref(),
        &parts.clock,
        &fingerprint,
        window,
        make,
    )
    .await
    {
        Ok(Accepted::New(entry)) => entry,
        Ok(Accepted::Duplicate(reference)) => {
            return Ok(Received {
                reference,
                outcome: Outcome::Duplicate,
                desk: Some(desk),
                error: None,
            });
        }
        Err(error) => {
            let detail = redact_addresses(&error.to_string());
            return Err(match error {
                AcceptError::Compose(_) => Rejection::NoDesk(detail),
                AcceptError::Spool(_) | AcceptError::Taken => Rejection::SpoolFailed(detail),
            });
        }
    };
    let delivery = deliver(
        parts.spool.as_ref(),
        parts.transport.as_ref(),
        &settings.retry,
        &parts.clock,
        &entry,
        deadline,
        false,
    )
    .await;
    Ok(Received {
        reference: entry.reference,
        outcome: delivery.outcome(),
        desk: Some(desk),
        error: delivery.error().map(|e| redact_addresses(&e)),
    })
}
