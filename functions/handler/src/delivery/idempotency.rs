//! Idempotency: a checked submission → its fingerprint (SHA-256 of the form id and the normalised
//! answers) → the reference it gets within a time window. The same submission sent twice (a double click,
//! a retry after a timeout) has the same fingerprint, so the same reference and spool key: the second is
//! recognised and not sent again. The window is a fixed grid (`GUIDEPOST_IDEMPOTENCY_WINDOW_SECS`, default
//! 600 s); the previous window is checked too, so repeats up to one window apart are always caught.

use std::time::Duration;

use guidepost_forms::{Submission, reference_from_bytes};
use sha2::{Digest, Sha256};

use crate::clock::Clock;

/// The fingerprint of a checked submission: hex SHA-256 over the form id and the normalised answers
/// (so `19121212-1212` and `191212121212` count as the same answer).
pub fn fingerprint(submission: &Submission) -> String {
    let canonical = serde_json::json!({
        "form": submission.form_id(),
        "answers": submission.answers(),
    });
    let mut hasher = Sha256::new();
    hasher.update(canonical.to_string().as_bytes());
    hex(&hasher.finalize())
}

/// The window `now_seconds` (Unix time) falls in.
pub fn window_of(now_seconds: i64, window: Duration) -> i64 {
    let width = i64::try_from(window.as_secs()).unwrap_or(i64::MAX).max(1);
    now_seconds.div_euclid(width)
}

/// The reference of a fingerprint in a window: eight bytes of SHA-256(fingerprint, window).
pub fn reference_for(fingerprint: &str, window: i64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(fingerprint.as_bytes());
    hasher.update(b"/");
    hasher.update(window.to_le_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    reference_from_bytes(bytes)
}

/// A fresh random reference (for answers that send nothing, and when a derived one is taken).
pub fn random_reference(clock: &Clock) -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: the clock's nanoseconds (still unique per spool by create-new), logged.
        tracing::warn!("no OS randomness: a reference from the clock instead");
        let nanos = clock().as_nanosecond();
        bytes = (nanos as u64).to_le_bytes();
    }
    reference_from_bytes(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_a_fixed_grid() {
        let ten_minutes = Duration::from_secs(600);
        assert_eq!(window_of(0, ten_minutes), 0);
        assert_eq!(window_of(599, ten_minutes), 0);
        assert_eq!(window_of(600, ten_minutes), 1);
        assert_eq!(window_of(-1, ten_minutes), -1);
        assert_eq!(
            window_of(5, Duration::ZERO),
            5,
            "a zero window is one second"
        );
    }

    #[test]
    fn references_depend_on_fingerprint_and_window() {
        let a = reference_for("abc", 7);
        assert_eq!(a, reference_for("abc", 7));
        assert_ne!(a, reference_for("abd", 7));
        assert_ne!(a, reference_for("abc", 8));
        assert!(a.starts_with("GP-") && a.len() == 12, "{a}");
    }
}
