//! Typed views: exactly what templates see, built from the model (documented in docs/templates.md).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Cell, ColumnType, DataFile, Page, Site};
use crate::render::markdown::Heading;

/// Everything a page template gets.
#[derive(Serialize)]
pub struct PageContext<'a> {
    /// The page itself.
    pub page: PageView<'a>,
    /// Home → … → parent section.
    pub breadcrumbs: Vec<LinkView<'a>>,
    /// The sidebar listing the current section's pages, rendered for this page by
    /// `partials/section_nav.html`, with the page shown marked `aria-current="page"`; empty on the home
    /// page. (A string, not an option: Tera escapes a value even to test it in `{% if %}`, and the
    /// sidebar is the largest value a page has.)
    pub nav: String,
    /// For a section or the home page: its pages and subsections.
    pub children: Vec<ChildView<'a>>,
    /// User-interface strings in the page's language.
    pub t: &'a BTreeMap<String, String>,
    /// Site-wide values.
    pub site: SiteView<'a>,
    /// Every data file by name.
    pub data: &'a BTreeMap<String, DataFile>,
    /// The search page's list of every page in its language by section (a site index that needs no
    /// JavaScript); empty for every other template.
    pub site_index: Vec<IndexSection<'a>>,
    /// On the home page: the newest notices still in force (any language), newest first; else empty.
    pub notices: Vec<crate::render::notices::NoticeView<'a>>,
}

/// A section of the site index: the section and its pages, in menu order.
#[derive(Serialize)]
pub struct IndexSection<'a> {
    /// The section.
    pub section: LinkView<'a>,
    /// Its pages and subsections.
    pub pages: Vec<LinkView<'a>>,
}

/// The site index in `lang`: every section in that language (depth first, menu order) with its pages.
pub fn site_index(site: &Site, lang: crate::model::Lang) -> Vec<IndexSection<'_>> {
    let link = |i: usize| LinkView {
        title: &site.pages[i].meta.title,
        url: &site.pages[i].url,
    };
    let mut out = Vec::new();
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        let page = &site.pages[i];
        if page.lang == lang && !page.children.is_empty() {
            out.push(IndexSection {
                section: link(i),
                pages: page
                    .children
                    .iter()
                    .filter(|&&c| site.pages[c].lang == lang)
                    .map(|&c| link(c))
                    .collect(),
            });
        }
        stack.extend(
            page.children
                .iter()
                .rev()
                .filter(|&&c| site.pages[c].is_section),
        );
    }
    out
}

/// The page's own values.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// One-sentence summary.
    pub description: Option<&'a str>,
    /// `sv`, `nb` or `en`.
    pub lang: &'a str,
    /// Site-relative URL, `/a/b/`.
    pub url: &'a str,
    /// Absolute URL for the canonical link.
    pub permalink: String,
    /// The rendered body (already sanitised).
    pub content: String,
    /// `##` and `###` headings when the page asks for a table of contents.
    pub toc: Vec<&'a Heading>,
    /// Dates and people for the footer.
    pub updated: Option<String>,
    /// Date the facts were checked.
    pub reviewed: Option<String>,
    /// Responsible editor.
    pub editor: Option<&'a str>,
    /// Who checked the facts.
    pub reviewer: Option<&'a str>,
    /// A folder's index page.
    pub is_section: bool,
    /// The rendered form, or empty when the page names none.
    pub form: String,
    /// The page shows a form (so it needs the form script).
    pub has_form: bool,
    /// The Atom feed of the notices section this page is or is in, as a site path.
    pub feed: Option<String>,
    /// A notice's date.
    pub published: Option<String>,
    /// A notice's last day.
    pub expires: Option<String>,
}

/// A link.
#[derive(Serialize)]
pub struct LinkView<'a> {
    /// Link text.
    pub title: &'a str,
    /// Target URL.
    pub url: &'a str,
}

/// The sidebar: a section and its entries.
#[derive(Serialize)]
pub struct NavView<'a> {
    /// The section's title.
    pub title: &'a str,
    /// The section's URL.
    pub url: &'a str,
    /// The section's pages and subsections in menu order.
    pub items: Vec<NavItem<'a>>,
}

/// One sidebar entry.
#[derive(Serialize)]
pub struct NavItem<'a> {
    /// Title.
    pub title: &'a str,
    /// URL.
    pub url: &'a str,
    /// A subsection.
    pub is_section: bool,
}

/// A child in a section listing.
#[derive(Serialize)]
pub struct ChildView<'a> {
    /// Title.
    pub title: &'a str,
    /// URL.
    pub url: &'a str,
    /// Summary.
    pub description: Option<&'a str>,
    /// Language, when it differs from the listing page's.
    pub lang: Option<&'a str>,
    /// A subsection.
    pub is_section: bool,
    /// A notice's date (children of a notices section).
    pub published: Option<String>,
}

/// Site-wide values.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Absolute base URL.
    pub base_url: &'a str,
}

/// What `shortcodes/table.html` gets as `table`.
#[derive(Serialize)]
pub struct TableView<'a> {
    /// Caption.
    pub caption: &'a str,
    /// Name of the data file.
    pub name: &'a str,
    /// The caption's id, unique on the page: `table-<name>`, then `table-<name>-2` for the same data
    /// file shown again.
    pub id: String,
    /// Column headings.
    pub columns: Vec<&'a str>,
    /// Wide enough (four columns or more) to be shown as one card per row on a narrow screen.
    pub stacked: bool,
    /// Rows of cells.
    pub rows: Vec<Vec<CellView>>,
}

/// One table cell, ready to show.
#[derive(Serialize)]
pub struct CellView {
    /// Text shown.
    pub text: String,
    /// Link target, for phone, e-mail and URL columns.
    pub href: Option<String>,
    /// This cell heads its row.
    pub header: bool,
    /// The column heading, shown beside the value when rows are stacked as cards.
    pub label: String,
}

/// Builds a table view of `data`, limited to `columns` when given (already checked to exist).
pub fn table<'a>(
    name: &'a str,
    data: &'a DataFile,
    columns: &[&str],
    caption: Option<&'a str>,
    occurrence: usize,
) -> TableView<'a> {
    let picked: Vec<_> = if columns.is_empty() {
        data.columns.iter().collect()
    } else {
        columns
            .iter()
            .filter_map(|k| data.columns.iter().find(|c| c.key == *k))
            .collect()
    };
    let rows = data
        .rows
        .iter()
        .map(|row| {
            picked
                .iter()
                .map(|c| {
                    let cell = row.get(&c.key).unwrap_or(&Cell::Empty);
                    let text = cell_text(cell);
                    let href = match c.kind {
                        ColumnType::Phone if !text.is_empty() => {
                            Some(format!("tel:{}", tel(&text)))
                        }
                        ColumnType::Email if !text.is_empty() => Some(format!("mailto:{text}")),
                        ColumnType::Url if !text.is_empty() => Some(text.clone()),
                        _ => None,
                    };
                    CellView {
                        text,
                        href,
                        header: c.header,
                        label: c.label.clone(),
                    }
                })
                .collect()
        })
        .collect();
    TableView {
        caption: caption.unwrap_or(&data.caption),
        name,
        id: match occurrence {
            0 | 1 => format!("table-{name}"),
            n => format!("table-{name}-{n}"),
        },
        columns: picked.iter().map(|c| c.label.as_str()).collect(),
        stacked: picked.len() >= 4,
        rows,
    }
}

/// How a cell reads on the page: lists joined, ranges as `8–30 Mbit/s`.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::List(items) => items.join(", "),
        Cell::Range { min, max } => {
            let unit = |s: &str| {
                s.split_once(' ')
                    .map(|(n, u)| (n.to_string(), u.to_string()))
            };
            match (unit(min), unit(max)) {
                (Some((a, ua)), Some((b, ub))) if ua == ub => format!("{a}–{b} {ua}"),
                _ => format!("{min}–{max}"),
            }
        }
    }
}

/// A phone number as a `tel:` target: digits and a leading `+` only.
fn tel(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// The section whose pages the sidebar of `page` lists: its own for a section with pages, else its
/// parent's; none on the home page.
pub fn nav_section(site: &Site, index: usize) -> Option<usize> {
    let page = &site.pages[index];
    page.parent?;
    if page.is_section && !page.children.is_empty() {
        Some(index)
    } else {
        page.parent
    }
}

/// The sidebar view of `section`: its title and its pages and subsections in menu order (the same for
/// every page of the section; the link to the page shown is marked after rendering).
pub fn nav(site: &Site, section: usize) -> NavView<'_> {
    let s: &Page = &site.pages[section];
    NavView {
        title: &s.meta.title,
        url: &s.url,
        items: s
            .children
            .iter()
            .map(|&c| {
                let p = &site.pages[c];
                NavItem {
                    title: &p.meta.title,
                    url: &p.url,
                    is_section: p.is_section,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_share_their_unit() {
        let r = |a: &str, b: &str| {
            cell_text(&Cell::Range {
                min: a.into(),
                max: b.into(),
            })
        };
        assert_eq!(r("8 Mbit/s", "30 Mbit/s"), "8–30 Mbit/s");
        assert_eq!(r("2 Mbit/s", "20 Gbit/s"), "2 Mbit/s–20 Gbit/s");
        assert_eq!(
            cell_text(&Cell::List(vec!["S1".into(), "S2".into()])),
            "S1, S2"
        );
        assert_eq!(tel("08-123 456 78"), "0812345678");
    }
}
