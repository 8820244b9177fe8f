//! [`DynamoStore`]: the register in a DynamoDB table (`GUIDEPOST_REGISTER=dynamodb`,
//! `GUIDEPOST_REGISTER_TABLE`), one item per account: `id` (S, the table's hash key), `version` (N),
//! `record` (S, the account as JSON) and `expires_at` (N, Unix seconds, only when set: the table's
//! time-to-live attribute). Writes are `PutItem` / `DeleteItem` with condition expressions on the
//! version, so a write against a stale read is refused ([`RegisterError::Conflict`]) instead of lost;
//! reads and scans are strongly consistent. The only module that imports `aws-sdk-dynamodb`. The role
//! needs `dynamodb:GetItem`, `dynamodb:PutItem`, `dynamodb:DeleteItem` and `dynamodb:Scan` on the table.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;

use super::store::{BoxFuture, RegisterError, RegisterStore, Stored, is_account_id};

/// One item as DynamoDB returns it.
type Item = HashMap<String, AttributeValue>;

/// The register in a DynamoDB table (or anything speaking its API, such as moto).
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
    /// `Limit` on each `Scan` page; `None`: DynamoDB's own (1 MB of items).
    scan_page: Option<i32>,
}

impl DynamoStore {
    /// A register in `table` for `region`, with credentials from the standard AWS chain;
    /// `endpoint_url` points it at another server (e.g. a local moto).
    pub async fn from_settings(
        region: &str,
        endpoint_url: Option<&str>,
        table: &str,
    ) -> DynamoStore {
        let shared = crate::aws::store_config(region, endpoint_url).await;
        DynamoStore::new(Client::new(&shared), table)
    }

    /// A register in `table` using an already built client.
    pub fn new(client: Client, table: impl Into<String>) -> DynamoStore {
        DynamoStore {
            client,
            table: table.into(),
            scan_page: None,
        }
    }

    /// At most `items` items per `Scan` page (for tests of the paging; not a tuning knob).
    #[doc(hidden)]
    pub fn with_scan_page(mut self, items: i32) -> DynamoStore {
        self.scan_page = Some(items);
        self
    }
}

/// `id` as a key, refused like the folder store refuses it.
fn checked(id: &str) -> Result<AttributeValue, RegisterError> {
    if is_account_id(id) {
        Ok(AttributeValue::S(id.to_owned()))
    } else {
        Err(RegisterError::BadId(id.to_owned()))
    }
}

/// A failed call, for the log: the operation, the id and DynamoDB's error code and message (never
/// the request, so never the record).
fn service<E>(what: &str, id: &str, error: &SdkError<E>) -> RegisterError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = match error.as_service_error() {
        Some(e) => format!(
            "{}: {}",
            e.code().unwrap_or("unknown error"),
            e.message().unwrap_or("no message")
        ),
        None => DisplayErrorContext(error).to_string(),
    };
    RegisterError::Service(format!("{what} {id}: {detail}"))
}

/// An item that does not have the layout this module writes.
fn malformed(id: &str, what: &str) -> RegisterError {
    RegisterError::Service(format!("item {id} in the register table has {what}"))
}

/// The stored record in `item`.
fn stored(item: &Item) -> Result<Stored, RegisterError> {
    let id = match item.get("id").map(AttributeValue::as_s) {
        Some(Ok(id)) => id.clone(),
        _ => return Err(malformed("(unknown)", "no string `id`")),
    };
    let version = match item.get("version").map(AttributeValue::as_n) {
        Some(Ok(n)) => n
            .parse::<u64>()
            .map_err(|_| malformed(&id, "a `version` that is not a whole number"))?,
        _ => return Err(malformed(&id, "no numeric `version`")),
    };
    let bytes = match item.get("record").map(AttributeValue::as_s) {
        Some(Ok(record)) => record.clone().into_bytes(),
        _ => return Err(malformed(&id, "no string `record`")),
    };
    Ok(Stored { id, version, bytes })
}

/// `bytes` as the `record` attribute: it must be JSON (and so UTF-8).
fn record_text(id: &str, bytes: Vec<u8>) -> Result<String, RegisterError> {
    serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(|source| {
        RegisterError::Json {
            id: id.to_owned(),
            source,
        }
    })?;
    String::from_utf8(bytes)
        .map_err(|_| RegisterError::Service(format!("record {id} is not UTF-8")))
}

impl DynamoStore {
    async fn get_item(&self, id: &str) -> Result<Option<Stored>, RegisterError> {
        let key = checked(id)?;
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("id", key)
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| service("GetItem", id, &e))?;
        output.item().map(stored).transpose()
    }

    async fn put_item(
        &self,
        id: &str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        expires_at: Option<i64>,
    ) -> Result<u64, RegisterError> {
        let key = checked(id)?;
        let record = record_text(id, bytes)?;
        let version = expected.unwrap_or(0) + 1;
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("id", key)
            .item("version", AttributeValue::N(version.to_string()))
            .item("record", AttributeValue::S(record));
        if let Some(at) = expires_at {
            put = put.item("expires_at", AttributeValue::N(at.to_string()));
        }
        put = match expected {
            None => put.condition_expression("attribute_not_exists(id)"),
            Some(old) => put
                .condition_expression("version = :expected")
                .expression_attribute_values(":expected", AttributeValue::N(old.to_string())),
        };
        match put.send().await {
            Ok(_) => Ok(version),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Err(RegisterError::Conflict(id.to_owned()))
            }
            Err(e) => Err(service("PutItem", id, &e)),
        }
    }

    async fn delete_item(&self, id: &str, expected: u64) -> Result<(), RegisterError> {
        let key = checked(id)?;
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("id", key)
            .condition_expression("attribute_not_exists(id) OR version = :expected")
            .expression_attribute_values(":expected", AttributeValue::N(expected.to_string()))
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Err(RegisterError::Conflict(id.to_owned()))
            }
            Err(e) => Err(service("DeleteItem", id, &e)),
        }
    }

    async fn scan_all(&self) -> Result<Vec<Stored>, RegisterError> {
        let mut all = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .consistent_read(true)
                .set_limit(self.scan_page)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| service("Scan", &self.table, &e))?;
            for item in page.items() {
                all.push(stored(item)?);
            }
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => break,
            }
        }
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all)
    }
}

impl RegisterStore for DynamoStore {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Stored>, RegisterError>> {
        Box::pin(self.get_item(id))
    }

    fn put<'a>(
        &'a self,
        id: &'a str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<u64, RegisterError>> {
        Box::pin(self.put_item(id, bytes, expected, expires_at))
    }

    fn delete<'a>(
        &'a self,
        id: &'a str,
        expected: u64,
    ) -> BoxFuture<'a, Result<(), RegisterError>> {
        Box::pin(self.delete_item(id, expected))
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<Stored>, RegisterError>> {
        Box::pin(self.scan_all())
    }
}
