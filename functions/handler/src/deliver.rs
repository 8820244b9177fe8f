//! Accept and deliver. [`accept`] stores a composed submission in the spool (create-new, durable) before
//! the client is answered, under the reference its fingerprint gives in the current window; a repeat of a
//! submission still pending or recently delivered is recognised and gets the first one's reference.
//! [`deliver`] hands each message to the transport (retrying within a deadline), marks each message but
//! the last as sent, then marks the submission delivered and removes its entry. What is not delivered
//! stays in the spool for [`crate::redeliver`], which resumes after the messages already sent.

use tokio::time::Instant;

use crate::idempotency::{random_reference, reference_for};
use crate::retry::{RetryPolicy, send_with_retry};
use crate::spool::{
    DynSpool, Marker, Shelf, SpoolEntry, SpoolError, get_entry, get_marker, put_entry, put_marker,
    sent_key,
};
use crate::transport::{DeliveryError, DynTransport};

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
            _ => random_reference(),
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

/// How delivery of an accepted submission went (for the log line; the client's answer is the same).
#[derive(Debug)]
pub enum Delivery {
    /// Every message was handed over and the spool entry removed.
    Delivered,
    /// A message was not accepted in time; the entry stays in the spool.
    Failed {
        /// Messages handed over (now or before).
        delivered: usize,
        /// Why the next one was not.
        error: DeliveryError,
    },
    /// Which messages were sent before could not be read; nothing was sent, the entry stays.
    Unchecked(SpoolError),
    /// Everything was handed over but the spool could not be updated (it may be sent again).
    NotRemoved(SpoolError),
}

impl Delivery {
    /// The outcome word in the log line.
    pub fn outcome(&self) -> &'static str {
        match self {
            Delivery::Delivered => "delivered",
            Delivery::Failed { .. } => "spooled_undelivered",
            Delivery::Unchecked(_) => "spool_unreadable",
            Delivery::NotRemoved(_) => "delivered_not_unspooled",
        }
    }

    /// The error detail for the log, if any.
    pub fn error(&self) -> Option<String> {
        match self {
            Delivery::Delivered => None,
            Delivery::Failed { delivered, error } => {
                Some(format!("after {delivered} sent: {error}"))
            }
            Delivery::Unchecked(error) | Delivery::NotRemoved(error) => Some(error.to_string()),
        }
    }
}

/// Sends the entry's messages in order until `deadline`; `resume` skips those marked as sent before.
pub async fn deliver(
    spool: &dyn DynSpool,
    transport: &dyn DynTransport,
    policy: &RetryPolicy,
    entry: &SpoolEntry,
    deadline: Instant,
    resume: bool,
) -> Delivery {
    let now = || jiff::Timestamp::now().to_string();
    let count = entry.messages.len();
    for (index, message) in entry.messages.iter().enumerate() {
        let key = sent_key(&entry.reference, message.kind);
        if resume {
            match get_marker(spool, Shelf::Sent, &key).await {
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(error) => return Delivery::Unchecked(error),
            }
        }
        if let Err(error) = send_with_retry(transport, message, policy, deadline)
            .await
            .result
        {
            return Delivery::Failed {
                delivered: index,
                error,
            };
        }
        if index + 1 < count {
            let marker = Marker {
                fingerprint: String::new(),
                at: now(),
            };
            if let Err(error) = put_marker(spool, Shelf::Sent, &key, &marker).await {
                tracing::warn!(reference = %entry.reference, %error, "could not mark a message as sent");
            }
        }
    }
    finish(spool, entry).await
}

/// Marks the submission delivered, then removes its entry and its sent markers.
async fn finish(spool: &dyn DynSpool, entry: &SpoolEntry) -> Delivery {
    let marker = Marker {
        fingerprint: entry.fingerprint.clone(),
        at: jiff::Timestamp::now().to_string(),
    };
    let marked = put_marker(spool, Shelf::Delivered, &entry.reference, &marker).await;
    let removed = match marked {
        Ok(()) => spool.remove_boxed(Shelf::Pending, &entry.reference).await,
        Err(e) => Err(e),
    };
    if let Err(error) = removed {
        return Delivery::NotRemoved(error);
    }
    for message in &entry.messages {
        let key = sent_key(&entry.reference, message.kind);
        if let Err(error) = spool.remove_boxed(Shelf::Sent, &key).await {
            tracing::warn!(reference = %entry.reference, %error, "could not remove a sent marker");
        }
    }
    Delivery::Delivered
}
