//! [`RedeliveryPolicy`]: the limits of one redelivery pass and how long undelivered submissions and
//! markers are kept.

use std::time::Duration;

/// The limits of a redelivery pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedeliveryPolicy {
    /// How long an undeliverable submission is kept (`GUIDEPOST_RETENTION_DAYS`, default 7 days).
    pub retention: Duration,
    /// Entries younger than this may still be in flight and are left alone (default 120 s); temporary
    /// spool files older than this were left by a crash and are removed.
    pub min_age: Duration,
    /// Entries older than this count as overdue in the report (default 1 h; alarmed in CloudWatch).
    pub overdue_after: Duration,
    /// The time one pass may take (default 240 s; the Lambda timeout must be longer).
    pub run_budget: Duration,
    /// Delivered markers older than this are removed (default 2 × the idempotency window + `min_age`).
    pub marker_ttl: Duration,
}

impl Default for RedeliveryPolicy {
    fn default() -> Self {
        RedeliveryPolicy {
            retention: Duration::from_secs(7 * 24 * 3600),
            min_age: Duration::from_secs(120),
            overdue_after: Duration::from_secs(3600),
            run_budget: Duration::from_secs(240),
            marker_ttl: Duration::from_secs(2 * 600 + 120),
        }
    }
}
