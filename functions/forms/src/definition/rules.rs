//! Raw rules and routing → checked [`Rule`]s and [`Route`]s: every field named must exist and have
//! the right type; allowed values and capacity ranges are read from data files here, once.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use super::DefinitionError;
use super::context::Ctx;
use super::data::{DataRow, DataTable, DataValue};
use super::raw::{RawCondition, RawRoute, RawRule};
use crate::capacity::parse_rate;
use crate::model::{Condition, Field, FieldKind, Form, Range, Route, Rule};

/// The message for a name that is no field of the form.
pub(crate) fn unknown_field(name: &str, form: &Form) -> String {
    let names: Vec<&str> = form.fields().map(|f| f.name.as_str()).collect();
    format!("unknown field `{name}` (fields: {})", names.join(", "))
}

/// The field `name` if it exists and `fits`; else records why not.
fn field_of<'f>(
    name: &Spanned<String>,
    form: &'f Form,
    cx: &mut Ctx<'_>,
    what: &str,
    fits: fn(&FieldKind) -> bool,
) -> Option<&'f Field> {
    match form.field(&name.value) {
        Some(field) if fits(&field.kind) => Some(field),
        Some(_) => {
            cx.err(
                name.referenced,
                format!("field `{}` is not a {what} field", name.value),
            );
            None
        }
        None => {
            cx.err(name.referenced, unknown_field(&name.value, form));
            None
        }
    }
}

fn any(_: &FieldKind) -> bool {
    true
}
fn is_choice(k: &FieldKind) -> bool {
    matches!(k, FieldKind::Choice { .. })
}
fn is_date(k: &FieldKind) -> bool {
    matches!(k, FieldKind::Date { .. })
}
fn is_yes_no(k: &FieldKind) -> bool {
    matches!(k, FieldKind::YesNo)
}
fn is_capacity(k: &FieldKind) -> bool {
    matches!(k, FieldKind::Capacity)
}

/// Checks one rule.
pub(crate) fn check_rule(rule: &Spanned<RawRule>, form: &Form, cx: &mut Ctx<'_>) -> Option<Rule> {
    match &rule.value {
        RawRule::RequiredWhen { field, when } => {
            let field = field_of(field, form, cx, "", any);
            let when = check_condition(when, form, cx);
            Some(Rule::RequiredWhen {
                field: field?.name.clone(),
                when: when?,
            })
        }
        RawRule::AllowedValues {
            field,
            depends_on,
            data,
            column,
        } => {
            let target = field_of(field, form, cx, "choice", is_choice);
            let key = field_of(depends_on, form, cx, "choice", is_choice);
            let file = cx.data_file(data)?;
            let (target, key) = (target?, key?);
            let allowed = allowed_values(file, column, target, cx)?;
            Some(Rule::AllowedValues {
                field: target.name.clone(),
                depends_on: key.name.clone(),
                allowed,
            })
        }
        RawRule::CapacityRange {
            field,
            depends_on,
            data,
            column,
        } => {
            let target = field_of(field, form, cx, "capacity", is_capacity);
            let key = field_of(depends_on, form, cx, "choice", is_choice);
            let file = cx.data_file(data)?;
            let (target, key) = (target?, key?);
            let ranges = ranges(file, column, cx)?;
            Some(Rule::CapacityRange {
                field: target.name.clone(),
                depends_on: key.name.clone(),
                ranges,
            })
        }
        RawRule::DateOrder { start, end } => {
            let start = field_of(start, form, cx, "date", is_date);
            let end = field_of(end, form, cx, "date", is_date);
            Some(Rule::DateOrder {
                start: start?.name.clone(),
                end: end?.name.clone(),
            })
        }
        RawRule::MustBeYes { field } => {
            let field = field_of(field, form, cx, "yes_no", is_yes_no)?;
            Some(Rule::MustBeYes {
                field: field.name.clone(),
            })
        }
    }
}

/// A condition: the field exists; a value compared with must be one the field can have.
fn check_condition(raw: &RawCondition, form: &Form, cx: &mut Ctx<'_>) -> Option<Condition> {
    let field = field_of(&raw.field, form, cx, "", any)?;
    if let Some(equals) = &raw.equals {
        let possible: Option<Vec<&str>> = match &field.kind {
            FieldKind::Choice { options, .. } => {
                Some(options.iter().map(|o| o.value.as_str()).collect())
            }
            FieldKind::YesNo => Some(vec!["yes", "no"]),
            _ => None,
        };
        if let Some(possible) = possible.filter(|p| !p.contains(&equals.value.as_str())) {
            let message = format!(
                "`{}` is not a value of field `{}` (values: {})",
                equals.value,
                field.name,
                possible.join(", ")
            );
            cx.err(equals.referenced, message);
            return None;
        }
    }
    Some(Condition {
        field: field.name.clone(),
        equals: raw.equals.as_ref().map(|e| e.value.clone()),
    })
}

/// Records a problem found in a data file, at the row.
fn data_err(cx: &mut Ctx<'_>, file: &DataTable, row: &DataRow, message: String) {
    cx.errors.push(DefinitionError {
        file: file.path.clone(),
        line: row.line,
        column: row.column,
        message,
    });
}

/// Checks that `column` exists in the data file.
fn check_column(file: &DataTable, column: &Spanned<String>, cx: &mut Ctx<'_>) -> bool {
    let found = file.columns.contains(&column.value);
    if !found {
        let message = format!(
            "no column `{}` in {} (columns: {})",
            column.value,
            file.path.display(),
            file.columns.join(", ")
        );
        cx.err(column.referenced, message);
    }
    found
}

/// Allowed values per row key, from a list (or single text) column; each must be an option of `target`.
/// A row that lacks the column gets an empty list: with that key, the field must be left empty.
fn allowed_values(
    file: &DataTable,
    column: &Spanned<String>,
    target: &Field,
    cx: &mut Ctx<'_>,
) -> Option<BTreeMap<String, Vec<String>>> {
    if !check_column(file, column, cx) {
        return None;
    }
    let mut allowed = BTreeMap::new();
    for row in &file.rows {
        let Some(key) = row.cells.get(&file.key_column).map(DataValue::as_text) else {
            continue;
        };
        // A row without the column allows no value at all: nothing to choose for that key.
        let values = match row.cells.get(&column.value) {
            Some(DataValue::List(items)) => items.clone(),
            Some(DataValue::Text(text)) => vec![text.clone()],
            _ => Vec::new(),
        };
        for value in &values {
            if !has_option(target, value) {
                let message = format!(
                    "value `{value}` in row `{key}` is not an option of field `{}`",
                    target.name
                );
                data_err(cx, file, row, message);
            }
        }
        allowed.insert(key, values);
    }
    Some(allowed)
}

fn has_option(field: &Field, value: &str) -> bool {
    matches!(&field.kind, FieldKind::Choice { options, .. } if options.iter().any(|o| o.value == value))
}

/// Capacity ranges per row key, from a range column (`{min: 8 Mbit/s, max: 30 Mbit/s}`); rows without
/// a range leave the capacity unconstrained.
fn ranges(
    file: &DataTable,
    column: &Spanned<String>,
    cx: &mut Ctx<'_>,
) -> Option<BTreeMap<String, Range>> {
    if !check_column(file, column, cx) {
        return None;
    }
    let mut ranges = BTreeMap::new();
    for row in &file.rows {
        let Some(key) = row.cells.get(&file.key_column).map(DataValue::as_text) else {
            continue;
        };
        let Some(DataValue::Range { min, max }) = row.cells.get(&column.value) else {
            continue;
        };
        match (parse_rate(min), parse_rate(max)) {
            (Some(min_bps), Some(max_bps)) if min_bps <= max_bps => {
                ranges.insert(key, Range { min_bps, max_bps });
            }
            _ => {
                let message = format!(
                    "row `{key}`: `{min}`–`{max}` is not a range of rates like `8 Mbit/s`–`30 Mbit/s`"
                );
                data_err(cx, file, row, message);
            }
        }
    }
    Some(ranges)
}

/// Routing: at least one route; every route but the last has `when`; the last has none.
pub(crate) fn check_routing(
    routes: &[Spanned<RawRoute>],
    form: &Form,
    cx: &mut Ctx<'_>,
) -> Vec<Route> {
    if routes.is_empty() {
        let file = cx.file.to_path_buf();
        cx.errors.push(DefinitionError {
            file,
            line: 1,
            column: 1,
            message: "`routing` needs at least one route".into(),
        });
    }
    let mut checked = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let desk = &route.value.desk;
        let valid = !desk.value.is_empty()
            && desk
                .value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            cx.err(
                desk.referenced,
                format!("desk key `{}` may use only a-z, 0-9 and -", desk.value),
            );
        } else if let Some(desks) = cx.desks
            && !desks.contains(&desk.value)
        {
            let listed: Vec<&str> = desks.keys().collect();
            let message = format!(
                "the form routes to desk `{}`, which content/desks.yaml does not list{}; add it there with a name and its addresses (desks: {})",
                desk.value,
                crate::suggest::did_you_mean(&desk.value, listed.iter().copied()),
                listed.join(", ")
            );
            cx.err(desk.referenced, message);
        }
        let last = i + 1 == routes.len();
        match (&route.value.when, last) {
            (Some(_), true) => cx.err(
                route.referenced,
                "the last route must have no `when`: it is the default",
            ),
            (None, false) => cx.err(route.referenced, "only the last route may leave out `when`"),
            _ => {}
        }
        let when = route
            .value
            .when
            .as_ref()
            .and_then(|w| check_condition(w, form, cx));
        checked.push(Route {
            desk: desk.value.clone(),
            when,
        });
    }
    checked
}
