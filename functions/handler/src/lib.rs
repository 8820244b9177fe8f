//! guidepost-handler: the form function. `POST /forms/{id}` runs request → parse → validate → route →
//! deliver → response; [`router`] gives the axum router, [`serve_local`] serves it on a local listener and
//! [`runtime::run`] picks AWS Lambda or the local server.
//!
//! With `default-features = false` (no `aws` feature) the crate has the router, the `.eml` folder
//! transport and the local server, without the AWS SDK or lambda_http.

pub mod clock;
pub mod compose;
pub mod config;
pub mod deliver;
pub mod desks;
pub mod idempotency;
pub mod intake;
pub mod messages;
pub mod pages;
pub mod parse;
pub mod ratelimit;
pub mod redeliver;
pub mod request;
pub mod response;
pub mod retry;
pub mod runtime;
pub mod screening;
#[cfg(feature = "aws")]
pub mod ses;
pub mod spool;
pub mod state;
pub mod submit;
pub mod transport;

use axum::Router;
use axum::routing::post;

pub use config::Config;
pub use state::{AppState, Settings, StartError};

/// The function's router: `POST /forms/{id}`; other methods get 405, other paths 404.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/forms/{id}", post(submit::submit))
        .fallback(|| async { response::plain(axum::http::StatusCode::NOT_FOUND, "Not found.\n") })
        .with_state(state)
}

/// Serves [`router`] on `listener` until the process ends (or the future is dropped), with each client's
/// address known to the rate limit.
pub async fn serve_local(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).await
}

/// Runs one redelivery pass over the state's spool and transport (see [`redeliver::redeliver`]).
pub async fn redeliver_once(state: &AppState) -> redeliver::RedeliveryReport {
    let settings = state.settings();
    redeliver::redeliver(
        state.spool(),
        state.transport(),
        &settings.retry,
        &settings.redelivery,
        state.now(),
    )
    .await
}
