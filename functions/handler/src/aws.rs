//! The AWS SDK's shared configuration: the HTTPS client every AWS call goes through (rustls with
//! ring's crypto), and for the stores (S3 spool, DynamoDB register) the region, an optional endpoint
//! (moto, an S3-compatible store), credentials from the standard chain and short timeouts (2 s to
//! connect, 5 s an attempt). The SES transport keeps its own timeouts (no SDK retries).

use std::time::Duration;

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

/// The HTTPS (and plain HTTP, for a local endpoint) client for every AWS client: rustls with ring
/// and the system's trusted roots. One choice of crypto for the whole binary keeps the Lambda
/// package small (no aws-lc).
pub fn http_client() -> aws_sdk_sesv2::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The loader every AWS configuration starts from: `region`, `endpoint_url` when given, the HTTPS
/// client above and the standard credential chain.
pub fn loader(region: &str, endpoint_url: Option<&str>) -> aws_config::ConfigLoader {
    let loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()))
        .http_client(http_client());
    match endpoint_url {
        Some(url) => loader.endpoint_url(url),
        None => loader,
    }
}

/// The loaded configuration for `region`, pointed at `endpoint_url` when given.
pub async fn store_config(region: &str, endpoint_url: Option<&str>) -> aws_config::SdkConfig {
    loader(region, endpoint_url)
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(5))
                .build(),
        )
        .load()
        .await
}
