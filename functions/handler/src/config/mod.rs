//! Configuration: read once at start from the environment into a typed [`Config`]; a bad value (or no
//! desk addresses) fails fast with the variable's name. [`Config::development`] is the one other way in:
//! every default, with the bundled example desks chosen explicitly (the generator's dev server). Nothing
//! here opens a file (see [`crate::state`] for that).

mod accounts;
mod env;
mod smtp;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::policy::{RateLimit, RedeliveryPolicy, RetryPolicy, ServerLimits};
use crate::settings::Settings;

pub use crate::settings::PerLang;
use env::{Env, bad, check_sender};

pub use accounts::{KeySource, RegisterConfig, key_from_file};
pub use env::ConfigError;
pub use smtp::{Password, SmtpConfig, SmtpLogin, SmtpTls};

/// Everything the function needs to know, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The resolved forms written by the generator (`GUIDEPOST_FORMS`, default `public/forms/forms.json`).
    pub forms_path: PathBuf,
    /// The built site, to find each form's page (`GUIDEPOST_SITE_DIR`, default `public`); the generator's
    /// `forms/pages.json` there maps form id → page file.
    pub site_dir: PathBuf,
    /// Desk addresses (`GUIDEPOST_DESKS_JSON` inline, or the file `GUIDEPOST_DESKS`; one is required).
    pub desks: DeskSource,
    /// How mail leaves (`GUIDEPOST_MAIL`).
    pub mail: MailConfig,
    /// Where accepted submissions wait until delivered (`GUIDEPOST_SPOOL`).
    pub spool: SpoolConfig,
    /// Where the account register is kept (`GUIDEPOST_REGISTER`).
    pub register: RegisterConfig,
    /// The key that signs account links (`GUIDEPOST_ACCOUNT_KEY` or `_FILE`); required when a form
    /// has an `account:` key.
    pub account_key: Option<KeySource>,
    /// The local server's address (`GUIDEPOST_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Which runtime to start.
    pub runtime: Runtime,
    /// Where the local server answers Prometheus scrapes (`GUIDEPOST_METRICS_ADDR`, e.g.
    /// `127.0.0.1:9464`; unset: no metrics listener). Keep it internal.
    pub metrics_addr: Option<SocketAddr>,
    /// How often the local server runs a redelivery pass itself (`GUIDEPOST_REDELIVER_EVERY_SECS`,
    /// default 300; `0` = never, for a deployment that schedules `guidepost-function redeliver`).
    pub redeliver_every: Option<Duration>,
    /// The local server's timeouts and connection caps (see [`ServerLimits`] for the variables).
    pub server: ServerLimits,
    /// What the pipeline reads on each request, checked here once: the sender (`GUIDEPOST_SENDER`),
    /// time zones (`GUIDEPOST_TIME_ZONE_SV|NB|EN`), the
    /// action prefix (`GUIDEPOST_ACTION_PREFIX`), the retry budget (`GUIDEPOST_DELIVERY_BUDGET_MS`),
    /// redelivery and retention (`GUIDEPOST_RETENTION_DAYS`, `GUIDEPOST_REDELIVER_MIN_AGE_SECS`), the
    /// idempotency window (`GUIDEPOST_IDEMPOTENCY_WINDOW_SECS`), the time-to-fill check
    /// (`GUIDEPOST_MIN_FILL_MS`, default 2000, 0 = off), the local server's per-client limit
    /// (`GUIDEPOST_RATE_BURST`, `GUIDEPOST_RATE_PER_MINUTE`; none under Lambda) and the origins a browser
    /// may post from (`GUIDEPOST_ALLOWED_ORIGINS`), and the receipts one address gets a day
    /// (`GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY`, default 3, at least 1).
    pub settings: Settings,
}

/// Where the desk addresses come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskSource {
    /// Neither variable set: the site's own desks (`<site>/forms/desks.json`, from `content/desks.yaml`).
    Content,
    /// The bundled example (reserved `.example` domains): only [`Config::development`] chooses it; with
    /// neither variable set, [`Config::from_lookup`] fails.
    Example,
    /// `GUIDEPOST_DESKS`: a YAML or JSON file, whose addresses replace the content's for the desks it names.
    File(PathBuf),
    /// `GUIDEPOST_DESKS_JSON`: the same as JSON text (a deployment parameter).
    Inline(String),
}

/// How mail leaves the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailConfig {
    /// `GUIDEPOST_MAIL=folder` (default): `.eml` files in `GUIDEPOST_MAIL_DIR` (default `.mail`, under
    /// Lambda `/tmp/guidepost/mail`).
    Folder {
        /// The folder.
        dir: PathBuf,
    },
    /// `GUIDEPOST_MAIL=ses`: Amazon SES v2.
    Ses {
        /// `AWS_REGION` (required).
        region: String,
        /// `AWS_ENDPOINT_URL`, e.g. a local moto server.
        endpoint_url: Option<String>,
        /// `GUIDEPOST_SES_CONFIGURATION_SET`.
        configuration_set: Option<String>,
    },
    /// `GUIDEPOST_MAIL=smtp`: the region's own mail relay (`GUIDEPOST_SMTP_*`).
    Smtp(SmtpConfig),
}

/// Where accepted submissions are kept until delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpoolConfig {
    /// `GUIDEPOST_SPOOL=folder` (default): `GUIDEPOST_SPOOL_DIR` (default `.spool`, under Lambda
    /// `/tmp/guidepost/spool`, which does not outlive the instance: use S3 there).
    Folder {
        /// The folder.
        dir: PathBuf,
    },
    /// `GUIDEPOST_SPOOL=s3`: a bucket, with conditional writes.
    S3 {
        /// `GUIDEPOST_SPOOL_BUCKET` (required).
        bucket: String,
        /// `GUIDEPOST_SPOOL_PREFIX` (default empty), e.g. `spool/`.
        prefix: String,
        /// `AWS_REGION` (required).
        region: String,
        /// `GUIDEPOST_SPOOL_ENDPOINT` (any S3-compatible store, path-style addressing), else
        /// `AWS_ENDPOINT_URL`.
        endpoint_url: Option<String>,
    },
}

/// Which runtime serves the router.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// `AWS_LAMBDA_RUNTIME_API` is set: AWS Lambda through lambda_http.
    Lambda,
    /// Otherwise: an HTTP server on [`Config::addr`].
    Local,
}

/// The sender used with the mail folder when `GUIDEPOST_SENDER` is unset.
pub const DEFAULT_FOLDER_SENDER: &str = "Guidepost <formular@guidepost.example>";

/// The dev server's receipt limit per address and day: high, as an editor trying every form locally
/// sends them all from one address (the deployed default is 3).
pub const DEVELOPMENT_RECEIPTS_PER_ADDRESS: u32 = 1000;

/// Variables an earlier version read: refused, so that a deployment does not believe they still act.
const RETIRED: [&str; 3] = [
    "GUIDEPOST_RECEIPT_PATH_SV",
    "GUIDEPOST_RECEIPT_PATH_NB",
    "GUIDEPOST_RECEIPT_PATH_EN",
];
const RETIRED_HELP: &str = "no longer used: the function shows the receipt on the form's own page \
     ({action}/receipt); remove the variable";

/// The form action path without the id (the router serves `POST {DEFAULT_ACTION_PREFIX}{id}`).
pub const DEFAULT_ACTION_PREFIX: &str = guidepost_forms::ACTION_PREFIX;

impl Settings {
    /// The settings of [`Config::development`] (the dev server's; tests start from them too): the
    /// defaults, no time-to-fill check, no rate limit, any origin.
    pub fn development() -> Result<Settings, ConfigError> {
        Config::development().map(|config| config.settings)
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (tests pass a map). Without a desk variable the site's own desks
    /// are used (checked at start).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = Env(&lookup);
        let config = Config::read(&env, DeskSource::Content)?;
        Ok(Config {
            desks: desk_source(&env).unwrap_or(DeskSource::Content),
            ..config
        })
    }

    /// The configuration of the generator's dev server (`guidepost serve`): every default, the bundled
    /// example desks chosen explicitly, no time-to-fill check, no rate limit and a high receipt limit
    /// (a person trying the forms locally is quick and may send many from one address).
    pub fn development() -> Result<Config, ConfigError> {
        let nothing = |_: &str| None;
        let config = Config::read(&Env(&nothing), DeskSource::Example)?;
        let settings = Settings {
            min_fill: Duration::ZERO,
            rate_limit: None,
            receipts_per_address_per_day: DEVELOPMENT_RECEIPTS_PER_ADDRESS,
            ..config.settings
        };
        Ok(Config { settings, ..config })
    }

    /// Every variable but the desk ones, with `desks` as given.
    fn read(env: &Env<'_>, desks: DeskSource) -> Result<Config, ConfigError> {
        let runtime = match env.get("AWS_LAMBDA_RUNTIME_API") {
            Some(_) => Runtime::Lambda,
            None => Runtime::Local,
        };
        let mail = mail_config(env, runtime)?;
        let sender = match (&mail, env.get("GUIDEPOST_SENDER")) {
            (_, Some(sender)) => check_sender(sender)?,
            (MailConfig::Folder { .. }, None) => DEFAULT_FOLDER_SENDER.to_owned(),
            (MailConfig::Ses { .. }, None) => {
                let problem = "SES needs a verified sender address";
                return Err(bad("GUIDEPOST_SENDER", "", problem));
            }
            (MailConfig::Smtp(_), None) => {
                let problem = "the relay needs a sender address it may send as";
                return Err(bad("GUIDEPOST_SENDER", "", problem));
            }
        };
        let idempotency_window = env.seconds("GUIDEPOST_IDEMPOTENCY_WINDOW_SECS", 600, 1)?;
        for var in RETIRED {
            if let Some(value) = env.get(var) {
                return Err(bad(var, &value, RETIRED_HELP));
            }
        }
        let addr = env.addr("GUIDEPOST_ADDR", "127.0.0.1:3000")?;
        Ok(Config {
            forms_path: env.path("GUIDEPOST_FORMS", "public/forms/forms.json")?,
            site_dir: env.path("GUIDEPOST_SITE_DIR", "public")?,
            desks,
            mail,
            spool: spool_config(env, runtime)?,
            register: accounts::register_config(env, runtime)?,
            account_key: accounts::key_source(env)?,
            addr,
            runtime,
            metrics_addr: match env.get("GUIDEPOST_METRICS_ADDR") {
                Some(_) => Some(env.addr("GUIDEPOST_METRICS_ADDR", "")?),
                None => None,
            },
            redeliver_every: Some(env.seconds("GUIDEPOST_REDELIVER_EVERY_SECS", 300, 0)?)
                .filter(|every| !every.is_zero()),
            server: server_limits(env)?,
            settings: Settings {
                sender,
                time_zones: PerLang {
                    sv: env.time_zone("GUIDEPOST_TIME_ZONE_SV", "Europe/Stockholm")?,
                    nb: env.time_zone("GUIDEPOST_TIME_ZONE_NB", "Europe/Oslo")?,
                    en: env.time_zone("GUIDEPOST_TIME_ZONE_EN", "Europe/Stockholm")?,
                },
                action_prefix: env.site_path("GUIDEPOST_ACTION_PREFIX", DEFAULT_ACTION_PREFIX)?,
                retry: retry_policy(env.millis("GUIDEPOST_DELIVERY_BUDGET_MS", 8000, 100)?),
                redelivery: RedeliveryPolicy {
                    retention: env.days("GUIDEPOST_RETENTION_DAYS", 7)?,
                    min_age: env.seconds("GUIDEPOST_REDELIVER_MIN_AGE_SECS", 120, 0)?,
                    marker_ttl: idempotency_window * 2 + Duration::from_secs(120),
                    ..RedeliveryPolicy::default()
                },
                idempotency_window,
                min_fill: env.millis("GUIDEPOST_MIN_FILL_MS", 2000, 0)?,
                rate_limit: rate_limit(env, runtime)?,
                allowed_origins: env.origins("GUIDEPOST_ALLOWED_ORIGINS")?,
                receipts_per_address_per_day: env
                    .count("GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY", 3)?,
                accounts: accounts::account_settings(env, &addr.to_string(), runtime)?,
            },
        })
    }
}

fn mail_config(env: &Env<'_>, runtime: Runtime) -> Result<MailConfig, ConfigError> {
    // Lambda's working directory is read-only: only /tmp can be written there.
    let mail_dir = match runtime {
        Runtime::Lambda => "/tmp/guidepost/mail",
        Runtime::Local => ".mail",
    };
    match env.get("GUIDEPOST_MAIL").as_deref().unwrap_or("folder") {
        "folder" => Ok(MailConfig::Folder {
            dir: env.path("GUIDEPOST_MAIL_DIR", mail_dir)?,
        }),
        "ses" => Ok(MailConfig::Ses {
            region: env.required("AWS_REGION", "SES needs a region, e.g. eu-north-1")?,
            endpoint_url: env.url("AWS_ENDPOINT_URL")?,
            configuration_set: env.get("GUIDEPOST_SES_CONFIGURATION_SET"),
        }),
        "smtp" => smtp::smtp_config(env).map(MailConfig::Smtp),
        other => Err(bad(
            "GUIDEPOST_MAIL",
            other,
            "expected `folder`, `ses` or `smtp`",
        )),
    }
}

fn spool_config(env: &Env<'_>, runtime: Runtime) -> Result<SpoolConfig, ConfigError> {
    let spool_dir = match runtime {
        Runtime::Lambda => "/tmp/guidepost/spool",
        Runtime::Local => ".spool",
    };
    match env.get("GUIDEPOST_SPOOL").as_deref().unwrap_or("folder") {
        "folder" => Ok(SpoolConfig::Folder {
            dir: env.path("GUIDEPOST_SPOOL_DIR", spool_dir)?,
        }),
        "s3" => Ok(SpoolConfig::S3 {
            bucket: env.required("GUIDEPOST_SPOOL_BUCKET", "the S3 spool needs a bucket name")?,
            prefix: env.key_prefix("GUIDEPOST_SPOOL_PREFIX")?,
            region: env.required("AWS_REGION", "the S3 spool needs a region, e.g. eu-north-1")?,
            endpoint_url: match env.url("GUIDEPOST_SPOOL_ENDPOINT")? {
                Some(url) => Some(url),
                None => env.url("AWS_ENDPOINT_URL")?,
            },
        }),
        other => Err(bad("GUIDEPOST_SPOOL", other, "expected `folder` or `s3`")),
    }
}

/// The retry policy for `budget`: an attempt is only started when its whole timeout fits, so the timeout
/// is at most half the budget (with the default 3 s timeout, a budget under 3 s would never send at once).
fn retry_policy(budget: Duration) -> RetryPolicy {
    let default = RetryPolicy::default();
    RetryPolicy {
        budget,
        attempt_timeout: default.attempt_timeout.min(budget / 2),
        ..default
    }
}

fn desk_source(env: &Env<'_>) -> Option<DeskSource> {
    match (env.get("GUIDEPOST_DESKS_JSON"), env.get("GUIDEPOST_DESKS")) {
        (Some(json), _) => Some(DeskSource::Inline(json)),
        (None, Some(path)) => Some(DeskSource::File(PathBuf::from(path))),
        (None, None) => None,
    }
}

/// The local server's limit (both variables are checked under Lambda too, where no limit applies).
fn rate_limit(env: &Env<'_>, runtime: Runtime) -> Result<Option<RateLimit>, ConfigError> {
    let limit = RateLimit {
        burst: env.count("GUIDEPOST_RATE_BURST", 10)?,
        per_minute: env.count("GUIDEPOST_RATE_PER_MINUTE", 10)?,
    };
    Ok((runtime == Runtime::Local).then_some(limit))
}

/// The local server's timeouts and connection caps (checked under Lambda too, where they do not apply).
fn server_limits(env: &Env<'_>) -> Result<ServerLimits, ConfigError> {
    let default = ServerLimits::default();
    let secs = |d: std::time::Duration| d.as_secs();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(ServerLimits {
        header_timeout: env.seconds(
            "GUIDEPOST_HEADER_TIMEOUT_SECS",
            secs(default.header_timeout),
            1,
        )?,
        body_timeout: env.seconds("GUIDEPOST_BODY_TIMEOUT_SECS", secs(default.body_timeout), 1)?,
        idle_timeout: env.seconds("GUIDEPOST_IDLE_TIMEOUT_SECS", secs(default.idle_timeout), 1)?,
        max_connections: env.count("GUIDEPOST_MAX_CONNECTIONS", count(default.max_connections))?
            as usize,
        max_connections_per_client: env.count(
            "GUIDEPOST_MAX_CONNECTIONS_PER_CLIENT",
            count(default.max_connections_per_client),
        )? as usize,
        shutdown_grace: env.seconds(
            "GUIDEPOST_SHUTDOWN_GRACE_SECS",
            secs(default.shutdown_grace),
            0,
        )?,
    })
}
