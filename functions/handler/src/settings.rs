//! [`Settings`]: the part of a checked [`Config`] the pipeline reads on each request, built only from a
//! `Config` (so every default and every check lives once, in [`crate::config`]).

use std::time::Duration;

use guidepost_forms::Lang;
use jiff::tz::TimeZone;

use crate::config::{Config, ConfigError, PerLang};
use crate::policy::{RateLimit, RedeliveryPolicy, RetryPolicy};

/// The settings the pipeline reads on each request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The sender of every message.
    pub sender: String,
    /// Receipt page per language.
    pub receipt_paths: PerLang<String>,
    /// The organisation's time zone per language.
    pub time_zones: PerLang<TimeZone>,
    /// The form action path without the id.
    pub action_prefix: String,
    /// Retrying within a request.
    pub retry: RetryPolicy,
    /// Redelivery and retention.
    pub redelivery: RedeliveryPolicy,
    /// Repeats within this window get the first one's reference.
    pub idempotency_window: Duration,
    /// Faster submissions are quietly dropped; zero = no check.
    pub min_fill: Duration,
    /// Per-client limit, for requests whose client address is known (the local server).
    pub rate_limit: Option<RateLimit>,
    /// Origins a browser may post from; empty = any.
    pub allowed_origins: Vec<String>,
}

impl Settings {
    /// The settings part of a checked config.
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            sender: config.sender.clone(),
            receipt_paths: config.receipt_paths.clone(),
            time_zones: config.time_zones.clone(),
            action_prefix: config.action_prefix.clone(),
            retry: config.retry,
            redelivery: config.redelivery,
            idempotency_window: config.idempotency_window,
            min_fill: config.min_fill,
            rate_limit: config.rate_limit,
            allowed_origins: config.allowed_origins.clone(),
        }
    }

    /// The settings of [`Config::development`] (the dev server's; tests start from them too): the
    /// defaults, no time-to-fill check, no rate limit, any origin.
    pub fn development() -> Result<Settings, ConfigError> {
        Config::development().map(|config| Settings::from_config(&config))
    }

    /// The receipt page address for a reference.
    pub fn receipt_location(&self, lang: Lang, reference: &str) -> String {
        let path = self.receipt_paths.get(lang);
        let joiner = if path.contains('?') { '&' } else { '?' };
        let encoded: String = form_urlencoded::byte_serialize(reference.as_bytes()).collect();
        format!("{path}{joiner}ref={encoded}")
    }

    /// The form's action address.
    pub fn action(&self, form_id: &str) -> String {
        format!("{}{form_id}", self.action_prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut map: BTreeMap<&str, &str> = vars.iter().copied().collect();
        map.insert("GUIDEPOST_DESKS", "desks.yaml");
        Config::from_lookup(|k| map.get(k).map(|v| (*v).to_owned()))
            .map(|config| Settings::from_config(&config))
    }

    #[test]
    fn time_zones_come_from_the_config_and_a_bad_one_stops_the_start() {
        let chosen = settings(&[("GUIDEPOST_TIME_ZONE_EN", "America/New_York")]).expect("settings");
        assert_eq!(
            chosen.time_zones.get(Lang::En).iana_name(),
            Some("America/New_York")
        );
        assert_eq!(
            chosen.time_zones.get(Lang::Sv).iana_name(),
            Some("Europe/Stockholm")
        );
        let err = settings(&[("GUIDEPOST_TIME_ZONE_SV", "Europe/Atlantis")])
            .expect_err("no UTC fallback");
        assert_eq!(
            err.to_string(),
            "GUIDEPOST_TIME_ZONE_SV=\"Europe/Atlantis\": expected an IANA time zone, e.g. Europe/Stockholm"
        );
    }

    #[test]
    fn development_settings_are_the_development_configs() {
        let dev = Settings::development().expect("development settings");
        let config = Config::development().expect("development config");
        assert_eq!(dev, Settings::from_config(&config));
        assert_eq!(dev.min_fill, Duration::ZERO);
        assert_eq!(dev.rate_limit, None);
        assert_eq!(dev.action("kontakt"), "/forms/kontakt");
        assert_eq!(
            dev.receipt_location(Lang::Nb, "GP-AAAA-CCCC"),
            "/nhn/kvittering/?ref=GP-AAAA-CCCC"
        );
    }
}
