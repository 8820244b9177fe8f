//! `guidepost-function [serve | redeliver | remind [--today YYYY-MM-DD]] [--help]`: reads the command line (help needs no configuration), reads the config, loads forms, desks and pages, then either
//! serves the form router (on AWS Lambda or locally) or redelivers what the spool holds. Under Lambda the
//! function's handler setting picks the role (`_HANDLER=redeliver` for the scheduled redelivery, anything
//! else for the HTTP API). Logs are JSON lines on stderr (`RUST_LOG`, default `info`).

use anyhow::Context;
use guidepost_handler::config::Runtime;
use guidepost_handler::remind::remind_once;
use guidepost_handler::{AppState, Config, redeliver_once, runtime};

mod cli;

use cli::Command;

/// What this process does.
enum Role {
    Serve,
    Redeliver,
    Remind(Option<guidepost_forms::Date>),
}

/// The role: under Lambda from the handler setting, locally from the command line.
fn role(config: &Config, command: Command) -> Role {
    let named = match config.runtime {
        Runtime::Lambda => std::env::var("_HANDLER").ok(),
        Runtime::Local => None,
    };
    match (named.as_deref(), command) {
        (Some("redeliver"), _) => Role::Redeliver,
        (Some("remind"), _) => Role::Remind(None),
        (Some(_), _) => Role::Serve,
        (None, Command::Redeliver) => Role::Redeliver,
        (None, Command::Remind(today)) => Role::Remind(today),
        (None, _) => Role::Serve,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(Command::Help(text)) => {
            print!("{text}");
            return Ok(());
        }
        Ok(command) => command,
        Err(usage) => {
            eprintln!("error: {usage}");
            std::process::exit(2);
        }
    };
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::from_env().context("configuration")?;
    let role = role(&config, command);
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
                return Err(runtime::RedeliveryFailed(report.errors).into());
            }
        }
        (Role::Remind(_), Runtime::Lambda) => runtime::run_remind(state)
            .await
            .context("reminder handler")?,
        (Role::Remind(today), Runtime::Local) => {
            let report = remind_once(&state, today).await;
            println!("{}", serde_json::to_string(&report).context("report")?);
            if report.errors > 0 {
                return Err(runtime::RemindFailed(report.errors).into());
            }
        }
    }
    Ok(())
}
