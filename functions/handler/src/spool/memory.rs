//! [`MemorySpool`]: a spool in memory, for tests and tools (nothing survives the process). Write times
//! come from its clock (the system clock unless given one).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{Listed, Shelf, Spool, SpoolError, is_plain_key};
use crate::clock::{Clock, system_clock};

/// (shelf, key) → (bytes, when written).
type Items = BTreeMap<(&'static str, String), (Vec<u8>, jiff::Timestamp)>;

/// Keys and bytes per shelf in a shared map; cloning shares the contents.
#[derive(Clone)]
pub struct MemorySpool {
    items: Arc<Mutex<Items>>,
    clock: Clock,
}

impl std::fmt::Debug for MemorySpool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySpool")
            .field("items", &self.items)
            .finish_non_exhaustive()
    }
}

impl Default for MemorySpool {
    fn default() -> Self {
        MemorySpool::with_clock(system_clock())
    }
}

impl MemorySpool {
    /// An empty spool on the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty spool whose write times come from `clock`.
    pub fn with_clock(clock: Clock) -> Self {
        MemorySpool {
            items: Arc::default(),
            clock,
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.items().clear();
    }

    fn items(&self) -> MutexGuard<'_, Items> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn checked(key: &str) -> Result<String, SpoolError> {
    if is_plain_key(key) {
        Ok(key.to_owned())
    } else {
        Err(SpoolError::BadKey(key.into()))
    }
}

impl Spool for MemorySpool {
    async fn put_new(&self, shelf: Shelf, key: &str, bytes: Vec<u8>) -> Result<(), SpoolError> {
        let key = checked(key)?;
        let mut items = self.items();
        if items.contains_key(&(shelf.name(), key.clone())) {
            return Err(SpoolError::Exists(key));
        }
        items.insert((shelf.name(), key), (bytes, (self.clock)()));
        Ok(())
    }

    async fn get(&self, shelf: Shelf, key: &str) -> Result<Option<Vec<u8>>, SpoolError> {
        let key = checked(key)?;
        Ok(self
            .items()
            .get(&(shelf.name(), key))
            .map(|(b, _)| b.clone()))
    }

    async fn remove(&self, shelf: Shelf, key: &str) -> Result<(), SpoolError> {
        let key = checked(key)?;
        self.items().remove(&(shelf.name(), key));
        Ok(())
    }

    async fn list(&self, shelf: Shelf) -> Result<Vec<Listed>, SpoolError> {
        Ok(self
            .items()
            .iter()
            .filter(|((s, _), _)| *s == shelf.name())
            .map(|((_, key), (_, modified))| Listed {
                key: key.clone(),
                modified: *modified,
            })
            .collect())
    }
}
