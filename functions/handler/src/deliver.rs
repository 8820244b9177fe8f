//! Accept and deliver: a composed submission is stored in the spool (create-new, durable) before the client
//! is answered, then each message is handed to the transport, and the spool entry is removed once all are
//! delivered. A failed delivery leaves the entry for redelivery; the client still gets its reference.

use crate::spool::{DynSpool, SpoolEntry, SpoolError};
use crate::transport::{DeliveryError, DynTransport};

/// How delivery of an accepted submission went (for the log line; the client's answer is the same).
#[derive(Debug)]
pub enum Delivery {
    /// Every message was handed over and the spool entry removed.
    Delivered,
    /// A message was refused; the entry stays in the spool.
    Failed {
        /// Messages handed over before the failure.
        delivered: usize,
        /// Why the next one was not.
        error: DeliveryError,
    },
    /// Everything was handed over but the spool entry could not be removed (it may be sent again).
    NotRemoved(SpoolError),
}

impl Delivery {
    /// The outcome word in the log line.
    pub fn outcome(&self) -> &'static str {
        match self {
            Delivery::Delivered => "delivered",
            Delivery::Failed { .. } => "spooled_undelivered",
            Delivery::NotRemoved(_) => "delivered_not_unspooled",
        }
    }
}

/// Stores `entry` under its reference; [`SpoolError::Exists`] means the reference is taken.
pub async fn accept(spool: &dyn DynSpool, entry: &SpoolEntry) -> Result<(), SpoolError> {
    spool.put_new_boxed(&entry.reference, entry).await
}

/// Sends the entry's messages in order and removes the entry when all went out.
pub async fn deliver(
    spool: &dyn DynSpool,
    transport: &dyn DynTransport,
    entry: &SpoolEntry,
) -> Delivery {
    for (delivered, message) in entry.messages.iter().enumerate() {
        if let Err(error) = transport.send_boxed(message).await {
            return Delivery::Failed { delivered, error };
        }
    }
    match spool.remove_boxed(&entry.reference).await {
        Ok(()) => Delivery::Delivered,
        Err(error) => Delivery::NotRemoved(error),
    }
}
