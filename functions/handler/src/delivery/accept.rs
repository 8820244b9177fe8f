//! Accept: a composed submission → stored in the spool (create-new, durable) before the client is answered,
//! under the reference its fingerprint gives in the current window. A repeat of a submission still pending
//! or recently delivered is recognised and gets the first one's reference.

use crate::clock::Clock;
use crate::delivery::idempotency::{random_reference, reference_for};
use crate::spool::{DynSpool, Shelf, SpoolEntry, SpoolError, get_entry, get_marker, put_entry};

/// How many references to try when one is taken by a different submission.
const REFERENCE_ATTEMPTS: usize = 5;

/// What [`accept`] did.
#[derive(Debug)]
pub enum Accepted {
    /// Stored under a new reference: deliver it.
    New(SpoolEntry),
    /// The same submission is pending or was delivered under this reference: send nothing.
    Duplicate(String),
}

/// Why a submission was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError<E> {
    /// Composing the messages failed.
    #[error(transparent)]
    Compose(E),
    /// The spool could not be read or written.
    #[error(transparent)]
    Spool(#[from] SpoolError),
    /// Every reference tried was taken by other submissions.
    #[error("{REFERENCE_ATTEMPTS} references in a row were taken")]
    Taken,
}

/// Stores the entry `make` composes for a reference, unless the submission with `fingerprint` is already
/// pending or delivered in this window or the one before.
pub async fn accept<E>(
    spool: &dyn DynSpool,
    clock: &Clock,
    fingerprint: &str,
    window: i64,
    mut make: impl FnMut(&str) -> Result<SpoolEntry, E>,
) -> Result<Accepted, AcceptError<E>> {
    let previous = reference_for(fingerprint, window - 1);
    if holds(spool, &previous, fingerprint).await? {
        return Ok(Accepted::Duplicate(previous));
    }
    for attempt in 0..REFERENCE_ATTEMPTS {
        let reference = match attempt {
            0 => reference_for(fingerprint, window),
            _ => random_reference(clock),
        };
        let entry = make(&reference).map_err(AcceptError::Compose)?;
        match put_entry(spool, &entry).await {
            Ok(()) if attempt > 0 => return Ok(Accepted::New(entry)),
            Ok(()) => {
                // Delivered and removed just before: the delivered marker is written before the entry
                // is removed, so one of the two is always there to see.
                return match delivered_as(spool, &reference, fingerprint).await {
                    Ok(false) => Ok(Accepted::New(entry)),
                    Ok(true) => {
                        spool.remove_boxed(Shelf::Pending, &reference).await?;
                        Ok(Accepted::Duplicate(reference))
                    }
                    Err(e) => {
                        let _ = spool.remove_boxed(Shelf::Pending, &reference).await;
                        Err(e.into())
                    }
                };
            }
            Err(SpoolError::Exists(_)) => {
                if holds(spool, &reference, fingerprint).await? {
                    return Ok(Accepted::Duplicate(reference));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AcceptError::Taken)
}

/// Whether `reference` is pending or delivered with this fingerprint.
async fn holds(
    spool: &dyn DynSpool,
    reference: &str,
    fingerprint: &str,
) -> Result<bool, SpoolError> {
    if let Some(entry) = get_entry(spool, reference).await?
        && entry.fingerprint == fingerprint
    {
        return Ok(true);
    }
    delivered_as(spool, reference, fingerprint).await
}

async fn delivered_as(
    spool: &dyn DynSpool,
    reference: &str,
    fingerprint: &str,
) -> Result<bool, SpoolError> {
    let marker = get_marker(spool, Shelf::Delivered, reference).await?;
    Ok(marker.is_some_and(|m| m.fingerprint == fingerprint))
}
