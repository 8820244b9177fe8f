//! Sending with retries: one message → the transport, tried again on throttling, 5xx, refused connections
//! and timeouts, with exponential backoff and full jitter, never past a deadline (the request's time
//! budget, or the redelivery run's). A refusal that retrying cannot fix is returned at once. An attempt
//! is only started when its whole timeout fits before the deadline.

use std::time::Duration;

use tokio::time::Instant;

use crate::transport::{DeliveryError, DynTransport, OutgoingMessage};

/// How hard to try within one deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The time one request may spend delivering (`GUIDEPOST_DELIVERY_BUDGET_MS`, default 8 s); what is
    /// not delivered by then stays in the spool for redelivery.
    pub budget: Duration,
    /// The longest one attempt may take (at most what is left of the budget).
    pub attempt_timeout: Duration,
    /// The first backoff ceiling; doubled after each failed attempt.
    pub base_delay: Duration,
    /// The largest backoff ceiling.
    pub max_delay: Duration,
    /// The most attempts per message.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 8 s budget, 3 s per attempt, backoff 100 ms doubling to 2 s, at most 6 attempts.
    fn default() -> Self {
        RetryPolicy {
            budget: Duration::from_secs(8),
            attempt_timeout: Duration::from_secs(3),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_attempts: 6,
        }
    }
}

impl RetryPolicy {
    /// The backoff ceiling after `failures` failed attempts (1 = after the first).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failures.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// A uniformly random duration in `[0, ceiling]` ("full jitter"), from the OS's randomness.
pub fn jitter(ceiling: Duration) -> Duration {
    let mut bytes = [0u8; 4];
    let fraction = match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    };
    ceiling.mul_f64(fraction)
}

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

    #[test]
    fn the_ceiling_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let ceilings: Vec<u128> = (1..=7).map(|n| policy.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(policy.ceiling(200), Duration::from_secs(2), "no overflow");
        for _ in 0..100 {
            assert!(jitter(Duration::from_millis(10)) <= Duration::from_millis(10));
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
