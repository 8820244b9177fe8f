//! Configuration: read once at start from the environment into a typed [`Config`]; a bad value fails fast
//! with the variable's name. Nothing here opens a file (see [`crate::state`] for that).

use std::net::SocketAddr;
use std::path::PathBuf;

use guidepost_forms::Lang;

/// Everything the function needs to know, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The resolved forms written by the generator (`GUIDEPOST_FORMS`, default `public/forms/forms.json`).
    pub forms_path: PathBuf,
    /// The built site, to find each form's page (`GUIDEPOST_SITE_DIR`, default `public`); the generator's
    /// `forms/pages.json` there maps form id → page file.
    pub site_dir: PathBuf,
    /// Desk addresses (`GUIDEPOST_DESKS`, a YAML or JSON file); `None` = the bundled example.
    pub desks_path: Option<PathBuf>,
    /// How mail leaves (`GUIDEPOST_MAIL`).
    pub mail: MailConfig,
    /// The sender address of every message (`GUIDEPOST_SENDER`).
    pub sender: String,
    /// Where accepted submissions wait until delivered (`GUIDEPOST_SPOOL_DIR`, default `.spool`, under
    /// Lambda `/tmp/guidepost/spool`).
    pub spool_dir: PathBuf,
    /// The local server's address (`GUIDEPOST_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Which runtime to start.
    pub runtime: Runtime,
    /// Receipt page per language; the reference is added as `?ref=`.
    pub receipt_paths: PerLang<String>,
    /// The organisation's time zone per language (IANA names, checked).
    pub time_zones: PerLang<String>,
    /// The form action path, without the form id (`GUIDEPOST_ACTION_PREFIX`, default `/forms/`).
    pub action_prefix: String,
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
}

/// Which runtime serves the router.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// `AWS_LAMBDA_RUNTIME_API` is set: AWS Lambda through lambda_http.
    Lambda,
    /// Otherwise: an HTTP server on [`Config::addr`].
    Local,
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

/// The sender used with the mail folder when `GUIDEPOST_SENDER` is unset.
pub const DEFAULT_FOLDER_SENDER: &str = "Guidepost <formular@guidepost.example>";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = Env(&lookup);
        let runtime = match env.get("AWS_LAMBDA_RUNTIME_API") {
            Some(_) => Runtime::Lambda,
            None => Runtime::Local,
        };
        // Lambda's working directory is read-only: only /tmp can be written there.
        let (mail_dir, spool_dir) = match runtime {
            Runtime::Lambda => ("/tmp/guidepost/mail", "/tmp/guidepost/spool"),
            Runtime::Local => (".mail", ".spool"),
        };
        let mail = match env.get("GUIDEPOST_MAIL").as_deref().unwrap_or("folder") {
            "folder" => MailConfig::Folder {
                dir: env.path("GUIDEPOST_MAIL_DIR", mail_dir)?,
            },
            "ses" => MailConfig::Ses {
                region: env.required("AWS_REGION", "SES needs a region, e.g. eu-north-1")?,
                endpoint_url: env.url("AWS_ENDPOINT_URL")?,
                configuration_set: env.get("GUIDEPOST_SES_CONFIGURATION_SET"),
            },
            other => return Err(bad("GUIDEPOST_MAIL", other, "expected `folder` or `ses`")),
        };
        let sender = match (&mail, env.get("GUIDEPOST_SENDER")) {
            (_, Some(sender)) => check_sender(sender)?,
            (MailConfig::Folder { .. }, None) => DEFAULT_FOLDER_SENDER.to_owned(),
            (MailConfig::Ses { .. }, None) => {
                return Err(bad(
                    "GUIDEPOST_SENDER",
                    "",
                    "SES needs a verified sender address",
                ));
            }
        };
        Ok(Config {
            forms_path: env.path("GUIDEPOST_FORMS", "public/forms/forms.json")?,
            site_dir: env.path("GUIDEPOST_SITE_DIR", "public")?,
            desks_path: env.get("GUIDEPOST_DESKS").map(PathBuf::from),
            mail,
            sender,
            spool_dir: env.path("GUIDEPOST_SPOOL_DIR", spool_dir)?,
            addr: env.addr("GUIDEPOST_ADDR", "127.0.0.1:3000")?,
            runtime,
            receipt_paths: PerLang {
                sv: env.site_path("GUIDEPOST_RECEIPT_PATH_SV", "/kvitto/")?,
                nb: env.site_path("GUIDEPOST_RECEIPT_PATH_NB", "/nhn/kvittering/")?,
                en: env.site_path("GUIDEPOST_RECEIPT_PATH_EN", "/en/receipt/")?,
            },
            time_zones: PerLang {
                sv: env.time_zone("GUIDEPOST_TIME_ZONE_SV", "Europe/Stockholm")?,
                nb: env.time_zone("GUIDEPOST_TIME_ZONE_NB", "Europe/Oslo")?,
                en: env.time_zone("GUIDEPOST_TIME_ZONE_EN", "Europe/Stockholm")?,
            },
            action_prefix: env.site_path("GUIDEPOST_ACTION_PREFIX", "/forms/")?,
        })
    }
}

fn bad(var: &'static str, value: &str, problem: &str) -> ConfigError {
    ConfigError {
        var,
        value: value.to_owned(),
        problem: problem.to_owned(),
    }
}

/// A sender is `addr@domain` or `Name <addr@domain>`, on one line.
fn check_sender(sender: String) -> Result<String, ConfigError> {
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
struct Env<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    fn required(&self, var: &'static str, problem: &str) -> Result<String, ConfigError> {
        self.get(var).ok_or_else(|| bad(var, "", problem))
    }

    fn path(&self, var: &str, default: &str) -> Result<PathBuf, ConfigError> {
        Ok(PathBuf::from(
            self.get(var).unwrap_or_else(|| default.to_owned()),
        ))
    }

    fn url(&self, var: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(var) {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => Ok(Some(url)),
            Some(url) => Err(bad(var, &url, "expected an http:// or https:// URL")),
            None => Ok(None),
        }
    }

    fn addr(&self, var: &'static str, default: &str) -> Result<SocketAddr, ConfigError> {
        let value = self.get(var).unwrap_or_else(|| default.to_owned());
        value.parse().map_err(|_| {
            bad(
                var,
                &value,
                "expected an address and port, e.g. 127.0.0.1:3000",
            )
        })
    }

    /// A path on the site (`/kvitto/`) or an absolute URL (the site on another host than the function);
    /// no spaces, quotes or fragments.
    fn site_path(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
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
                "expected a path on the site (/kvitto/) or an absolute URL (https://…/kvitto/)",
            ))
        }
    }

    fn time_zone(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
        let value = self.get(var).unwrap_or_else(|| default.to_owned());
        match jiff::tz::TimeZone::get(&value) {
            Ok(_) => Ok(value),
            Err(_) => Err(bad(
                var,
                &value,
                "expected an IANA time zone, e.g. Europe/Stockholm",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_local_and_folder_based() {
        let c = config(&[]).expect("defaults");
        assert_eq!(
            c.mail,
            MailConfig::Folder {
                dir: ".mail".into()
            }
        );
        assert_eq!(c.spool_dir, PathBuf::from(".spool"));
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.runtime, Runtime::Local);
        assert_eq!(c.sender, DEFAULT_FOLDER_SENDER);
        assert_eq!(c.forms_path, PathBuf::from("public/forms/forms.json"));
        assert_eq!(c.receipt_paths.get(Lang::Sv), "/kvitto/");
        assert_eq!(c.receipt_paths.get(Lang::Nb), "/nhn/kvittering/");
        assert_eq!(c.receipt_paths.get(Lang::En), "/en/receipt/");
        assert_eq!(c.time_zones.get(Lang::Nb), "Europe/Oslo");
        assert_eq!(c.desks_path, None);
    }

    #[test]
    fn ses_takes_region_endpoint_sender_and_configuration_set() {
        let c = config(&[
            ("GUIDEPOST_MAIL", "ses"),
            ("AWS_REGION", "eu-north-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("GUIDEPOST_SENDER", "Region <formular@region.example>"),
            ("GUIDEPOST_SES_CONFIGURATION_SET", "forms"),
            ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"),
            (
                "GUIDEPOST_RECEIPT_PATH_NB",
                "https://nhn.example/kvittering/",
            ),
        ])
        .expect("ses config");
        assert_eq!(
            c.mail,
            MailConfig::Ses {
                region: "eu-north-1".into(),
                endpoint_url: Some("http://127.0.0.1:4566".into()),
                configuration_set: Some("forms".into()),
            }
        );
        assert_eq!(c.sender, "Region <formular@region.example>");
        assert_eq!(c.runtime, Runtime::Lambda);
        assert_eq!(
            c.spool_dir,
            PathBuf::from("/tmp/guidepost/spool"),
            "Lambda can only write /tmp"
        );
    }

    #[test]
    fn bad_values_fail_fast_naming_the_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("GUIDEPOST_MAIL", "smtp")],
                "GUIDEPOST_MAIL=\"smtp\": expected `folder` or `ses`",
            ),
            (
                &[
                    ("GUIDEPOST_MAIL", "ses"),
                    ("GUIDEPOST_SENDER", "a@b.example"),
                ],
                "AWS_REGION=\"\": SES needs a region, e.g. eu-north-1",
            ),
            (
                &[("GUIDEPOST_MAIL", "ses"), ("AWS_REGION", "eu-north-1")],
                "GUIDEPOST_SENDER=\"\": SES needs a verified sender address",
            ),
            (
                &[("GUIDEPOST_SENDER", "not an address")],
                "GUIDEPOST_SENDER=\"not an address\": expected `name@domain` or `Name <name@domain>`",
            ),
            (
                &[("GUIDEPOST_ADDR", "localhost")],
                "GUIDEPOST_ADDR=\"localhost\": expected an address and port, e.g. 127.0.0.1:3000",
            ),
            (
                &[("GUIDEPOST_RECEIPT_PATH_SV", "kvitto")],
                "GUIDEPOST_RECEIPT_PATH_SV=\"kvitto\": expected a path on the site (/kvitto/) or an absolute URL (https://…/kvitto/)",
            ),
            (
                &[("GUIDEPOST_RECEIPT_PATH_SV", "//evil.example/")],
                "GUIDEPOST_RECEIPT_PATH_SV=\"//evil.example/\": expected a path on the site (/kvitto/) or an absolute URL (https://…/kvitto/)",
            ),
            (
                &[("GUIDEPOST_TIME_ZONE_NB", "Europe/Bergen")],
                "GUIDEPOST_TIME_ZONE_NB=\"Europe/Bergen\": expected an IANA time zone, e.g. Europe/Stockholm",
            ),
            (
                &[
                    ("GUIDEPOST_MAIL", "ses"),
                    ("AWS_REGION", "x"),
                    ("GUIDEPOST_SENDER", "a@b.example"),
                    ("AWS_ENDPOINT_URL", "127.0.0.1:4566"),
                ],
                "AWS_ENDPOINT_URL=\"127.0.0.1:4566\": expected an http:// or https:// URL",
            ),
        ];
        for (vars, message) in cases {
            let err = config(vars).expect_err(message);
            assert_eq!(err.to_string(), *message);
        }
    }
}
