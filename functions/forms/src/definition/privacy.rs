//! Privacy notices, `content/forms/privacy/<name>.yaml` texts → checked [`Privacy`] values by name,
//! and the rule that ties them to forms: a form that asks for a personal identity number must name one
//! in its own language.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::context::Ctx;
use super::raw::{RawPrivacy, RawType};
use super::{DefinitionError, FormSource, fields};
use crate::model::{Lang, Privacy};
use crate::yaml;

/// The checked notices by name, each with its language.
pub(crate) type Notices = BTreeMap<String, (Lang, Privacy)>;

/// Parses every notice; a bad one is reported and left out.
pub(crate) fn check_notices(sources: &[FormSource], errors: &mut Vec<DefinitionError>) -> Notices {
    let mut notices = Notices::new();
    for source in sources {
        let name = source
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let raw: RawPrivacy = match yaml::parse(&source.text, 1) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(DefinitionError::from_yaml(&source.path, e));
                continue;
            }
        };
        if let Some(page) = &raw.page
            && !page.value.starts_with('/')
        {
            errors.push(DefinitionError::at(
                &source.path,
                page.referenced,
                format!(
                    "page `{}` must be a path on the site, like /personuppgifter/",
                    page.value
                ),
            ));
        }
        let tidy = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let privacy = Privacy {
            name: name.clone(),
            controller: tidy(raw.controller),
            purpose: tidy(raw.purpose),
            legal_basis: tidy(raw.legal_basis),
            retention: tidy(raw.retention),
            rights: tidy(raw.rights),
            contact: tidy(raw.contact),
            page: raw.page.map(|p| p.value),
        };
        notices.insert(name, (raw.lang, privacy));
    }
    notices
}

/// The notice a form names, checked against the form's language; `None` (with a problem recorded)
/// when it is unknown or in another language.
pub(crate) fn resolve(
    name: &Spanned<String>,
    lang: Lang,
    notices: &Notices,
    cx: &mut Ctx<'_>,
) -> Option<Privacy> {
    match notices.get(&name.value) {
        Some((notice_lang, privacy)) if *notice_lang == lang => Some(privacy.clone()),
        Some((notice_lang, _)) => {
            cx.err(
                name.referenced,
                format!(
                    "privacy notice `{}` is written in `{notice_lang}`, but the form is in `{lang}`",
                    name.value
                ),
            );
            None
        }
        None => {
            let known: Vec<&str> = notices.keys().map(String::as_str).collect();
            let known = if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            };
            cx.err(
                name.referenced,
                format!(
                    "unknown privacy notice `{}` (notices in content/forms/privacy/: {known})",
                    name.value
                ),
            );
            None
        }
    }
}

/// Whether a field type asks for a number that identifies a person.
pub(crate) fn is_personal(t: RawType) -> bool {
    matches!(
        t,
        RawType::Personnummer | RawType::Fodselsnummer | RawType::FhNumber
    )
}

/// The problem of a form that asks for a personal number without naming a notice.
pub(crate) fn missing(file: &Path, field: &str, kind: &Spanned<RawType>) -> DefinitionError {
    DefinitionError::at(
        file,
        kind.referenced,
        format!(
            "field `{field}` asks for a {}, so the form must say how personal data is handled: add `privacy: NAME` naming a notice in content/forms/privacy/ (see docs/forms.md)",
            fields::type_name(kind.value)
        ),
    )
}
