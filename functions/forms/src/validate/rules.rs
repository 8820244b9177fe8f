//! Rules across fields, run after every field is checked: required-when, allowed values and capacity
//! ranges that depend on another field, date order, must-be-yes. A field that already has an error
//! gets no rule error on top.

use super::{Answer, FieldErrors, Value, holds};
use crate::capacity::format_rate;
use crate::messages::Problem;
use crate::model::{Form, Rule};

/// The problems the form's rules find, as (field name, problem).
pub(super) fn check(
    form: &Form,
    answers: &[Answer],
    errors: &FieldErrors,
) -> Vec<(String, Problem)> {
    let value_of = |name: &str| {
        answers
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.clone())
    };
    let mut found: Vec<(String, Problem)> = Vec::new();
    for rule in &form.rules {
        if let Some((name, problem)) = check_rule(form, rule, &value_of) {
            let already = !errors.get(&name).is_empty() || found.iter().any(|(n, _)| *n == name);
            if !already {
                found.push((name, problem));
            }
        }
    }
    found
}

fn check_rule(
    form: &Form,
    rule: &Rule,
    value_of: &dyn Fn(&str) -> Option<Value>,
) -> Option<(String, Problem)> {
    let empty = |name: &str| matches!(value_of(name), None | Some(Value::Empty));
    match rule {
        Rule::RequiredWhen { field, when } => {
            if !empty(field) || !holds(when, value_of) {
                return None;
            }
            let kind = &form.field(field)?.kind;
            let problem = Problem::required_for(kind);
            Some((field.clone(), problem))
        }
        Rule::AllowedValues {
            field,
            depends_on,
            allowed,
        } => {
            let Some(Value::Choices(chosen)) = value_of(field) else {
                return None;
            };
            let Some(Value::Choices(key)) = value_of(depends_on) else {
                return None;
            };
            let key = key.first()?;
            let ok = allowed.get(key)?;
            let bad = chosen.iter().find(|c| !ok.contains(c))?;
            let target = form.field(field)?;
            let other = form.field(depends_on)?;
            let labels = ok
                .iter()
                .map(|v| target.option_label(v).to_string())
                .collect();
            let problem = Problem::NotAllowedWith(
                target.option_label(bad).to_string(),
                other.option_label(key).to_string(),
                labels,
            );
            Some((field.clone(), problem))
        }
        Rule::CapacityRange {
            field,
            depends_on,
            ranges,
        } => {
            let Some(Value::Capacity { bps, .. }) = value_of(field) else {
                return None;
            };
            let Some(Value::Choices(key)) = value_of(depends_on) else {
                return None;
            };
            let key = key.first()?;
            let range = ranges.get(key)?;
            if (range.min_bps..=range.max_bps).contains(&bps) {
                return None;
            }
            let option = form.field(depends_on)?.option_label(key).to_string();
            let (min, max) = (
                format_rate(range.min_bps, form.lang),
                format_rate(range.max_bps, form.lang),
            );
            Some((field.clone(), Problem::OutOfRange(option, min, max)))
        }
        Rule::DateOrder { start, end } => {
            let (Some(Value::Date(s)), Some(Value::Date(e))) = (value_of(start), value_of(end))
            else {
                return None;
            };
            let start_label = form.field(start)?.label.clone();
            (e <= s).then(|| (end.clone(), Problem::DateOrder(start_label)))
        }
        Rule::MustBeYes { field } => match value_of(field) {
            Some(Value::YesNo(false)) => Some((field.clone(), Problem::MustBeYes)),
            _ => None,
        },
    }
}
