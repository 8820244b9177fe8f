//! A hand-written fake transport for tests: records every message it is given and can be told to fail,
//! always or for the next few sends, permanently or transiently.

use std::sync::{Arc, Mutex, PoisonError};

use super::{DeliveryError, OutgoingMessage, Transport};

/// Records sent messages in memory; cloning shares the record.
#[derive(Clone, Debug, Default)]
pub struct RecordingTransport {
    sent: Arc<Mutex<Vec<OutgoingMessage>>>,
    script: Arc<Mutex<Script>>,
}

#[derive(Debug, Default)]
struct Script {
    failing: bool,
    transient_failures: usize,
    attempts: usize,
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
        self.script().failing = failing;
    }

    /// Makes the next `count` sends fail with [`DeliveryError::Transient`].
    pub fn fail_transiently(&self, count: usize) {
        self.script().transient_failures = count;
    }

    /// How many sends were attempted (failed ones included).
    pub fn attempts(&self) -> usize {
        self.script().attempts
    }

    /// Every message accepted so far, in order.
    pub fn sent(&self) -> Vec<OutgoingMessage> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every message accepted so far, in order, forgetting them.
    pub fn take_sent(&self) -> Vec<OutgoingMessage> {
        std::mem::take(&mut *self.sent.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for RecordingTransport {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        {
            let mut script = self.script();
            script.attempts += 1;
            if script.failing {
                return Err(DeliveryError::Service(
                    "the recording fake was told to fail".into(),
                ));
            }
            if script.transient_failures > 0 {
                script.transient_failures -= 1;
                return Err(DeliveryError::Transient(
                    "the recording fake was told to throttle".into(),
                ));
            }
        }
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message.clone());
        Ok(())
    }
}
