//! Review dates: today's date (the one place the clock is read; `GUIDEPOST_TODAY=YYYY-MM-DD` fixes it
//! for tests and for trying a date), the check that no page says it was changed or reviewed after
//! today, and the editors' report: pages overdue for review, never reviewed or without a reviewer,
//! grouped by editor, and which pages show each data file and each form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::ContentError;
use crate::model::{Date, Site};

/// Today in the computer's time zone, or `GUIDEPOST_TODAY` when set (a bad value is an error).
pub fn today() -> Result<Date, ContentError> {
    match std::env::var("GUIDEPOST_TODAY") {
        Ok(text) => Date::parse(text.trim()).map_err(|m| {
            ContentError::new(Path::new("GUIDEPOST_TODAY"), 1, 1, m)
                .help("write the date as YYYY-MM-DD, or unset the variable")
        }),
        Err(_) => {
            let now = jiff::Zoned::now().date();
            let parts = (
                u16::try_from(now.year()),
                u8::try_from(now.month()),
                u8::try_from(now.day()),
            );
            match parts {
                (Ok(y), Ok(m), Ok(d)) => Date::from_parts(y, m, d).ok_or_else(|| {
                    ContentError::new(Path::new("the clock"), 1, 1, "today is not a date")
                }),
                _ => Err(ContentError::new(
                    Path::new("the clock"),
                    1,
                    1,
                    "today is not a date",
                )),
            }
        }
    }
}

/// An `updated` or `reviewed` date after `today` is a mistake: the page would never be due.
pub fn future_dates(site: &Site, today: Date) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for page in &site.pages {
        let dates = [
            ("updated", page.meta.updated),
            ("reviewed", page.meta.reviewed),
        ];
        for ((key, date), at) in dates.into_iter().zip(page.meta.dates_at) {
            if let (Some(date), Some((line, column))) = (date, at)
                && date > today
            {
                errors.push(
                    ContentError::new(
                        &page.path,
                        line,
                        column,
                        format!("`{key}: {date}` is a date in the future"),
                    )
                    .help("write the date it really happened, as YYYY-MM-DD"),
                );
            }
        }
    }
    errors
}

/// One page in the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    /// The source file.
    pub path: PathBuf,
    /// Its address.
    pub url: String,
    /// Its title.
    pub title: String,
    /// When its facts were last checked.
    pub reviewed: Option<String>,
    /// When the next review is due.
    pub due: Option<String>,
    /// Who checked the facts last.
    pub reviewer: Option<String>,
}

/// What one editor has to do.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct EditorWork {
    /// Review date passed.
    pub overdue: Vec<Item>,
    /// No `reviewed:` date at all.
    pub never_reviewed: Vec<Item>,
    /// No `reviewer:`.
    pub no_reviewer: Vec<Item>,
}

/// The report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Report {
    /// The day it was made for.
    pub today: String,
    /// The site's interval in months.
    pub review_every_months: u32,
    /// Editor (a page's own `editor:`, else its nearest section's in its language; or `(no editor)`) → what
    /// to do.
    pub editors: BTreeMap<String, EditorWork>,
    /// Data file → the addresses of the pages that show it.
    pub data_files: BTreeMap<String, Vec<String>>,
    /// Form id → the addresses of the pages that show it.
    pub forms: BTreeMap<String, Vec<String>>,
}

/// Who the report files pages without `editor:` under.
pub const NO_EDITOR: &str = "(no editor)";

/// The report for `site` on `today`, with the site's interval `months`.
pub fn report(site: &Site, months: u32, today: Date) -> Report {
    let mut editors: BTreeMap<String, EditorWork> = BTreeMap::new();
    let mut data_files: BTreeMap<String, Vec<String>> =
        site.data.keys().map(|k| (k.clone(), Vec::new())).collect();
    let mut forms: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for page in &site.pages {
        let every = page.meta.review_every_months.unwrap_or(months);
        let due = page.meta.reviewed.map(|r| r.plus_months(every));
        let item = Item {
            path: page.path.clone(),
            url: page.url.clone(),
            title: page.meta.title.clone(),
            reviewed: page.meta.reviewed.map(|d| d.to_string()),
            due: due.map(|d| d.to_string()),
            reviewer: page.meta.reviewer.clone(),
        };
        let work = editors
            .entry(editor_of(site, page).unwrap_or_else(|| NO_EDITOR.to_owned()))
            .or_default();
        match due {
            None => work.never_reviewed.push(item.clone()),
            Some(due) if due < today => work.overdue.push(item.clone()),
            Some(_) => {}
        }
        if page.meta.reviewer.is_none() {
            work.no_reviewer.push(item);
        }
        for name in tables_shown(&page.body) {
            data_files.entry(name).or_default().push(page.url.clone());
        }
        if let Some((id, _, _)) = &page.meta.form {
            forms.entry(id.clone()).or_default().push(page.url.clone());
        }
    }
    editors.retain(|_, w| {
        !(w.overdue.is_empty() && w.never_reviewed.is_empty() && w.no_reviewer.is_empty())
    });
    Report {
        today: today.to_string(),
        review_every_months: months,
        editors,
        data_files,
        forms,
    }
}

/// A page's editor: its own `editor:`, else its nearest section's in the same language.
fn editor_of(site: &Site, page: &crate::model::Page) -> Option<String> {
    let mut current = Some(page);
    while let Some(p) = current {
        if let Some(editor) = p.meta.editor.as_ref().filter(|_| p.lang == page.lang) {
            return Some(editor.clone());
        }
        current = p.parent.map(|i| &site.pages[i]);
    }
    None
}

/// The data files a body's `{{ table(data="…") }}` calls name.
fn tables_shown(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    for call in body.split("{{").skip(1) {
        let Some(inside) = call.split("}}").next() else {
            continue;
        };
        if !inside.trim_start().starts_with("table(") {
            continue;
        }
        if let Some(rest) = inside.split("data=\"").nth(1)
            && let Some(name) = rest.split('"').next()
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
    }
    names
}

impl Report {
    /// The report as text for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Review report for {} (pages are due {} months after `reviewed:` unless they set `review_every_months`)\n",
            self.today, self.review_every_months
        );
        if self.editors.is_empty() {
            out.push_str("\nEvery page is reviewed in time and has a reviewer.\n");
        }
        let line = |i: &Item| {
            format!(
                "    {} ({}){}\n",
                i.path.display(),
                i.url,
                i.due
                    .as_ref()
                    .map(|d| format!(", due {d}"))
                    .unwrap_or_default()
            )
        };
        for (editor, work) in &self.editors {
            out.push_str(&format!("\n{editor}\n"));
            for (what, items) in [
                ("overdue for review", &work.overdue),
                ("never reviewed (no `reviewed:`)", &work.never_reviewed),
                ("no reviewer (no `reviewer:`)", &work.no_reviewer),
            ] {
                if !items.is_empty() {
                    out.push_str(&format!("  {what}: {}\n", items.len()));
                    for item in items {
                        out.push_str(&line(item));
                    }
                }
            }
        }
        out.push_str("\nData files and the pages that show them\n");
        for (name, urls) in &self.data_files {
            let shown = if urls.is_empty() {
                "(no page)".to_owned()
            } else {
                urls.join(", ")
            };
            out.push_str(&format!("  {name}: {shown}\n"));
        }
        out.push_str("\nForms and the pages that show them\n");
        for (id, urls) in &self.forms {
            out.push_str(&format!("  {id}: {}\n", urls.join(", ")));
        }
        out
    }

    /// Pages overdue for review, for all editors.
    pub fn overdue(&self) -> usize {
        self.editors.values().map(|w| w.overdue.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_calls_are_found_once_per_page() {
        let body = "a {{ table(data=\"levels\") }} b {{ table(data=\"levels\", columns=\"id\") }} {{ table(data=\"fees\") }} {{ other() }}";
        assert_eq!(tables_shown(body), ["levels", "fees"]);
    }
}
