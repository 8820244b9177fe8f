//! The account register's variables: where the register is (`GUIDEPOST_REGISTER`, `_DIR`, `_TABLE`),
//! the link key (`GUIDEPOST_ACCOUNT_KEY` or `GUIDEPOST_ACCOUNT_KEY_FILE`; never echoed in a message),
//! the public address links point at (`GUIDEPOST_PUBLIC_URL`), the days before an unconfirmed order is
//! reported (`GUIDEPOST_ACCOUNT_CONFIRM_DAYS`) and a closed record is deleted
//! (`GUIDEPOST_ACCOUNT_RETENTION_DAYS`).

use std::path::PathBuf;

use super::env::{Env, bad};
use super::{ConfigError, Runtime};
use crate::accounts::LinkKey;
use crate::accounts::token::MIN_KEY_BYTES;
use crate::settings::AccountSettings;

/// Where the register is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterConfig {
    /// `GUIDEPOST_REGISTER=folder` (default): `GUIDEPOST_REGISTER_DIR` (default `.register`; under
    /// Lambda `/tmp/guidepost/register`, which does not outlive the instance: use DynamoDB there).
    Folder {
        /// The folder.
        dir: PathBuf,
    },
    /// `GUIDEPOST_REGISTER=dynamodb`: the table `GUIDEPOST_REGISTER_TABLE`.
    Dynamo {
        /// The table's name.
        table: String,
        /// `AWS_REGION`.
        region: String,
        /// `AWS_ENDPOINT_URL`, e.g. a local moto server.
        endpoint_url: Option<String>,
    },
}

/// Where the link key comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// `GUIDEPOST_ACCOUNT_KEY`: the key itself (at least 32 bytes).
    Value(LinkKey),
    /// `GUIDEPOST_ACCOUNT_KEY_FILE`: a file holding it (read at start).
    File(PathBuf),
}

const SHORT_KEY: &str =
    "the key must be at least 32 bytes (e.g. `openssl rand -hex 32`); its value is not shown";

pub(super) fn register_config(
    env: &Env<'_>,
    runtime: Runtime,
) -> Result<RegisterConfig, ConfigError> {
    let dir = match runtime {
        Runtime::Lambda => "/tmp/guidepost/register",
        Runtime::Local => ".register",
    };
    match env.get("GUIDEPOST_REGISTER").as_deref().unwrap_or("folder") {
        "folder" => Ok(RegisterConfig::Folder {
            dir: env.path("GUIDEPOST_REGISTER_DIR", dir)?,
        }),
        "dynamodb" => Ok(RegisterConfig::Dynamo {
            table: env.required(
                "GUIDEPOST_REGISTER_TABLE",
                "the DynamoDB register needs a table name",
            )?,
            region: env.required(
                "AWS_REGION",
                "the DynamoDB register needs a region, e.g. eu-north-1",
            )?,
            endpoint_url: env.url("AWS_ENDPOINT_URL")?,
        }),
        other => Err(bad(
            "GUIDEPOST_REGISTER",
            other,
            "expected `folder` or `dynamodb`",
        )),
    }
}

pub(super) fn key_source(env: &Env<'_>) -> Result<Option<KeySource>, ConfigError> {
    match (
        env.get("GUIDEPOST_ACCOUNT_KEY"),
        env.get("GUIDEPOST_ACCOUNT_KEY_FILE"),
    ) {
        (Some(_), Some(_)) => Err(bad(
            "GUIDEPOST_ACCOUNT_KEY_FILE",
            "",
            "set GUIDEPOST_ACCOUNT_KEY or GUIDEPOST_ACCOUNT_KEY_FILE, not both",
        )),
        (Some(value), None) => LinkKey::new(value.trim().as_bytes().to_vec())
            .map(|key| Some(KeySource::Value(key)))
            .ok_or_else(|| bad("GUIDEPOST_ACCOUNT_KEY", "", SHORT_KEY)),
        (None, Some(path)) => Ok(Some(KeySource::File(PathBuf::from(path)))),
        (None, None) => Ok(None),
    }
}

/// The key read from a key file's bytes (trailing line breaks dropped).
pub fn key_from_file(bytes: &[u8]) -> Option<LinkKey> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_end_matches(['\r', '\n']);
    (trimmed.len() >= MIN_KEY_BYTES)
        .then(|| LinkKey::new(trimmed.as_bytes().to_vec()))
        .flatten()
}

pub(super) fn account_settings(
    env: &Env<'_>,
    addr: &str,
    runtime: Runtime,
) -> Result<AccountSettings, ConfigError> {
    // Under Lambda there is no address of its own to fall back on: a start with account forms fails.
    let public_url = match (env.url("GUIDEPOST_PUBLIC_URL")?, runtime) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Runtime::Local) => format!("http://{addr}"),
        (None, Runtime::Lambda) => String::new(),
    };
    let confirm_days = env.count("GUIDEPOST_ACCOUNT_CONFIRM_DAYS", 7)?;
    let retention_days = env.count("GUIDEPOST_ACCOUNT_RETENTION_DAYS", 90)?;
    for (var, value, max) in [
        ("GUIDEPOST_ACCOUNT_CONFIRM_DAYS", confirm_days, 90),
        ("GUIDEPOST_ACCOUNT_RETENTION_DAYS", retention_days, 3650),
    ] {
        if value > max {
            return Err(bad(
                var,
                &value.to_string(),
                &format!("expected at most {max} days"),
            ));
        }
    }
    Ok(AccountSettings {
        public_url,
        confirm_days,
        retention_days,
    })
}
