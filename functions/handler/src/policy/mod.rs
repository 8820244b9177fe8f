//! Policies: plain values that say how hard to try and how long to keep (retrying within a deadline,
//! redelivery and retention, the per-client rate limit, the local server's timeouts and connection caps). Read from [`crate::config`], used by the delivery
//! stages and the HTTP edge; they import nothing from the rest of the crate.

mod ratelimit;
mod redelivery;
mod retry;
mod server;

pub use ratelimit::{RateLimit, RateLimiter, retry_after_secs};
pub use redelivery::RedeliveryPolicy;
pub use retry::{RetryPolicy, jitter};
pub use server::ServerLimits;
