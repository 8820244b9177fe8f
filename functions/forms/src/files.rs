//! The crate's only file reading, for callers without a content stage of their own (the form
//! function's tests, the fuzzer): `content/forms/*.yaml|yml`, `content/forms/privacy/*.yaml|yml` and
//! `content/data/*.yaml|yml` and `content/desks.yaml` → texts and tables (each data file through the one check,
//! [`check_data_file`]) → [`check_forms`]. The generator does not use it: its content stage reads the
//! files once.

use std::path::{Path, PathBuf};

use crate::data_file::check_data_file;
use crate::definition::{DataTables, DefinitionError, FormSet, FormSource, check_forms};

/// Reads and checks every form under `content_dir/forms`, resolving references to the tables in
/// `content_dir/data`. A missing folder is empty; a file that cannot be read is an error.
pub fn load_forms(content_dir: &Path) -> Result<FormSet, Vec<DefinitionError>> {
    let mut errors = Vec::new();
    let mut data = DataTables::new();
    for path in yaml_files(&content_dir.join("data"), &mut errors) {
        let Some(text) = read(&path, &mut errors) else {
            continue;
        };
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        match check_data_file(&path, &text) {
            Ok(file) => {
                data.insert(name, file.table());
            }
            Err(problems) => errors.extend(problems.into_iter().map(|e| DefinitionError {
                file: path.clone(),
                line: e.line,
                column: e.column,
                message: e.message,
            })),
        }
    }
    let mut sources = Vec::new();
    for path in yaml_files(&content_dir.join("forms"), &mut errors) {
        if let Some(text) = read(&path, &mut errors) {
            sources.push(FormSource { path, text });
        }
    }
    let mut notices = Vec::new();
    for path in yaml_files(&content_dir.join("forms").join("privacy"), &mut errors) {
        if let Some(text) = read(&path, &mut errors) {
            notices.push(FormSource { path, text });
        }
    }
    // `content/desks.yaml`, when there is one: routes must then name a desk it lists.
    let desks_path = content_dir.join("desks.yaml");
    let desks = match std::fs::read_to_string(&desks_path) {
        Ok(text) => match crate::definition::check_desks(&FormSource {
            path: desks_path,
            text,
        }) {
            Ok(desks) => Some(desks),
            Err(mut problems) => {
                errors.append(&mut problems);
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            errors.push(io_error(&desks_path, &e));
            None
        }
    };
    match check_forms(&sources, &notices, &data, desks.as_ref()) {
        Ok(set) if errors.is_empty() => Ok(set),
        Ok(_) => Err(errors),
        Err(mut more) => {
            errors.append(&mut more);
            Err(errors)
        }
    }
}

/// The `.yaml` and `.yml` files directly in `dir`, sorted; none when it does not exist.
fn yaml_files(dir: &Path, errors: &mut Vec<DefinitionError>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(io_error(dir, &e));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => files.push(entry.path()),
            Err(e) => errors.push(io_error(dir, &e)),
        }
    }
    files.retain(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"));
    files.sort();
    files
}

fn read(path: &Path, errors: &mut Vec<DefinitionError>) -> Option<String> {
    std::fs::read_to_string(path)
        .map_err(|e| errors.push(io_error(path, &e)))
        .ok()
}

fn io_error(path: &Path, e: &std::io::Error) -> DefinitionError {
    DefinitionError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    }
}
