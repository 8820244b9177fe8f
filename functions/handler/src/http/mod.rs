//! The HTTP edge: the router (`POST /forms/{id}`, `GET /forms/{id}/receipt`, `/healthz`;
//! [`ops`] has the internal router with `/readyz` and `/metrics`), the local server with its timeouts and caps ([`serve_local_with`]), and the handler that admits a request
//! ([`intake`]), runs the [`crate::pipeline`], turns the result into the answer ([`response`]) and writes
//! the one structured log line per submission (form, reference, outcome, desk, status, duration; never a
//! field value).

mod account_confirm;
mod account_pages;
mod accounts;
pub mod intake;
pub mod messages;
pub mod ops;
mod receipt;
pub mod request;
pub mod response;
mod serve;

pub use serve::{BODY_TIMEOUT_ANSWER, serve_local, serve_local_with};

use std::time::Instant;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::accounts::links::ACCOUNTS_SEGMENT;
use crate::config::DEFAULT_ACTION_PREFIX;
use crate::outcome::Outcome;
use crate::pipeline::parse::BodyKind;
use crate::state::AppState;
use request::body_kind;
use response::{Answering, plain};

/// The function's router: `POST /forms/{id}`, its receipt page `GET /forms/{id}/receipt`, and the liveness
/// probe `GET /healthz` (`/readyz` writes to the spool, so it is only on [`ops::metrics_router`]); other
/// methods get 405, other paths 404.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(&format!("{DEFAULT_ACTION_PREFIX}{{id}}"), post(submit))
        .route(
            &format!("{DEFAULT_ACTION_PREFIX}{{id}}/receipt"),
            get(receipt::receipt),
        )
        .route(
            &format!("{DEFAULT_ACTION_PREFIX}{ACCOUNTS_SEGMENT}/confirm"),
            get(account_confirm::confirm_page).post(account_confirm::confirm_post),
        )
        .route(
            &format!("{DEFAULT_ACTION_PREFIX}{ACCOUNTS_SEGMENT}/extend"),
            get(accounts::extend_page),
        )
        .route(
            &format!("{DEFAULT_ACTION_PREFIX}{ACCOUNTS_SEGMENT}/end"),
            get(accounts::end_page).post(accounts::end_post),
        )
        .route("/healthz", get(ops::healthz))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::timed,
        ))
        .fallback(|| async { plain(StatusCode::NOT_FOUND, "Not found.\n") })
        .with_state(state)
}

/// Runs the pipeline for form `id` in a task of its own: a client that goes away mid-request (the
/// request future dropped with its connection) cannot cut a delivery short between the mail service's
/// acceptance and the spool's record of it, which would make redelivery send that message twice.
async fn run_detached(
    state: &AppState,
    id: &str,
    kind: BodyKind,
    body: axum::body::Bytes,
) -> Result<crate::outcome::Received, crate::outcome::Rejection> {
    let state = state.clone();
    let owned = id.to_owned();
    let task = tokio::spawn(async move {
        let parts = &*state.inner;
        match parts.forms.get(&owned) {
            Some(form) => Some(crate::pipeline::run(parts, form, kind, &body).await),
            None => None,
        }
    });
    match task.await {
        Ok(Some(result)) => result,
        // The caller found the form in the same immutable set.
        Ok(None) => unreachable!("form {id} vanished from an immutable form set"),
        Err(error) => std::panic::resume_unwind(error.into_panic()),
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
        tracing::info!(
            target: "guidepost::submission",
            outcome = Outcome::UnknownForm.as_str(),
            "submission"
        );
        parts
            .metrics
            .submission("unknown", Outcome::UnknownForm.as_str());
        return plain(StatusCode::NOT_FOUND, "No such form.\n");
    };
    let answering = Answering {
        form,
        kind: body_kind(request.headers()).unwrap_or(BodyKind::Form),
        settings: &parts.settings,
        pages: &parts.pages,
    };
    let result = match intake::admit(parts, request).await {
        Ok((kind, body)) => run_detached(&state, &id, kind, body).await,
        Err(rejection) => Err(rejection),
    };
    let (response, outcome, reference, desk, error) = match &result {
        Ok(received) => (
            answering.received(received),
            received.outcome,
            received.reference.as_str(),
            received.desk.as_deref(),
            received.error.as_deref(),
        ),
        Err(rejection) => (
            answering.rejected(rejection),
            rejection.outcome(),
            "",
            None,
            rejection.detail(),
        ),
    };
    tracing::info!(
        target: "guidepost::submission",
        form = %form.id,
        reference,
        outcome = outcome.as_str(),
        desk = desk.unwrap_or(""),
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_millis() as u64,
        error = error.unwrap_or(""),
        "submission"
    );
    parts.metrics.submission(&form.id, outcome.as_str());
    response
}
