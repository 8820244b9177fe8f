//! The AWS SDK's shared configuration for the stores (S3 spool, DynamoDB register): the region, an
//! optional endpoint (moto, an S3-compatible store), credentials from the standard chain and short
//! timeouts (2 s to connect, 5 s an attempt). The SES transport keeps its own (no SDK retries).

use std::time::Duration;

/// The loaded configuration for `region`, pointed at `endpoint_url` when given.
pub async fn store_config(region: &str, endpoint_url: Option<&str>) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()))
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_secs(5))
                .build(),
        );
    if let Some(url) = endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}
