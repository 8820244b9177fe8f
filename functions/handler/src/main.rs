//! `guidepost-function`: reads the config, loads forms, desks and pages, then serves the form router on
//! AWS Lambda or locally. Logs are JSON lines on stderr (`RUST_LOG`, default `info`).

use anyhow::Context;
use guidepost_handler::{AppState, Config, runtime};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::from_env().context("configuration")?;
    let state = AppState::from_config(&config)
        .await
        .context("starting the form function")?;
    runtime::run(&config, state).await.context("serving")?;
    Ok(())
}
