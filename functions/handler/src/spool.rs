//! The durable delivery seam: an accepted submission's messages are written to a [`Spool`] before the
//! client gets its 2xx, and removed once delivered. [`FolderSpool`] keeps one JSON file per reference
//! (`GUIDEPOST_SPOOL_DIR`); an S3 spool can implement the same trait.

use std::future::Future;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::transport::{BoxFuture, OutgoingMessage};

/// What is kept for one accepted submission: enough to deliver it again without the form or the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpoolEntry {
    /// The reference the client was given; also the spool key.
    pub reference: String,
    /// The form's id.
    pub form: String,
    /// When it was accepted (RFC 3339, UTC).
    pub accepted_at: String,
    /// The messages still to deliver (desk mail first, then the receipt).
    pub messages: Vec<OutgoingMessage>,
}

/// Why the spool could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// An entry with this key exists already; it is never overwritten.
    #[error("spool entry `{0}` exists already")]
    Exists(String),
    /// The key is not a plain name (letters, digits, `-`, `_`).
    #[error("`{0}` is not a valid spool key")]
    BadKey(String),
    /// Reading or writing the spool failed.
    #[error("spool I/O on {path}: {source}")]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An entry could not be encoded or decoded.
    #[error("spool entry {key} is not valid JSON: {source}")]
    Json {
        /// The entry's key.
        key: String,
        /// The underlying error.
        source: serde_json::Error,
    },
}

/// Durable storage for accepted submissions.
pub trait Spool: Send + Sync {
    /// Stores `entry` under `key` durably; fails with [`SpoolError::Exists`] if the key is taken.
    fn put_new(
        &self,
        key: &str,
        entry: &SpoolEntry,
    ) -> impl Future<Output = Result<(), SpoolError>> + Send;
    /// Removes the entry under `key` (missing is not an error).
    fn remove(&self, key: &str) -> impl Future<Output = Result<(), SpoolError>> + Send;
    /// Every key present, sorted.
    fn keys(&self) -> impl Future<Output = Result<Vec<String>, SpoolError>> + Send;
    /// The entry under `key`, if any.
    fn get(&self, key: &str)
    -> impl Future<Output = Result<Option<SpoolEntry>, SpoolError>> + Send;
}

/// The object-safe form of [`Spool`], implemented for every spool.
pub trait DynSpool: Send + Sync {
    /// See [`Spool::put_new`].
    fn put_new_boxed<'a>(
        &'a self,
        key: &'a str,
        entry: &'a SpoolEntry,
    ) -> BoxFuture<'a, Result<(), SpoolError>>;
    /// See [`Spool::remove`].
    fn remove_boxed<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), SpoolError>>;
    /// See [`Spool::keys`].
    fn keys_boxed(&self) -> BoxFuture<'_, Result<Vec<String>, SpoolError>>;
    /// See [`Spool::get`].
    fn get_boxed<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<SpoolEntry>, SpoolError>>;
}

impl<S: Spool> DynSpool for S {
    fn put_new_boxed<'a>(
        &'a self,
        key: &'a str,
        entry: &'a SpoolEntry,
    ) -> BoxFuture<'a, Result<(), SpoolError>> {
        Box::pin(self.put_new(key, entry))
    }
    fn remove_boxed<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), SpoolError>> {
        Box::pin(self.remove(key))
    }
    fn keys_boxed(&self) -> BoxFuture<'_, Result<Vec<String>, SpoolError>> {
        Box::pin(self.keys())
    }
    fn get_boxed<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<SpoolEntry>, SpoolError>> {
        Box::pin(self.get(key))
    }
}

/// A spool in a local folder: `<key>.json` per entry, written to a temporary file, synced, then linked into
/// place (which fails instead of overwriting) and the folder synced.
#[derive(Clone, Debug)]
pub struct FolderSpool {
    dir: PathBuf,
}

impl FolderSpool {
    /// A spool in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FolderSpool { dir: dir.into() }
    }

    /// The spool's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, SpoolError> {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if plain {
            Ok(self.dir.join(format!("{key}.json")))
        } else {
            Err(SpoolError::BadKey(key.into()))
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, SpoolError> + Send + 'static,
    ) -> Result<T, SpoolError> {
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(join) => Err(SpoolError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(join),
            }),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SpoolError + '_ {
    move |source| SpoolError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `target` with create-new semantics: temp file, fsync, hard link, unlink, fsync folder.
fn write_new_durably(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), SpoolError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    if target.exists() {
        return Err(SpoolError::Exists(key_of(target)));
    }
    let tmp = tempfile_in(dir)?;
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io(&tmp))?;
        file.write_all(bytes).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        match std::fs::hard_link(&tmp, target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                Err(SpoolError::Exists(key_of(target)))
            }
            Err(e) => Err(io(target)(e)),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result?;
    sync_dir(dir)
}

fn tempfile_in(dir: &Path) -> Result<PathBuf, SpoolError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| io(dir)(std::io::Error::other(e.to_string())))?;
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!(".tmp-{suffix}")))
}

fn sync_dir(dir: &Path) -> Result<(), SpoolError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

fn key_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Spool for FolderSpool {
    async fn put_new(&self, key: &str, entry: &SpoolEntry) -> Result<(), SpoolError> {
        let target = self.path_of(key)?;
        let bytes = serde_json::to_vec_pretty(entry).map_err(|source| SpoolError::Json {
            key: key.into(),
            source,
        })?;
        let dir = self.dir.clone();
        self.blocking(move || write_new_durably(&dir, &target, &bytes))
            .await
    }

    async fn remove(&self, key: &str) -> Result<(), SpoolError> {
        let target = self.path_of(key)?;
        let dir = self.dir.clone();
        self.blocking(move || match std::fs::remove_file(&target) {
            Ok(()) => sync_dir(&dir),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&target)(e)),
        })
        .await
    }

    async fn keys(&self) -> Result<Vec<String>, SpoolError> {
        let dir = self.dir.clone();
        self.blocking(move || {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(io(&dir)(e)),
            };
            let mut keys = Vec::new();
            for entry in entries {
                let name = entry
                    .map_err(io(&dir))?
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                if let Some(key) = name
                    .strip_suffix(".json")
                    .filter(|_| !name.starts_with('.'))
                {
                    keys.push(key.to_owned());
                }
            }
            keys.sort();
            Ok(keys)
        })
        .await
    }

    async fn get(&self, key: &str) -> Result<Option<SpoolEntry>, SpoolError> {
        let target = self.path_of(key)?;
        let key = key.to_owned();
        self.blocking(move || match std::fs::read(&target) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|source| SpoolError::Json { key, source }),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&target)(e)),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::MessageKind;

    fn entry(reference: &str) -> SpoolEntry {
        SpoolEntry {
            reference: reference.into(),
            form: "network-order".into(),
            accepted_at: "2026-11-22T13:05:00Z".into(),
            messages: vec![OutgoingMessage {
                kind: MessageKind::Desk,
                reference: reference.into(),
                from: "formular@guidepost.example".into(),
                to: vec!["natverk@desk.example".into()],
                raw: "Subject: x\r\n\r\nbody\r\n".into(),
            }],
        }
    }

    #[tokio::test]
    async fn put_get_remove_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path().join("spool"));
        assert_eq!(spool.keys().await.expect("keys"), Vec::<String>::new());
        spool
            .put_new("GP-AAAA-CCCC", &entry("GP-AAAA-CCCC"))
            .await
            .expect("put");
        assert_eq!(
            spool.keys().await.expect("keys"),
            vec!["GP-AAAA-CCCC".to_owned()]
        );
        assert_eq!(
            spool.get("GP-AAAA-CCCC").await.expect("get"),
            Some(entry("GP-AAAA-CCCC"))
        );
        spool.remove("GP-AAAA-CCCC").await.expect("remove");
        assert!(spool.keys().await.expect("keys").is_empty());
        spool
            .remove("GP-AAAA-CCCC")
            .await
            .expect("removing twice is fine");
    }

    #[tokio::test]
    async fn an_existing_key_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path());
        spool.put_new("K", &entry("first")).await.expect("put");
        let again = spool.put_new("K", &entry("second")).await;
        assert!(
            matches!(again, Err(SpoolError::Exists(ref k)) if k == "K"),
            "{again:?}"
        );
        assert_eq!(
            spool.get("K").await.expect("get").map(|e| e.reference),
            Some("first".into())
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }

    #[tokio::test]
    async fn keys_that_are_not_plain_names_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path());
        for bad in ["", "../x", "a/b", "a.json"] {
            assert!(
                matches!(
                    spool.put_new(bad, &entry("x")).await,
                    Err(SpoolError::BadKey(_))
                ),
                "{bad}"
            );
        }
    }
}
