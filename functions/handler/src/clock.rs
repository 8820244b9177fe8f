//! Time: where "now" comes from, and the organisation's date in the form crate's date type.

use std::sync::Arc;

use jiff::{Timestamp, Zoned};

/// Where "now" comes from (tests can fix it).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Timestamp::now)
}

/// The calendar date of `now` (already in the organisation's time zone), for "not in the past" checks.
pub fn civil_date(now: &Zoned) -> guidepost_forms::Date {
    now.date()
}
