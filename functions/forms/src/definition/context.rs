//! What the checks of one form share: the file, the problems found so far, and the data tables they
//! may look up. Below `check`, `fields` and `rules`, which all use it.

use std::path::Path;

use serde_saphyr::{Location, Spanned};

use super::DefinitionError;
use super::data::{DataTable, DataTables};

/// The honeypot's name: tempting to bots, reserved in every form.
pub(crate) const HONEYPOT: &str = "website";

/// What the checks share: the file, the problems found so far, and the data tables.
pub(crate) struct Ctx<'a> {
    pub file: &'a Path,
    pub errors: Vec<DefinitionError>,
    pub data: &'a DataTables,
    /// The content's desks, when the caller has them: routes must name one.
    pub desks: Option<&'a crate::definition::Desks>,
}

impl<'a> Ctx<'a> {
    /// Records a problem at `location`.
    pub fn err(&mut self, location: Location, message: impl Into<String>) {
        self.errors
            .push(DefinitionError::at(self.file, location, message));
    }

    /// Looks up a data table by name, recording "unknown data file" where it is named.
    pub fn data_file(&mut self, name: &Spanned<String>) -> Option<&'a DataTable> {
        let data = self.data;
        let found = data.get(&name.value);
        if found.is_none() {
            let available: Vec<&str> = data.keys().map(String::as_str).collect();
            let message = format!(
                "unknown data file `{}` (data files: {})",
                name.value,
                available.join(", ")
            );
            self.err(name.referenced, message);
        }
        found
    }
}
