//! Delivery, below the pipeline: [`idempotency`] (fingerprint → reference), [`accept`] (spool first),
//! [`deliver`] (send each message with [`send`]'s retries, then unspool) and [`redeliver`] (the scheduled
//! pass over what the spool still holds). Talks to the outside only through the spool and transport seams.

pub mod accept;
pub mod deliver;
pub mod idempotency;
pub mod redeliver;
pub mod send;

pub use accept::{AcceptError, Accepted, accept};
pub use deliver::{Delivery, deliver};
pub use redeliver::{RedeliveryReport, redeliver};
pub use send::{Attempted, send_with_retry};
