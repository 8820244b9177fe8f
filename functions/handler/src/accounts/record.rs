//! One external account as the register keeps it, and what may happen to it: confirmed by the desk,
//! an extension or ending requested and confirmed, reminders and the removal notice recorded as sent.
//! It holds what the reminders need and nothing more (no identity number). Pure: no I/O, no clock.

use guidepost_forms::{Date, Lang};
use serde::{Deserialize, Serialize};

/// Where an account is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Ordered; the desk has not confirmed it is set up. No reminders yet.
    Ordered,
    /// Set up; reminders go out before the end date.
    Active,
    /// Ended on request (the desk confirmed the ending).
    Ended,
    /// Its end date came with no extension: the desk was told to remove it.
    Removed,
}

/// A requested change, waiting for the desk (or done).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The reference of the request (its desk mail's reference).
    pub reference: String,
    /// What is asked for.
    pub kind: ChangeKind,
    /// The desk confirmed it.
    pub confirmed: bool,
}

/// What a change asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new end date.
    Extend {
        /// The end date asked for.
        end_date: Date,
    },
    /// End the account now.
    End,
}

/// A reminder as sent (or passed over because a later one was due by then).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentReminder {
    /// Days before the end date.
    pub days_before: u32,
    /// The end date it was about (an extension starts the reminders again).
    pub end_date: Date,
    /// The day it went out.
    pub on: Date,
    /// It went out after its day (a run was missed).
    pub late: bool,
    /// Not sent: a reminder closer to the end date was due by the time this one was.
    #[serde(default)]
    pub superseded: bool,
}

/// One account in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The reference of the order that created it.
    pub id: String,
    /// The form it was ordered with.
    pub form: String,
    /// The form's language: every mail about the account uses it.
    pub lang: Lang,
    /// The desk the order went to: the register's notices go there too.
    pub desk: String,
    /// The person's name as the orderer wrote it.
    pub person_name: String,
    /// The contact person's address.
    pub contact_email: String,
    /// The external person's own address, if the order gave one.
    pub external_email: Option<String>,
    /// The last day the account is valid.
    pub end_date: Date,
    /// Where it is in its life.
    pub state: State,
    /// The day it was ordered (the organisation's date).
    pub ordered_on: Date,
    /// One more each time a link about it is used, so that no link works twice.
    pub generation: u32,
    /// Reminders count from this day (the confirmation, or the last confirmed extension): one whose
    /// day came before it is not sent.
    pub reminders_from: Option<Date>,
    /// Reminders sent (and passed over).
    pub reminders: Vec<SentReminder>,
    /// Changes requested by link.
    pub changes: Vec<Change>,
    /// The desk was told once that the order is still unconfirmed.
    pub unconfirmed_reported: bool,
    /// The day the removal notice went to the desk.
    pub removal_sent: Option<Date>,
    /// The day it was ended or removed.
    pub closed_on: Option<Date>,
    /// When the record may be deleted (Unix seconds), set when it is closed.
    pub delete_after: Option<i64>,
}

/// Why a confirmation or request by link is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The link was used already (or a newer one replaced it).
    Used,
    /// The account is ended or removed.
    Closed,
    /// There is no such change.
    Unknown,
}

/// What an accepted order says about a new account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// The order's reference.
    pub id: String,
    /// The form.
    pub form: String,
    /// The form's language.
    pub lang: Lang,
    /// The desk the order went to.
    pub desk: String,
    /// The person's name as written.
    pub person_name: String,
    /// The contact person's address.
    pub contact_email: String,
    /// The external person's address, if given.
    pub external_email: Option<String>,
    /// The last day asked for.
    pub end_date: Date,
    /// The day of the order.
    pub ordered_on: Date,
}

impl Account {
    /// A new account, as ordered: waiting for the desk's confirmation, nothing sent yet.
    pub fn ordered(new: NewAccount) -> Account {
        Account {
            id: new.id,
            form: new.form,
            lang: new.lang,
            desk: new.desk,
            person_name: new.person_name,
            contact_email: new.contact_email,
            external_email: new.external_email,
            end_date: new.end_date,
            state: State::Ordered,
            ordered_on: new.ordered_on,
            generation: 0,
            reminders_from: None,
            reminders: Vec::new(),
            changes: Vec::new(),
            unconfirmed_reported: false,
            removal_sent: None,
            closed_on: None,
            delete_after: None,
        }
    }

    /// Whether the account is still open (ordered or active).
    pub fn is_open(&self) -> bool {
        matches!(self.state, State::Ordered | State::Active)
    }

    /// When a store may delete the record by itself.
    pub fn expires_at(&self) -> Option<i64> {
        self.delete_after
    }

    /// The desk confirms the account is set up, with the end date it was given (which may differ from
    /// the one ordered).
    pub fn confirm_new(
        &mut self,
        generation: u32,
        end_date: Date,
        today: Date,
    ) -> Result<(), Refusal> {
        match self.state {
            State::Ordered if generation == self.generation => {
                self.state = State::Active;
                self.end_date = end_date;
                self.reminders_from = Some(today);
                self.generation += 1;
                Ok(())
            }
            State::Ordered | State::Active => Err(Refusal::Used),
            State::Ended | State::Removed => Err(Refusal::Closed),
        }
    }

    /// A request by link (from a reminder): recorded as a change waiting for the desk.
    pub fn request(&mut self, generation: u32, change: Change) -> Result<(), Refusal> {
        if !self.is_open() {
            return Err(Refusal::Closed);
        }
        if generation != self.generation {
            return Err(Refusal::Used);
        }
        self.generation += 1;
        self.changes.push(change);
        Ok(())
    }

    /// The desk confirms the change `reference` (for an extension, with the end date it set).
    pub fn confirm_change(
        &mut self,
        reference: &str,
        end_date: Option<Date>,
        today: Date,
        retention_days: i64,
    ) -> Result<ChangeKind, Refusal> {
        if !self.is_open() {
            return Err(Refusal::Closed);
        }
        let change = self
            .changes
            .iter_mut()
            .find(|c| c.reference == reference)
            .ok_or(Refusal::Unknown)?;
        if change.confirmed {
            return Err(Refusal::Used);
        }
        change.confirmed = true;
        let kind = change.kind.clone();
        match &kind {
            ChangeKind::Extend { end_date: asked } => {
                self.end_date = end_date.unwrap_or(*asked);
                self.reminders_from = Some(today);
                self.state = State::Active;
                self.removal_sent = None;
            }
            ChangeKind::End => self.close(State::Ended, today, retention_days),
        }
        self.generation += 1;
        Ok(kind)
    }

    /// Closes the record: no more mail about it, deleted after the retention period.
    pub fn close(&mut self, state: State, today: Date, retention_days: i64) {
        self.state = state;
        self.closed_on = Some(today);
        let delete_on = today
            .checked_add(jiff::Span::new().days(retention_days))
            .unwrap_or(today);
        self.delete_after = delete_on
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second());
    }

    /// Whether the reminder `days_before` for the current end date was sent or passed over.
    pub fn has_reminder(&self, days_before: u32) -> bool {
        self.reminders
            .iter()
            .any(|r| r.days_before == days_before && r.end_date == self.end_date)
    }
}
