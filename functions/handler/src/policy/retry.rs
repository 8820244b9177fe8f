//! [`RetryPolicy`]: how hard one deadline's worth of sending tries (budget, per-attempt timeout, backoff
//! ceilings doubling to a cap) and the full-jitter pause drawn below a ceiling.

use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
