//! `guidepost-function [serve | redeliver]`: reads the config, loads forms, desks and pages, then either
//! serves the form router (on AWS Lambda or locally) or redelivers what the spool holds. Under Lambda the
//! function's handler setting picks the role (`_HANDLER=redeliver` for the scheduled redelivery, anything
//! else for the HTTP API). Logs are JSON lines on stderr (`RUST_LOG`, default `info`).

use anyhow::Context;
use guidepost_handler::config::Runtime;
use guidepost_handler::{AppState, Config, redeliver_once, runtime};

/// What this process does.
enum Role {
    Serve,
    Redeliver,
}

fn role(config: &Config) -> anyhow::Result<Role> {
    let mut args = std::env::args().skip(1);
    let named = match config.runtime {
        Runtime::Lambda => std::env::var("_HANDLER").ok(),
        Runtime::Local => args.next(),
    };
    match named.as_deref() {
        Some("redeliver") => Ok(Role::Redeliver),
        None | Some("serve") => Ok(Role::Serve),
        Some(_) if config.runtime == Runtime::Lambda => Ok(Role::Serve),
        Some(other) => anyhow::bail!(
            "unknown command `{other}`: usage: guidepost-function [serve | redeliver]"
        ),
    }
}

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
    let role = role(&config)?;
    let state = AppState::from_config(&config)
        .await
        .context("starting the form function")?;
    match (role, config.runtime) {
        (Role::Serve, _) => runtime::run(&config, state).await.context("serving")?,
        (Role::Redeliver, Runtime::Lambda) => runtime::run_redelivery(state)
            .await
            .context("redelivery handler")?,
        (Role::Redeliver, Runtime::Local) => {
            let report = redeliver_once(&state).await;
            println!("{}", serde_json::to_string(&report).context("report")?);
            if report.errors > 0 {
                anyhow::bail!("redelivery: {} spool operations failed", report.errors);
            }
        }
    }
    Ok(())
}
