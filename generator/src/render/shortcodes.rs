//! Shortcodes: a `{{ name(key="value") }}` call found in a body → its HTML from `shortcodes/<name>.html`.

use std::path::Path;

use crate::model::Site;
use crate::render::{Theme, markdown, views};

/// Renders one shortcode (only `table` exists), or says what is wrong with it.
pub fn render(
    site: &Site,
    sc: &markdown::Shortcode,
    theme: &Theme,
    file: &Path,
) -> Result<String, String> {
    if sc.name != "table" {
        return Err(format!("unknown shortcode `{}` (expected: table)", sc.name));
    }
    if let Some(extra) = sc
        .args
        .keys()
        .find(|k| !["data", "columns", "caption"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown argument `{extra}` for table (expected: data, columns, caption)"
        ));
    }
    let name = sc
        .args
        .get("data")
        .ok_or("the table shortcode needs data=\"name\"")?;
    let data = site
        .data
        .get(name)
        .ok_or_else(|| format!("there is no data file content/data/{name}.yaml"))?;
    let columns: Vec<&str> = sc
        .args
        .get("columns")
        .map(|c| c.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if let Some(bad) = columns
        .iter()
        .find(|c| !data.columns.iter().any(|d| d.key == **c))
    {
        return Err(format!("the data file {name} has no column `{bad}`"));
    }
    let view = views::table(
        name,
        data,
        &columns,
        sc.args.get("caption").map(String::as_str),
    );
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        table: views::TableView<'a>,
    }
    theme
        .templates
        .render("shortcodes/table.html", &Ctx { table: view }, file)
        .map_err(|e| e.to_string())
}
