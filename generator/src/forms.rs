//! The site's forms: checks the definitions the content stage read against the checked data files
//! (through the forms library), renders each form into the page that names it, and exports what the
//! form function and the browser script need.

use std::collections::BTreeMap;
use std::path::PathBuf;

use guidepost_forms::{
    DataTables, FieldErrors, FormSet, FormSource, RawInput, browser_messages, check_forms,
    form_markers, render_form,
};

use crate::error::ContentError;
use crate::model::{DataFile, Site};
use crate::render::OutputFile;

/// Where a form posts to; the form function serves `POST /forms/{id}` on the same origin.
pub fn action(id: &str) -> String {
    format!("/forms/{id}")
}

/// Checks every form definition against the data files; errors carry `file:line:col` as the content
/// stage shows paths (relative to the project root).
pub fn check(
    sources: &[FormSource],
    data: &BTreeMap<String, DataFile>,
) -> Result<FormSet, Vec<ContentError>> {
    let tables: DataTables = data
        .iter()
        .map(|(name, file)| (name.clone(), file.table()))
        .collect();
    check_forms(sources, &tables).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                ContentError::new(&e.file, e.line, e.column, e.message)
                    .help("docs/forms.md describes every key of a form definition")
            })
            .collect()
    })
}

/// The empty form with its markers, so the form function can put the form with errors in its place.
pub fn render_empty(forms: &FormSet, id: &str) -> Option<String> {
    let form = forms.get(id)?;
    let (start, end) = form_markers(id);
    let html = render_form(
        form,
        &RawInput::default(),
        &FieldErrors::default(),
        &action(id),
    );
    Some(format!("{start}\n{html}{end}"))
}

/// `forms/forms.json` (every form, resolved), `forms/messages.json` (the browser script's messages)
/// and `forms/pages.json` (form id → the page showing it).
pub fn export(forms: &FormSet, site: &Site) -> Result<Vec<OutputFile>, ContentError> {
    let pages: BTreeMap<&str, String> = site
        .pages
        .iter()
        .filter_map(|p| {
            let (id, _, _) = p.meta.form.as_ref()?;
            Some((
                id.as_str(),
                format!("{}index.html", p.url.trim_start_matches('/')),
            ))
        })
        .collect();
    let messages: BTreeMap<&str, _> = forms
        .iter()
        .map(|f| (f.id.as_str(), browser_messages(f)))
        .collect();
    let forms_json = forms
        .to_json()
        .map_err(|e| export_error("forms/forms.json", &e))?;
    let messages_json =
        serde_json::to_string(&messages).map_err(|e| export_error("forms/messages.json", &e))?;
    let pages_json =
        serde_json::to_string_pretty(&pages).map_err(|e| export_error("forms/pages.json", &e))?;
    Ok(vec![
        OutputFile {
            path: PathBuf::from("forms/forms.json"),
            bytes: forms_json.into_bytes(),
        },
        OutputFile {
            path: PathBuf::from("forms/messages.json"),
            bytes: format!("{messages_json}\n").into_bytes(),
        },
        OutputFile {
            path: PathBuf::from("forms/pages.json"),
            bytes: format!("{pages_json}\n").into_bytes(),
        },
    ])
}

/// A JSON export that could not be made: a bug, not a content problem, but reported, never replaced.
fn export_error(file: &str, e: &dyn std::fmt::Display) -> ContentError {
    ContentError::new(
        &PathBuf::from("content/forms"),
        1,
        1,
        format!("cannot export {file}: {e}"),
    )
    .help("this is a bug in guidepost; please report it with the form definitions")
}
