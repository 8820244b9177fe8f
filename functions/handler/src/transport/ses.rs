//! The SES v2 transport: sends each [`OutgoingMessage`] as a raw MIME message with `SendEmail`.
//! The only module that imports `aws-sdk-sesv2`; region, credentials and `AWS_ENDPOINT_URL` come from the
//! standard AWS environment. The SDK's own retries are off: [`crate::delivery::send`] retries what
//! [`classify`] calls transient (throttling, 5xx, timeouts, refused connections) within a time budget.

use std::time::Duration;

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::config::http::HttpResponse;
use aws_sdk_sesv2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
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
        let shared = crate::aws::loader(region, endpoint_url)
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .timeout_config(
                aws_config::timeout::TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(2))
                    .build(),
            )
            .load()
            .await;
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
            Err(e) => Err(classify(e)),
        }
    }
}

/// Error codes SES uses for throttling.
const THROTTLING: [&str; 4] = [
    "TooManyRequestsException",
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
];

/// Throttling, a 5xx, a timeout or a failed connection is [`DeliveryError::Transient`]; any other refusal
/// (an unverified sender, a rejected message, a paused account) is [`DeliveryError::Service`].
pub fn classify<E>(error: SdkError<E, HttpResponse>) -> DeliveryError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let transient = match &error {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default();
            let status = service.raw().status().as_u16();
            THROTTLING.contains(&code) || status == 429 || status >= 500
        }
        _ => false,
    };
    let text = DisplayErrorContext(error).to_string();
    if transient {
        DeliveryError::Transient(text)
    } else {
        DeliveryError::Service(text)
    }
}
