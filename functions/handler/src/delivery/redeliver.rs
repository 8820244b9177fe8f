//! Redelivery: one pass over the spool → a [`RedeliveryReport`]. Run by a schedule (EventBridge → the
//! `redeliver` Lambda handler) or by hand (`guidepost-function redeliver`). Each pending entry old enough
//! not to be in flight is delivered again under its own reference, resuming after the messages already
//! sent. An entry older than the retention limit raises an alarm (an ERROR log line with
//! `outcome = "expired_undeliverable"`, no personal data) and is removed. Old delivered markers, stray
//! sent markers and temporary files a crash left behind are swept. A lease in the spool keeps two passes from running at once.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use tokio::time::Instant;

use crate::clock::Clock;
use crate::delivery::deliver::{Delivery, deliver};
use crate::outcome::{Outcome, redact_addresses};
use crate::policy::{RedeliveryPolicy, RetryPolicy};
use crate::spool::{DynSpool, Listed, Marker, Shelf, SpoolError, get_entry, get_marker, sent_key};
use crate::transport::DynTransport;

/// The lease's key on [`Shelf::Lease`].
const LEASE: &str = "redeliver";

/// What one pass did (logged as one line, `outcome = "redelivery_run"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RedeliveryReport {
    /// Pending entries found.
    pub pending: usize,
    /// Left alone because they may still be in flight.
    pub young: usize,
    /// Delivered by this pass.
    pub delivered: usize,
    /// Still not delivered.
    pub undelivered: usize,
    /// Of those, older than `overdue_after`.
    pub overdue: usize,
    /// Removed undelivered after the retention limit (alarmed).
    pub expired: usize,
    /// Markers swept.
    pub swept: usize,
    /// Temporary files left by an interrupted write (a crash) and removed.
    pub temp_removed: usize,
    /// Spool operations that failed.
    pub errors: usize,
    /// Another pass held the lease: nothing was done.
    pub busy: bool,
}

/// Runs one redelivery pass at the clock's time.
pub async fn redeliver(
    spool: &dyn DynSpool,
    transport: &dyn DynTransport,
    retry: &RetryPolicy,
    policy: &RedeliveryPolicy,
    clock: &Clock,
) -> RedeliveryReport {
    let now = clock();
    let mut report = RedeliveryReport::default();
    match take_lease(spool, now, policy.run_budget + Duration::from_secs(60)).await {
        Ok(true) => {}
        Ok(false) => {
            report.busy = true;
            log_report(&report);
            return report;
        }
        Err(error) => {
            tracing::error!(target: "guidepost::redelivery", %error, "could not take the lease");
            report.errors += 1;
            log_report(&report);
            return report;
        }
    }
    let run_deadline = Instant::now() + policy.run_budget;
    let pending = match spool.list_boxed(Shelf::Pending).await {
        Ok(pending) => pending,
        Err(error) => {
            tracing::error!(target: "guidepost::redelivery", %error, "could not list the spool");
            report.errors += 1;
            Vec::new()
        }
    };
    report.pending = pending.len();
    for listed in &pending {
        // Each entry gets a whole delivery budget, or waits for the next pass.
        let entry_deadline = Instant::now() + retry.budget;
        if entry_deadline > run_deadline {
            report.undelivered += 1;
            continue;
        }
        one_entry(
            Courier {
                spool,
                transport,
                retry,
                clock,
            },
            policy,
            now,
            listed,
            entry_deadline,
            &mut report,
        )
        .await;
    }
    sweep(spool, policy, now, &pending, &mut report).await;
    // A temporary file as old as an entry that is surely not in flight was left by an interrupted write;
    // it may hold a whole submission.
    match spool.sweep_temp_boxed(policy.min_age).await {
        Ok(removed) => report.temp_removed = removed,
        Err(error) => {
            tracing::error!(target: "guidepost::redelivery", %error, "could not remove temporary files");
            report.errors += 1;
        }
    }
    if let Err(error) = spool.remove_boxed(Shelf::Lease, LEASE).await {
        tracing::warn!(target: "guidepost::redelivery", %error, "could not release the lease");
    }
    log_report(&report);
    report
}

/// What delivering one entry needs.
struct Courier<'a> {
    spool: &'a dyn DynSpool,
    transport: &'a dyn DynTransport,
    retry: &'a RetryPolicy,
    clock: &'a Clock,
}

async fn one_entry(
    courier: Courier<'_>,
    policy: &RedeliveryPolicy,
    now: Timestamp,
    listed: &Listed,
    deadline: Instant,
    report: &mut RedeliveryReport,
) {
    if age(now, listed.modified) < policy.min_age {
        report.young += 1;
        return;
    }
    let Courier {
        spool,
        transport,
        retry,
        clock,
    } = courier;
    let entry = match get_entry(spool, &listed.key).await {
        Ok(Some(entry)) => entry,
        Ok(None) => return, // delivered meanwhile
        Err(error) => {
            tracing::error!(target: "guidepost::redelivery", reference = %listed.key, %error, "unreadable entry");
            report.errors += 1;
            return;
        }
    };
    let accepted = entry.accepted_at.parse().unwrap_or(listed.modified);
    let age = age(now, accepted);
    if age >= policy.retention {
        expire(spool, &entry, age, report).await;
        return;
    }
    let delivery = deliver(spool, transport, retry, clock, &entry, deadline, true).await;
    if matches!(delivery, Delivery::Delivered) {
        report.delivered += 1;
    } else {
        // A spool fault after the mail service took a message: counted, so the pass fails loudly.
        report.errors += usize::from(matches!(
            delivery,
            Delivery::NotRecorded { .. } | Delivery::NotRemoved(_) | Delivery::Unchecked(_)
        ));
        if let Delivery::NotRemoved(error) = &delivery {
            tracing::error!(target: "guidepost::redelivery", reference = %entry.reference, %error, "delivered but the entry could not be moved");
        }
        report.undelivered += 1;
        report.overdue += usize::from(age >= policy.overdue_after);
    }
    tracing::info!(
        target: "guidepost::redelivery",
        reference = %entry.reference,
        form = %entry.form,
        outcome = match delivery {
            Delivery::Delivered => Outcome::Redelivered,
            _ => Outcome::StillUndelivered,
        }
        .as_str(),
        age_secs = age.as_secs(),
        error = redact_addresses(&delivery.error().unwrap_or_default()),
        "redelivery"
    );
}

/// Removes an entry past the retention limit, with the alarm line.
async fn expire(
    spool: &dyn DynSpool,
    entry: &crate::spool::SpoolEntry,
    age: Duration,
    report: &mut RedeliveryReport,
) {
    let mut unsent = Vec::new();
    for message in &entry.messages {
        let key = sent_key(&entry.reference, message.kind);
        if !matches!(get_marker(spool, Shelf::Sent, &key).await, Ok(Some(_))) {
            unsent.push(message.kind.as_str());
        }
        let _ = spool.remove_boxed(Shelf::Sent, &key).await;
    }
    match spool.remove_boxed(Shelf::Pending, &entry.reference).await {
        Ok(()) => report.expired += 1,
        Err(_) => report.errors += 1,
    }
    tracing::error!(
        target: "guidepost::alarm",
        reference = %entry.reference,
        form = %entry.form,
        outcome = Outcome::ExpiredUndeliverable.as_str(),
        age_hours = age.as_secs() / 3600,
        unsent = unsent.join(","),
        "undeliverable submission removed after the retention limit"
    );
}

/// How long a receipt count is kept: past its day in every time zone.
const RECEIPT_COUNT_TTL: Duration = Duration::from_secs(2 * 24 * 3600);

/// Removes delivered markers past their time, sent markers whose entry is gone, and old receipt counts.
async fn sweep(
    spool: &dyn DynSpool,
    policy: &RedeliveryPolicy,
    now: Timestamp,
    pending: &[Listed],
    report: &mut RedeliveryReport,
) {
    let mut stale: Vec<(Shelf, String)> = Vec::new();
    if let Ok(delivered) = spool.list_boxed(Shelf::Delivered).await {
        stale.extend(
            delivered
                .into_iter()
                .filter(|m| age(now, m.modified) >= policy.marker_ttl)
                .map(|m| (Shelf::Delivered, m.key)),
        );
    }
    if let Ok(sent) = spool.list_boxed(Shelf::Sent).await {
        let orphan = |m: &Listed| {
            let reference = m.key.split('.').next().unwrap_or_default();
            age(now, m.modified) >= policy.min_age && !pending.iter().any(|p| p.key == reference)
        };
        stale.extend(
            sent.into_iter()
                .filter(orphan)
                .map(|m| (Shelf::Sent, m.key)),
        );
    }
    if let Ok(receipts) = spool.list_boxed(Shelf::Receipts).await {
        let old = |m: &Listed| age(now, m.modified) >= RECEIPT_COUNT_TTL;
        stale.extend(
            receipts
                .into_iter()
                .filter(old)
                .map(|m| (Shelf::Receipts, m.key)),
        );
    }
    for (shelf, key) in stale {
        match spool.remove_boxed(shelf, &key).await {
            Ok(()) => report.swept += 1,
            Err(_) => report.errors += 1,
        }
    }
}

/// Takes the lease, or takes over one older than `ttl`; `false` when another pass holds it.
async fn take_lease(
    spool: &dyn DynSpool,
    now: Timestamp,
    ttl: Duration,
) -> Result<bool, SpoolError> {
    let marker = Marker {
        fingerprint: String::new(),
        at: now.to_string(),
    };
    for _ in 0..2 {
        match crate::spool::put_new_marker(spool, Shelf::Lease, LEASE, &marker).await {
            Ok(()) => return Ok(true),
            Err(SpoolError::Exists(_)) => {}
            Err(e) => return Err(e),
        }
        let held = get_marker(spool, Shelf::Lease, LEASE).await?;
        let since = held.and_then(|m| m.at.parse::<Timestamp>().ok());
        match since {
            Some(since) if age(now, since) < ttl => return Ok(false),
            _ => spool.remove_boxed(Shelf::Lease, LEASE).await?,
        }
    }
    Ok(false)
}

fn age(now: Timestamp, then: Timestamp) -> Duration {
    Duration::try_from(now.duration_since(then)).unwrap_or(Duration::ZERO)
}

fn log_report(report: &RedeliveryReport) {
    tracing::info!(
        target: "guidepost::redelivery",
        outcome = Outcome::RedeliveryRun.as_str(),
        pending = report.pending,
        young = report.young,
        delivered = report.delivered,
        undelivered = report.undelivered,
        overdue = report.overdue,
        expired = report.expired,
        swept = report.swept,
        temp_removed = report.temp_removed,
        errors = report.errors,
        busy = report.busy,
        "redelivery pass"
    );
}
