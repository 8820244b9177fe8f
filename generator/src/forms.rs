//! The site's forms: checks the definitions the content stage read against the checked data files
//! (through the forms library), renders each form into the page that names it, and exports what the
//! form function and the browser script need.

use std::collections::BTreeMap;
use std::path::PathBuf;

use guidepost_forms::{
    DataTables, Desks, FieldErrors, FormSet, FormSource, RawInput, browser_messages, check_desks,
    check_forms, form_markers, render_form,
};

use crate::error::ContentError;
use crate::model::{DataFile, Site};
use crate::render::OutputFile;

const DESK_HELP: &str =
    "docs/forms.md says how to list a desk: its key, then `name:` and `addresses:`";

/// Where a form posts to; the form function serves `POST /forms/{id}` on the same origin.
pub fn action(id: &str) -> String {
    format!("{}{id}", guidepost_forms::ACTION_PREFIX)
}

/// Checks every form definition against the data files; errors carry `file:line:col` as the content
/// stage shows paths (relative to the project root).
pub fn check(
    sources: &[FormSource],
    privacy: &[FormSource],
    data: &BTreeMap<String, DataFile>,
    desks: Option<&FormSource>,
) -> Result<(FormSet, Desks), Vec<ContentError>> {
    let tables: DataTables = data
        .iter()
        .map(|(name, file)| (name.clone(), file.table()))
        .collect();
    let editor = |errors: Vec<guidepost_forms::DefinitionError>, help: &'static str| {
        errors
            .into_iter()
            .map(|e| ContentError::new(&e.file, e.line, e.column, e.message).help(help))
            .collect::<Vec<_>>()
    };
    let mut errors = Vec::new();
    let desks = match desks {
        Some(source) => check_desks(source)
            .map_err(|e| errors.extend(editor(e, DESK_HELP)))
            .ok(),
        None if !sources.is_empty() => {
            errors.push(
                ContentError::new(
                    &PathBuf::from("content").join(crate::content::DESKS_FILE),
                    1,
                    1,
                    "there is no content/desks.yaml, but the forms send to desks",
                )
                .help("create it with each desk the forms route to: `key:` then `name:` and `addresses:` (see docs/forms.md)"),
            );
            None
        }
        None => Some(Desks::default()),
    };
    // Routes are checked against the desks only when the desk file is good.
    match check_forms(sources, privacy, &tables, desks.as_ref()) {
        Ok(forms) if errors.is_empty() => Ok((forms, desks.unwrap_or_default())),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(editor(
                more,
                "docs/forms.md describes every key of a form definition",
            ));
            Err(errors)
        }
    }
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

/// `forms/forms.json` (every form, resolved), `forms/messages.json` (the browser script's messages),
/// `forms/pages.json` (form id → the page showing it) and `forms/desks.json` (the desks, for the form
/// function: a deployment may override their addresses).
pub fn export(
    forms: &FormSet,
    desks: &Desks,
    site: &Site,
) -> Result<Vec<OutputFile>, ContentError> {
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
        OutputFile {
            path: PathBuf::from("forms/desks.json"),
            bytes: format!("{}\n", desks.to_json()).into_bytes(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const CONTACT: &str = "id: contact\nlang: sv\ntitle: Kontakt\nintro: Skriv till oss.\nsubmitter_email: email\ngroups:\n  - legend: Du\n    fields:\n      - {name: email, label: E-post, type: email}\n      - {name: topic, label: Ämne, type: choice, options_from: {data: topics, label: label}}\n      - {name: text, label: Meddelande, type: long_text, max_chars: 200}\nrouting:\n  - desk: support\nreceipt: Vi svarar inom en vecka.\n";

    const TOPICS: &str = "caption: Ämnen\ncolumns:\n  - {key: id, label: Id}\n  - {key: label, label: Namn}\nrows:\n  - {id: fraga, label: Fråga}\n";

    fn desk_file() -> FormSource {
        FormSource {
            path: PathBuf::from("content/desks.yaml"),
            text: "support:\n  name: Support\n  addresses: [support@desk.example]\n".into(),
        }
    }

    fn data() -> BTreeMap<String, DataFile> {
        let mut errors = Vec::new();
        let files = [crate::content::SourceData {
            path: PathBuf::from("content/data/topics.yaml"),
            name: "topics".into(),
            text: TOPICS.into(),
        }];
        let data = crate::model::data::check_all(&files, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        data
    }

    fn source(text: &str) -> FormSource {
        FormSource {
            path: PathBuf::from("content/forms/contact.yaml"),
            text: text.into(),
        }
    }

    fn site() -> Site {
        Site {
            pages: Vec::new(),
            data: BTreeMap::new(),
            aliases: BTreeMap::new(),
        }
    }

    #[test]
    fn forms_take_options_from_the_checked_data_files() {
        let (forms, _) =
            check(&[source(CONTACT)], &[], &data(), Some(&desk_file())).expect("valid");
        let form = forms.get("contact").expect("contact");
        let html = render_empty(&forms, "contact").expect("rendered");
        assert!(html.contains("value=\"fraga\""), "{html}");
        assert!(html.contains("Fråga"));
        assert!(html.contains("action=\"/forms/contact\""));
        assert_eq!(form.lang.code(), "sv");
        assert!(render_empty(&forms, "nope").is_none());
    }

    #[test]
    fn definition_errors_name_the_file_and_point_to_the_docs() {
        let text = CONTACT.replace("data: topics", "data: topic");
        let errors = check(&[source(&text)], &[], &data(), Some(&desk_file()))
            .expect_err("unknown data file");
        let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            report,
            [
                "content/forms/contact.yaml:10:71: unknown data file `topic` (data files: topics)\n   help: docs/forms.md describes every key of a form definition"
            ]
        );
    }

    #[test]
    fn export_writes_the_forms_their_browser_messages_and_pages() {
        let (forms, desks) =
            check(&[source(CONTACT)], &[], &data(), Some(&desk_file())).expect("valid");
        let files = export(&forms, &desks, &site()).expect("exported");
        let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "forms/forms.json",
                "forms/messages.json",
                "forms/pages.json",
                "forms/desks.json"
            ]
        );
        let messages: serde_json::Value =
            serde_json::from_slice(&files[1].bytes).expect("messages json");
        assert_eq!(
            messages["contact"]["fields"]["text"]["too_long"],
            "Texten får vara högst 200 tecken, nu är den {got}"
        );
        assert_eq!(
            messages["contact"]["fields"]["topic"]["required"],
            "Välj ett alternativ under ”Ämne”"
        );
        assert_eq!(files[2].bytes, b"{}\n");
    }

    #[test]
    fn a_failed_export_is_an_error_not_an_empty_file() {
        let e = serde_json::from_str::<u8>("x").expect_err("bad json");
        assert_eq!(
            export_error("forms/pages.json", &e).to_string(),
            "content/forms:1:1: cannot export forms/pages.json: expected value at line 1 column 1\n   help: this is a bug in guidepost; please report it with the form definitions"
        );
    }
}
