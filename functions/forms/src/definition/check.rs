//! One raw form → a checked [`Form`]: header, fields (via `fields`), rules and routing (via `rules`),
//! collecting every problem with its location.

use std::collections::BTreeSet;
use std::path::Path;

use super::context::{Ctx, HONEYPOT};
use super::data::DataTables;
use super::privacy::{self, Notices};
use super::raw::RawForm;
use super::{DefinitionError, account, fields, rules};
use crate::model::{FieldKind, Form, Group};

/// Checks one parsed form file.
pub(crate) fn check_form(
    raw: RawForm,
    file: &Path,
    data: &DataTables,
    notices: &Notices,
    desks: Option<&crate::definition::Desks>,
) -> Result<Form, Vec<DefinitionError>> {
    let mut cx = Ctx {
        file,
        errors: Vec::new(),
        data,
        desks,
    };
    check_id(&raw, &mut cx);
    let mut groups = Vec::new();
    let mut seen = BTreeSet::new();
    let mut personal = None;
    for group in raw.groups {
        let mut fields = Vec::new();
        for raw_field in group.fields {
            let location = raw_field.value.name.referenced;
            if personal.is_none() && privacy::is_personal(raw_field.value.kind.value) {
                personal = Some(privacy::missing(
                    file,
                    &raw_field.value.name.value,
                    &raw_field.value.kind,
                ));
            }
            let Some(field) = fields::check_field(raw_field.value, &mut cx) else {
                continue;
            };
            if !seen.insert(field.name.clone()) {
                cx.err(location, format!("field `{}` is defined twice", field.name));
            }
            fields.push(field);
        }
        groups.push(Group {
            legend: group.legend,
            hint: group.hint,
            fields,
        });
    }
    check_unit_names(&groups, &mut cx);
    let mut form = Form {
        id: raw.id.value,
        lang: raw.lang,
        title: raw.title.trim().to_string(),
        intro: raw.intro.trim().to_string(),
        groups,
        rules: Vec::new(),
        routing: Vec::new(),
        receipt: raw.receipt.trim().to_string(),
        submitter_email: None,
        privacy: None,
        honeypot: HONEYPOT.to_string(),
        account: None,
    };
    match (&raw.privacy, personal) {
        (Some(name), _) => form.privacy = privacy::resolve(name, form.lang, notices, &mut cx),
        (None, Some(problem)) => cx.errors.push(problem),
        (None, None) => {}
    }
    form.rules = raw
        .rules
        .iter()
        .filter_map(|r| rules::check_rule(r, &form, &mut cx))
        .collect();
    form.routing = rules::check_routing(&raw.routing, &form, &mut cx);
    if let Some(name) = raw.submitter_email {
        match form.field(&name.value).map(|f| &f.kind) {
            Some(FieldKind::Email) => form.submitter_email = Some(name.value),
            Some(_) => cx.err(
                name.referenced,
                format!("`{}` is not an email field", name.value),
            ),
            None => {
                let message = rules::unknown_field(&name.value, &form);
                cx.err(name.referenced, message);
            }
        }
    }
    if let Some(account) = &raw.account {
        form.account = account::check_account(account, &form, &mut cx);
    }
    if cx.errors.is_empty() {
        Ok(form)
    } else {
        Err(cx.errors)
    }
}

/// The id must match the file name and use `a-z`, `0-9` and `-`.
fn check_id(raw: &RawForm, cx: &mut Ctx<'_>) {
    let id = &raw.id.value;
    let stem = cx
        .file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        cx.err(
            raw.id.referenced,
            format!("id `{id}` may use only a-z, 0-9 and -"),
        );
    } else if id != stem {
        cx.err(
            raw.id.referenced,
            format!("id `{id}` does not match the file name `{stem}.yaml`"),
        );
    }
}

/// A capacity field `x` sends its unit as `x_unit`: no other field may use that name.
fn check_unit_names(groups: &[Group], cx: &mut Ctx<'_>) {
    let names: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| &g.fields)
        .map(|f| f.name.as_str())
        .collect();
    for field in groups.iter().flat_map(|g| &g.fields) {
        if matches!(field.kind, FieldKind::Capacity)
            && names.contains(format!("{}_unit", field.name).as_str())
        {
            let message = format!(
                "field `{0}_unit` clashes with the unit of capacity field `{0}`",
                field.name
            );
            cx.errors.push(DefinitionError {
                file: cx.file.to_path_buf(),
                line: 0,
                column: 0,
                message,
            });
        }
    }
}
