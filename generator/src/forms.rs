//! The site's forms: loads `content/forms/` through the forms library, renders each form into the page
//! that names it, and exports what the form function and the browser script need.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guidepost_forms::{FieldErrors, FormSet, RawInput, form_markers, render_form};

use crate::error::ContentError;
use crate::model::Site;
use crate::render::OutputFile;

/// Where a form posts to; the form function serves `POST /forms/{id}` on the same origin.
pub fn action(id: &str) -> String {
    format!("/forms/{id}")
}

/// Loads and checks every form definition; errors carry `file:line:col` relative to the root.
pub fn load(root: &Path) -> Result<FormSet, Vec<ContentError>> {
    guidepost_forms::load_forms(&root.join("content")).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let file = e.file.strip_prefix(root).unwrap_or(&e.file).to_path_buf();
                ContentError::new(&file, e.line, e.column, e.message)
                    .help("docs/forms.md describes every key of a form definition")
            })
            .collect()
    })
}

/// The empty form with its markers, so the form function can put the form with errors in its place.
pub fn render_empty(forms: &FormSet, id: &str) -> Option<String> {
    let form = forms.get(id)?;
    let (start, end) = form_markers(id);
    let html = render_form(form, &RawInput::default(), &FieldErrors::default(), &action(id));
    Some(format!("{start}\n{html}{end}"))
}

/// `forms/forms.json` (every form, resolved) and `forms/pages.json` (form id → the page showing it).
pub fn export(forms: &FormSet, site: &Site) -> Vec<OutputFile> {
    let pages: BTreeMap<&str, String> = site
        .pages
        .iter()
        .filter_map(|p| {
            let (id, _, _) = p.meta.form.as_ref()?;
            Some((id.as_str(), format!("{}index.html", p.url.trim_start_matches('/'))))
        })
        .collect();
    let pages_json = serde_json::to_string_pretty(&pages).unwrap_or_else(|_| "{}".into());
    vec![
        OutputFile { path: PathBuf::from("forms/forms.json"), bytes: forms.to_json().into_bytes() },
        OutputFile { path: PathBuf::from("forms/pages.json"), bytes: format!("{pages_json}\n").into_bytes() },
    ]
}
