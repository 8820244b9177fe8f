//! What a reminder run owes one account on one day: the reminder whose day has come (the one closest to
//! the end date when several have, the others passed over; late when its day was before today), the
//! removal notice on the end date, the desk's notice of an order left unconfirmed, or deleting a record
//! past its retention. Pure, so a simulated year can check it day by day.

use guidepost_forms::{Date, ReminderStep};

use super::record::{Account, State};

/// What is due for an account today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// Send this reminder (the external person too when `step.external` and an address is known).
    Reminder {
        /// The step.
        step: ReminderStep,
        /// Its day was before today.
        late: bool,
        /// Earlier steps not yet sent whose day has also come: recorded as passed over.
        superseded: Vec<u32>,
    },
    /// The end date has come with no extension: tell the desk to remove the account.
    Removal,
    /// The order has waited for the desk's confirmation too long: tell the desk, once.
    Unconfirmed,
    /// The record is closed and past its retention: delete it.
    Delete,
}

/// The day `days` before `date`.
pub fn days_before(date: Date, days: u32) -> Date {
    date.checked_sub(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(date)
}

/// What `account` is owed on `today` (`now` in Unix seconds for the retention), if anything.
pub fn due(
    account: &Account,
    schedule: &[ReminderStep],
    today: Date,
    now: i64,
    unconfirmed_after_days: u32,
) -> Option<Due> {
    match account.state {
        State::Ended | State::Removed => account
            .delete_after
            .filter(|after| *after <= now)
            .map(|_| Due::Delete),
        State::Ordered => {
            let waited = account.ordered_on.until(today).ok()?.get_days();
            (!account.unconfirmed_reported
                && i64::from(waited) >= i64::from(unconfirmed_after_days))
            .then_some(Due::Unconfirmed)
        }
        State::Active if today >= account.end_date => {
            account.removal_sent.is_none().then_some(Due::Removal)
        }
        State::Active => {
            let from = account.reminders_from.unwrap_or(account.ordered_on);
            let mut open: Vec<(ReminderStep, Date)> = schedule
                .iter()
                .map(|step| (*step, days_before(account.end_date, step.days_before)))
                .filter(|(step, day)| {
                    *day <= today && *day >= from && !account.has_reminder(step.days_before)
                })
                .collect();
            open.sort_by_key(|(step, _)| step.days_before);
            let (step, day) = *open.first()?;
            Some(Due::Reminder {
                step,
                late: day < today,
                superseded: open[1..].iter().map(|(s, _)| s.days_before).collect(),
            })
        }
    }
}
