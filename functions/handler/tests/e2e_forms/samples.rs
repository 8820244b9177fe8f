//! A valid sample submission for any form, built from its definition: text for text, the first option
//! (or one the form's data rules allow), later dates for later date fields, a capacity inside the allowed
//! range, well-known test identity numbers; and what the desk mail must then show.

use std::collections::BTreeMap;
use std::time::Duration;

use guidepost_forms::model::{ChoiceOption, Identifier, Rule};
use guidepost_forms::{Date, FieldKind, Form, RawInput, Value};
use guidepost_handler::Settings;
use jiff::ToSpan;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The organisation's date today for `form`.
pub fn today(settings: &Settings, form: &Form) -> Date {
    jiff::Zoned::now()
        .with_time_zone(settings.time_zones.get(form.lang).clone())
        .date()
}

/// A valid input for `form` (every field filled, the honeypot left out).
pub fn valid_input(form: &Form, today: Date) -> RawInput {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut date_fields = 0i64;
    for field in form.fields() {
        let name = field.name.clone();
        let value = match &field.kind {
            FieldKind::Text { max_chars } => truncate(&format!("Prov {name} Åsa Øye"), *max_chars),
            FieldKind::LongText { max_chars } => truncate(
                &format!("Första raden för {name} – åäö æøå.\nAndra raden."),
                *max_chars,
            ),
            FieldKind::Email => format!("{}@example.com", name.replace('_', ".")),
            FieldKind::Phone => "+46 8 123 45 67".to_owned(),
            FieldKind::Date { .. } => {
                date_fields += 1;
                today
                    .checked_add(date_fields.days())
                    .expect("a date")
                    .to_string()
            }
            FieldKind::Choice { options, .. } => {
                options.first().map(|o| o.value.clone()).unwrap_or_default()
            }
            FieldKind::YesNo => "yes".to_owned(),
            FieldKind::Capacity => {
                values.insert(format!("{name}_unit"), vec!["Mbit/s".to_owned()]);
                "100".to_owned()
            }
            FieldKind::Identifier { identifier } => identity_number(*identifier),
        };
        values.insert(name, vec![value]);
    }
    apply_data_rules(form, &mut values);
    let mut pairs = Vec::new();
    for field in form.fields() {
        for name in [field.name.clone(), format!("{}_unit", field.name)] {
            for value in values.get(&name).into_iter().flatten() {
                pairs.push((name.clone(), value.clone()));
            }
        }
    }
    RawInput(pairs)
}

fn truncate(text: &str, max_chars: u32) -> String {
    text.chars().take(max_chars as usize).collect()
}

/// Picks values that the form's `allowed_values` and `capacity_range` rules accept: for each field other
/// fields depend on, the first option every such rule lists (or else one none lists: unconstrained).
fn apply_data_rules(form: &Form, values: &mut BTreeMap<String, Vec<String>>) {
    let mut keys_by_dependency: BTreeMap<&str, Vec<Vec<&String>>> = BTreeMap::new();
    for rule in &form.rules {
        match rule {
            Rule::AllowedValues {
                depends_on,
                allowed,
                ..
            } => {
                keys_by_dependency
                    .entry(depends_on)
                    .or_default()
                    .push(allowed.keys().collect());
            }
            Rule::CapacityRange {
                depends_on, ranges, ..
            } => {
                keys_by_dependency
                    .entry(depends_on)
                    .or_default()
                    .push(ranges.keys().collect());
            }
            _ => {}
        }
    }
    for (dependency, key_sets) in &keys_by_dependency {
        let Some(FieldKind::Choice { options, .. }) = form.field(dependency).map(|f| &f.kind)
        else {
            continue;
        };
        let listed_by_all =
            |o: &&ChoiceOption| key_sets.iter().all(|keys| keys.contains(&&o.value));
        let listed_by_none =
            |o: &&ChoiceOption| key_sets.iter().all(|keys| !keys.contains(&&o.value));
        if let Some(option) = options
            .iter()
            .find(listed_by_all)
            .or_else(|| options.iter().find(listed_by_none))
        {
            values.insert((*dependency).to_owned(), vec![option.value.clone()]);
        }
    }
    for rule in &form.rules {
        match rule {
            Rule::AllowedValues {
                field,
                depends_on,
                allowed,
            } => {
                let chosen = values
                    .get(depends_on)
                    .and_then(|v| v.first())
                    .cloned()
                    .unwrap_or_default();
                if let Some(first) = allowed.get(&chosen).and_then(|list| list.first()) {
                    values.insert(field.clone(), vec![first.clone()]);
                }
            }
            Rule::CapacityRange {
                field,
                depends_on,
                ranges,
            } => {
                let chosen = values
                    .get(depends_on)
                    .and_then(|v| v.first())
                    .cloned()
                    .unwrap_or_default();
                if let Some(range) = ranges.get(&chosen) {
                    let bps = if range.min_bps > 0 {
                        range.min_bps
                    } else {
                        range.max_bps
                    };
                    values.insert(field.clone(), vec![(bps / 1000).to_string()]);
                    values.insert(format!("{field}_unit"), vec!["kbit/s".to_owned()]);
                }
            }
            _ => {}
        }
    }
}

/// Test numbers (Skatteverket's Tolvan), a Norwegian number outside the real 8/9 series, or computed controls.
fn identity_number(identifier: Identifier) -> String {
    match identifier {
        Identifier::Personnummer => "19121212-1212".to_owned(),
        Identifier::Organisationsnummer => "556036-0793".to_owned(),
        Identifier::HsaId => "SE2321000016-1234".to_owned(),
        Identifier::Fodselsnummer => with_mod11_controls("010190123"),
        Identifier::FhNumber => with_mod11_controls("812345678"),
        // A 3-series number: real organisasjonsnumre start with 8 or 9.
        Identifier::Organisasjonsnummer => "312345609".to_owned(),
    }
}

/// Nine digits → eleven with both mod-11 control digits; steps the last digit until both exist.
fn with_mod11_controls(nine: &str) -> String {
    const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let control = |digits: &[u32], weights: &[u32]| {
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            c => Some(c),
        }
    };
    let mut digits: Vec<u32> = nine.chars().filter_map(|c| c.to_digit(10)).collect();
    for _ in 0..10 {
        if let Some(k1) = control(&digits, &K1) {
            let mut ten = digits.clone();
            ten.push(k1);
            if let Some(k2) = control(&ten, &K2) {
                ten.push(k2);
                return ten
                    .iter()
                    .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                    .collect();
            }
        }
        digits[8] = (digits[8] + 1) % 10;
    }
    panic!("no control digits for {nine}")
}

/// Something the desk mail must show for one field.
pub struct Shown {
    pub field: String,
    pub text: String,
}

impl Shown {
    /// Every line of the value appears in `body`.
    pub fn found_in(&self, body: &str) -> bool {
        self.text.lines().all(|line| body.contains(line.trim()))
    }
}

/// Every answered field as the desk mail shows it (option labels, Ja/Nej, normalised numbers).
pub fn shown_values(form: &Form, input: &RawInput) -> Vec<Shown> {
    let today = jiff::Zoned::now().date();
    let submission = form
        .validate(input, today)
        .unwrap_or_else(|e| panic!("{}: {:?}", form.id, e.0));
    submission
        .answers()
        .iter()
        .filter(|a| a.value != Value::Empty)
        .map(|answer| {
            let field = form.field(&answer.name).expect("answered field exists");
            Shown {
                field: answer.name.clone(),
                text: answer.value.display(field, form.lang, false),
            }
        })
        .collect()
}

/// The submitter's address in `input`, if the form has one.
pub fn submitter(form: &Form, input: &RawInput) -> Option<String> {
    let name = form.submitter_email.as_ref()?;
    input
        .0
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The normalised personal identity numbers in `input` (which a receipt must mask).
pub fn personal_ids(form: &Form, input: &RawInput) -> Vec<String> {
    let Ok(submission) = form.validate(input, jiff::Zoned::now().date()) else {
        return Vec::new();
    };
    submission
        .answers()
        .iter()
        .filter_map(|a| match &a.value {
            Value::Identifier {
                normalised,
                masked: Some(_),
            } => Some(normalised.clone()),
            _ => None,
        })
        .collect()
}

/// Why a sample was refused: the validator's own errors, for the failure message.
pub fn explain(form: &Form, input: &RawInput, today: Date, body: &str) -> String {
    let errors = match form.validate(input, today) {
        Ok(_) => "the validator accepts it".to_owned(),
        Err(errors) => serde_json::to_string_pretty(&errors).unwrap_or_default(),
    };
    format!(
        "input: {:?}\nerrors: {errors}\nbody: {}",
        input.0,
        body.chars().take(2000).collect::<String>()
    )
}

/// Sends `request` to `addr` once it accepts connections (30 s at most); `None` if it never does.
pub async fn http_when_up(addr: &str, request: &str) -> Option<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
            stream.write_all(request.as_bytes()).await.ok()?;
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.ok()?;
            return Some(answer);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}
