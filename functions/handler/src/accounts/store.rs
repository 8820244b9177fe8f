//! The register's storage seam: records as bytes under an account id, each with a version number, and
//! writes that succeed only against the version read ([`RegisterStore`], conditional like DynamoDB's
//! condition expressions); [`Register`] is the typed layer on top (read, create, update with retry on
//! a conflict, list). [`MemoryStore`] is the in-process store for tests.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use super::record::Account;

/// A boxed future, for the object-safe store trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// The account id (the reference of the order that created it).
    pub id: String,
    /// Starts at 1, one more on each write.
    pub version: u64,
    /// The record as JSON.
    pub bytes: Vec<u8>,
}

/// Why a register operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The record changed (or appeared, or vanished) since it was read.
    #[error("account {0} was changed by someone else")]
    Conflict(String),
    /// Reading or writing the register folder failed.
    #[error("register I/O on {path}: {source}")]
    Io {
        /// The file or folder.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The storage service failed (the detail is for the log).
    #[error("register storage service: {0}")]
    Service(String),
    /// A record is not valid JSON for an account.
    #[error("account {id} is not a valid record: {source}")]
    Json {
        /// The account id.
        id: String,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// An id that is not a plain key.
    #[error("`{0}` is not an account id")]
    BadId(String),
}

/// Durable storage for account records with conditional writes.
pub trait RegisterStore: Send + Sync {
    /// The record under `id`, if any.
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Stored>, RegisterError>>;
    /// Writes `bytes` under `id` when its current version is `expected` (`None`: when there is no
    /// record); returns the new version, or [`RegisterError::Conflict`]. `expires_at` (Unix seconds)
    /// lets a store delete the record by itself after that time (DynamoDB's time to live).
    fn put<'a>(
        &'a self,
        id: &'a str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<u64, RegisterError>>;
    /// Deletes `id` when its version is `expected` (missing is not an error).
    fn delete<'a>(&'a self, id: &'a str, expected: u64)
    -> BoxFuture<'a, Result<(), RegisterError>>;
    /// Every record, sorted by id.
    fn list(&self) -> BoxFuture<'_, Result<Vec<Stored>, RegisterError>>;
}

/// Whether `id` can be a key in every store: letters, digits and `-`.
pub fn is_account_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// How many times [`Register::update`] re-reads after a conflict.
const UPDATE_ATTEMPTS: usize = 5;

/// The typed register over a store; cheap to clone.
#[derive(Clone)]
pub struct Register {
    store: Arc<dyn RegisterStore>,
}

impl std::fmt::Debug for Register {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Register").finish_non_exhaustive()
    }
}

fn decode(stored: &Stored) -> Result<Account, RegisterError> {
    serde_json::from_slice(&stored.bytes).map_err(|source| RegisterError::Json {
        id: stored.id.clone(),
        source,
    })
}

fn encode(account: &Account) -> Vec<u8> {
    serde_json::to_vec(account).unwrap_or_default()
}

impl Register {
    /// A register over `store`.
    pub fn new(store: Arc<dyn RegisterStore>) -> Register {
        Register { store }
    }

    /// A register in memory (tests, and a function with no account form).
    pub fn in_memory() -> Register {
        Register::new(Arc::new(MemoryStore::default()))
    }

    /// The account `id` and its version.
    pub async fn get(&self, id: &str) -> Result<Option<(Account, u64)>, RegisterError> {
        if !is_account_id(id) {
            return Ok(None);
        }
        match self.store.get(id).await? {
            Some(stored) => Ok(Some((decode(&stored)?, stored.version))),
            None => Ok(None),
        }
    }

    /// Records a new account; `Ok(false)` when one with its id exists already (a repeat).
    pub async fn create(&self, account: &Account) -> Result<bool, RegisterError> {
        if !is_account_id(&account.id) {
            return Err(RegisterError::BadId(account.id.clone()));
        }
        match self
            .store
            .put(&account.id, encode(account), None, account.expires_at())
            .await
        {
            Ok(_) => Ok(true),
            Err(RegisterError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Reads `id`, lets `change` edit it, and writes it back against the version read, again on a
    /// conflict. `change` returns what to answer and whether to write; `Ok(None)`: no such account.
    pub async fn update<T>(
        &self,
        id: &str,
        mut change: impl FnMut(&mut Account) -> (T, bool),
    ) -> Result<Option<T>, RegisterError> {
        for _ in 0..UPDATE_ATTEMPTS {
            let Some((mut account, version)) = self.get(id).await? else {
                return Ok(None);
            };
            let (answer, write) = change(&mut account);
            if !write {
                return Ok(Some(answer));
            }
            match self
                .store
                .put(id, encode(&account), Some(version), account.expires_at())
                .await
            {
                Ok(_) => return Ok(Some(answer)),
                Err(RegisterError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(RegisterError::Conflict(id.to_owned()))
    }

    /// Deletes `id` if it is still at `version`.
    pub async fn delete(&self, id: &str, version: u64) -> Result<(), RegisterError> {
        self.store.delete(id, version).await
    }

    /// Every account with its version, by id; records that do not decode are reported, not skipped.
    pub async fn list(&self) -> Result<Vec<(Account, u64)>, RegisterError> {
        self.store
            .list()
            .await?
            .iter()
            .map(|stored| Ok((decode(stored)?, stored.version)))
            .collect()
    }
}

/// Account id → (version, record bytes).
type Records = BTreeMap<String, (u64, Vec<u8>)>;

/// Records in a shared map; cloning shares the contents.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    items: Arc<Mutex<Records>>,
}

impl RegisterStore for MemoryStore {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Stored>, RegisterError>> {
        let items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        let found = items.get(id).map(|(version, bytes)| Stored {
            id: id.to_owned(),
            version: *version,
            bytes: bytes.clone(),
        });
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        id: &'a str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        _expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<u64, RegisterError>> {
        let mut items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        let current = items.get(id).map(|(version, _)| *version);
        let result = if current == expected {
            let version = expected.unwrap_or(0) + 1;
            items.insert(id.to_owned(), (version, bytes));
            Ok(version)
        } else {
            Err(RegisterError::Conflict(id.to_owned()))
        };
        Box::pin(async move { result })
    }

    fn delete<'a>(
        &'a self,
        id: &'a str,
        expected: u64,
    ) -> BoxFuture<'a, Result<(), RegisterError>> {
        let mut items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        let result = match items.get(id).map(|(version, _)| *version) {
            None => Ok(()),
            Some(version) if version == expected => {
                items.remove(id);
                Ok(())
            }
            Some(_) => Err(RegisterError::Conflict(id.to_owned())),
        };
        Box::pin(async move { result })
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<Stored>, RegisterError>> {
        let items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
        let all = items
            .iter()
            .map(|(id, (version, bytes))| Stored {
                id: id.clone(),
                version: *version,
                bytes: bytes.clone(),
            })
            .collect();
        Box::pin(async move { Ok(all) })
    }
}
