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
pub mod messages;
pub mod pages;
pub mod parse;
pub mod request;
pub mod response;
pub mod runtime;
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

/// Serves [`router`] on `listener` until the process ends (or the future is dropped).
pub async fn serve_local(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
