//! Shared helpers for the integration tests: the real and fixture form sets, input builders, and a
//! valid answer for every field type.

#![allow(dead_code)]

use std::path::Path;

use guidepost_forms::model::{ChoiceStyle, Identifier};
use guidepost_forms::{Date, FieldKind, Form, FormSet, RawInput, load_forms};

/// The fixed "today" of every test.
pub fn today() -> Date {
    Date::constant(2026, 11, 22)
}

/// The forms in the repository's content/forms.
pub fn real_forms() -> FormSet {
    load_forms(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"))
        .expect("real forms load")
}

/// The forms in tests/fixtures/content.
pub fn fixture_forms() -> FormSet {
    load_forms(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content"))
        .expect("fixtures load")
}

/// Input from (name, value) pairs.
pub fn input(pairs: &[(&str, &str)]) -> RawInput {
    RawInput(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// A valid answer for every field of `form` (optional ones too), with `overrides` replacing or adding
/// pairs by name.
pub fn valid_input(form: &Form, overrides: &[(&str, &str)]) -> RawInput {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for field in form.fields() {
        if matches!(field.kind, FieldKind::Capacity) {
            pairs.push((format!("{}_unit", field.name), "Mbit/s".into()));
        }
        if overrides.iter().any(|(k, _)| *k == field.name) {
            continue;
        }
        let value = match &field.kind {
            FieldKind::Text { .. } | FieldKind::LongText { .. } => "Exempel".to_string(),
            FieldKind::Email => "anna@example.se".into(),
            FieldKind::Phone => "08-123 456 78".into(),
            FieldKind::Date { .. } if field.name.contains("end") => "2027-06-30".into(),
            FieldKind::Date { .. } => "2027-01-15".into(),
            FieldKind::Choice {
                style: ChoiceStyle::Checkboxes,
                options,
            } => options[0].value.clone(),
            FieldKind::Choice { options, .. } => options[0].value.clone(),
            FieldKind::YesNo => "yes".into(),
            FieldKind::Capacity => "10".into(),
            FieldKind::Identifier { identifier } => match identifier {
                Identifier::Personnummer => "811218-9876".into(),
                Identifier::Organisationsnummer => "556036-0793".into(),
                Identifier::HsaId => "SE2321000016-1234".into(),
                Identifier::Fodselsnummer => "01019012480".into(),
                Identifier::FhNumber => "80000000098".into(),
                Identifier::Organisasjonsnummer => "974760673".into(),
            },
        };
        pairs.push((field.name.clone(), value));
    }
    for (k, v) in overrides {
        pairs.retain(|(name, _)| name != k);
        pairs.push((k.to_string(), v.to_string()));
    }
    RawInput(pairs)
}
