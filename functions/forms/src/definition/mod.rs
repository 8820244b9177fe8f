//! Checking: form definition texts (sorted by file name) and the data tables they refer to → a
//! checked [`FormSet`]. Pure: the caller reads the files. Every problem is collected with
//! `file:line:col` before failing.

mod account;
mod check;
mod context;
mod data;
mod desks;
mod fields;
mod privacy;
mod raw;
mod rules;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_saphyr::Location;

use crate::model::Form;
use crate::yaml::{self, YamlError};

pub use data::{DataRow, DataTable, DataTables, DataValue};
pub use desks::{Desk, Desks, check_desks, is_plain_address};

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
        let (line, column) = yaml::position(location, 1);
        DefinitionError {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A YAML syntax or shape error in `file`, in the one wording of [`crate::yaml`].
    pub fn from_yaml(file: &Path, e: YamlError) -> Self {
        DefinitionError {
            file: file.to_path_buf(),
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

/// A form definition's text, as the caller read it from `content/forms/<id>.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormSource {
    /// The file, as shown in messages; its stem must be the form's id.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// Why the set could not be written as JSON.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the forms as JSON: {0}")]
pub struct ExportError(#[from] serde_json::Error);

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
    pub fn to_json(&self) -> Result<String, ExportError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Reads a set written by [`FormSet::to_json`].
    pub fn from_json(json: &str) -> Result<FormSet, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// Parses and checks every form definition (in file-name order), resolving references to `data`, to
/// the `desks` (when given, every route must name one of them) and to the privacy notices
/// (`content/forms/privacy/<name>.yaml` texts). Collects every problem with file:line:col, then fails.
pub fn check_forms(
    sources: &[FormSource],
    privacy_notices: &[FormSource],
    data: &DataTables,
    desks: Option<&desks::Desks>,
) -> Result<FormSet, Vec<DefinitionError>> {
    let mut sources: Vec<&FormSource> = sources.iter().collect();
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors = Vec::new();
    let notices = privacy::check_notices(privacy_notices, &mut errors);
    let mut forms = Vec::new();
    for source in sources {
        match check_one(source, data, &notices, desks) {
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

/// Parses and checks one form definition.
fn check_one(
    source: &FormSource,
    data: &DataTables,
    notices: &privacy::Notices,
    desks: Option<&desks::Desks>,
) -> Result<Form, Vec<DefinitionError>> {
    let raw: raw::RawForm = yaml::parse(&source.text, 1)
        .map_err(|e| vec![DefinitionError::from_yaml(&source.path, e)])?;
    check::check_form(raw, &source.path, data, notices, desks)
}
