//! One field's raw value(s) → a normalised [`Value`] or the [`Problem`] with it.

use jiff::ToSpan;

use super::text::{clean_text, is_hidden, looks_empty};
use super::{RawInput, Value};
use crate::capacity::{RateUnit, format_rate, to_bps};
use crate::identifiers::{no, se};
use crate::messages::Problem;
use crate::model::{ChoiceStyle, Date, Field, FieldKind, Identifier, Lang, Span, SpanUnit};

/// Checks one field.
pub(super) fn check(
    field: &Field,
    input: &RawInput,
    today: Date,
    lang: Lang,
) -> Result<Value, Problem> {
    if let FieldKind::Choice {
        style: ChoiceStyle::Checkboxes,
        options,
    } = &field.kind
    {
        return checkboxes(field, input, options);
    }
    let raw = input.one(&field.name)?.unwrap_or("");
    let raw = if looks_empty(raw) { "" } else { raw };
    if let Some(c) = raw.chars().find(|&c| is_hidden(c)) {
        return Err(Problem::HiddenCharacter(c));
    }
    let text = clean_text(raw, matches!(field.kind, FieldKind::LongText { .. }));
    if text.is_empty() && !matches!(field.kind, FieldKind::Capacity) {
        return if field.required {
            Err(Problem::required_for(&field.kind))
        } else {
            Ok(Value::Empty)
        };
    }
    match &field.kind {
        FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
            let got = text.chars().count();
            if got > *max_chars as usize {
                return Err(Problem::TooLong {
                    max: *max_chars,
                    got,
                });
            }
            Ok(Value::Text(text))
        }
        FieldKind::Email => super::email::email(&text).map(Value::Text),
        FieldKind::Phone => phone(text),
        FieldKind::Date {
            not_in_past,
            max_ahead,
        } => date(&text, *not_in_past, *max_ahead, today),
        FieldKind::Choice { options, .. } => match options.iter().any(|o| o.value == text) {
            true => Ok(Value::Choices(vec![text])),
            false => Err(Problem::NotAnOption),
        },
        FieldKind::YesNo => match text.as_str() {
            "yes" => Ok(Value::YesNo(true)),
            "no" => Ok(Value::YesNo(false)),
            _ => Err(Problem::NotAnOption),
        },
        FieldKind::Capacity => capacity(field, &text, input, lang),
        FieldKind::Identifier { identifier } => identifier_value(*identifier, &text, today),
    }
}

fn checkboxes(
    field: &Field,
    input: &RawInput,
    options: &[crate::model::ChoiceOption],
) -> Result<Value, Problem> {
    let mut chosen: Vec<String> = Vec::new();
    for value in input
        .all(&field.name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        if !options.iter().any(|o| o.value == value) {
            return Err(Problem::NotAnOption);
        }
        if !chosen.iter().any(|c| c == value) {
            chosen.push(value.to_string());
        }
    }
    // Form order, whatever order the browser sent them in.
    chosen.sort_by_key(|c| options.iter().position(|o| &o.value == c));
    match (chosen.is_empty(), field.required) {
        (true, true) => Err(Problem::required_for(&field.kind)),
        (true, false) => Ok(Value::Empty),
        (false, _) => Ok(Value::Choices(chosen)),
    }
}

/// Digits with spaces, hyphens, parentheses, `/` and a leading `+`; 5 to 20 digits.
fn phone(text: String) -> Result<Value, Problem> {
    let body = text.strip_prefix('+').unwrap_or(&text);
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '/'));
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if allowed && (5..=20).contains(&digits) {
        Ok(Value::Text(
            text.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    } else {
        Err(Problem::Phone)
    }
}

/// `YYYY-MM-DD` (one-digit month and day accepted), within the field's bounds.
fn date(
    text: &str,
    not_in_past: bool,
    max_ahead: Option<Span>,
    today: Date,
) -> Result<Value, Problem> {
    let parts: Vec<&str> = text.split('-').collect();
    let numeric = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(Problem::DateFormat);
    };
    if !numeric(y, 4..=4) || !numeric(m, 1..=2) || !numeric(d, 1..=2) {
        return Err(Problem::DateFormat);
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
        return Err(Problem::DateFormat);
    };
    let date = Date::new(y, m, d).map_err(|_| Problem::DateDoesNotExist)?;
    if not_in_past && date < today {
        return Err(Problem::DateInPast);
    }
    if let Some(span) = max_ahead {
        let amount = i64::from(span.amount);
        let ahead = match span.unit {
            SpanUnit::Days => amount.days(),
            SpanUnit::Months => amount.months(),
            SpanUnit::Years => amount.years(),
        };
        let latest = today.checked_add(ahead).unwrap_or(Date::MAX);
        if date > latest {
            return Err(Problem::DateTooFar(latest));
        }
    }
    Ok(Value::Date(date))
}

/// A number in `name` and a unit in `name_unit`.
fn capacity(field: &Field, number: &str, input: &RawInput, lang: Lang) -> Result<Value, Problem> {
    let unit_name = format!("{}_unit", field.name);
    let unit_text = input.one(&unit_name)?.unwrap_or("").trim();
    if number.is_empty() {
        return if field.required {
            Err(Problem::required_for(&field.kind))
        } else {
            Ok(Value::Empty)
        };
    }
    let unit = RateUnit::parse(unit_text).ok_or(Problem::Unit)?;
    let bps = to_bps(number, unit)
        .filter(|&b| b > 0)
        .ok_or(Problem::Number)?;
    Ok(Value::Capacity {
        bps,
        text: format_rate(bps, lang),
    })
}

fn identifier_value(identifier: Identifier, text: &str, today: Date) -> Result<Value, Problem> {
    let personal = |normalised: String, masked: String| Value::Identifier {
        normalised,
        masked: Some(masked),
    };
    let plain = |normalised: String| Value::Identifier {
        normalised,
        masked: None,
    };
    let value = match identifier {
        Identifier::Personnummer => se::person_id(text, today).map(|id| {
            let masked = se::mask(&id.normalised);
            personal(id.normalised, masked)
        }),
        Identifier::Organisationsnummer => se::organisationsnummer(text).map(plain),
        Identifier::HsaId => se::hsa_id(text).map(plain),
        Identifier::Fodselsnummer => no::fodselsnummer(text).map(|id| {
            let masked = no::mask(&id.normalised);
            personal(id.normalised, masked)
        }),
        Identifier::FhNumber => no::fh_number(text).map(|n| {
            let masked = no::mask(&n);
            personal(n, masked)
        }),
        Identifier::Organisasjonsnummer => no::organisasjonsnummer(text).map(plain),
    };
    value.map_err(Problem::Identifier)
}
