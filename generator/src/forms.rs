//! The site's forms: loads `content/forms/` through the forms library, renders each form into the page
//! that names it, and exports what the form function and the browser script need.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guidepost_forms::messages::{Problem, message};
use guidepost_forms::model::ChoiceStyle;
use guidepost_forms::{
    FieldErrors, FieldKind, Form, FormSet, RawInput, form_markers, render_form, strings,
};
use serde::Serialize;

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
    let html = render_form(
        form,
        &RawInput::default(),
        &FieldErrors::default(),
        &action(id),
    );
    Some(format!("{start}\n{html}{end}"))
}

/// `forms/forms.json` (every form, resolved) and `forms/pages.json` (form id → the page showing it).
pub fn export(forms: &FormSet, site: &Site) -> Vec<OutputFile> {
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
    let pages_json = serde_json::to_string_pretty(&pages).unwrap_or_else(|_| "{}".into());
    let messages: BTreeMap<&str, FormMessages> = forms
        .iter()
        .map(|f| (f.id.as_str(), messages_for(f)))
        .collect();
    let messages_json = serde_json::to_string(&messages).unwrap_or_else(|_| "{}".into());
    vec![
        OutputFile {
            path: PathBuf::from("forms/forms.json"),
            bytes: forms.to_json().into_bytes(),
        },
        OutputFile {
            path: PathBuf::from("forms/messages.json"),
            bytes: format!("{messages_json}\n").into_bytes(),
        },
        OutputFile {
            path: PathBuf::from("forms/pages.json"),
            bytes: format!("{pages_json}\n").into_bytes(),
        },
    ]
}

/// The messages the browser script shows for the checks it can make before sending, taken from the
/// forms library so that the browser and the server say the same thing.
#[derive(Serialize)]
struct FormMessages {
    /// Heading of the error summary.
    summary: &'static str,
    /// Prefix of the page title while errors are shown.
    title_prefix: &'static str,
    /// Receipt wording: thanks, before the reference, "what happens next".
    thanks: &'static str,
    /// Before the reference.
    reference: &'static str,
    /// Heading above the form's receipt text.
    next: &'static str,
    /// Field name → problem → message (`too_long` holds `{got}` for the count typed).
    fields: BTreeMap<String, BTreeMap<&'static str, String>>,
}

const COUNT: usize = 987_654_321;

fn messages_for(form: &Form) -> FormMessages {
    let lang = form.lang;
    let mut fields = BTreeMap::new();
    for field in form.fields() {
        let say = |p: Problem| message(&p, &field.label, lang);
        let mut m = BTreeMap::new();
        let required = match &field.kind {
            FieldKind::Choice {
                style: ChoiceStyle::Checkboxes,
                ..
            } => Problem::RequiredCheckbox,
            FieldKind::Choice { .. } | FieldKind::YesNo => Problem::RequiredChoice,
            _ => Problem::Required,
        };
        m.insert("required", say(required));
        match &field.kind {
            FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
                let text = say(Problem::TooLong {
                    max: *max_chars,
                    got: COUNT,
                });
                m.insert("too_long", text.replace(&COUNT.to_string(), "{got}"));
            }
            FieldKind::Email => {
                m.insert("email", say(Problem::Email));
            }
            FieldKind::Date { .. } => {
                m.insert("date_format", say(Problem::DateFormat));
            }
            FieldKind::YesNo => {
                m.insert("must_be_yes", say(Problem::MustBeYes));
            }
            _ => {}
        }
        fields.insert(field.name.clone(), m);
    }
    FormMessages {
        summary: strings::error_summary_heading(lang),
        title_prefix: strings::title_error_prefix(lang),
        thanks: strings::receipt_thanks(lang),
        reference: strings::receipt_reference(lang),
        next: strings::next_heading(lang),
        fields,
    }
}
