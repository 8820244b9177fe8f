//! Data files (`content/data/*.yaml`): a caption, typed columns and rows, checked row by row. The one
//! check of a data file's shape, for the generator (tables on pages) and for forms (a checked file's
//! [`DataFile::table`]); the caller reads the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::definition::{DataRow, DataTable, DataValue};
use crate::yaml::{self, Spanned};

/// A problem in a data file, positioned in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFileError {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

fn error(
    line: usize,
    column: usize,
    message: impl Into<String>,
    help: impl Into<String>,
) -> DataFileError {
    DataFileError {
        line,
        column,
        message: message.into(),
        help: help.into(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataFile {
    caption: String,
    columns: Vec<Spanned<RawColumn>>,
    rows: Vec<Spanned<BTreeMap<String, Spanned<Value>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    key: String,
    label: String,
    #[serde(rename = "type", default)]
    kind: ColumnType,
    required: Option<bool>,
    header: Option<bool>,
}

/// How a column's values are written and shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    /// Text, shown as written.
    #[default]
    Text,
    /// A number.
    Number,
    /// A list of texts.
    List,
    /// `{min: 8 Mbit/s, max: 30 Mbit/s}`.
    Range,
    /// A phone number, linked with `tel:`.
    Phone,
    /// An e-mail address, linked with `mailto:`.
    Email,
    /// A web address.
    Url,
}

/// A checked column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// The key rows use.
    pub key: String,
    /// The heading shown.
    pub label: String,
    /// The value type.
    #[serde(rename = "type")]
    pub kind: ColumnType,
    /// Every row must have a value.
    pub required: bool,
    /// This column heads its row.
    pub header: bool,
}

/// One checked value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text, a number as written, a phone number, an e-mail address or a URL.
    Text(String),
    /// A list.
    List(Vec<String>),
    /// A range of quantities, as written.
    Range {
        /// Lower end, e.g. `8 Mbit/s`.
        min: String,
        /// Upper end.
        max: String,
    },
}

/// A checked data file: what templates see as `data.<name>`.
#[derive(Debug, Clone, Serialize)]
pub struct DataFile {
    /// The table caption.
    pub caption: String,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// Rows as key → value, in file order.
    pub rows: Vec<BTreeMap<String, Cell>>,
    /// The file, as shown in messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// Each row's line and column in the file.
    #[serde(skip)]
    pub row_positions: Vec<(usize, usize)>,
}

impl DataFile {
    /// The file as the forms library reads it: numbers in number columns, the other values as
    /// written, with each row's position.
    pub fn table(&self) -> DataTable {
        let keys: Vec<(&str, bool)> = self
            .columns
            .iter()
            .map(|c| (c.key.as_str(), c.header))
            .collect();
        let rows = self
            .rows
            .iter()
            .zip(&self.row_positions)
            .map(|(row, &(line, column))| DataRow {
                line,
                column,
                cells: row
                    .iter()
                    .filter_map(|(key, cell)| Some((key.clone(), self.value(key, cell)?)))
                    .collect(),
            })
            .collect();
        DataTable {
            path: self.path.clone(),
            key_column: DataTable::key_column_of(&keys),
            columns: self.columns.iter().map(|c| c.key.clone()).collect(),
            rows,
        }
    }

    fn value(&self, key: &str, cell: &Cell) -> Option<DataValue> {
        let number = self
            .columns
            .iter()
            .any(|c| c.key == key && c.kind == ColumnType::Number);
        Some(match cell {
            Cell::Empty => return None,
            Cell::Text(t) if number => t
                .parse()
                .map_or_else(|_| DataValue::Text(t.clone()), DataValue::Number),
            Cell::Text(t) => DataValue::Text(t.clone()),
            Cell::List(items) => DataValue::List(items.clone()),
            Cell::Range { min, max } => DataValue::Range {
                min: min.clone(),
                max: max.clone(),
            },
        })
    }
}

/// Checks the data file at `path` (as shown in messages) with the text `text`; every problem is reported.
pub fn check_data_file(path: &Path, text: &str) -> Result<DataFile, Vec<DataFileError>> {
    let raw: RawDataFile =
        yaml::parse(text, 1).map_err(|e| vec![error(e.line, e.column, e.message, e.help)])?;
    let mut errors: Vec<DataFileError> = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for c in &raw.columns {
        let (line, col) = yaml::line_of(c, 1);
        let c = &c.value;
        if columns.iter().any(|o| o.key == c.key) {
            errors.push(error(
                line,
                col,
                format!("column `{}` is declared twice", c.key),
                "give each column its own key",
            ));
        }
        columns.push(Column {
            key: c.key.clone(),
            label: c.label.clone(),
            kind: c.kind,
            required: c.required.unwrap_or(true),
            header: c.header.unwrap_or(false),
        });
    }
    if raw.rows.is_empty() {
        errors.push(error(
            1,
            1,
            "the data file has no rows",
            "add rows under `rows:`",
        ));
    }
    let mut rows = Vec::new();
    let mut row_positions = Vec::new();
    for row in &raw.rows {
        rows.push(check_row(&columns, row, &mut errors));
        row_positions.push(yaml::line_of(row, 1));
    }
    if errors.is_empty() {
        Ok(DataFile {
            caption: raw.caption,
            columns,
            rows,
            path: path.to_path_buf(),
            row_positions,
        })
    } else {
        Err(errors)
    }
}

fn check_row(
    columns: &[Column],
    row: &Spanned<BTreeMap<String, Spanned<Value>>>,
    errors: &mut Vec<DataFileError>,
) -> BTreeMap<String, Cell> {
    let (row_line, row_col) = yaml::line_of(row, 1);
    let mut out = BTreeMap::new();
    for (key, value) in &row.value {
        let (line, col) = yaml::line_of(value, 1);
        let Some(column) = columns.iter().find(|c| &c.key == key) else {
            let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
            errors.push(error(
                line,
                col,
                format!(
                    "unknown column `{key}` in this row (expected one of: {})",
                    keys.join(", ")
                ),
                "check the spelling, or declare the column under `columns:`",
            ));
            continue;
        };
        match cell(column.kind, &value.value) {
            Ok(c) => {
                out.insert(key.clone(), c);
            }
            Err(m) => errors.push(error(
                line,
                col,
                format!("column `{key}`: {m}"),
                "see docs/content.md for how each column type is written",
            )),
        }
    }
    for c in columns.iter().filter(|c| c.required) {
        if matches!(out.get(&c.key), None | Some(Cell::Empty)) {
            errors.push(error(
                row_line,
                row_col,
                format!("this row has no value for the required column `{}`", c.key),
                format!(
                    "add `{}: …` to the row, or mark the column `required: false`",
                    c.key
                ),
            ));
        }
    }
    out
}

fn cell(kind: ColumnType, value: &Value) -> Result<Cell, String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (kind, value) {
        (_, Value::Null) => Ok(Cell::Empty),
        (ColumnType::Number, Value::Number(n)) => Ok(Cell::Text(n.to_string())),
        (ColumnType::Number, _) => Err("expected a number".into()),
        (ColumnType::List, Value::Array(items)) => items
            .iter()
            .map(|i| text(i).ok_or_else(|| "expected a list of texts".to_string()))
            .collect::<Result<_, _>>()
            .map(Cell::List),
        (ColumnType::List, _) => Err("expected a list, e.g. [S1, S2]".into()),
        (ColumnType::Range, Value::Object(map)) => {
            let end = |k: &str| {
                map.get(k)
                    .and_then(text)
                    .ok_or_else(|| format!("the range has no `{k}`"))
            };
            if let Some(extra) = map.keys().find(|k| *k != "min" && *k != "max") {
                return Err(format!(
                    "unknown key `{extra}` in the range (expected min, max)"
                ));
            }
            Ok(Cell::Range {
                min: end("min")?,
                max: end("max")?,
            })
        }
        (ColumnType::Range, _) => {
            Err("expected a range, e.g. {min: 8 Mbit/s, max: 30 Mbit/s}".into())
        }
        (_, v) => text(v)
            .map(Cell::Text)
            .ok_or_else(|| "expected text".to_string()),
    }
}

#[cfg(test)]
mod tests;
