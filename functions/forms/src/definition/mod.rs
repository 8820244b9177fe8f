//! Loading: `content/forms/*.yaml` (sorted by file name) → a checked [`FormSet`], resolving references to
//! `content/data/*.yaml`. Every problem is collected with `file:line:col` before failing.

mod check;
mod data;
mod fields;
mod raw;
mod rules;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_saphyr::Location;

use crate::model::Form;

/// A problem in a form definition (or a data file it reads), with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong, in English for the site's editors.
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl DefinitionError {
    pub(crate) fn at(file: &Path, location: Location, message: impl Into<String>) -> Self {
        DefinitionError {
            file: file.to_path_buf(),
            line: usize::try_from(location.line()).unwrap_or(0),
            column: usize::try_from(location.column()).unwrap_or(0),
            message: message.into(),
        }
    }
}

/// All forms, resolved: everything the handler and the browser script need; nothing is read again.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct FormSet {
    /// The forms in id order.
    forms: Vec<Form>,
}

impl FormSet {
    /// A set from forms (sorted by id here).
    pub fn new(mut forms: Vec<Form>) -> Self {
        forms.sort_by(|a, b| a.id.cmp(&b.id));
        FormSet { forms }
    }

    /// The form with this id.
    pub fn get(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.id == id)
    }

    /// The forms in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Form> {
        self.forms.iter()
    }

    /// The set as JSON (`forms.json`): deterministic, struct fields in declaration order, maps sorted.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| String::from("{\"forms\":[]}"))
    }

    /// Reads a set written by [`FormSet::to_json`].
    pub fn from_json(json: &str) -> Result<FormSet, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// Parses and checks every `content/forms/*.yaml` (sorted by file name), resolving references to
/// `content/data/*.yaml`. Collects every problem with file:line:col, then fails. A missing
/// `content/forms` folder is an empty set.
pub fn load_forms(content_dir: &Path) -> Result<FormSet, Vec<DefinitionError>> {
    let forms_dir = content_dir.join("forms");
    let mut errors = Vec::new();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&forms_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(vec![io_error(&forms_dir, &e)]),
    };
    files.sort();
    let mut data = data::DataFiles::new(content_dir);
    let mut forms = Vec::new();
    for file in &files {
        match load_one(file, &mut data) {
            Ok(form) => forms.push(form),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    if errors.is_empty() {
        Ok(FormSet::new(forms))
    } else {
        Err(errors)
    }
}

/// Reads, parses and checks one form file.
fn load_one(file: &Path, data: &mut data::DataFiles) -> Result<Form, Vec<DefinitionError>> {
    let text = std::fs::read_to_string(file).map_err(|e| vec![io_error(file, &e)])?;
    let raw: raw::RawForm =
        serde_saphyr::from_str(&text).map_err(|e| vec![yaml_error(file, &e)])?;
    check::check_form(raw, file, data)
}

fn io_error(path: &Path, e: &std::io::Error) -> DefinitionError {
    DefinitionError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    }
}

/// A YAML or shape error as a definition error: the parser's message without its location suffix,
/// with serde's "unknown field" wording turned into the house wording.
pub(crate) fn yaml_error(file: &Path, e: &serde_saphyr::Error) -> DefinitionError {
    let plain = e.without_snippet().to_string();
    let message = match plain.rfind(" at line ") {
        Some(at) => &plain[..at],
        None => plain.as_str(),
    };
    let message = house_wording(message);
    match e.location() {
        Some(location) => DefinitionError::at(file, location, message),
        None => DefinitionError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message,
        },
    }
}

/// `unknown field `x`, expected one of a, b` → `unknown key `x` (expected one of: a, b)`.
fn house_wording(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing key {rest}");
    }
    for (from, to) in [
        ("unknown field ", "unknown key "),
        ("unknown variant ", "unknown value "),
    ] {
        if let Some(rest) = message.strip_prefix(from) {
            return match rest.split_once(", expected one of ") {
                Some((name, expected)) => format!("{to}{name} (expected one of: {expected})"),
                None => match rest.split_once(", expected ") {
                    Some((name, expected)) => format!("{to}{name} (expected {expected})"),
                    None => format!("{to}{rest}"),
                },
            };
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::house_wording;

    #[test]
    fn rewords_unknown_keys() {
        assert_eq!(
            house_wording("unknown field `lable`, expected one of name, label"),
            "unknown key `lable` (expected one of: name, label)"
        );
        assert_eq!(
            house_wording("missing field `title`"),
            "missing key `title`"
        );
    }
}
