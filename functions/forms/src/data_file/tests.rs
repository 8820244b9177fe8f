//! Data files: required values, ranges, lists, unknown columns, and the table forms see.
use super::*;

fn load(text: &str) -> Result<DataFile, Vec<DataFileError>> {
    check_data_file(Path::new("content/data/t.yaml"), text)
}

#[test]
fn missing_required_value_names_the_row_line() {
    let errs = load("caption: T\ncolumns:\n  - {key: id, label: Id}\n  - {key: hours, label: Tid}\nrows:\n  - id: S1\n    hours: '07-18'\n  - id: S2\n").expect_err("missing");
    assert_eq!(
        errs[0],
        error(
            8,
            5,
            "this row has no value for the required column `hours`",
            "add `hours: …` to the row, or mark the column `required: false`"
        )
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

#[test]
fn the_table_forms_see_keeps_row_positions_and_numbers() {
    let data = load("caption: T\ncolumns:\n  - {key: id, label: Id}\n  - {key: max, label: Max, type: number, header: true}\nrows:\n  - {id: a, max: 5}\n").expect("valid");
    let table = data.table();
    let row = table.row("a").expect("row a");
    assert_eq!((row.line, row.column), (6, 5));
    assert_eq!(row.cells["max"], DataValue::Number(5.0));
    let errs = load("rows: []\n").expect_err("no caption");
    assert_eq!(errs[0].message, "missing required key `caption`");
}
