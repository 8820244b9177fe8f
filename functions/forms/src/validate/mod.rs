//! Validation: what the client sent ([`RawInput`]) → a checked [`Submission`] in form order, or every
//! problem at once as [`FieldErrors`] in the form's language. Routing reads the submission.

mod email;
mod field;
mod rules;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::messages::{Problem, field_message, message};
use crate::model::{Condition, Date, Field, Form, Lang};
use crate::strings;

/// What the client sent, in order, as (name, value) pairs. Multi-choice fields repeat their name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawInput(pub Vec<(String, String)>);

impl RawInput {
    /// Every value sent under `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The single value sent under `name`; `Err` when it was sent more than once.
    pub fn one<'a>(&'a self, name: &'a str) -> Result<Option<&'a str>, Problem> {
        let mut values = self.all(name);
        let first = values.next();
        match values.next() {
            Some(_) => Err(Problem::SentTwice),
            None => Ok(first),
        }
    }
}

/// Messages per field name: JSON `{"field": ["message", ...]}`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    /// No errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages for a field.
    pub fn get(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    fn push(&mut self, name: &str, text: String) {
        self.0.entry(name.to_string()).or_default().push(text);
    }
}

/// A checked, normalised answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Not answered.
    Empty,
    /// Text, e-mail, phone: trimmed; line breaks as `\n`.
    Text(String),
    /// The chosen option values (one for radios and selects).
    Choices(Vec<String>),
    /// A date.
    Date(Date),
    /// Yes (true) or no.
    YesNo(bool),
    /// A capacity: bit/s, and as shown (`2,5 Mbit/s`).
    Capacity {
        /// bit/s.
        bps: u64,
        /// The number and unit, written in the form's language.
        text: String,
    },
    /// An identity or organisation number, normalised; `masked` set for personal numbers.
    Identifier {
        /// The normalised number.
        normalised: String,
        /// The masked form for receipts (personal numbers only).
        masked: Option<String>,
    },
}

impl Value {
    /// The values a condition compares with.
    pub fn as_strings(&self) -> Vec<String> {
        match self {
            Value::Empty => Vec::new(),
            Value::Text(t) => vec![t.clone()],
            Value::Choices(c) => c.clone(),
            Value::Date(d) => vec![d.to_string()],
            Value::YesNo(b) => vec![if *b { "yes" } else { "no" }.to_string()],
            Value::Capacity { text, .. } => vec![text.clone()],
            Value::Identifier { normalised, .. } => vec![normalised.clone()],
        }
    }

    /// The answer as shown in e-mails: option labels, Ja/Nej, `(inte ifyllt)`…; `masked` hides
    /// personal numbers.
    pub fn display(&self, field: &Field, lang: Lang, masked: bool) -> String {
        match self {
            Value::Empty => strings::not_answered(lang).to_string(),
            Value::Text(t) => t.clone(),
            Value::Choices(c) => c
                .iter()
                .map(|v| field.option_label(v))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Date(d) => d.to_string(),
            Value::YesNo(b) => if *b {
                strings::yes(lang)
            } else {
                strings::no(lang)
            }
            .to_string(),
            Value::Capacity { text, .. } => text.clone(),
            Value::Identifier {
                normalised,
                masked: hidden,
            } => match (masked, hidden) {
                (true, Some(hidden)) => hidden.clone(),
                _ => normalised.clone(),
            },
        }
    }
}

/// One field's answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Answer {
    /// The field name.
    pub name: String,
    /// The answer.
    pub value: Value,
}

/// Checked, normalised values in form order (every field, `Empty` where unanswered).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Submission {
    form_id: String,
    answers: Vec<Answer>,
    submitter_email: Option<String>,
}

impl Submission {
    /// The submitter's e-mail address, when the form has a field for it and it was filled in.
    pub fn submitter_email(&self) -> Option<&str> {
        self.submitter_email.as_deref()
    }

    /// The form's id.
    pub fn form_id(&self) -> &str {
        &self.form_id
    }

    /// Every answer in form order.
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    /// The answer to `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.answers
            .iter()
            .find(|a| a.name == name)
            .map(|a| &a.value)
    }
}

/// Whether a condition holds: the field has a value (or, with `equals`, that value among its values).
pub(crate) fn holds(condition: &Condition, value_of: impl Fn(&str) -> Option<Value>) -> bool {
    let values = value_of(&condition.field)
        .map(|v| v.as_strings())
        .unwrap_or_default();
    match &condition.equals {
        Some(wanted) => values.iter().any(|v| v == wanted),
        None => !values.is_empty(),
    }
}

impl Form {
    /// Every field checked, every cross-field rule checked; all errors at once, per field, in the
    /// form's language. `today` is the date in the organisation's time zone.
    pub fn validate(&self, input: &RawInput, today: Date) -> Result<Submission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut answers = Vec::new();
        for f in self.fields() {
            match field::check(f, input, today, self.lang) {
                Ok(value) => answers.push(Answer {
                    name: f.name.clone(),
                    value,
                }),
                Err(problem) => {
                    errors.push(&f.name, field_message(&problem, f, self.lang));
                    answers.push(Answer {
                        name: f.name.clone(),
                        value: Value::Empty,
                    });
                }
            }
        }
        for (name, problem) in rules::check(self, &answers, &errors) {
            let text = match self.field(&name) {
                Some(f) => field_message(&problem, f, self.lang),
                None => message(&problem, "", self.lang),
            };
            errors.push(&name, text);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let submitter_email = self.submitter_email.as_ref().and_then(|name| {
            answers
                .iter()
                .find(|a| &a.name == name)
                .and_then(|a| match &a.value {
                    Value::Text(t) => Some(t.clone()),
                    _ => None,
                })
        });
        Ok(Submission {
            form_id: self.id.clone(),
            answers,
            submitter_email,
        })
    }

    /// The honeypot field's name (a filled honeypot: answer as accepted, send nothing).
    pub fn honeypot(&self) -> &str {
        &self.honeypot
    }

    /// The desk key picked by the first matching routing rule.
    pub fn route(&self, submission: &Submission) -> &str {
        let value_of = |name: &str| submission.get(name).cloned();
        self.routing
            .iter()
            .find(|r| r.when.as_ref().is_none_or(|c| holds(c, value_of)))
            .or(self.routing.last())
            .map_or("", |r| r.desk.as_str())
    }

    /// Every desk key the form's routing can name, sorted, without duplicates.
    pub fn desks(&self) -> Vec<&str> {
        let mut desks: Vec<&str> = self.routing.iter().map(|r| r.desk.as_str()).collect();
        desks.sort_unstable();
        desks.dedup();
        desks
    }
}
