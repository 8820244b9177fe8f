//! The receipt allowance: a submitter's address and the organisation's date → whether this submission
//! may send that address its receipt. At most `limit` receipts a day go to one address, counted durably
//! on the spool's receipts shelf by create-new markers `<hash>.<YYYYMMDD>.<n>` (n = 1…limit), so the
//! count holds across processes and Lambda instances. The key holds a SHA-256 of the normalised address,
//! never the address. The desk mail is never limited here: only the receipt is left out.

use guidepost_forms::Date;
use sha2::{Digest, Sha256};

use crate::spool::{DynSpool, Marker, Shelf, SpoolError, put_new_marker};

/// The address as counted: trimmed and lower-cased (the domain is already in its ASCII form).
fn normalised(address: &str) -> String {
    address.trim().to_lowercase()
}

/// The first 32 hex digits of SHA-256 over a fixed label and the normalised address.
pub fn address_hash(address: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"guidepost-receipt-address/");
    hasher.update(normalised(address).as_bytes());
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A receipt slot taken for an address on a day: give it back with [`release`] if the receipt is not
/// sent after all (a repeated submission).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot(String);

/// Takes the next free slot of `address` on `day`; `None` when all `limit` are taken today.
pub async fn claim(
    spool: &dyn DynSpool,
    address: &str,
    day: Date,
    limit: u32,
    at: &str,
) -> Result<Option<Slot>, SpoolError> {
    let hash = address_hash(address);
    let day = day.strftime("%Y%m%d");
    let marker = Marker {
        fingerprint: String::new(),
        at: at.to_owned(),
    };
    for n in 1..=limit {
        let key = format!("{hash}.{day}.{n}");
        match put_new_marker(spool, Shelf::Receipts, &key, &marker).await {
            Ok(()) => return Ok(Some(Slot(key))),
            Err(SpoolError::Exists(_)) => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(None)
}

/// Gives a slot back.
pub async fn release(spool: &dyn DynSpool, slot: Slot) -> Result<(), SpoolError> {
    spool.remove_boxed(Shelf::Receipts, &slot.0).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spool::{FolderSpool, MemorySpool, Spool};

    #[test]
    fn the_hash_ignores_case_and_never_shows_the_address() {
        let a = address_hash("Ann@Example.com");
        assert_eq!(a, address_hash(" ann@example.com"));
        assert_ne!(a, address_hash("bob@example.com"));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("ann") && a.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[tokio::test]
    async fn three_slots_a_day_per_address_then_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = FolderSpool::new(dir.path());
        let memory = MemorySpool::new();
        let spools: [&dyn DynSpool; 2] = [&folder, &memory];
        let day = Date::constant(2026, 11, 22);
        for spool in spools {
            for _ in 0..3 {
                assert!(
                    claim(spool, "ann@example.com", day, 3, "t")
                        .await
                        .expect("claim")
                        .is_some()
                );
            }
            assert_eq!(
                claim(spool, "ANN@example.com", day, 3, "t")
                    .await
                    .expect("claim"),
                None
            );
            let other = claim(spool, "bob@example.com", day, 3, "t")
                .await
                .expect("claim");
            assert!(other.is_some(), "per address");
            let tomorrow = Date::constant(2026, 11, 23);
            let next = claim(spool, "ann@example.com", tomorrow, 3, "t")
                .await
                .expect("claim");
            let slot = next.expect("a new day");
            release(spool, slot).await.expect("release");
            assert!(
                claim(spool, "ann@example.com", tomorrow, 3, "t")
                    .await
                    .expect("claim")
                    .is_some()
            );
        }
        let names: Vec<String> = folder
            .list(Shelf::Receipts)
            .await
            .expect("list")
            .into_iter()
            .map(|l| l.key)
            .collect();
        assert_eq!(names.len(), 5);
        assert!(
            names.iter().all(|n| !n.contains('@') && !n.contains("ann")),
            "{names:?}"
        );
    }
}
