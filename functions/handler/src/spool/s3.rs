//! [`S3Spool`]: the spool in an S3 bucket (`GUIDEPOST_SPOOL=s3`, `GUIDEPOST_SPOOL_BUCKET`), one object
//! `<prefix><shelf>/<key>.json` per key. New keys are written with `PutObject` and `If-None-Match: *`, so
//! S3 refuses to overwrite (412 → [`SpoolError::Exists`]; a concurrent write in progress, 409, is retried).
//! The only module that imports `aws-sdk-s3`. The role needs `s3:GetObject`, `s3:PutObject`,
//! `s3:DeleteObject` on the keys and `s3:ListBucket` on the bucket (without it S3 answers 403, not 404,
//! for a key that is not there, and every idempotency check would fail).

use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::primitives::ByteStream;

use super::{Listed, Shelf, Spool, SpoolError, is_plain_key};

/// How often a write that S3 answers with 409 (a concurrent conditional write) is tried again.
const CONFLICT_ATTEMPTS: u32 = 5;

/// A spool in an S3 bucket (or anything speaking its API, such as moto).
#[derive(Clone, Debug)]
pub struct S3Spool {
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Spool {
    /// A spool in `bucket` under `prefix` (e.g. `""` or `"spool/"`) for `region`, with credentials from the
    /// standard AWS chain; `endpoint_url` (e.g. a local moto server) implies path-style addressing.
    pub async fn from_settings(
        region: &str,
        endpoint_url: Option<&str>,
        bucket: &str,
        prefix: &str,
    ) -> Self {
        let shared = crate::aws::store_config(region, endpoint_url).await;
        let config = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(endpoint_url.is_some())
            .build();
        S3Spool::with_client(Client::from_conf(config), bucket, prefix)
    }

    /// A spool using an already built client.
    pub fn with_client(client: Client, bucket: &str, prefix: &str) -> Self {
        S3Spool {
            client,
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        }
    }

    fn shelf_prefix(&self, shelf: Shelf) -> String {
        format!("{}{}/", self.prefix, shelf.name())
    }

    fn object_key(&self, shelf: Shelf, key: &str) -> Result<String, SpoolError> {
        if is_plain_key(key) {
            Ok(format!("{}{key}.json", self.shelf_prefix(shelf)))
        } else {
            Err(SpoolError::BadKey(key.into()))
        }
    }
}

/// The HTTP status of a failed call, when S3 answered at all.
fn status<E>(error: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>) -> Option<u16> {
    error.raw_response().map(|r| r.status().as_u16())
}

fn service<E: std::error::Error + 'static>(
    what: &str,
    error: SdkError<E, aws_sdk_s3::config::http::HttpResponse>,
) -> SpoolError {
    SpoolError::Service(format!("{what}: {}", DisplayErrorContext(error)))
}

impl Spool for S3Spool {
    async fn put_new(&self, shelf: Shelf, key: &str, bytes: Vec<u8>) -> Result<(), SpoolError> {
        let object = self.object_key(shelf, key)?;
        for attempt in 1..=CONFLICT_ATTEMPTS {
            let sent = self
                .client
                .put_object()
                .bucket(&self.bucket)
                .key(&object)
                .if_none_match("*")
                .content_type("application/json")
                .body(ByteStream::from(bytes.clone()))
                .send()
                .await;
            match sent {
                Ok(_) => return Ok(()),
                Err(e) if status(&e) == Some(412) => return Err(SpoolError::Exists(key.into())),
                Err(e) if status(&e) == Some(409) && attempt < CONFLICT_ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                }
                Err(e) => return Err(service("PutObject", e)),
            }
        }
        Err(SpoolError::Service(format!(
            "PutObject {object}: {CONFLICT_ATTEMPTS} conflicting writes in a row"
        )))
    }

    async fn get(&self, shelf: Shelf, key: &str) -> Result<Option<Vec<u8>>, SpoolError> {
        let object = self.object_key(shelf, key)?;
        let got = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(&object)
            .send()
            .await;
        match got {
            Ok(output) => match output.body.collect().await {
                Ok(data) => Ok(Some(data.into_bytes().to_vec())),
                Err(e) => Err(SpoolError::Service(format!("GetObject {object} body: {e}"))),
            },
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) if status(&e) == Some(404) => Ok(None),
            Err(e) => Err(service("GetObject", e)),
        }
    }

    async fn remove(&self, shelf: Shelf, key: &str) -> Result<(), SpoolError> {
        let object = self.object_key(shelf, key)?;
        match self
            .client
            .delete_object()
            .bucket(&self.bucket)
            .key(&object)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if status(&e) == Some(404) => Ok(()),
            Err(e) => Err(service("DeleteObject", e)),
        }
    }

    async fn list(&self, shelf: Shelf) -> Result<Vec<Listed>, SpoolError> {
        let prefix = self.shelf_prefix(shelf);
        let mut listed = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&prefix)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| service("ListObjectsV2", e))?;
            for object in page.contents() {
                let key = object.key().and_then(|k| k.strip_prefix(prefix.as_str()));
                let Some(key) = key.and_then(|k| k.strip_suffix(".json")) else {
                    continue;
                };
                let modified = object
                    .last_modified()
                    .and_then(|t| jiff::Timestamp::new(t.secs(), t.subsec_nanos() as i32).ok())
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
                listed.push(Listed {
                    key: key.to_owned(),
                    modified,
                });
            }
            match page.next_continuation_token() {
                Some(next) if page.is_truncated() == Some(true) => token = Some(next.to_owned()),
                _ => break,
            }
        }
        listed.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(listed)
    }
}
