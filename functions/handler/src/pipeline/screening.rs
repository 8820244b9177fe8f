//! Bot screening before validation: raw input → [`Verdict`]. Two quiet traps, answered as if accepted (a
//! reference, nothing stored or sent), so a bot learns nothing:
//!
//! - the honeypot (`website`), a text field hidden from people and assistive technology;
//! - the time to fill: the form carries a hidden field (`gp_elapsed_ms`, [`FILL_TIME_FIELD`]) that the
//!   page's script sets, on submit, to the milliseconds since the page was loaded. The built page is static,
//!   so no signed server timestamp can be put in it; the browser measures instead. With the check on, a
//!   missing or empty value counts as too fast: leaving the field out must not be a way past the check
//!   (a browser without JavaScript is trapped too, which docs/deploy.md says). A value below the minimum
//!   (`GUIDEPOST_MIN_FILL_MS`, default 2000), or one that is not a number of milliseconds (something
//!   filled every field), is a bot.
//!
//! The pipeline screens after validation, so a trapped submission gets the answer a real one would.

use std::time::Duration;

use guidepost_forms::{Form, RawInput};

use crate::outcome::Outcome;

/// The hidden field with the time spent on the page, in milliseconds (set by the page's script).
pub const FILL_TIME_FIELD: &str = guidepost_forms::FILL_TIME_FIELD;

/// What the screening concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing suspicious: validate and accept as usual.
    Pass,
    /// The honeypot was filled.
    Honeypot,
    /// Sent faster than a person fills a form (or the timer field was tampered with).
    TooFast,
}

impl Verdict {
    /// The outcome of a trapped submission (answered as accepted, nothing sent); `None` for a pass.
    pub fn trapped(self) -> Option<Outcome> {
        match self {
            Verdict::Pass => None,
            Verdict::Honeypot => Some(Outcome::Honeypot),
            Verdict::TooFast => Some(Outcome::TooFast),
        }
    }
}

/// Screens `input` for `form`; `min_fill` zero switches the time check off.
pub fn screen(form: &Form, input: &RawInput, min_fill: Duration) -> Verdict {
    let trap = form.honeypot();
    if input.all(trap).any(|value| !value.trim().is_empty()) {
        return Verdict::Honeypot;
    }
    if min_fill.is_zero() {
        return Verdict::Pass;
    }
    let values: Vec<&str> = input
        .all(FILL_TIME_FIELD)
        .filter(|v| !v.trim().is_empty())
        .collect();
    match values.as_slice() {
        // No value: the check cannot be passed by leaving the field out.
        [] => Verdict::TooFast,
        [value] => match parse_millis(value) {
            Some(ms) if ms >= min_fill.as_millis() => Verdict::Pass,
            _ => Verdict::TooFast,
        },
        // Two values are not something a browser sends.
        _ => Verdict::TooFast,
    }
}

/// ASCII digits only (at most 12), as milliseconds.
fn parse_millis(value: &str) -> Option<u128> {
    let value = value.trim();
    let digits =
        !value.is_empty() && value.len() <= 12 && value.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| value.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_are_plain_ascii_digits() {
        assert_eq!(parse_millis("2500"), Some(2500));
        assert_eq!(parse_millis(" 2500 "), Some(2500));
        for bad in ["", "-1", "2.5", "２５００", "1e9", "9999999999999", "abc"] {
            assert_eq!(parse_millis(bad), None, "{bad}");
        }
    }
}
