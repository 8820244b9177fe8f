//! The daily reminder run over the account register: for each account, what the [`plan`] says is
//! due today (in the account's language's time zone, or a date given for testing) is handed to the
//! spool under a key of its own (`<account>-r<days>-<end date>`, `-removal-`, `-unconfirmed`), then
//! delivered like any order, then recorded on the account. Spool first makes it exactly once: a run
//! that finds the key spooled or delivered sends nothing again, and the record is written against the
//! version read, so two runs on one day cannot both record (or both send) a reminder.
//!
//! [`plan`]: crate::accounts::plan

use guidepost_forms::Date;
use jiff::Zoned;
use serde::Serialize;

use crate::accounts::links::{Links, end_of_day};
use crate::accounts::plan::{Due, days_before, due};
use crate::accounts::record::{SentReminder, State};
use crate::accounts::{Account, Accounts, Action, mail};
use crate::delivery::{Delivery, deliver};
use crate::spool::{Shelf, SpoolEntry, SpoolError, get_marker, put_entry};
use crate::state::{AppState, Parts};
use crate::transport::OutgoingMessage;

/// What one run did (one JSON line in the log).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RemindReport {
    /// The day the run counted as today (the Swedish date when no day was given).
    pub today: String,
    /// Accounts looked at.
    pub accounts: usize,
    /// Reminders handed over (late ones included).
    pub reminders: usize,
    /// Of those, sent after their day.
    pub late: usize,
    /// Removal notices to desks.
    pub removals: usize,
    /// Unconfirmed-order notices to desks.
    pub unconfirmed: usize,
    /// Closed records deleted after their retention.
    pub deleted: usize,
    /// Mail spooled but not yet delivered (redelivery sends it).
    pub pending: usize,
    /// Operations that failed (register, spool, a form or desk missing); the run fails when not 0.
    pub errors: usize,
}

/// Runs one reminder pass at the state's clock; `today` replaces the date (tests, `--today`).
pub async fn remind_once(state: &AppState, today: Option<Date>) -> RemindReport {
    let parts = &*state.inner;
    let mut report = RemindReport::default();
    let Some(accounts) = &parts.accounts else {
        return report;
    };
    let now = (parts.clock)();
    report.today = today
        .unwrap_or_else(|| now.to_zoned(parts.settings.time_zones.sv.clone()).date())
        .to_string();
    let listed = match accounts.register.list().await {
        Ok(listed) => listed,
        Err(error) => {
            tracing::error!(target: "guidepost::remind", %error, "the register could not be listed");
            report.errors += 1;
            return report;
        }
    };
    for (account, version) in listed {
        report.accounts += 1;
        if let Err(problem) = one(parts, accounts, &account, version, today, &mut report).await {
            tracing::error!(target: "guidepost::remind", account = %account.id, problem, "reminder run");
            report.errors += 1;
        }
    }
    report
}

async fn one(
    parts: &Parts,
    accounts: &Accounts,
    account: &Account,
    version: u64,
    today: Option<Date>,
    report: &mut RemindReport,
) -> Result<(), String> {
    let zone = parts.settings.time_zones.get(account.lang).clone();
    let now = (parts.clock)().to_zoned(zone.clone());
    let today = today.unwrap_or_else(|| now.date());
    let schedule = parts
        .forms
        .get(&account.form)
        .and_then(|form| form.account.as_ref())
        .map(|spec| spec.reminders.as_slice())
        .ok_or("its form is gone or no longer has an `account:` key")?;
    let settings = &parts.settings;
    let retention = i64::from(settings.accounts.retention_days);
    let Some(due) = due(
        account,
        schedule,
        today,
        now.timestamp().as_second(),
        settings.accounts.confirm_days,
    ) else {
        return Ok(());
    };
    let links = Links {
        key: &accounts.key,
        settings,
    };
    let desk_to = || {
        parts
            .desks
            .addresses(&account.desk)
            .map(<[String]>::to_vec)
            .ok_or_else(|| format!("desk `{}` has no address", account.desk))
    };
    let sender = &settings.sender;
    match due {
        Due::Delete => {
            accounts
                .register
                .delete(&account.id, version)
                .await
                .map_err(|e| e.to_string())?;
            report.deleted += 1;
        }
        Due::Unconfirmed => {
            let key = format!("{}-unconfirmed", account.id);
            let confirm = links.confirm(
                &account.id,
                &account.id,
                account.generation,
                now.timestamp().as_second(),
            );
            let message = mail::unconfirmed(account, &key, &confirm, desk_to()?, sender, &now);
            hand_over(parts, account, &key, message, &now, report).await?;
            record(accounts, account, |a| {
                let first = !a.unconfirmed_reported;
                a.unconfirmed_reported = true;
                first
            })
            .await?;
            report.unconfirmed += 1;
        }
        Due::Removal => {
            let key = format!("{}-removal-{}", account.id, compact(account.end_date));
            let message = mail::removal(account, &key, desk_to()?, sender, &now);
            hand_over(parts, account, &key, message, &now, report).await?;
            record(accounts, account, |a| {
                let first = a.removal_sent.is_none() && a.state == State::Active;
                if first {
                    a.removal_sent = Some(today);
                    a.close(State::Removed, today, retention);
                }
                first
            })
            .await?;
            report.removals += 1;
        }
        Due::Reminder {
            step,
            late,
            superseded,
        } => {
            let key = format!(
                "{}-r{}-{}",
                account.id,
                step.days_before,
                compact(account.end_date)
            );
            let expires = end_of_day(account.end_date, &zone);
            let extend =
                links.from_reminder(Action::Extend, &account.id, account.generation, expires);
            let end = links.from_reminder(Action::End, &account.id, account.generation, expires);
            let mut to = vec![account.contact_email.clone()];
            if step.external
                && let Some(external) = &account.external_email
                && !to.contains(external)
            {
                to.push(external.clone());
            }
            let due_day = days_before(account.end_date, step.days_before);
            let days_left = today
                .until(account.end_date)
                .map(|s| s.get_days())
                .unwrap_or(0);
            let message = mail::reminder(
                account,
                &key,
                u32::try_from(days_left).unwrap_or(0),
                late.then_some(due_day),
                &extend,
                &end,
                to,
                sender,
                &now,
            );
            hand_over(parts, account, &key, message, &now, report).await?;
            let end_date = account.end_date;
            record(accounts, account, |a| {
                if a.end_date != end_date || a.has_reminder(step.days_before) {
                    return false;
                }
                a.reminders.push(SentReminder {
                    days_before: step.days_before,
                    end_date,
                    on: today,
                    late,
                    superseded: false,
                });
                for days in &superseded {
                    if !a.has_reminder(*days) {
                        a.reminders.push(SentReminder {
                            days_before: *days,
                            end_date,
                            on: today,
                            late: true,
                            superseded: true,
                        });
                    }
                }
                true
            })
            .await?;
            report.reminders += 1;
            report.late += usize::from(late);
        }
    }
    Ok(())
}

/// `2027-03-31` → `20270331`, for keys.
fn compact(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// Writes the change `edit` makes (when it returns true) against the version read again.
async fn record(
    accounts: &Accounts,
    account: &Account,
    mut edit: impl FnMut(&mut Account) -> bool,
) -> Result<(), String> {
    accounts
        .register
        .update(&account.id, |a| {
            let write = edit(a);
            ((), write)
        })
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Hands `message` over once: nothing when its key is spooled or was delivered already; otherwise
/// spooled, then delivered within the retry budget (or left for redelivery).
async fn hand_over(
    parts: &Parts,
    account: &Account,
    key: &str,
    message: OutgoingMessage,
    now: &Zoned,
    report: &mut RemindReport,
) -> Result<(), String> {
    if send_once(parts, &account.form, key, message, now).await? == Handed::Pending {
        report.pending += 1;
    }
    Ok(())
}

/// What [`send_once`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Handed {
    /// Delivered now.
    Delivered,
    /// Spooled now, not delivered yet (redelivery sends it).
    Pending,
    /// The key was spooled or delivered before: nothing sent now.
    Before,
}

/// Spools `message` under `key` unless the key is spooled or delivered already, then delivers it.
pub(crate) async fn send_once(
    parts: &Parts,
    form: &str,
    key: &str,
    message: OutgoingMessage,
    now: &Zoned,
) -> Result<Handed, String> {
    let spool = parts.spool.as_ref();
    let delivered = get_marker(spool, Shelf::Delivered, key)
        .await
        .map_err(|e| e.to_string())?;
    if delivered.is_some() {
        return Ok(Handed::Before);
    }
    let entry = SpoolEntry {
        reference: key.to_owned(),
        form: form.to_owned(),
        accepted_at: now.timestamp().to_string(),
        fingerprint: key.to_owned(),
        messages: vec![message],
    };
    match put_entry(spool, &entry).await {
        Ok(()) => {}
        Err(SpoolError::Exists(_)) => return Ok(Handed::Before),
        Err(error) => return Err(error.to_string()),
    }
    let deadline = tokio::time::Instant::now() + parts.settings.retry.budget;
    let delivery = deliver(
        spool,
        parts.transport.as_ref(),
        &parts.settings.retry,
        &parts.clock,
        &entry,
        deadline,
        false,
    )
    .await;
    Ok(match delivery {
        Delivery::Delivered => Handed::Delivered,
        _ => Handed::Pending,
    })
}
