//! Deliver: a spooled entry → each message handed to the transport (retrying within a deadline), each
//! message marked as sent, then the submission marked delivered and its entry removed. What
//! is not delivered stays in the spool for [`crate::delivery::redeliver`], which resumes after the
//! messages already sent. Marker times come from the injected clock.

use tokio::time::Instant;

use crate::clock::Clock;
use crate::delivery::send::send_with_retry;
use crate::outcome::Outcome;
use crate::policy::RetryPolicy;
use crate::spool::{
    DynSpool, Marker, Shelf, SpoolEntry, SpoolError, get_marker, put_marker, sent_key,
};
use crate::transport::{DeliveryError, DynTransport};

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
    /// A message was handed over but could not be marked as sent; the rest wait (it may be sent again).
    NotRecorded {
        /// Messages handed over (now or before).
        delivered: usize,
        /// Why the marker could not be written.
        error: SpoolError,
    },
    /// Everything was handed over and marked as sent, but the entry could not be moved; a later pass
    /// sends nothing and tries again.
    NotRemoved(SpoolError),
}

impl Delivery {
    /// The outcome for the log line.
    pub fn outcome(&self) -> Outcome {
        match self {
            Delivery::Delivered => Outcome::Delivered,
            Delivery::Failed { .. } => Outcome::SpooledUndelivered,
            Delivery::Unchecked(_) => Outcome::SpoolUnreadable,
            Delivery::NotRecorded { .. } | Delivery::NotRemoved(_) => {
                Outcome::DeliveredNotUnspooled
            }
        }
    }

    /// The error detail for the log, if any.
    pub fn error(&self) -> Option<String> {
        match self {
            Delivery::Delivered => None,
            Delivery::Failed { delivered, error } => {
                Some(format!("after {delivered} sent: {error}"))
            }
            Delivery::NotRecorded { delivered, error } => Some(format!(
                "after {delivered} sent, not marked as sent: {error}"
            )),
            Delivery::Unchecked(error) | Delivery::NotRemoved(error) => Some(error.to_string()),
        }
    }
}

/// Sends the entry's messages in order until `deadline`; `resume` skips those marked as sent before.
pub async fn deliver(
    spool: &dyn DynSpool,
    transport: &dyn DynTransport,
    policy: &RetryPolicy,
    clock: &Clock,
    entry: &SpoolEntry,
    deadline: Instant,
    resume: bool,
) -> Delivery {
    let now = || clock().to_string();
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
        // Recorded for every message, the last too, before the entry is moved: a pass after a spool
        // fault skips what the mail service already took instead of sending it again.
        let marker = Marker {
            fingerprint: String::new(),
            at: now(),
        };
        if let Err(error) = put_marker(spool, Shelf::Sent, &key, &marker).await {
            tracing::error!(reference = %entry.reference, %error, "could not mark a message as sent");
            return Delivery::NotRecorded {
                delivered: index + 1,
                error,
            };
        }
    }
    finish(spool, clock, entry).await
}

/// Marks the submission delivered, then removes its entry and its sent markers.
async fn finish(spool: &dyn DynSpool, clock: &Clock, entry: &SpoolEntry) -> Delivery {
    let marker = Marker {
        fingerprint: entry.fingerprint.clone(),
        at: clock().to_string(),
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
