//! The application state: the loaded forms, desk book, form pages, transport and spool, the [`Settings`]
//! and the clock the pipeline needs. [`AppState::new`] takes ready parts (tests, the dev server); [`AppState::from_config`]
//! loads them as [`Config`] says.

use std::path::Path;
use std::sync::Arc;

use guidepost_forms::FormSet;

use crate::accounts::{Accounts, FolderStore, Register};
use crate::clock::{Clock, system_clock};
use crate::config::{
    Config, DeskSource, KeySource, MailConfig, RegisterConfig, SpoolConfig, key_from_file,
};
use crate::desks::{DeskBook, DeskError};
use crate::metrics::Metrics;
use crate::pages::{FormPages, PagesError};
use crate::policy::RateLimiter;
use crate::settings::Settings;
use crate::spool::{DynSpool, FolderSpool};
use crate::transport::{CountedTransport, DynTransport, EmlFolder};

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
    pub limiter: Option<Arc<RateLimiter>>,
    pub metrics: Arc<Metrics>,
    pub accounts: Option<Accounts>,
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
    /// Neither the site nor a variable gives desk addresses.
    #[error(
        "no desk addresses: the site has no {0} (written by `guidepost build` from content/desks.yaml) \
         and neither GUIDEPOST_DESKS nor GUIDEPOST_DESKS_JSON is set"
    )]
    NoDesks(std::path::PathBuf),
    /// The desk file is unusable or does not cover the forms.
    #[error(transparent)]
    Desks(#[from] DeskError),
    /// The built pages are unusable.
    #[error(transparent)]
    Pages(#[from] PagesError),
    /// `GUIDEPOST_MAIL=ses` or `GUIDEPOST_SPOOL=s3` in a build without the `aws` feature.
    #[error("{0} needs the `aws` feature of guidepost-handler")]
    NoAws(&'static str),
    /// `GUIDEPOST_MAIL=smtp` in a build without the `smtp` feature.
    #[error("GUIDEPOST_MAIL=smtp needs the `smtp` feature of guidepost-handler")]
    NoSmtp,
    /// A form has an `account:` key but no link key is configured.
    #[error(
        "a form orders accounts (it has an `account:` key) but no link key is set: set GUIDEPOST_ACCOUNT_KEY \
         (at least 32 bytes, e.g. `openssl rand -hex 32`) or GUIDEPOST_ACCOUNT_KEY_FILE"
    )]
    NoAccountKey,
    /// A form has an `account:` key but links would have no address to point at (under Lambda): not
    /// a failed start, but logged at start, and account orders are ordinary orders.
    #[error(
        "a form orders accounts but GUIDEPOST_PUBLIC_URL is not set, so account orders go to the desk as \
         ordinary orders with no links and no reminders: set it to the site's public address (the \
         template's PublicUrl parameter, e.g. https://guide.region.example)"
    )]
    NoPublicUrl,
    /// The key file holds fewer than 32 bytes.
    #[error(
        "GUIDEPOST_ACCOUNT_KEY_FILE: the key must be at least 32 bytes; its value is not shown"
    )]
    ShortAccountKey,
    /// A file the settings name (the SMTP password or CA file, the link key) could not be read.
    #[error("{var}={path:?}: cannot read it: {source}")]
    SmtpFile {
        /// The variable that names it.
        var: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The SMTP transport could not be set up (a CA file that is not PEM, TLS setup).
    #[cfg(feature = "smtp")]
    #[error(transparent)]
    Smtp(#[from] crate::transport::SmtpSetupError),
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
        let limiter = settings
            .rate_limit
            .map(|limit| Arc::new(RateLimiter::new(limit)));
        let metrics = Arc::new(Metrics::default());
        let transport = Arc::new(CountedTransport::new(transport, Arc::clone(&metrics)));
        let parts = Parts {
            forms,
            desks,
            pages,
            transport,
            spool,
            settings,
            clock,
            limiter,
            metrics,
            accounts: None,
        };
        Ok(AppState {
            inner: Arc::new(parts),
        })
    }

    /// The same state with the account register and its link key.
    pub fn with_accounts(self, accounts: Accounts) -> AppState {
        let parts = Parts::clone(&self.inner);
        AppState {
            inner: Arc::new(Parts {
                accounts: Some(accounts),
                ..parts
            }),
        }
    }

    /// The account register, if the state has one.
    pub fn accounts(&self) -> Option<&Accounts> {
        self.inner.accounts.as_ref()
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
        let content_path = config.site_dir.join("forms").join("desks.json");
        let content = match content_path.exists() {
            true => Some(DeskBook::load(&content_path)?),
            false => None,
        };
        let over = match &config.desks {
            DeskSource::File(path) => Some((DeskBook::load(path)?, "GUIDEPOST_DESKS")),
            DeskSource::Inline(json) => Some((
                DeskBook::parse(json, false, Path::new("GUIDEPOST_DESKS_JSON"))?,
                "GUIDEPOST_DESKS_JSON",
            )),
            DeskSource::Example | DeskSource::Content => None,
        };
        let desks = match (&config.desks, content, over) {
            (DeskSource::Example, _, _) => DeskBook::example()?,
            (_, Some(content), Some((over, name))) => content.overridden_by(over, name)?,
            (_, None, Some((over, _))) => over,
            (_, Some(content), None) => content,
            (_, None, None) => return Err(StartError::NoDesks(content_path)),
        };
        let pages = FormPages::load(&config.site_dir)?;
        let transport = transport_for(&config.mail).await?;
        let spool = spool_for(&config.spool).await?;
        let has_accounts = forms.iter().any(|form| form.account.is_some());
        let state = AppState::new(
            forms,
            desks,
            pages,
            transport,
            spool,
            config.settings.clone(),
        )?;
        if has_accounts && config.settings.accounts.public_url.is_empty() {
            // Under Lambda with no public address: every form keeps working, account orders go to the
            // desk as ordinary orders, and this line says why there are no links.
            tracing::error!(
                target: "guidepost::accounts",
                "{}",
                StartError::NoPublicUrl
            );
            return Ok(state);
        }
        let key = match &config.account_key {
            None if has_accounts => return Err(StartError::NoAccountKey),
            None => return Ok(state),
            Some(KeySource::Value(key)) => key.clone(),
            Some(KeySource::File(path)) => {
                let bytes = std::fs::read(path).map_err(|source| StartError::SmtpFile {
                    var: "GUIDEPOST_ACCOUNT_KEY_FILE",
                    path: path.clone(),
                    source,
                })?;
                key_from_file(&bytes).ok_or(StartError::ShortAccountKey)?
            }
        };
        let register = register_for(&config.register).await?;
        Ok(state.with_accounts(Accounts { register, key }))
    }

    /// The forms served.
    pub fn forms(&self) -> &FormSet {
        &self.inner.forms
    }

    /// The spool.
    pub fn spool(&self) -> &dyn DynSpool {
        self.inner.spool.as_ref()
    }

    /// The transport.
    pub fn transport(&self) -> &dyn DynTransport {
        self.inner.transport.as_ref()
    }

    /// The counters the metrics endpoint shows.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The state's clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The current time from the state's clock.
    pub fn now(&self) -> jiff::Timestamp {
        (self.inner.clock)()
    }
}

/// The register the config names; the DynamoDB one needs the `aws` feature.
pub async fn register_for(register: &RegisterConfig) -> Result<Register, StartError> {
    match register {
        RegisterConfig::Folder { dir } => Ok(Register::new(Arc::new(FolderStore::new(dir)))),
        #[cfg(feature = "aws")]
        RegisterConfig::Dynamo {
            table,
            region,
            endpoint_url,
        } => Ok(Register::new(Arc::new(
            crate::accounts::DynamoStore::from_settings(region, endpoint_url.as_deref(), table)
                .await,
        ))),
        #[cfg(not(feature = "aws"))]
        RegisterConfig::Dynamo { .. } => Err(StartError::NoAws("GUIDEPOST_REGISTER=dynamodb")),
    }
}

/// The spool the config names; the S3 spool needs the `aws` feature.
pub async fn spool_for(spool: &SpoolConfig) -> Result<Arc<dyn DynSpool>, StartError> {
    match spool {
        SpoolConfig::Folder { dir } => Ok(Arc::new(FolderSpool::new(dir))),
        #[cfg(feature = "aws")]
        SpoolConfig::S3 {
            bucket,
            prefix,
            region,
            endpoint_url,
        } => Ok(Arc::new(
            crate::spool::S3Spool::from_settings(region, endpoint_url.as_deref(), bucket, prefix)
                .await,
        )),
        #[cfg(not(feature = "aws"))]
        SpoolConfig::S3 { .. } => Err(StartError::NoAws("GUIDEPOST_SPOOL=s3")),
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
            crate::transport::SesTransport::from_settings(
                region,
                endpoint_url.as_deref(),
                configuration_set.clone(),
            )
            .await,
        )),
        #[cfg(not(feature = "aws"))]
        MailConfig::Ses { .. } => Err(StartError::NoAws("GUIDEPOST_MAIL=ses")),
        #[cfg(feature = "smtp")]
        MailConfig::Smtp(smtp) => Ok(Arc::new(smtp_transport(smtp)?)),
        #[cfg(not(feature = "smtp"))]
        MailConfig::Smtp(_) => Err(StartError::NoSmtp),
    }
}

/// The SMTP transport, with the password and CA files read.
#[cfg(feature = "smtp")]
fn smtp_transport(
    smtp: &crate::config::SmtpConfig,
) -> Result<crate::transport::SmtpTransport, StartError> {
    use crate::config::{Password, SmtpTls};
    use crate::transport::{SmtpOptions, SmtpSecurity, SmtpTransport};
    let read = |var: &'static str, path: &Path| {
        std::fs::read(path).map_err(|source| StartError::SmtpFile {
            var,
            path: path.to_owned(),
            source,
        })
    };
    let credentials = match &smtp.login {
        None => None,
        Some(login) => {
            let password = match &login.password {
                Password::Value(value) => value.clone(),
                Password::File(path) => {
                    let bytes = read("GUIDEPOST_SMTP_PASSWORD_FILE", path)?;
                    String::from_utf8_lossy(&bytes)
                        .trim_end_matches(['\r', '\n'])
                        .to_owned()
                }
            };
            Some((login.username.clone(), password))
        }
    };
    let extra_roots = match &smtp.ca_file {
        Some(path) => read("GUIDEPOST_SMTP_CA_FILE", path)?,
        None => Vec::new(),
    };
    let options = SmtpOptions {
        host: smtp.host.clone(),
        port: smtp.port,
        security: match smtp.tls {
            SmtpTls::StartTls => SmtpSecurity::StartTls,
            SmtpTls::Tls => SmtpSecurity::Tls,
            SmtpTls::None => SmtpSecurity::None,
        },
        credentials,
        extra_roots,
        helo: smtp.helo.clone(),
        timeout: smtp.timeout,
        pool_size: smtp.pool_size,
    };
    Ok(SmtpTransport::new(&options)?)
}
