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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::record::NewAccount;

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    fn account() -> Account {
        Account {
            state: State::Active,
            generation: 1,
            reminders_from: Some(date("2027-01-01")),
            ..Account::ordered(NewAccount {
                id: "GP-A".into(),
                form: "f".into(),
                lang: guidepost_forms::Lang::Sv,
                desk: "accounts".into(),
                person_name: "Ada".into(),
                contact_email: "kim@region.example".into(),
                external_email: None,
                end_date: date("2027-06-30"),
                ordered_on: date("2027-01-01"),
            })
        }
    }

    const SCHEDULE: [ReminderStep; 3] = [
        ReminderStep {
            days_before: 90,
            external: false,
        },
        ReminderStep {
            days_before: 30,
            external: false,
        },
        ReminderStep {
            days_before: 7,
            external: true,
        },
    ];

    #[test]
    fn the_reminder_closest_to_the_end_wins_and_the_passed_ones_are_recorded_as_passed_over() {
        let on_time = due(&account(), &SCHEDULE, date("2027-04-01"), 0, 7);
        assert_eq!(
            on_time,
            Some(Due::Reminder {
                step: SCHEDULE[0],
                late: false,
                superseded: vec![]
            })
        );
        assert_eq!(
            due(&account(), &SCHEDULE, date("2027-03-31"), 0, 7),
            None,
            "nothing before its day"
        );
        let behind = due(&account(), &SCHEDULE, date("2027-06-25"), 0, 7);
        assert_eq!(
            behind,
            Some(Due::Reminder {
                step: SCHEDULE[2],
                late: true,
                superseded: vec![30, 90]
            })
        );
        let mut confirmed_late = account();
        confirmed_late.reminders_from = Some(date("2027-06-01"));
        assert_eq!(
            due(&confirmed_late, &SCHEDULE, date("2027-06-02"), 0, 7),
            None,
            "a day before the confirmation is not owed"
        );
    }

    #[test]
    fn the_end_date_brings_one_removal_an_old_order_one_notice_and_a_closed_record_its_deletion() {
        assert_eq!(
            due(&account(), &SCHEDULE, date("2027-06-30"), 0, 7),
            Some(Due::Removal)
        );
        let mut told = account();
        told.removal_sent = Some(date("2027-06-30"));
        assert_eq!(due(&told, &SCHEDULE, date("2027-07-01"), 0, 7), None);
        let mut ordered = account();
        ordered.state = State::Ordered;
        assert_eq!(due(&ordered, &SCHEDULE, date("2027-01-07"), 0, 7), None);
        assert_eq!(
            due(&ordered, &SCHEDULE, date("2027-01-08"), 0, 7),
            Some(Due::Unconfirmed)
        );
        ordered.unconfirmed_reported = true;
        assert_eq!(due(&ordered, &SCHEDULE, date("2027-01-09"), 0, 7), None);
        let mut closed = account();
        closed.close(State::Ended, date("2027-02-01"), 90);
        let after = closed.delete_after.expect("set");
        assert_eq!(
            due(&closed, &SCHEDULE, date("2027-05-01"), after - 1, 7),
            None
        );
        assert_eq!(
            due(&closed, &SCHEDULE, date("2027-05-02"), after, 7),
            Some(Due::Delete)
        );
    }
}
