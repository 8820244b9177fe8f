//! A hand-written fake transport for tests: records every message it is given and can be told to fail.

use std::sync::{Arc, Mutex, PoisonError};

use super::{DeliveryError, OutgoingMessage, Transport};

/// Records sent messages in memory; cloning shares the record.
#[derive(Clone, Debug, Default)]
pub struct RecordingTransport {
    sent: Arc<Mutex<Vec<OutgoingMessage>>>,
    failing: Arc<Mutex<bool>>,
}

impl RecordingTransport {
    /// A fake that accepts every message.
    pub fn new() -> Self {
        Self::default()
    }

    /// A fake that refuses every message with [`DeliveryError::Service`] (nothing is recorded).
    pub fn failing() -> Self {
        let fake = Self::default();
        fake.set_failing(true);
        fake
    }

    /// Switches refusing on or off.
    pub fn set_failing(&self, failing: bool) {
        *self.failing.lock().unwrap_or_else(PoisonError::into_inner) = failing;
    }

    /// Every message accepted so far, in order.
    pub fn sent(&self) -> Vec<OutgoingMessage> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Transport for RecordingTransport {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        if *self.failing.lock().unwrap_or_else(PoisonError::into_inner) {
            return Err(DeliveryError::Service(
                "the recording fake was told to fail".into(),
            ));
        }
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message.clone());
        Ok(())
    }
}
