//! The pipeline for one submission of a known form, stages in order: [`parse`] (body → input) →
//! validate (the forms crate) → [`screening`] (quiet bot traps, after validation so a trapped submission
//! is answered exactly like a real one: the same 422 when invalid, the same derived reference when valid)
//! → [`compose`] (route to a desk, compose the messages; the receipt only within the address's daily
//! [`receipts`] allowance) → accept (spool first) → deliver. It returns a [`Received`] or a
//! [`Rejection`]; nothing here builds an HTTP response (see [`crate::http`]).

pub mod compose;
pub mod parse;
pub mod receipts;
pub mod screening;

use guidepost_forms::{Form, RawInput, Submission};
use jiff::Zoned;

use crate::clock::civil_date;
use crate::delivery::idempotency::{fingerprint, reference_for, window_of};
use crate::delivery::{AcceptError, Accepted, accept, deliver};
use crate::outcome::{Outcome, Received, Rejection, redact_addresses};
use crate::spool::SpoolEntry;
use crate::state::Parts;
use crate::transport::MessageKind;
use compose::{NoDesk, compose_messages_with};
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
    let submission = match form.validate(&input, civil_date(&now)) {
        Err(errors) => return Err(Rejection::Invalid { input, errors }),
        Ok(submission) => submission,
    };
    if let Some(outcome) = screen(form, &input, parts.settings.min_fill).trapped() {
        // Answered as a real one would be (the reference its fingerprint gives in this window, the same
        // on a repeat), so a bot learns nothing; nothing is stored or sent.
        let window = window_of(
            now.timestamp().as_second(),
            parts.settings.idempotency_window,
        );
        return Ok(Received {
            reference: reference_for(&fingerprint(&submission), window),
            outcome,
            desk: None,
            error: None,
        });
    }
    accept_and_deliver(parts, form, &submission, &input, &now).await
}

/// Takes a receipt slot for the submitter's address today; `None` when the form sends no receipt, the
/// address has had its receipts for today, or the count cannot be read (then no receipt: the allowance
/// is never skipped).
async fn receipt_slot(
    parts: &Parts,
    submission: &Submission,
    now: &Zoned,
) -> Option<receipts::Slot> {
    let address = submission.submitter_email()?;
    let limit = parts.settings.receipts_per_address_per_day;
    let at = now.timestamp().to_string();
    match receipts::claim(parts.spool.as_ref(), address, civil_date(now), limit, &at).await {
        Ok(Some(slot)) => Some(slot),
        Ok(None) => {
            tracing::info!(
                form = submission.form_id(),
                limit,
                "receipt left out: the address has had its receipts for today"
            );
            None
        }
        Err(error) => {
            let error = redact_addresses(&error.to_string());
            tracing::warn!(form = submission.form_id(), %error, "receipt left out: the receipt count could not be read");
            None
        }
    }
}

/// Composes and spools the submission (or recognises a repeat), then delivers it within the budget.
async fn accept_and_deliver(
    parts: &Parts,
    form: &Form,
    submission: &Submission,
    input: &RawInput,
    now: &Zoned,
) -> Result<Received, Rejection> {
    let settings = &parts.settings;
    let seconds = now.timestamp().as_second();
    let intent = match &parts.accounts {
        Some(accounts) => accounts
            .intent(form, submission, input, seconds)
            .await
            .map_err(Rejection::AccountLink)?,
        None => None,
    };
    let deadline = tokio::time::Instant::now() + settings.retry.budget;
    let fingerprint = fingerprint(submission);
    let window = window_of(now.timestamp().as_second(), settings.idempotency_window);
    let desk = form.route(submission).to_owned();
    let slot = receipt_slot(parts, submission, now).await;
    let with_receipt = slot.is_some();
    let make = |reference: &str| {
        let note = match (&parts.accounts, &intent) {
            (Some(accounts), Some(intent)) => {
                Some(accounts.desk_note(form, intent, reference, settings, seconds))
            }
            _ => None,
        };
        let mut composed = compose_messages_with(
            form,
            submission,
            &parts.desks,
            &settings.sender,
            reference,
            now,
            note.as_ref(),
        )?;
        if !with_receipt {
            composed.messages.retain(|m| m.kind != MessageKind::Receipt);
        }
        Ok::<_, NoDesk>(SpoolEntry {
            reference: reference.to_owned(),
            form: form.id.clone(),
            accepted_at: now.timestamp().to_string(),
            fingerprint: fingerprint.clone(),
            messages: composed.messages,
        })
    };
    let accepted = accept(
        parts.spool.as_ref(),
        &parts.clock,
        &fingerprint,
        window,
        make,
    )
    .await;
    if let (Some(slot), false) = (slot, matches!(accepted, Ok(Accepted::New(_)))) {
        // Nothing new is sent: the slot is not used.
        if let Err(error) = receipts::release(parts.spool.as_ref(), slot).await {
            tracing::warn!(%error, "a receipt slot could not be given back");
        }
    }
    let entry = match accepted {
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
    if let (Some(accounts), Some(intent)) = (&parts.accounts, &intent)
        && let Err(error) = accounts
            .record(
                form,
                submission,
                intent,
                &entry.reference,
                &desk,
                civil_date(now),
            )
            .await
    {
        tracing::error!(target: "guidepost::accounts", form = %form.id, reference = %entry.reference, %error, "the order was accepted but not recorded in the account register");
    }
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
