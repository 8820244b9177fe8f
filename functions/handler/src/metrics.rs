//! The numbers the Prometheus endpoint shows, counted in memory as requests pass: submissions by form and
//! outcome, delivery attempts and failures by message kind, and a latency histogram per route. Spool depth
//! and the oldest entry's age are read from the spool at scrape time ([`SpoolGauges`]). [`Metrics::render`]
//! writes the Prometheus text format (version 0.0.4), sorted, so two scrapes of the same state are equal.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Why a delivery attempt failed, as the metric's `reason` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailureReason {
    /// The service refused the message for good (an SMTP 5xx, an SES rejection).
    Refused,
    /// Worth retrying: a 4xx, throttling, a lost connection.
    Transient,
    /// The attempt ran out of time.
    Timeout,
    /// The mail folder could not be written.
    Folder,
}

impl FailureReason {
    fn as_str(self) -> &'static str {
        match self {
            FailureReason::Refused => "refused",
            FailureReason::Transient => "transient",
            FailureReason::Timeout => "timeout",
            FailureReason::Folder => "folder",
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Counts {
    submissions: BTreeMap<(String, &'static str), u64>,
    attempts: BTreeMap<&'static str, u64>,
    failures: BTreeMap<(&'static str, FailureReason), u64>,
    latency: BTreeMap<&'static str, Histogram>,
}

/// The process's counters; shared by the state, cheap to update.
#[derive(Debug, Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

/// What the spool holds at scrape time.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpoolGauges {
    /// Entries waiting for (re)delivery.
    pub pending: usize,
    /// Age in seconds of the oldest of them (0 when none).
    pub oldest_age_secs: f64,
    /// Whether the spool could be listed (`false`: the two numbers above are unknown).
    pub readable: bool,
}

impl Metrics {
    fn with(&self, update: impl FnOnce(&mut Counts)) {
        // A panic while holding the lock leaves counts that are still counts.
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        update(&mut counts);
    }

    /// One submission to `form` (a known form id, or `unknown`) ended with `outcome`.
    pub fn submission(&self, form: &str, outcome: &'static str) {
        self.with(|c| *c.submissions.entry((form.to_owned(), outcome)).or_default() += 1);
    }

    /// One attempt to hand a `kind` message (`desk`, `receipt`) to the transport started.
    pub fn attempt(&self, kind: &'static str) {
        self.with(|c| *c.attempts.entry(kind).or_default() += 1);
    }

    /// One attempt failed.
    pub fn failure(&self, kind: &'static str, reason: FailureReason) {
        self.with(|c| *c.failures.entry((kind, reason)).or_default() += 1);
    }

    /// A request to `route` took `took`.
    pub fn request(&self, route: &'static str, took: Duration) {
        let secs = took.as_secs_f64();
        self.with(|c| {
            let h = c.latency.entry(route).or_default();
            for (count, bound) in h.counts.iter_mut().zip(BUCKETS) {
                if secs <= bound {
                    *count += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        });
    }

    /// The Prometheus text exposition of everything counted, with the spool's gauges.
    pub fn render(&self, spool: SpoolGauges) -> String {
        let c = {
            let counts = self
                .counts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Counts {
                submissions: counts.submissions.clone(),
                attempts: counts.attempts.clone(),
                failures: counts.failures.clone(),
                latency: counts.latency.clone(),
            }
        };
        let mut out = String::new();
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        head(
            &mut out,
            "guidepost_submissions_total",
            "counter",
            "Form submissions by form and outcome.",
        );
        for ((form, outcome), n) in &c.submissions {
            let form = escape(form);
            let _ = writeln!(
                out,
                "guidepost_submissions_total{{form=\"{form}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        head(
            &mut out,
            "guidepost_delivery_attempts_total",
            "counter",
            "Messages handed to the mail transport, by kind, retries included.",
        );
        for (kind, n) in &c.attempts {
            let _ = writeln!(
                out,
                "guidepost_delivery_attempts_total{{kind=\"{kind}\"}} {n}"
            );
        }
        head(
            &mut out,
            "guidepost_delivery_failures_total",
            "counter",
            "Delivery attempts that failed, by kind and reason.",
        );
        for ((kind, reason), n) in &c.failures {
            let reason = reason.as_str();
            let _ = writeln!(
                out,
                "guidepost_delivery_failures_total{{kind=\"{kind}\",reason=\"{reason}\"}} {n}"
            );
        }
        head(
            &mut out,
            "guidepost_spool_pending",
            "gauge",
            "Accepted submissions not yet delivered.",
        );
        head(
            &mut out,
            "guidepost_spool_oldest_age_seconds",
            "gauge",
            "Age of the oldest undelivered submission.",
        );
        head(
            &mut out,
            "guidepost_spool_readable",
            "gauge",
            "1 when the spool could be listed for this scrape.",
        );
        if spool.readable {
            let _ = writeln!(out, "guidepost_spool_pending {}", spool.pending);
            let _ = writeln!(
                out,
                "guidepost_spool_oldest_age_seconds {:.3}",
                spool.oldest_age_secs
            );
        }
        let _ = writeln!(out, "guidepost_spool_readable {}", u8::from(spool.readable));
        head(
            &mut out,
            "guidepost_request_duration_seconds",
            "histogram",
            "Time to answer a request, by route.",
        );
        for (route, h) in &c.latency {
            for (count, bound) in h.counts.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "guidepost_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "guidepost_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "guidepost_request_duration_seconds_sum{{route=\"{route}\"}} {:.6}",
                h.sum
            );
            let _ = writeln!(
                out,
                "guidepost_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        out
    }
}

/// A label value with `\`, `"` and newlines escaped (form ids are plain already; this is a guard).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_render_as_prometheus_text_with_cumulative_buckets() {
        let m = Metrics::default();
        m.submission("kontakt", "delivered");
        m.submission("kontakt", "delivered");
        m.submission("kontakt", "invalid");
        m.attempt("desk");
        m.failure("desk", FailureReason::Transient);
        m.request("/forms/{id}", Duration::from_millis(3));
        m.request("/forms/{id}", Duration::from_millis(30));
        let text = m.render(SpoolGauges {
            pending: 2,
            oldest_age_secs: 61.5,
            readable: true,
        });
        for line in [
            "guidepost_submissions_total{form=\"kontakt\",outcome=\"delivered\"} 2",
            "guidepost_submissions_total{form=\"kontakt\",outcome=\"invalid\"} 1",
            "guidepost_delivery_attempts_total{kind=\"desk\"} 1",
            "guidepost_delivery_failures_total{kind=\"desk\",reason=\"transient\"} 1",
            "guidepost_spool_pending 2",
            "guidepost_spool_oldest_age_seconds 61.500",
            "guidepost_request_duration_seconds_bucket{route=\"/forms/{id}\",le=\"0.001\"} 0",
            "guidepost_request_duration_seconds_bucket{route=\"/forms/{id}\",le=\"0.005\"} 1",
            "guidepost_request_duration_seconds_bucket{route=\"/forms/{id}\",le=\"0.05\"} 2",
            "guidepost_request_duration_seconds_bucket{route=\"/forms/{id}\",le=\"+Inf\"} 2",
            "guidepost_request_duration_seconds_count{route=\"/forms/{id}\"} 2",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
        let unreadable = m.render(SpoolGauges::default());
        assert!(unreadable.contains("guidepost_spool_readable 0"));
        assert!(
            !unreadable.contains("guidepost_spool_pending 0"),
            "unknown is not zero"
        );
    }
}
