//! The SMTP transport: hands each [`OutgoingMessage`] to the region's own mail relay, as the same raw MIME
//! the SES transport sends. The only module that imports `lettre`. Connections are pooled and reused;
//! STARTTLS (`starttls`), implicit TLS (`tls`) or, for a relay on loopback, none. A 5xx reply is final for
//! the request ([`DeliveryError::Service`]); a 4xx reply, a timeout or a lost connection is
//! [`DeliveryError::Transient`], so [`crate::delivery::send`] retries it and redelivery sends it later.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{self, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::transport::{DeliveryError, OutgoingMessage, Transport};

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which the relay must offer (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on the same host or a trusted link.
    None,
}

/// What the SMTP transport needs, checked by the configuration.
#[derive(Clone, Debug)]
pub struct SmtpOptions {
    /// The relay's host name (checked against its certificate).
    pub host: String,
    /// The relay's port.
    pub port: u16,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// User name and password, if the relay wants authentication.
    pub credentials: Option<(String, String)>,
    /// PEM certificates of extra roots to trust (a region's own CA).
    pub extra_roots: Vec<u8>,
    /// The name this host gives in EHLO.
    pub helo: Option<String>,
    /// The timeout of each SMTP command.
    pub timeout: Duration,
    /// At most this many connections kept open to the relay.
    pub pool_size: u32,
}

/// Why the SMTP transport could not be built.
#[derive(Debug, thiserror::Error)]
#[error("SMTP relay {host}: {reason}")]
pub struct SmtpSetupError {
    host: String,
    reason: String,
}

/// Sends through an SMTP relay.
#[derive(Clone)]
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport").finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// A pooled transport for `options`; no connection is made until the first message.
    pub fn new(options: &SmtpOptions) -> Result<SmtpTransport, SmtpSetupError> {
        let setup = |reason: String| SmtpSetupError {
            host: options.host.clone(),
            reason,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&options.host)
            .port(options.port)
            .timeout(Some(options.timeout))
            .pool_config(PoolConfig::new().max_size(options.pool_size));
        if options.security != SmtpSecurity::None {
            let mut tls = TlsParameters::builder(options.host.clone());
            if !options.extra_roots.is_empty() {
                let root = Certificate::from_pem(&options.extra_roots)
                    .map_err(|e| setup(format!("the CA file is not a PEM certificate: {e}")))?;
                tls = tls.add_root_certificate(root);
            }
            let tls = tls
                .build_rustls()
                .map_err(|e| setup(format!("TLS setup: {e}")))?;
            builder = builder.tls(match options.security {
                SmtpSecurity::Tls => Tls::Wrapper(tls),
                _ => Tls::Required(tls),
            });
        }
        if let Some(name) = &options.helo {
            builder = builder.hello_name(ClientId::Domain(name.clone()));
        }
        if let Some((user, password)) = &options.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpTransport {
            inner: builder.build(),
        })
    }
}

impl Transport for SmtpTransport {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let envelope = envelope(message)?;
        // The DATA terminator brings its own CRLF: without this, the relay would get one blank line more.
        let raw = message.raw.strip_suffix("\r\n").unwrap_or(&message.raw);
        match self.inner.send_raw(&envelope, raw.as_bytes()).await {
            Ok(response) => {
                tracing::debug!(
                    kind = message.kind.as_str(),
                    code = %response.code(),
                    "mail accepted by the SMTP relay"
                );
                Ok(())
            }
            Err(error) => Err(classify(&error)),
        }
    }

    /// The relay answers: connects, greets, takes EHLO (and STARTTLS and the login when configured).
    async fn probe(&self) -> Result<(), String> {
        match self.inner.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the SMTP relay did not answer NOOP".to_owned()),
            Err(error) => Err(format!("the SMTP relay: {error}")),
        }
    }
}

/// The envelope: the bare sender address (from `Name <a@b>`) and the recipients.
fn envelope(message: &OutgoingMessage) -> Result<Envelope, DeliveryError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        DeliveryError::Service(format!("{what} is not an address the relay takes: {e}"))
    };
    let from: Address = bare(&message.from)
        .parse()
        .map_err(|e| bad("the sender", &e))?;
    let to = message
        .to
        .iter()
        .map(|to| {
            bare(to)
                .parse::<Address>()
                .map_err(|e| bad("a recipient", &e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Envelope::new(Some(from), to).map_err(|e| bad("the envelope", &e))
}

/// `a@b` from `Name <a@b>`, or the text itself.
fn bare(address: &str) -> &str {
    match (address.rfind('<'), address.strip_suffix('>')) {
        (Some(open), Some(inner)) => inner[open + 1..].trim(),
        _ => address.trim(),
    }
}

/// A 5xx reply (or an address the client refuses to send) is final; everything else (4xx, timeouts, a
/// dropped or refused connection, a reply that could not be read) is worth trying again.
fn classify(error: &smtp::Error) -> DeliveryError {
    let text = error.to_string();
    if error.is_permanent() || error.is_client() {
        DeliveryError::Service(text)
    } else {
        DeliveryError::Transient(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_takes_the_bare_address_from_a_display_name() {
        assert_eq!(
            bare("Guidepost <formular@region.example>"),
            "formular@region.example"
        );
        assert_eq!(bare("desk@region.example"), "desk@region.example");
    }
}
