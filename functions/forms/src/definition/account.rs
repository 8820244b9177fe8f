//! The `account:` key of a form that orders accounts with an end date: which fields hold the action,
//! the end date, the person's name and the two addresses, and the data file whose rows are the
//! reminder schedule (`days_before`, and `notify`: `contact`, or `contact` and `external`). Checked
//! here into an [`AccountSpec`], which the handler's account register reads.

use serde_saphyr::Spanned;

use super::context::Ctx;
use super::data::DataValue;
use super::raw::RawAccount;
use super::rules::unknown_field;
use crate::model::{ACCOUNT_ACTIONS, AccountSpec, FieldKind, Form, ReminderStep};

/// The column of the reminder file that gives the days before the end date.
const DAYS_COLUMN: &str = "days_before";
/// The column of the reminder file that says who gets the reminder.
const NOTIFY_COLUMN: &str = "notify";

/// Checks `raw` against the form's fields and the reminder file.
pub(crate) fn check_account(
    raw: &RawAccount,
    form: &Form,
    cx: &mut Ctx<'_>,
) -> Option<AccountSpec> {
    let before = cx.errors.len();
    let field =
        |name: &Spanned<String>, what: &str, fits: fn(&FieldKind) -> bool, cx: &mut Ctx<'_>| {
            match form.field(&name.value) {
                Some(f) if fits(&f.kind) => {}
                Some(_) => cx.err(
                    name.referenced,
                    format!("account: field `{}` is not {what} field", name.value),
                ),
                None => cx.err(
                    name.referenced,
                    format!("account: {}", unknown_field(&name.value, form)),
                ),
            }
        };
    field(
        &raw.end_date,
        "a date",
        |k| matches!(k, FieldKind::Date { .. }),
        cx,
    );
    field(
        &raw.person_name,
        "a text",
        |k| matches!(k, FieldKind::Text { .. }),
        cx,
    );
    field(
        &raw.contact_email,
        "an email",
        |k| matches!(k, FieldKind::Email),
        cx,
    );
    if let Some(external) = &raw.external_email {
        field(external, "an email", |k| matches!(k, FieldKind::Email), cx);
    }
    match form.field(&raw.action.value).map(|f| &f.kind) {
        Some(FieldKind::Choice { options, .. }) => {
            let missing: Vec<&str> = ACCOUNT_ACTIONS
                .iter()
                .copied()
                .filter(|value| !options.iter().any(|o| o.value == *value))
                .collect();
            if !missing.is_empty() {
                cx.err(
                    raw.action.referenced,
                    format!(
                        "account: the choice `{}` needs the option values order, extend and end (missing: {})",
                        raw.action.value,
                        missing.join(", ")
                    ),
                );
            }
        }
        Some(_) => cx.err(
            raw.action.referenced,
            format!(
                "account: field `{}` is not a choice field",
                raw.action.value
            ),
        ),
        None => cx.err(
            raw.action.referenced,
            format!("account: {}", unknown_field(&raw.action.value, form)),
        ),
    }
    let reminders = reminder_steps(&raw.reminders, cx);
    (cx.errors.len() == before).then(|| AccountSpec {
        action: raw.action.value.clone(),
        end_date: raw.end_date.value.clone(),
        person_name: raw.person_name.value.clone(),
        contact_email: raw.contact_email.value.clone(),
        external_email: raw.external_email.as_ref().map(|e| e.value.clone()),
        reminders: reminders.unwrap_or_default(),
    })
}

/// The reminder schedule from the data file `name`: one step per row, most days first.
fn reminder_steps(name: &Spanned<String>, cx: &mut Ctx<'_>) -> Option<Vec<ReminderStep>> {
    let table = cx.data_file(name)?;
    // A bad row is reported where it is, in the data file.
    let at_row = |row: &super::data::DataRow, message: String| super::DefinitionError {
        file: table.path.clone(),
        line: row.line,
        column: row.column,
        message,
    };
    for column in [DAYS_COLUMN, NOTIFY_COLUMN] {
        if !table.columns.iter().any(|c| c == column) {
            cx.err(
                name.referenced,
                format!(
                    "account: the reminder file `{}` needs a `{column}` column (columns: {})",
                    name.value,
                    table.columns.join(", ")
                ),
            );
            return None;
        }
    }
    let mut steps: Vec<ReminderStep> = Vec::new();
    for row in &table.rows {
        let days = match row.cells.get(DAYS_COLUMN) {
            Some(DataValue::Number(n)) if *n >= 1.0 && n.fract() == 0.0 && *n <= 3650.0 => {
                *n as u32
            }
            _ => {
                cx.errors.push(at_row(
                    row,
                    format!("`{DAYS_COLUMN}` must be a whole number of days from 1 to 3650 (this file is the reminder schedule of an account form)"),
                ));
                continue;
            }
        };
        let notify: Vec<String> = match row.cells.get(NOTIFY_COLUMN) {
            Some(DataValue::List(items)) => items.clone(),
            Some(DataValue::Text(item)) => vec![item.clone()],
            _ => Vec::new(),
        };
        let unknown: Vec<&str> = notify
            .iter()
            .map(String::as_str)
            .filter(|n| !matches!(*n, "contact" | "external"))
            .collect();
        if !notify.iter().any(|n| n == "contact") || !unknown.is_empty() {
            cx.errors.push(at_row(
                row,
                format!(
                    "`{NOTIFY_COLUMN}` says who gets the reminder: write `[contact]`, or `[contact, external]` to send it to the external person too"
                ),
            ));
            continue;
        }
        if steps.iter().any(|s| s.days_before == days) {
            cx.errors.push(at_row(
                row,
                format!("there is already a reminder {days} days before the end date in this file"),
            ));
            continue;
        }
        steps.push(ReminderStep {
            days_before: days,
            external: notify.iter().any(|n| n == "external"),
        });
    }
    steps.sort_by_key(|step| std::cmp::Reverse(step.days_before));
    Some(steps)
}
