//! Operations endpoints: `GET /healthz` (the process answers; on both listeners), and on the internal
//! listener only ([`metrics_router`]) `GET /readyz` (the spool takes a write and the mail transport answers;
//! 503 naming what failed otherwise: it costs a spool write and a relay round trip, so it is never public)
//! and the Prometheus scrape `GET /metrics`; and the middleware that times each request.

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::response::{no_store, plain};
use crate::metrics::SpoolGauges;
use crate::spool::Shelf;
use crate::state::AppState;

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> Response {
    plain(StatusCode::OK, "ok\n")
}

/// `GET /readyz`: a probe key written to and removed from the spool, and the transport's probe.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    if let Err(problem) = probe_spool(&state).await {
        problems.push(format!("spool: {problem}"));
    }
    if let Err(problem) = state.transport().probe_boxed().await {
        problems.push(format!("mail: {problem}"));
    }
    if problems.is_empty() {
        plain(StatusCode::OK, "ready\n")
    } else {
        for problem in &problems {
            tracing::warn!(target: "guidepost::ops", problem = %problem, "not ready");
        }
        let body = format!("not ready\n{}\n", problems.join("\n"));
        plain(StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

async fn probe_spool(state: &AppState) -> Result<(), String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    let key: String = std::iter::once("probe-".to_owned())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect();
    let spool = state.spool();
    spool
        .put_new_boxed(Shelf::Lease, &key, b"readiness probe\n".to_vec())
        .await
        .map_err(|e| format!("cannot write: {e}"))?;
    spool
        .remove_boxed(Shelf::Lease, &key)
        .await
        .map_err(|e| format!("cannot remove the probe: {e}"))
}

/// The scrape router: `GET /metrics` only. Serve it on an internal address (`GUIDEPOST_METRICS_ADDR`).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), timed))
        .fallback(|| async { plain(StatusCode::NOT_FOUND, "Not found.\n") })
        .with_state(state)
}

/// `GET /metrics`: the counters, and the spool's depth and oldest entry read now.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut response = metrics_text(&state).await.into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    no_store(response)
}

/// The Prometheus text for `state`, with the spool read now.
pub async fn metrics_text(state: &AppState) -> String {
    let gauges = match state.spool().list_boxed(Shelf::Pending).await {
        Ok(listed) => {
            let now = state.now();
            let oldest = listed.iter().map(|l| l.modified).min();
            SpoolGauges {
                pending: listed.len(),
                oldest_age_secs: oldest
                    .map(|t| now.duration_since(t).as_secs_f64().max(0.0))
                    .unwrap_or(0.0),
                readable: true,
            }
        }
        Err(error) => {
            tracing::warn!(target: "guidepost::ops", %error, "metrics: cannot list the spool");
            SpoolGauges::default()
        }
    };
    state.metrics().render(gauges)
}

/// Times each routed request into the latency histogram, by its route pattern (never the raw path).
pub async fn timed(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = match request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
    {
        Some(path) if path.ends_with("/receipt") => "receipt",
        Some(path) if path.contains('{') => "submit",
        Some("/healthz") => "healthz",
        Some("/readyz") => "readyz",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics().request(route, started.elapsed());
    response
}
