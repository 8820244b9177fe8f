//! Reads the `content/data/<name>.yaml` tables that forms refer to (connection types, contact-card
//! fields…), once each, keeping row locations for messages. The generator checks a data file's full
//! shape; this reader takes the parts forms use: the columns' keys and the rows' values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{DefinitionError, yaml_error};

/// A data file, as far as forms need it.
#[derive(Debug)]
pub(crate) struct DataFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The key column: `id` if there is one, else the `header: true` column, else the first.
    pub key_column: String,
    /// Every column key, in order.
    pub columns: Vec<String>,
    /// The rows, with the location of each.
    pub rows: Vec<Spanned<BTreeMap<String, DataValue>>>,
}

/// A cell's value.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub(crate) enum DataValue {
    Number(f64),
    Text(String),
    List(Vec<String>),
    Range { min: String, max: String },
}

#[derive(Deserialize)]
struct RawDataFile {
    columns: Vec<RawColumn>,
    rows: Vec<Spanned<BTreeMap<String, DataValue>>>,
}

#[derive(Deserialize)]
struct RawColumn {
    key: String,
    #[serde(default)]
    header: bool,
}

impl DataFile {
    /// The row whose key column holds `key`.
    pub fn row(&self, key: &str) -> Option<&Spanned<BTreeMap<String, DataValue>>> {
        self.rows.iter().find(|r| {
            r.value
                .get(&self.key_column)
                .is_some_and(|v| v.as_text() == key)
        })
    }
}

impl DataValue {
    /// The value as text (numbers without a fraction as integers).
    pub fn as_text(&self) -> String {
        match self {
            DataValue::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            DataValue::Number(n) => n.to_string(),
            DataValue::Text(t) => t.clone(),
            DataValue::List(items) => items.join(", "),
            DataValue::Range { min, max } => format!("{min}–{max}"),
        }
    }
}

/// The data files read so far, by name; each is read at most once.
#[derive(Default)]
pub(crate) struct DataFiles {
    dir: PathBuf,
    files: BTreeMap<String, Option<Rc<DataFile>>>,
}

impl DataFiles {
    /// Data files live in `content_dir/data`.
    pub fn new(content_dir: &Path) -> Self {
        DataFiles {
            dir: content_dir.join("data"),
            files: BTreeMap::new(),
        }
    }

    /// The data file `name`, read on first use. `None` when it does not exist or cannot be read;
    /// a file that exists but does not parse adds its error to `errors` once.
    pub fn get(&mut self, name: &str, errors: &mut Vec<DefinitionError>) -> Option<Rc<DataFile>> {
        if !self.files.contains_key(name) {
            let loaded = self.read(name, errors).map(Rc::new);
            self.files.insert(name.to_string(), loaded);
        }
        self.files.get(name).cloned().flatten()
    }

    /// The data file names that exist in the folder, for messages.
    pub fn available(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn read(&self, name: &str, errors: &mut Vec<DefinitionError>) -> Option<DataFile> {
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !valid_name {
            return None;
        }
        let path = self.dir.join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path).ok()?;
        let raw: RawDataFile = match serde_saphyr::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(yaml_error(&path, &e));
                return None;
            }
        };
        let columns: Vec<String> = raw.columns.iter().map(|c| c.key.clone()).collect();
        let key_column = columns
            .iter()
            .find(|c| *c == "id")
            .or_else(|| raw.columns.iter().find(|c| c.header).map(|c| &c.key))
            .or_else(|| columns.first())
            .cloned()
            .unwrap_or_default();
        Some(DataFile {
            path,
            key_column,
            columns,
            rows: raw.rows,
        })
    }
}
