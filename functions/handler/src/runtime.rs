//! One router, two runtimes: AWS Lambda through lambda_http when `AWS_LAMBDA_RUNTIME_API` is set (feature
//! `aws`), otherwise the local HTTP server on `GUIDEPOST_ADDR` (with the metrics listener on
//! `GUIDEPOST_METRICS_ADDR` and a redelivery pass every `GUIDEPOST_REDELIVER_EVERY_SECS`). Under Lambda the same binary can instead
//! run the scheduled redelivery handler ([`run_redelivery`]): each event (an EventBridge schedule) runs
//! one pass ([`redeliver_once`]) and answers with its report, or fails when a spool operation failed
//! (so the function's `Errors` metric, which the template alarms on, counts it).

use crate::config::{Config, Runtime};
use crate::delivery::{RedeliveryReport, redeliver};
use crate::http::ops::metrics_router;
use crate::http::serve_local_with;
use crate::state::AppState;

/// Why the runtime stopped.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The local address could not be bound or served.
    #[error("local server on {addr}: {source}")]
    Local {
        /// `GUIDEPOST_ADDR`.
        addr: std::net::SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The Lambda runtime failed.
    #[error("lambda runtime: {0}")]
    Lambda(String),
    /// Running in Lambda in a build without the `aws` feature.
    #[error("AWS_LAMBDA_RUNTIME_API is set but this build has no `aws` feature")]
    NoLambda,
}

/// A redelivery pass in which spool operations failed (the pass's report line has the counts).
#[derive(Debug, thiserror::Error)]
#[error("redelivery: {0} spool operations failed")]
pub struct RedeliveryFailed(pub usize);

/// Runs one redelivery pass over the state's spool and transport (see [`redeliver`]), at the state's
/// clock.
pub async fn redeliver_once(state: &AppState) -> RedeliveryReport {
    let settings = state.settings();
    redeliver(
        state.spool(),
        state.transport(),
        &settings.retry,
        &settings.redelivery,
        state.clock(),
    )
    .await
}

/// Serves `state` with the runtime `config` names; returns when the server stops.
pub async fn run(config: &Config, state: AppState) -> Result<(), RuntimeError> {
    match config.runtime {
        Runtime::Lambda => run_lambda(state).await,
        Runtime::Local => {
            let addr = config.addr;
            let local = |source| RuntimeError::Local { addr, source };
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(local)?;
            tracing::info!(addr = %listener.local_addr().map_err(local)?, "serving forms locally");
            let mut background = tokio::task::JoinSet::new();
            if let Some(metrics_addr) = config.metrics_addr {
                let metrics = |source| RuntimeError::Local {
                    addr: metrics_addr,
                    source,
                };
                let listener = tokio::net::TcpListener::bind(metrics_addr)
                    .await
                    .map_err(metrics)?;
                tracing::info!(addr = %metrics_addr, "serving metrics (keep this address internal)");
                let router = metrics_router(state.clone());
                background.spawn(async move {
                    if let Err(error) = axum::serve(listener, router).await {
                        tracing::error!(%error, "the metrics listener stopped");
                    }
                });
            }
            if let Some(every) = config.redeliver_every {
                background.spawn(redeliver_every(state.clone(), every));
            }
            let served = serve_local_with(listener, state, config.server, stop_signal()).await;
            background.shutdown().await;
            served.map_err(local)
        }
    }
}

/// Runs a redelivery pass every `every` (the first one interval after start), logging each report; the
/// local server's own schedule, so a standalone deployment needs no cron job.
pub async fn redeliver_every(state: AppState, every: std::time::Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let report = redeliver_once(&state).await;
        match serde_json::to_string(&report) {
            Ok(json) if report.errors == 0 => {
                tracing::info!(target: "guidepost::redelivery", report = %json, "redelivery pass");
            }
            Ok(json) => {
                tracing::error!(target: "guidepost::redelivery", report = %json, "redelivery pass with spool errors");
            }
            Err(error) => tracing::error!(%error, "redelivery report"),
        }
    }
}

#[cfg(feature = "aws")]
async fn run_lambda(state: AppState) -> Result<(), RuntimeError> {
    lambda_http::run(crate::http::router(state))
        .await
        .map_err(|e| RuntimeError::Lambda(e.to_string()))
}

#[cfg(not(feature = "aws"))]
async fn run_lambda(_state: AppState) -> Result<(), RuntimeError> {
    Err(RuntimeError::NoLambda)
}

/// Runs the redelivery handler under Lambda: one pass per event, the report as the answer.
#[cfg(feature = "aws")]
pub async fn run_redelivery(state: AppState) -> Result<(), RuntimeError> {
    use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
    let handler = service_fn(move |_event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            let report = redeliver_once(&state).await;
            // A failed spool operation fails the invocation, so the function's Errors alarm sees it.
            match report.errors {
                0 => Ok(report),
                n => Err(Box::<dyn std::error::Error + Send + Sync>::from(
                    RedeliveryFailed(n),
                )),
            }
        }
    });
    lambda_runtime::run(handler)
        .await
        .map_err(|e| RuntimeError::Lambda(e.to_string()))
}

/// A reminder run in which operations failed (the run's report line has the counts).
#[derive(Debug, thiserror::Error)]
#[error("reminder run: {0} operations failed")]
pub struct RemindFailed(pub usize);

/// Runs the reminder handler under Lambda: one run per event (the daily schedule), the report as the
/// answer; a run with failed operations fails the invocation (the Errors alarm sees it, and a retry
/// sends nothing twice).
#[cfg(feature = "aws")]
pub async fn run_remind(state: AppState) -> Result<(), RuntimeError> {
    use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
    let handler = service_fn(move |_event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            let report = crate::remind::remind_once(&state, None).await;
            tracing::info!(target: "guidepost::remind", report = %serde_json::to_string(&report).unwrap_or_default(), "reminder run");
            match report.errors {
                0 => Ok(report),
                n => Err(Box::<dyn std::error::Error + Send + Sync>::from(
                    RemindFailed(n),
                )),
            }
        }
    });
    lambda_runtime::run(handler)
        .await
        .map_err(|e| RuntimeError::Lambda(e.to_string()))
}

/// Without the `aws` feature there is no Lambda runtime.
#[cfg(not(feature = "aws"))]
pub async fn run_remind(_state: AppState) -> Result<(), RuntimeError> {
    Err(RuntimeError::NoLambda)
}

/// Without the `aws` feature there is no Lambda runtime.
#[cfg(not(feature = "aws"))]
pub async fn run_redelivery(_state: AppState) -> Result<(), RuntimeError> {
    Err(RuntimeError::NoLambda)
}

/// Completes on SIGTERM (unix) or ctrl-c: the local server then stops gracefully.
async fn stop_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c: stopping"),
        () = term => tracing::info!("SIGTERM: stopping"),
    }
}
