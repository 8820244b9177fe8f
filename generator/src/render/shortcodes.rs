//! Shortcodes: a `{{ name(key="value") }}` call found in a body → its HTML from `shortcodes/<name>.html`.

use std::path::Path;

use crate::model::Site;
use crate::render::{Theme, markdown, views};

/// The help for a table shortcode written wrongly.
const TABLE_HELP: &str = super::markdown::SHORTCODE_HELP;

/// `did you mean `x`? ` when one of `names` is close to `word`.
fn mean(word: &str, names: &[&str]) -> String {
    guidepost_forms::suggest::closest(word, names.iter().copied())
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default()
}

/// Renders one shortcode (only `table` exists), or says what is wrong with it.
pub fn render(
    site: &Site,
    sc: &markdown::Shortcode,
    theme: &Theme,
    file: &Path,
    occurrence: usize,
) -> Result<String, (String, &'static str)> {
    if sc.name != "table" {
        let message = format!(
            "unknown shortcode `{}`{} (expected: table)",
            sc.name,
            guidepost_forms::suggest::did_you_mean(&sc.name, ["table"])
        );
        return Err((message, TABLE_HELP));
    }
    if let Some(extra) = sc
        .args
        .keys()
        .find(|k| !["data", "columns", "caption"].contains(&k.as_str()))
    {
        let message = format!(
            "unknown argument `{extra}` for table{} (expected: data, columns, caption)",
            guidepost_forms::suggest::did_you_mean(extra, ["data", "columns", "caption"])
        );
        return Err((message, TABLE_HELP));
    }
    let name = sc.args.get("data").ok_or((
        "the table shortcode needs data=\"name\"".to_owned(),
        TABLE_HELP,
    ))?;
    let data = site.data.get(name).ok_or_else(|| {
        let names: Vec<&str> = site.data.keys().map(String::as_str).collect();
        let message = format!(
            "there is no data file content/data/{name}.yaml ({}data files: {})",
            mean(name, &names),
            names.join(", ")
        );
        (message, "name a file in content/data/, without `.yaml`")
    })?;
    let columns: Vec<&str> = sc
        .args
        .get("columns")
        .map(|c| c.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if let Some(bad) = columns
        .iter()
        .find(|c| !data.columns.iter().any(|d| d.key == **c))
    {
        let keys: Vec<&str> = data.columns.iter().map(|c| c.key.as_str()).collect();
        let message = format!(
            "the data file {name} has no column `{bad}` ({}its columns: {})",
            mean(bad, &keys),
            keys.join(", ")
        );
        return Err((
            message,
            "list only columns the data file has, separated by commas",
        ));
    }
    let view = views::table(
        name,
        data,
        &columns,
        sc.args.get("caption").map(String::as_str),
        occurrence,
    );
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        table: views::TableView<'a>,
    }
    theme
        .templates
        .render("shortcodes/table.html", &Ctx { table: view }, file)
        .map_err(|e| {
            (
                e.to_string(),
                "the error is in site/templates/shortcodes/table.html",
            )
        })
}
