//! The data tables forms refer to (connection types, contact-card fields…), as values handed in by
//! the caller from checked data files ([`crate::DataFile::table`]). Nothing here reads a file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// The data tables by name (`connection_types` for `content/data/connection_types.yaml`).
pub type DataTables = BTreeMap<String, DataTable>;

/// A data table, as far as forms need it.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// The file it came from, as shown in messages.
    pub path: PathBuf,
    /// The key column (see [`DataTable::key_column_of`]).
    pub key_column: String,
    /// Every column key, in order.
    pub columns: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<DataRow>,
}

/// One row of a data table, with where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    /// 1-based file line of the row.
    pub line: usize,
    /// 1-based column of the row.
    pub column: usize,
    /// Column key → value.
    pub cells: BTreeMap<String, DataValue>,
}

/// A cell's value.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum DataValue {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// A list of texts.
    List(Vec<String>),
    /// A range, e.g. `{min: 8 Mbit/s, max: 30 Mbit/s}`.
    Range {
        /// Lower end.
        min: String,
        /// Upper end.
        max: String,
    },
}

impl DataTable {
    /// The key column of a table with these columns (key, is it the header column): `id` if there is
    /// one, else the header column, else the first.
    pub fn key_column_of(columns: &[(&str, bool)]) -> String {
        columns
            .iter()
            .find(|(key, _)| *key == "id")
            .or_else(|| columns.iter().find(|(_, header)| *header))
            .or_else(|| columns.first())
            .map(|(key, _)| (*key).to_string())
            .unwrap_or_default()
    }

    /// The row whose key column holds `key`.
    pub fn row(&self, key: &str) -> Option<&DataRow> {
        self.rows.iter().find(|r| {
            r.cells
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_column_is_id_then_the_header_then_the_first() {
        assert_eq!(
            DataTable::key_column_of(&[("a", false), ("id", false)]),
            "id"
        );
        assert_eq!(DataTable::key_column_of(&[("a", false), ("b", true)]), "b");
        assert_eq!(DataTable::key_column_of(&[("a", false), ("b", false)]), "a");
    }
}
