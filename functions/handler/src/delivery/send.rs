//! Sending with retries: one message → the transport, tried again on throttling, 5xx, refused connections
//! and timeouts, with exponential backoff and full jitter, never past a deadline (the request's time
//! budget, or the redelivery run's). A refusal that retrying cannot fix is returned at once. An attempt
//! is only started when its whole timeout fits before the deadline.

use tokio::time::Instant;

use crate::policy::{RetryPolicy, jitter};
use crate::transport::{DeliveryError, DynTransport, OutgoingMessage};

/// How sending one message went.
#[derive(Debug)]
pub struct Attempted {
    /// Attempts made.
    pub attempts: u32,
    /// `Ok` when the service accepted the message, else the last error.
    pub result: Result<(), DeliveryError>,
}

/// Sends `message`, retrying transient failures with backoff and jitter until `deadline`.
pub async fn send_with_retry(
    transport: &dyn DynTransport,
    message: &OutgoingMessage,
    policy: &RetryPolicy,
    deadline: Instant,
) -> Attempted {
    let mut attempts = 0;
    loop {
        // Every attempt gets its whole timeout or is not started: an attempt cut short by the budget may
        // have reached the service, and sending it again later would deliver it twice.
        let limit = policy.attempt_timeout.min(policy.budget);
        let left = deadline.saturating_duration_since(Instant::now());
        if left < limit || left.is_zero() {
            let result = Err(DeliveryError::TimedOut(policy.budget));
            return Attempted { attempts, result };
        }
        attempts += 1;
        let error = match tokio::time::timeout(limit, transport.send_boxed(message)).await {
            Ok(Ok(())) => {
                return Attempted {
                    attempts,
                    result: Ok(()),
                };
            }
            Ok(Err(error)) => error,
            Err(_elapsed) => DeliveryError::TimedOut(limit),
        };
        if !error.is_transient() || attempts >= policy.max_attempts {
            return Attempted {
                attempts,
                result: Err(error),
            };
        }
        let pause = jitter(policy.ceiling(attempts));
        if Instant::now() + pause + limit > deadline {
            return Attempted {
                attempts,
                result: Err(error),
            };
        }
        tracing::debug!(attempt = attempts, pause_ms = pause.as_millis() as u64, %error, "retrying");
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{MessageKind, RecordingTransport, Transport};
    use std::time::Duration;

    fn message() -> OutgoingMessage {
        OutgoingMessage {
            kind: MessageKind::Desk,
            reference: "GP-AAAA-CCCC".into(),
            from: "formular@guidepost.example".into(),
            to: vec!["natverk@desk.example".into()],
            raw: "Subject: x\r\n\r\nbody\r\n".into(),
        }
    }

    fn quick() -> RetryPolicy {
        RetryPolicy {
            budget: Duration::from_secs(2),
            attempt_timeout: Duration::from_millis(200),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_attempts: 6,
        }
    }

    #[tokio::test]
    async fn transient_failures_are_retried_until_accepted() {
        let fake = RecordingTransport::new();
        fake.fail_transiently(3);
        let deadline = Instant::now() + Duration::from_secs(2);
        let done = send_with_retry(&fake, &message(), &quick(), deadline).await;
        assert!(done.result.is_ok(), "{:?}", done.result);
        assert_eq!(done.attempts, 4);
        assert_eq!(fake.sent().len(), 1);
    }

    #[tokio::test]
    async fn a_refusal_is_not_retried_and_attempts_are_bounded() {
        let fake = RecordingTransport::failing();
        let deadline = Instant::now() + Duration::from_secs(2);
        let done = send_with_retry(&fake, &message(), &quick(), deadline).await;
        assert!(matches!(done.result, Err(DeliveryError::Service(_))));
        assert_eq!(fake.attempts(), 1);

        let fake = RecordingTransport::new();
        fake.fail_transiently(100);
        let done = send_with_retry(&fake, &message(), &quick(), deadline).await;
        assert!(matches!(done.result, Err(DeliveryError::Transient(_))));
        assert_eq!(done.attempts, 6);
    }

    struct Slow;
    impl Transport for Slow {
        async fn send(&self, _message: &OutgoingMessage) -> Result<(), DeliveryError> {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        }
    }

    #[tokio::test]
    async fn slow_attempts_time_out_and_the_deadline_holds() {
        let started = Instant::now();
        let deadline = started + Duration::from_millis(500);
        let done = send_with_retry(&Slow, &message(), &quick(), deadline).await;
        assert!(matches!(done.result, Err(DeliveryError::TimedOut(_))));
        assert!(done.attempts >= 2, "{}", done.attempts);
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "{:?}",
            started.elapsed()
        );
    }
}
