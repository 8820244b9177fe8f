//! [`Settings`]: the part of a checked [`crate::Config`] the pipeline reads on each request. Only
//! [`crate::config`] builds one (so every default and every check lives once, there).

use std::time::Duration;

use guidepost_forms::{Lang, RECEIPT_ID};
use jiff::tz::TimeZone;

use crate::policy::{RateLimit, RedeliveryPolicy, RetryPolicy};

/// The settings the pipeline reads on each request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The sender of every message.
    pub sender: String,
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
    /// Receipts sent to one address a day at most; beyond it only the desk mail goes.
    pub receipts_per_address_per_day: u32,
    /// The account register's links and periods.
    pub accounts: AccountSettings,
}

/// What the account register reads: where links point, and its periods in days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSettings {
    /// Scheme and host (no trailing slash) that links in e-mails start with.
    pub public_url: String,
    /// An order still unconfirmed after this many days is reported to the desk, once.
    pub confirm_days: u32,
    /// A closed record is deleted this many days after it was closed.
    pub retention_days: u32,
}

impl Settings {
    /// Where a post without JavaScript is sent after it was received: the form's receipt page, served
    /// by the function (`{action}/receipt?ref=…`), scrolled to the receipt.
    pub fn receipt_location(&self, form_id: &str, reference: &str) -> String {
        let encoded: String = form_urlencoded::byte_serialize(reference.as_bytes()).collect();
        format!(
            "{}/receipt?ref={encoded}#{RECEIPT_ID}",
            self.action(form_id)
        )
    }

    /// The form's action address.
    pub fn action(&self, form_id: &str) -> String {
        format!("{}{form_id}", self.action_prefix)
    }
}

/// One value per form language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerLang<T> {
    /// Swedish.
    pub sv: T,
    /// Norwegian bokmål.
    pub nb: T,
    /// English.
    pub en: T,
}

impl<T> PerLang<T> {
    /// The value for `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Sv => &self.sv,
            Lang::Nb => &self.nb,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigError};
    use std::collections::BTreeMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut map: BTreeMap<&str, &str> = vars.iter().copied().collect();
        map.insert("GUIDEPOST_DESKS", "desks.yaml");
        Config::from_lookup(|k| map.get(k).map(|v| (*v).to_owned())).map(|config| config.settings)
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
        assert_eq!(dev, config.settings);
        assert_eq!(dev.min_fill, Duration::ZERO);
        assert_eq!(dev.rate_limit, None);
        assert_eq!(dev.action("kontakt"), "/forms/kontakt");
        assert_eq!(
            dev.receipt_location("nhn-domain-new", "GP-AAAA-CCCC"),
            "/forms/nhn-domain-new/receipt?ref=GP-AAAA-CCCC#receipt"
        );
    }
}
