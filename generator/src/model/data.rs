//! Data files (`content/data/*.yaml`) in the model: each checked by the forms library's one data-file
//! check ([`guidepost_forms::check_data_file`]), its problems turned into [`ContentError`]s.

use std::collections::BTreeMap;

pub use guidepost_forms::{Cell, Column, ColumnType, DataFile};

use crate::content::SourceData;
use crate::error::ContentError;

/// Checks every data file; problems go to `errors`, good files into the map.
pub fn check_all(
    files: &[SourceData],
    errors: &mut Vec<ContentError>,
) -> BTreeMap<String, DataFile> {
    let mut out = BTreeMap::new();
    for file in files {
        match guidepost_forms::check_data_file(&file.path, &file.text) {
            Ok(data) => {
                out.insert(file.name.clone(), data);
            }
            Err(problems) => {
                errors.extend(problems.into_iter().map(|e| {
                    ContentError::new(&file.path, e.line, e.column, e.message).help(e.help)
                }))
            }
        }
    }
    out
}
