//! The application state: the loaded forms, desk book, form pages, transport and spool, plus the settings
//! the pipeline needs. [`AppState::new`] takes ready parts (tests, the dev server); [`AppState::from_config`]
//! loads them as [`Config`] says.

use std::sync::Arc;

use guidepost_forms::{FormSet, Lang};
use jiff::tz::TimeZone;

use crate::clock::{Clock, system_clock};
use crate::config::{Config, DEFAULT_FOLDER_SENDER, MailConfig, PerLang};
use crate::desks::{DeskBook, DeskError};
use crate::pages::{FormPages, PagesError};
use crate::spool::{DynSpool, FolderSpool};
use crate::transport::{DynTransport, EmlFolder};

/// The settings the pipeline reads on each request.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The sender of every message.
    pub sender: String,
    /// Receipt page per language.
    pub receipt_paths: PerLang<String>,
    /// The organisation's time zone per language.
    pub time_zones: PerLang<TimeZone>,
    /// The form action path without the id.
    pub action_prefix: String,
}

impl Default for Settings {
    /// The defaults of [`Config`]: `/kvitto/`, `/nhn/kvittering/`, `/en/receipt/`; Stockholm and Oslo time.
    fn default() -> Self {
        let stockholm = TimeZone::get("Europe/Stockholm").unwrap_or(TimeZone::UTC);
        Settings {
            sender: DEFAULT_FOLDER_SENDER.to_owned(),
            receipt_paths: PerLang {
                sv: "/kvitto/".into(),
                nb: "/nhn/kvittering/".into(),
                en: "/en/receipt/".into(),
            },
            time_zones: PerLang {
                sv: stockholm.clone(),
                nb: TimeZone::get("Europe/Oslo").unwrap_or(TimeZone::UTC),
                en: stockholm,
            },
            action_prefix: "/forms/".into(),
        }
    }
}

impl Settings {
    /// The settings part of a checked config.
    pub fn from_config(config: &Config) -> Settings {
        let zone = |name: &String| TimeZone::get(name).unwrap_or(TimeZone::UTC);
        Settings {
            sender: config.sender.clone(),
            receipt_paths: config.receipt_paths.clone(),
            time_zones: PerLang {
                sv: zone(&config.time_zones.sv),
                nb: zone(&config.time_zones.nb),
                en: zone(&config.time_zones.en),
            },
            action_prefix: config.action_prefix.clone(),
        }
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

/// Everything the router shares between requests; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Parts>,
}

/// The parts of the state.
#[derive(Clone)]
pub(crate) struct Parts {
    pub forms: FormSet,
    pub desks: DeskBook,
    pub pages: FormPages,
    pub transport: Arc<dyn DynTransport>,
    pub spool: Arc<dyn DynSpool>,
    pub settings: Settings,
    pub clock: Clock,
}

/// Why the function cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The forms file could not be read.
    #[error("{path}: {source}")]
    FormsRead {
        /// `GUIDEPOST_FORMS`.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The forms file is not a form set.
    #[error("{path}: not a form set written by the generator: {source}")]
    FormsJson {
        /// `GUIDEPOST_FORMS`.
        path: std::path::PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// The desk file is unusable or does not cover the forms.
    #[error(transparent)]
    Desks(#[from] DeskError),
    /// The built pages are unusable.
    #[error(transparent)]
    Pages(#[from] PagesError),
    /// `GUIDEPOST_MAIL=ses` in a build without the `aws` feature.
    #[error("GUIDEPOST_MAIL=ses needs the `aws` feature of guidepost-handler")]
    NoSes,
}

impl AppState {
    /// A state from ready parts; fails if a desk some form can route to has no address.
    pub fn new(
        forms: FormSet,
        desks: DeskBook,
        pages: FormPages,
        transport: Arc<dyn DynTransport>,
        spool: Arc<dyn DynSpool>,
        settings: Settings,
    ) -> Result<AppState, StartError> {
        desks.check_covers(forms.iter().flat_map(|form| form.desks()))?;
        let clock = system_clock();
        let parts = Parts {
            forms,
            desks,
            pages,
            transport,
            spool,
            settings,
            clock,
        };
        Ok(AppState {
            inner: Arc::new(parts),
        })
    }

    /// The same state with another clock.
    pub fn with_clock(self, clock: Clock) -> AppState {
        let parts = Parts::clone(&self.inner);
        AppState {
            inner: Arc::new(Parts { clock, ..parts }),
        }
    }

    /// Loads forms, desks and pages and builds the transport and spool named by `config`.
    pub async fn from_config(config: &Config) -> Result<AppState, StartError> {
        let forms_text = std::fs::read_to_string(&config.forms_path).map_err(|source| {
            StartError::FormsRead {
                path: config.forms_path.clone(),
                source,
            }
        })?;
        let forms = FormSet::from_json(&forms_text).map_err(|source| StartError::FormsJson {
            path: config.forms_path.clone(),
            source,
        })?;
        let desks = match &config.desks_path {
            Some(path) => DeskBook::load(path)?,
            None => DeskBook::example()?,
        };
        let pages = FormPages::load(&config.site_dir)?;
        let transport = transport_for(&config.mail).await?;
        let spool: Arc<dyn DynSpool> = Arc::new(FolderSpool::new(&config.spool_dir));
        AppState::new(
            forms,
            desks,
            pages,
            transport,
            spool,
            Settings::from_config(config),
        )
    }

    /// The forms served.
    pub fn forms(&self) -> &FormSet {
        &self.inner.forms
    }
}

async fn transport_for(mail: &MailConfig) -> Result<Arc<dyn DynTransport>, StartError> {
    match mail {
        MailConfig::Folder { dir } => Ok(Arc::new(EmlFolder::new(dir))),
        #[cfg(feature = "aws")]
        MailConfig::Ses {
            region,
            endpoint_url,
            configuration_set,
        } => Ok(Arc::new(
            crate::ses::SesTransport::from_settings(
                region,
                endpoint_url.as_deref(),
                configuration_set.clone(),
            )
            .await,
        )),
        #[cfg(not(feature = "aws"))]
        MailConfig::Ses { .. } => Err(StartError::NoSes),
    }
}
