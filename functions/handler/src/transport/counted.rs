//! A transport that counts: wraps the configured one and records each attempt and each failure (by
//! reason) in [`Metrics`]. An attempt whose future is dropped unfinished (the retry loop's timeout) counts
//! as a timeout.

use std::sync::Arc;

use crate::metrics::{FailureReason, Metrics};
use crate::transport::{DeliveryError, DynTransport, OutgoingMessage, Transport};

/// The configured transport with counting around it.
pub struct CountedTransport {
    inner: Arc<dyn DynTransport>,
    metrics: Arc<Metrics>,
}

impl CountedTransport {
    /// Counts what passes through `inner`.
    pub fn new(inner: Arc<dyn DynTransport>, metrics: Arc<Metrics>) -> CountedTransport {
        CountedTransport { inner, metrics }
    }
}

/// Counts a timeout unless the attempt finished.
struct Unfinished<'a> {
    metrics: &'a Metrics,
    kind: &'static str,
    finished: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.metrics.failure(self.kind, FailureReason::Timeout);
        }
    }
}

impl Transport for CountedTransport {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let kind = message.kind.as_str();
        self.metrics.attempt(kind);
        let mut guard = Unfinished {
            metrics: &self.metrics,
            kind,
            finished: false,
        };
        let result = self.inner.send_boxed(message).await;
        guard.finished = true;
        if let Err(error) = &result {
            let reason = match error {
                DeliveryError::Service(_) => FailureReason::Refused,
                DeliveryError::Transient(_) => FailureReason::Transient,
                DeliveryError::TimedOut(_) => FailureReason::Timeout,
                DeliveryError::Folder { .. } => FailureReason::Folder,
            };
            self.metrics.failure(kind, reason);
        }
        result
    }

    async fn probe(&self) -> Result<(), String> {
        self.inner.probe_boxed().await
    }
}
