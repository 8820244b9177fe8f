//! The SMTP relay's variables (`GUIDEPOST_MAIL=smtp`): host, port, TLS mode, login, extra CA, EHLO name,
//! timeout and pool size, checked together (a password without a user, or a login over a connection
//! without TLS, is refused). The password itself is never printed.

use std::path::PathBuf;
use std::time::Duration;

use super::env::{ConfigError, Env, bad};

/// How mail reaches the region's relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `GUIDEPOST_SMTP_HOST` (required): the relay's host name, as its certificate names it.
    pub host: String,
    /// `GUIDEPOST_SMTP_PORT` (default 587 for `starttls`, 465 for `tls`, 25 for `none`).
    pub port: u16,
    /// `GUIDEPOST_SMTP_TLS`: `starttls` (default), `tls` or `none`.
    pub tls: SmtpTls,
    /// `GUIDEPOST_SMTP_USERNAME` with `GUIDEPOST_SMTP_PASSWORD` or `GUIDEPOST_SMTP_PASSWORD_FILE`.
    pub login: Option<SmtpLogin>,
    /// `GUIDEPOST_SMTP_CA_FILE`: PEM roots to trust besides the system's (a region's own CA).
    pub ca_file: Option<PathBuf>,
    /// `GUIDEPOST_SMTP_HELO`: the name given in EHLO (default: this host's name).
    pub helo: Option<String>,
    /// `GUIDEPOST_SMTP_TIMEOUT_SECS` (default 10): each SMTP command's timeout.
    pub timeout: Duration,
    /// `GUIDEPOST_SMTP_POOL_SIZE` (default 4): connections kept open to the relay.
    pub pool_size: u32,
}

/// The connection's protection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// STARTTLS, required (the relay must offer it).
    StartTls,
    /// Implicit TLS.
    Tls,
    /// None: a relay on loopback or a trusted link only.
    None,
}

/// The relay login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpLogin {
    /// The user name.
    pub username: String,
    /// Where the password is.
    pub password: Password,
}

/// Where the relay password comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum Password {
    /// `GUIDEPOST_SMTP_PASSWORD`.
    Value(String),
    /// `GUIDEPOST_SMTP_PASSWORD_FILE` (a secret mounted as a file; read at start, trailing newline dropped).
    File(PathBuf),
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Password::Value(_) => f.write_str("Password::Value(<redacted>)"),
            Password::File(path) => f.debug_tuple("Password::File").field(path).finish(),
        }
    }
}

/// Reads the `GUIDEPOST_SMTP_*` variables.
pub(super) fn smtp_config(env: &Env<'_>) -> Result<SmtpConfig, ConfigError> {
    let host = env.required(
        "GUIDEPOST_SMTP_HOST",
        "SMTP delivery needs the relay's host name, e.g. smtp.region.example",
    )?;
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err(bad(
            "GUIDEPOST_SMTP_HOST",
            &host,
            "expected a host name or IP address, without scheme or port",
        ));
    }
    let tls = match env
        .get("GUIDEPOST_SMTP_TLS")
        .as_deref()
        .unwrap_or("starttls")
    {
        "starttls" => SmtpTls::StartTls,
        "tls" => SmtpTls::Tls,
        "none" => SmtpTls::None,
        other => {
            return Err(bad(
                "GUIDEPOST_SMTP_TLS",
                other,
                "expected `starttls` (port 587), `tls` (port 465) or `none` (a relay on this host)",
            ));
        }
    };
    let default_port = match tls {
        SmtpTls::StartTls => 587,
        SmtpTls::Tls => 465,
        SmtpTls::None => 25,
    };
    let port = env.number("GUIDEPOST_SMTP_PORT", default_port, 1, "a port number")?;
    let port = u16::try_from(port).map_err(|_| {
        bad(
            "GUIDEPOST_SMTP_PORT",
            &port.to_string(),
            "expected a port, 1 to 65535",
        )
    })?;
    let login = login(env, tls)?;
    Ok(SmtpConfig {
        host,
        port,
        tls,
        login,
        ca_file: env.get("GUIDEPOST_SMTP_CA_FILE").map(PathBuf::from),
        helo: env.get("GUIDEPOST_SMTP_HELO"),
        timeout: env.seconds("GUIDEPOST_SMTP_TIMEOUT_SECS", 10, 1)?,
        pool_size: env.count("GUIDEPOST_SMTP_POOL_SIZE", 4)?,
    })
}

fn login(env: &Env<'_>, tls: SmtpTls) -> Result<Option<SmtpLogin>, ConfigError> {
    let username = env.get("GUIDEPOST_SMTP_USERNAME");
    let password = match (
        env.get("GUIDEPOST_SMTP_PASSWORD"),
        env.get("GUIDEPOST_SMTP_PASSWORD_FILE"),
    ) {
        (Some(_), Some(_)) => {
            let problem = "set GUIDEPOST_SMTP_PASSWORD or GUIDEPOST_SMTP_PASSWORD_FILE, not both";
            return Err(bad("GUIDEPOST_SMTP_PASSWORD_FILE", "", problem));
        }
        (Some(value), None) => Some(Password::Value(value)),
        (None, Some(path)) => Some(Password::File(PathBuf::from(path))),
        (None, None) => None,
    };
    let login = match (username, password) {
        (Some(username), Some(password)) => SmtpLogin { username, password },
        (None, None) => return Ok(None),
        (Some(username), None) => {
            let problem =
                "a user name needs GUIDEPOST_SMTP_PASSWORD or GUIDEPOST_SMTP_PASSWORD_FILE";
            return Err(bad("GUIDEPOST_SMTP_USERNAME", &username, problem));
        }
        (None, Some(_)) => {
            let problem = "a password needs GUIDEPOST_SMTP_USERNAME";
            return Err(bad("GUIDEPOST_SMTP_USERNAME", "", problem));
        }
    };
    if tls == SmtpTls::None {
        let problem =
            "a login is never sent without TLS: use `starttls` or `tls`, or drop the login";
        return Err(bad("GUIDEPOST_SMTP_TLS", "none", problem));
    }
    Ok(Some(login))
}
