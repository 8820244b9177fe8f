//! The SES v2 transport: sends each [`OutgoingMessage`] as a raw MIME message with `SendEmail`.
//! The only module that imports `aws-sdk-sesv2`; region, credentials and `AWS_ENDPOINT_URL` come from the
//! standard AWS environment.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{Destination, EmailContent, RawMessage};

use crate::transport::{DeliveryError, OutgoingMessage, Transport};

/// Sends through Amazon SES v2 (or anything speaking its API, such as moto).
#[derive(Clone, Debug)]
pub struct SesTransport {
    client: Client,
    configuration_set: Option<String>,
}

impl SesTransport {
    /// A transport for `region` (and `endpoint_url`, e.g. a local moto server), with credentials from the
    /// standard AWS chain; `configuration_set` is `GUIDEPOST_SES_CONFIGURATION_SET`, if set.
    pub async fn from_settings(
        region: &str,
        endpoint_url: Option<&str>,
        configuration_set: Option<String>,
    ) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_owned()));
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let shared = loader.load().await;
        SesTransport {
            client: Client::new(&shared),
            configuration_set,
        }
    }

    /// A transport using an already built client.
    pub fn with_client(client: Client, configuration_set: Option<String>) -> Self {
        SesTransport {
            client,
            configuration_set,
        }
    }
}

impl Transport for SesTransport {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let raw = RawMessage::builder()
            .data(Blob::new(message.raw.as_bytes()))
            .build()
            .map_err(|e| DeliveryError::Service(format!("building the raw message: {e}")))?;
        let destination = Destination::builder()
            .set_to_addresses(Some(message.to.clone()))
            .build();
        let sent = self
            .client
            .send_email()
            .from_email_address(&message.from)
            .destination(destination)
            .content(EmailContent::builder().raw(raw).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await;
        match sent {
            Ok(output) => {
                tracing::debug!(
                    kind = message.kind.as_str(),
                    ses_message_id = output.message_id().unwrap_or(""),
                    "mail accepted by SES"
                );
                Ok(())
            }
            Err(e) => Err(DeliveryError::Service(
                aws_sdk_sesv2::error::DisplayErrorContext(e).to_string(),
            )),
        }
    }
}
