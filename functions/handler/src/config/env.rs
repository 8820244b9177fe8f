//! Reading single variables: the environment seen through a lookup function, each value parsed and checked,
//! or a [`ConfigError`] naming the variable, its value and what would be right.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A variable with a value the function cannot use.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{var}={value:?}: {problem}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: &'static str,
    /// What it was set to.
    pub value: String,
    /// What is wrong, and what would be right.
    pub problem: String,
}

/// A [`ConfigError`] for `var`.
pub(super) fn bad(var: &'static str, value: &str, problem: &str) -> ConfigError {
    ConfigError {
        var,
        value: value.to_owned(),
        problem: problem.to_owned(),
    }
}

/// A sender is `addr@domain` or `Name <addr@domain>`, on one line.
pub(super) fn check_sender(sender: String) -> Result<String, ConfigError> {
    let address = match (sender.find('<'), sender.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => sender.as_str(),
    };
    if crate::desks::is_plain_address(address) && !sender.contains(['\r', '\n']) {
        Ok(sender)
    } else {
        Err(bad(
            "GUIDEPOST_SENDER",
            &sender,
            "expected `name@domain` or `Name <name@domain>`",
        ))
    }
}

/// The environment seen through a lookup function; empty values count as unset.
pub(super) struct Env<'a>(pub(super) &'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    pub(super) fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    pub(super) fn required(&self, var: &'static str, problem: &str) -> Result<String, ConfigError> {
        self.get(var).ok_or_else(|| bad(var, "", problem))
    }

    pub(super) fn path(&self, var: &str, default: &str) -> Result<PathBuf, ConfigError> {
        Ok(PathBuf::from(
            self.get(var).unwrap_or_else(|| default.to_owned()),
        ))
    }

    pub(super) fn url(&self, var: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(var) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => Ok(Some(url)),
            Some(url) => Err(bad(var, &url, "expected an http:// or https:// URL")),
            None => Ok(None),
        }
    }

    pub(super) fn addr(&self, var: &'static str, default: &str) -> Result<SocketAddr, ConfigError> {
        let value = self.get(var).unwrap_or_else(|| default.to_owned());
        value.parse().map_err(|_| {
            bad(
                var,
                &value,
                "expected an address and port, e.g. 127.0.0.1:3000",
            )
        })
    }

    /// A path on the site (`/forms/`) or an absolute URL (the site on another host than the function);
    /// no spaces, quotes or fragments.
    pub(super) fn site_path(
        &self,
        var: &'static str,
        default: &str,
    ) -> Result<String, ConfigError> {
        let value = self.get(var).unwrap_or_else(|| default.to_owned());
        let rooted = (value.starts_with('/') && !value.starts_with("//"))
            || value.starts_with("https://")
            || value.starts_with("http://");
        let plain = rooted
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '#'));
        if plain {
            Ok(value)
        } else {
            Err(bad(
                var,
                &value,
                "expected a path on the site (/forms/) or an absolute URL (https://…/forms/)",
            ))
        }
    }

    /// An IANA time zone, looked up here once (no fallback: an unknown name is an error).
    pub(super) fn time_zone(
        &self,
        var: &'static str,
        default: &str,
    ) -> Result<jiff::tz::TimeZone, ConfigError> {
        let value = self.get(var).unwrap_or_else(|| default.to_owned());
        match jiff::tz::TimeZone::get(&value) {
            Ok(zone) => Ok(zone),
            Err(_) => Err(bad(
                var,
                &value,
                "expected an IANA time zone, e.g. Europe/Stockholm",
            )),
        }
    }

    /// A whole number of seconds, at least `min`.
    pub(super) fn seconds(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
    ) -> Result<Duration, ConfigError> {
        self.number(var, default, min, "a whole number of seconds")
            .map(Duration::from_secs)
    }

    /// A whole number of milliseconds, at least `min`.
    pub(super) fn millis(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
    ) -> Result<Duration, ConfigError> {
        self.number(var, default, min, "a whole number of milliseconds")
            .map(Duration::from_millis)
    }

    /// A whole number of days, 1 to 365.
    pub(super) fn days(&self, var: &'static str, default: u64) -> Result<Duration, ConfigError> {
        let days = self.number(var, default, 1, "a whole number of days")?;
        if days > 365 {
            return Err(bad(var, &days.to_string(), "expected at most 365 days"));
        }
        Ok(Duration::from_secs(days * 24 * 3600))
    }

    /// A count, at least 1.
    pub(super) fn count(&self, var: &'static str, default: u32) -> Result<u32, ConfigError> {
        let n = self.number(var, u64::from(default), 1, "a whole number")?;
        u32::try_from(n).map_err(|_| bad(var, &n.to_string(), "expected a smaller count"))
    }

    pub(super) fn number(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
        what: &str,
    ) -> Result<u64, ConfigError> {
        let Some(value) = self.get(var) else {
            return Ok(default);
        };
        match value.trim().parse::<u64>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(bad(
                var,
                &value,
                &format!("expected {what}, at least {min}"),
            )),
        }
    }

    /// Comma-separated origins (`https://host[:port]`, no path), or none.
    pub(super) fn origins(&self, var: &'static str) -> Result<Vec<String>, ConfigError> {
        let Some(value) = self.get(var) else {
            return Ok(Vec::new());
        };
        let mut origins = Vec::new();
        for origin in value.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            let origin = origin.to_ascii_lowercase();
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let plain = rest.is_some_and(|host| {
                !host.is_empty()
                    && host.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')
                    })
            });
            if !plain {
                let problem = "expected origins like https://www.region.example, comma-separated";
                return Err(bad(var, &value, problem));
            }
            origins.push(origin);
        }
        Ok(origins)
    }

    /// An S3 key prefix: empty, or plain path segments ending in `/`.
    pub(super) fn key_prefix(&self, var: &'static str) -> Result<String, ConfigError> {
        let value = self.get(var).unwrap_or_default();
        let plain = value.is_empty()
            || (value.ends_with('/')
                && !value.starts_with('/')
                && !value.contains("//")
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')));
        if plain {
            Ok(value)
        } else {
            Err(bad(var, &value, "expected empty or a prefix like `spool/`"))
        }
    }
}
