//! One raw field → a checked [`Field`]: the name, the type and the keys that apply to it, options and
//! limits read from data files.

use serde_saphyr::{Location, Spanned};

use super::context::{Ctx, HONEYPOT};
use crate::html::FILL_TIME_FIELD;

use super::data::DataValue;
use super::raw::{RawCell, RawField, RawOptionsFrom, RawType};
use crate::model::{ChoiceOption, ChoiceStyle, Field, FieldKind, Identifier, Span, SpanUnit};

/// The limit of a one-line text field that sets none.
const DEFAULT_TEXT_MAX: u32 = 200;

/// Checks a field; `None` (with problems recorded) when it cannot be used.
pub(crate) fn check_field(raw: RawField, cx: &mut Ctx<'_>) -> Option<Field> {
    let name = raw.name.value.clone();
    let valid = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        cx.err(
            raw.name.referenced,
            format!("field name `{name}` may use only a-z, 0-9 and _, starting with a letter"),
        );
    } else if name == HONEYPOT {
        cx.err(
            raw.name.referenced,
            format!("field name `{name}` is reserved for the hidden spam trap"),
        );
    } else if name == FILL_TIME_FIELD {
        cx.err(
            raw.name.referenced,
            format!("field name `{name}` is reserved for the time-to-fill check"),
        );
    }
    check_keys_apply(&raw, cx);
    let kind = kind_of(&raw, cx)?;
    let autocomplete = raw
        .autocomplete
        .map(|a| a.value)
        .or_else(|| default_autocomplete(&kind));
    Some(Field {
        name,
        label: raw.label.trim().to_string(),
        hint: raw.hint.map(|h| h.trim().to_string()),
        required: !raw.optional,
        autocomplete,
        error: raw
            .error
            .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|e| !e.is_empty()),
        kind,
    })
}

/// The YAML name of a type, for messages.
pub(crate) fn type_name(t: RawType) -> &'static str {
    match t {
        RawType::Text => "text",
        RawType::LongText => "long_text",
        RawType::Email => "email",
        RawType::Phone => "phone",
        RawType::Date => "date",
        RawType::Choice => "choice",
        RawType::YesNo => "yes_no",
        RawType::Capacity => "capacity",
        RawType::Personnummer => "personnummer",
        RawType::Organisationsnummer => "organisationsnummer",
        RawType::HsaId => "hsa_id",
        RawType::Fodselsnummer => "fodselsnummer",
        RawType::FhNumber => "fh_number",
        RawType::Organisasjonsnummer => "organisasjonsnummer",
    }
}

/// Refuses keys that mean nothing for the field's type (`options` on a text field…).
fn check_keys_apply(raw: &RawField, cx: &mut Ctx<'_>) {
    let t = raw.kind.value;
    let present: [(&str, Option<Location>, bool); 7] = [
        (
            "max_chars",
            raw.max_chars.as_ref().map(|s| s.referenced),
            matches!(t, RawType::Text | RawType::LongText),
        ),
        (
            "max_chars_from",
            raw.max_chars_from.as_ref().map(|s| s.referenced),
            t == RawType::LongText,
        ),
        (
            "style",
            raw.style.as_ref().map(|s| s.referenced),
            t == RawType::Choice,
        ),
        (
            "options",
            raw.options.as_ref().map(|s| s.referenced),
            t == RawType::Choice,
        ),
        (
            "options_from",
            raw.options_from.as_ref().map(|s| s.referenced),
            t == RawType::Choice,
        ),
        (
            "not_in_past",
            raw.not_in_past.as_ref().map(|s| s.referenced),
            t == RawType::Date,
        ),
        (
            "max_ahead",
            raw.max_ahead.as_ref().map(|s| s.referenced),
            t == RawType::Date,
        ),
    ];
    for (key, location, applies) in present {
        if let (Some(location), false) = (location, applies) {
            cx.err(
                location,
                format!(
                    "key `{key}` does not apply to a field of type `{}`",
                    type_name(t)
                ),
            );
        }
    }
}

/// The field's type with its settings.
fn kind_of(raw: &RawField, cx: &mut Ctx<'_>) -> Option<FieldKind> {
    let identifier = |identifier| Some(FieldKind::Identifier { identifier });
    match raw.kind.value {
        RawType::Text => Some(FieldKind::Text {
            max_chars: raw.max_chars.as_ref().map_or(DEFAULT_TEXT_MAX, |m| m.value),
        }),
        RawType::LongText => long_text(raw, cx),
        RawType::Email => Some(FieldKind::Email),
        RawType::Phone => Some(FieldKind::Phone),
        RawType::Date => Some(FieldKind::Date {
            not_in_past: raw.not_in_past.as_ref().is_some_and(|b| b.value),
            max_ahead: match &raw.max_ahead {
                Some(text) => Some(parse_span(text, cx)?),
                None => None,
            },
        }),
        RawType::Choice => choice(raw, cx),
        RawType::YesNo => Some(FieldKind::YesNo),
        RawType::Capacity => Some(FieldKind::Capacity),
        RawType::Personnummer => identifier(Identifier::Personnummer),
        RawType::Organisationsnummer => identifier(Identifier::Organisationsnummer),
        RawType::HsaId => identifier(Identifier::HsaId),
        RawType::Fodselsnummer => identifier(Identifier::Fodselsnummer),
        RawType::FhNumber => identifier(Identifier::FhNumber),
        RawType::Organisasjonsnummer => identifier(Identifier::Organisasjonsnummer),
    }
}

fn default_autocomplete(kind: &FieldKind) -> Option<String> {
    match kind {
        FieldKind::Email => Some("email".into()),
        FieldKind::Phone => Some("tel".into()),
        _ => None,
    }
}

/// A long text needs exactly one of `max_chars` and `max_chars_from`.
fn long_text(raw: &RawField, cx: &mut Ctx<'_>) -> Option<FieldKind> {
    match (&raw.max_chars, &raw.max_chars_from) {
        (Some(max), None) => Some(FieldKind::LongText {
            max_chars: max.value,
        }),
        (None, Some(cell)) => Some(FieldKind::LongText {
            max_chars: read_limit(cell, cx)?,
        }),
        (Some(max), Some(_)) => {
            cx.err(
                max.referenced,
                "give either `max_chars` or `max_chars_from`, not both",
            );
            None
        }
        (None, None) => {
            cx.err(
                raw.kind.referenced,
                "a `long_text` field needs `max_chars` or `max_chars_from`",
            );
            None
        }
    }
}

/// A character limit read from one cell of a data file.
fn read_limit(cell: &Spanned<RawCell>, cx: &mut Ctx<'_>) -> Option<u32> {
    let RawCell { data, row, column } = &cell.value;
    let file = cx.data_file(data)?;
    let Some(found) = file.row(&row.value) else {
        let message = format!("no row `{}` in {}", row.value, file.path.display());
        cx.err(row.referenced, message);
        return None;
    };
    match found.cells.get(&column.value) {
        Some(DataValue::Number(n))
            if *n >= 1.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX) =>
        {
            Some(*n as u32)
        }
        Some(_) => {
            let message = format!(
                "column `{}` of row `{}` is not a whole number",
                column.value, row.value
            );
            cx.err(column.referenced, message);
            None
        }
        None => {
            let message = format!(
                "no column `{}` in row `{}` of {}",
                column.value,
                row.value,
                file.path.display()
            );
            cx.err(column.referenced, message);
            None
        }
    }
}

/// A choice: `style` (default radio) and exactly one of `options` and `options_from`.
fn choice(raw: &RawField, cx: &mut Ctx<'_>) -> Option<FieldKind> {
    let style = raw.style.as_ref().map_or(ChoiceStyle::Radio, |s| s.value);
    let options = match (&raw.options, &raw.options_from) {
        (Some(list), None) => list
            .value
            .iter()
            .map(|o| ChoiceOption {
                value: o.value.clone(),
                label: o.label.trim().to_string(),
            })
            .collect(),
        (None, Some(from)) => options_from(from, cx)?,
        (Some(list), Some(_)) => {
            cx.err(
                list.referenced,
                "give either `options` or `options_from`, not both",
            );
            return None;
        }
        (None, None) => {
            cx.err(
                raw.kind.referenced,
                "a `choice` field needs `options` or `options_from`",
            );
            return None;
        }
    };
    let location = raw
        .options
        .as_ref()
        .map_or(raw.kind.referenced, |o| o.referenced);
    let mut values: Vec<&str> = options
        .iter()
        .map(|o: &ChoiceOption| o.value.as_str())
        .collect();
    values.sort_unstable();
    if values.is_empty() {
        cx.err(location, "a `choice` field needs at least one option");
    } else if let Some(w) = values.windows(2).find(|w| w[0] == w[1]) {
        cx.err(location, format!("option value `{}` appears twice", w[0]));
    }
    Some(FieldKind::Choice { style, options })
}

/// Options from the rows of a data file: value from the key column, label from `label`.
fn options_from(from: &Spanned<RawOptionsFrom>, cx: &mut Ctx<'_>) -> Option<Vec<ChoiceOption>> {
    let RawOptionsFrom { data, label } = &from.value;
    let file = cx.data_file(data)?;
    if !file.columns.contains(&label.value) {
        let message = format!(
            "no column `{}` in {} (columns: {})",
            label.value,
            file.path.display(),
            file.columns.join(", ")
        );
        cx.err(label.referenced, message);
        return None;
    }
    let key = file.key_column.clone();
    let options = file
        .rows
        .iter()
        .filter_map(|row| {
            let value = row.cells.get(&key)?.as_text();
            let text = row
                .cells
                .get(&label.value)
                .map_or_else(|| value.clone(), DataValue::as_text);
            Some(ChoiceOption { value, label: text })
        })
        .collect();
    Some(options)
}

/// Reads `2 years`, `6 months`, `30 days` (singular too).
fn parse_span(text: &Spanned<String>, cx: &mut Ctx<'_>) -> Option<Span> {
    let mut words = text.value.split_whitespace();
    let amount = words.next().and_then(|n| n.parse::<u16>().ok());
    let unit = match words.next().map(|u| u.trim_end_matches('s')) {
        Some("day") => Some(SpanUnit::Days),
        Some("month") => Some(SpanUnit::Months),
        Some("year") => Some(SpanUnit::Years),
        _ => None,
    };
    match (amount, unit, words.next()) {
        (Some(amount), Some(unit), None) => Some(Span { amount, unit }),
        _ => {
            let message = format!(
                "`{}` is not a span like `2 years`, `6 months` or `30 days`",
                text.value
            );
            cx.err(text.referenced, message);
            None
        }
    }
}
