//! The durable delivery seam. An accepted submission ([`SpoolEntry`]) is written to a [`Spool`] before the
//! client gets its 2xx and removed once every message is handed over. A spool is a small key → bytes store
//! with create-new writes (a key is never overwritten), on five shelves: the entries waiting for delivery,
//! markers for messages already sent, markers for delivered submissions (so a repeated submission is
//! recognised after its entry is gone), the redelivery lease, and the count of receipts per address and day. [`FolderSpool`] keeps them in a folder,
//! `S3Spool` (feature `aws`) in an S3 bucket with conditional writes, [`MemorySpool`] in memory (tests).

mod folder;
mod memory;
#[cfg(feature = "aws")]
mod s3;

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::transport::{BoxFuture, OutgoingMessage};

pub use folder::FolderSpool;
pub(crate) use folder::{private_dir, private_file};
pub use memory::MemorySpool;
#[cfg(feature = "aws")]
pub use s3::S3Spool;

/// What is kept for one accepted submission: enough to deliver it again without the form or the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpoolEntry {
    /// The reference the client was given; also the spool key.
    pub reference: String,
    /// The form's id.
    pub form: String,
    /// When it was accepted (RFC 3339, UTC).
    pub accepted_at: String,
    /// The idempotency fingerprint (SHA-256 of the form id and the normalised answers, hex); a repeated
    /// submission with the same fingerprint gets the same reference and is not sent again.
    #[serde(default)]
    pub fingerprint: String,
    /// The messages to deliver (desk mail first, then the receipt).
    pub messages: Vec<OutgoingMessage>,
}

/// A marker: a delivered submission (key = reference) or a sent message (key = `reference.kind`).
/// It holds no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// The submission's fingerprint (delivered markers), or empty.
    #[serde(default)]
    pub fingerprint: String,
    /// When it was written (RFC 3339, UTC).
    pub at: String,
}

/// The spool's shelves (folders, or key prefixes in S3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shelf {
    /// Accepted submissions not yet delivered ([`SpoolEntry`] JSON), key = reference.
    Pending,
    /// Messages of a pending submission already handed over ([`Marker`]), key = `reference.kind`.
    Sent,
    /// Delivered submissions ([`Marker`] with the fingerprint), key = reference; kept for the
    /// idempotency window only.
    Delivered,
    /// The redelivery lease ([`Marker`]), key `redeliver`.
    Lease,
    /// Receipts sent per address and day ([`Marker`]), key `<address hash>.<YYYYMMDD>.<n>`; never the
    /// address itself. Kept two days.
    Receipts,
}

impl Shelf {
    /// Every shelf, so a pass over all of them (the crash-residue sweep) cannot miss one.
    pub const ALL: [Shelf; 5] = [
        Shelf::Pending,
        Shelf::Sent,
        Shelf::Delivered,
        Shelf::Lease,
        Shelf::Receipts,
    ];

    /// The folder name or key prefix.
    pub fn name(self) -> &'static str {
        match self {
            Shelf::Pending => "pending",
            Shelf::Sent => "sent",
            Shelf::Delivered => "delivered",
            Shelf::Lease => "lease",
            Shelf::Receipts => "receipts",
        }
    }
}

/// A key found on a shelf, with when it was last written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The key.
    pub key: String,
    /// When it was written (file modification time, S3 `LastModified`).
    pub modified: jiff::Timestamp,
}

/// Why the spool could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// An entry with this key exists already; it is never overwritten.
    #[error("spool entry `{0}` exists already")]
    Exists(String),
    /// The key is not a plain name (letters, digits, `-`, `_`, and `.` inside).
    #[error("`{0}` is not a valid spool key")]
    BadKey(String),
    /// Reading or writing the spool folder failed.
    #[error("spool I/O on {path}: {source}")]
    Io {
        /// The file or folder involved.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The storage service failed (the detail is for the log).
    #[error("spool storage service: {0}")]
    Service(String),
    /// An entry could not be encoded or decoded.
    #[error("spool entry {key} is not valid JSON: {source}")]
    Json {
        /// The entry's key.
        key: String,
        /// The underlying error.
        source: serde_json::Error,
    },
}

/// Durable storage for accepted submissions: create-new writes, reads, removals and listings per shelf.
pub trait Spool: Send + Sync {
    /// Stores `bytes` under `key` durably; fails with [`SpoolError::Exists`] if the key is taken.
    fn put_new(
        &self,
        shelf: Shelf,
        key: &str,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<(), SpoolError>> + Send;
    /// The bytes under `key`, if any.
    fn get(
        &self,
        shelf: Shelf,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, SpoolError>> + Send;
    /// Removes `key` (missing is not an error).
    fn remove(
        &self,
        shelf: Shelf,
        key: &str,
    ) -> impl Future<Output = Result<(), SpoolError>> + Send;
    /// Every key on the shelf, sorted.
    fn list(&self, shelf: Shelf) -> impl Future<Output = Result<Vec<Listed>, SpoolError>> + Send;
    /// Removes temporary files older than `age` that an interrupted write left behind; returns how
    /// many (spools whose writes leave none have nothing to do).
    fn sweep_temp(
        &self,
        age: std::time::Duration,
    ) -> impl Future<Output = Result<usize, SpoolError>> + Send {
        let _ = age;
        async { Ok(0) }
    }
}

/// The object-safe form of [`Spool`], implemented for every spool, with typed helpers.
pub trait DynSpool: Send + Sync {
    /// See [`Spool::put_new`].
    fn put_new_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<(), SpoolError>>;
    /// See [`Spool::get`].
    fn get_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, SpoolError>>;
    /// See [`Spool::remove`].
    fn remove_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
    ) -> BoxFuture<'a, Result<(), SpoolError>>;
    /// See [`Spool::list`].
    fn list_boxed(&self, shelf: Shelf) -> BoxFuture<'_, Result<Vec<Listed>, SpoolError>>;
    /// See [`Spool::sweep_temp`].
    fn sweep_temp_boxed(
        &self,
        age: std::time::Duration,
    ) -> BoxFuture<'_, Result<usize, SpoolError>>;
}

impl<S: Spool> DynSpool for S {
    fn put_new_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<(), SpoolError>> {
        Box::pin(self.put_new(shelf, key, bytes))
    }
    fn get_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, SpoolError>> {
        Box::pin(self.get(shelf, key))
    }
    fn remove_boxed<'a>(
        &'a self,
        shelf: Shelf,
        key: &'a str,
    ) -> BoxFuture<'a, Result<(), SpoolError>> {
        Box::pin(self.remove(shelf, key))
    }
    fn list_boxed(&self, shelf: Shelf) -> BoxFuture<'_, Result<Vec<Listed>, SpoolError>> {
        Box::pin(self.list(shelf))
    }
    fn sweep_temp_boxed(
        &self,
        age: std::time::Duration,
    ) -> BoxFuture<'_, Result<usize, SpoolError>> {
        Box::pin(self.sweep_temp(age))
    }
}

/// Whether `key` is a plain name: letters, digits, `-`, `_`, and `.` not first or last.
pub fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with('.')
        && !key.ends_with('.')
        && !key.contains("..")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn encode<T: Serialize>(key: &str, value: &T) -> Result<Vec<u8>, SpoolError> {
    serde_json::to_vec_pretty(value).map_err(|source| SpoolError::Json {
        key: key.into(),
        source,
    })
}

fn decode<T: for<'de> Deserialize<'de>>(key: &str, bytes: &[u8]) -> Result<T, SpoolError> {
    serde_json::from_slice(bytes).map_err(|source| SpoolError::Json {
        key: key.into(),
        source,
    })
}

/// Stores a new pending entry under its reference.
pub async fn put_entry(spool: &dyn DynSpool, entry: &SpoolEntry) -> Result<(), SpoolError> {
    let bytes = encode(&entry.reference, entry)?;
    spool
        .put_new_boxed(Shelf::Pending, &entry.reference, bytes)
        .await
}

/// The pending entry under `reference`, if any.
pub async fn get_entry(
    spool: &dyn DynSpool,
    reference: &str,
) -> Result<Option<SpoolEntry>, SpoolError> {
    match spool.get_boxed(Shelf::Pending, reference).await? {
        Some(bytes) => decode(reference, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Writes a new marker; [`SpoolError::Exists`] when one is there.
pub async fn put_new_marker(
    spool: &dyn DynSpool,
    shelf: Shelf,
    key: &str,
    marker: &Marker,
) -> Result<(), SpoolError> {
    spool.put_new_boxed(shelf, key, encode(key, marker)?).await
}

/// Writes a marker; a marker already there counts as written.
pub async fn put_marker(
    spool: &dyn DynSpool,
    shelf: Shelf,
    key: &str,
    marker: &Marker,
) -> Result<(), SpoolError> {
    match put_new_marker(spool, shelf, key, marker).await {
        Ok(()) | Err(SpoolError::Exists(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The marker under `key`, if any.
pub async fn get_marker(
    spool: &dyn DynSpool,
    shelf: Shelf,
    key: &str,
) -> Result<Option<Marker>, SpoolError> {
    match spool.get_boxed(shelf, key).await? {
        Some(bytes) => decode(key, &bytes).map(Some),
        None => Ok(None),
    }
}

/// The key of the "sent" marker for one message of a submission.
pub fn sent_key(reference: &str, kind: crate::transport::MessageKind) -> String {
    format!("{reference}.{}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::is_plain_key;

    #[test]
    fn plain_keys() {
        for good in ["GP-AAAA-CCCC", "GP-AAAA-CCCC.desk", "redeliver", "a_b"] {
            assert!(is_plain_key(good), "{good}");
        }
        for bad in ["", "../x", "a/b", ".hidden", "a.", "a..b", "a b", "å"] {
            assert!(!is_plain_key(bad), "{bad}");
        }
    }
}
