//! Data files (`content/data/*.yaml`): a caption, typed columns and rows, checked row by row. The one
//! check of a data file's shape; forms receive the checked file as a [`DataTable`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guidepost_forms::{DataRow, DataTable, DataValue};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::SourceData;
use crate::error::ContentError;
use crate::yaml::{self, Spanned};

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

/// Checks every data file; problems go to `errors`, good files into the map.
pub fn check_all(
    files: &[SourceData],
    errors: &mut Vec<ContentError>,
) -> BTreeMap<String, DataFile> {
    let mut out = BTreeMap::new();
    for file in files {
        match check(file) {
            Ok(data) => {
                out.insert(file.name.clone(), data);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    out
}

fn check(file: &SourceData) -> Result<DataFile, Vec<ContentError>> {
    let path = file.path.as_path();
    let raw: RawDataFile = yaml::parse(&file.text, path, 1).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    for c in &raw.columns {
        let (line, col) = yaml::line_of(c, 1);
        let c = &c.value;
        if columns.iter().any(|o| o.key == c.key) {
            errors.push(
                ContentError::new(
                    path,
                    line,
                    col,
                    format!("column `{}` is declared twice", c.key),
                )
                .help("give each column its own key"),
            );
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
        errors.push(
            ContentError::new(path, 1, 1, "the data file has no rows")
                .help("add rows under `rows:`"),
        );
    }
    let mut rows = Vec::new();
    let mut row_positions = Vec::new();
    for row in &raw.rows {
        rows.push(check_row(path, &columns, row, &mut errors));
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
    path: &Path,
    columns: &[Column],
    row: &Spanned<BTreeMap<String, Spanned<Value>>>,
    errors: &mut Vec<ContentError>,
) -> BTreeMap<String, Cell> {
    let (row_line, row_col) = yaml::line_of(row, 1);
    let mut out = BTreeMap::new();
    for (key, value) in &row.value {
        let (line, col) = yaml::line_of(value, 1);
        let Some(column) = columns.iter().find(|c| &c.key == key) else {
            let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
            errors.push(
                ContentError::new(
                    path,
                    line,
                    col,
                    format!(
                        "unknown column `{key}` in this row (expected one of: {})",
                        keys.join(", ")
                    ),
                )
                .help("check the spelling, or declare the column under `columns:`"),
            );
            continue;
        };
        match cell(column.kind, &value.value) {
            Ok(c) => {
                out.insert(key.clone(), c);
            }
            Err(m) => errors.push(
                ContentError::new(path, line, col, format!("column `{key}`: {m}"))
                    .help("see docs/content.md for how each column type is written"),
            ),
        }
    }
    for c in columns.iter().filter(|c| c.required) {
        if matches!(out.get(&c.key), None | Some(Cell::Empty)) {
            errors.push(
                ContentError::new(
                    path,
                    row_line,
                    row_col,
                    format!("this row has no value for the required column `{}`", c.key),
                )
                .help(format!(
                    "add `{}: …` to the row, or mark the column `required: false`",
                    c.key
                )),
            );
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
mod tests {
    use super::*;

    fn load(text: &str) -> Result<DataFile, Vec<ContentError>> {
        check(&SourceData {
            path: PathBuf::from("content/data/t.yaml"),
            name: "t".into(),
            text: text.into(),
        })
    }

    #[test]
    fn missing_required_value_names_the_row_line() {
        let errs = load("caption: T\ncolumns:\n  - {key: id, label: Id}\n  - {key: hours, label: Tid}\nrows:\n  - id: S1\n    hours: '07-18'\n  - id: S2\n").expect_err("missing");
        assert_eq!(
            errs[0].to_string(),
            "content/data/t.yaml:8:5: this row has no value for the required column `hours`\n   help: add `hours: …` to the row, or mark the column `required: false`"
        );
    }

    #[test]
    fn ranges_lists_and_unknown_columns() {
        let data = load("caption: T\ncolumns:\n  - {key: speed, label: S, type: range}\n  - {key: levels, label: L, type: list}\nrows:\n  - speed: {min: 8 Mbit/s, max: 30 Mbit/s}\n    levels: [S1, S2]\n").expect("valid");
        assert_eq!(
            data.rows[0]["speed"],
            Cell::Range {
                min: "8 Mbit/s".into(),
                max: "30 Mbit/s".into()
            }
        );
        assert_eq!(
            data.rows[0]["levels"],
            Cell::List(vec!["S1".into(), "S2".into()])
        );
        let errs =
            load("caption: T\ncolumns:\n  - {key: id, label: Id}\nrows:\n  - id: a\n    idd: b\n")
                .expect_err("unknown");
        assert_eq!(
            errs[0].message,
            "unknown column `idd` in this row (expected one of: id)"
        );
        assert_eq!(errs[0].line, 6);
    }
}
