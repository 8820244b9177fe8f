//! The section sidebars: each section's pages in menu order, rendered by `partials/section_nav.html`
//! once per section (not once per page: at 10,000 pages the sidebar was a third of a build), then
//! the link to the page shown marked `aria-current="page"` by guidepost.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::error::ContentError;
use crate::model::Site;
use crate::render::views::{self, NavView};
use crate::render::{Theme, escape};

/// The template that renders a sidebar.
pub const TEMPLATE: &str = "partials/section_nav.html";

/// The rendered sidebars, unmarked, by section (an index into `site.pages`).
#[derive(Default)]
pub struct Sidebars(HashMap<usize, Sidebar>);

/// One section's sidebar, and where the first link to each address in it ends (so marking a page's
/// link is a lookup, not a search through the sidebar once per page).
struct Sidebar {
    html: String,
    ends: HashMap<String, usize>,
}

impl Sidebar {
    fn new(html: String) -> Self {
        let mut ends = HashMap::new();
        for (at, _) in html.match_indices(HREF) {
            let value = &html[at + HREF.len()..];
            if let Some(len) = value.find('"') {
                ends.entry(value[..len].to_string())
                    .or_insert(at + HREF.len() + len + 1);
            }
        }
        Self { html, ends }
    }
}

const HREF: &str = "href=\"";

impl Sidebars {
    /// Renders the sidebars the pages `which` show, on every core; every section's error collected.
    pub fn for_pages(
        site: &Site,
        theme: &Theme,
        which: &[usize],
    ) -> Result<Self, Vec<ContentError>> {
        let sections: Vec<usize> = which
            .iter()
            .filter_map(|&i| views::nav_section(site, i))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let rendered = crate::par::map(sections.len(), |k| render(site, sections[k], theme));
        let mut out = HashMap::with_capacity(sections.len());
        let mut errors = Vec::new();
        for (section, result) in sections.into_iter().zip(rendered) {
            match result {
                Ok(html) => {
                    out.insert(section, Sidebar::new(html));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Self(out))
        } else {
            Err(errors)
        }
    }

    /// The sidebar of page `index` with its own link marked, or none (the home page has none).
    pub fn of(&self, site: &Site, index: usize) -> Option<String> {
        let section = views::nav_section(site, index)?;
        let sidebar = self.0.get(&section)?;
        let url = &site.pages[index].url;
        Some(match sidebar.ends.get(escape(url).as_str()) {
            Some(&end) => marked(&sidebar.html, end),
            None => sidebar.html.clone(),
        })
    }
}

/// Renders the sidebar of `section`.
fn render(site: &Site, section: usize, theme: &Theme) -> Result<String, ContentError> {
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        nav: NavView<'a>,
        t: &'a BTreeMap<String, String>,
    }
    let page = &site.pages[section];
    let ctx = Ctx {
        nav: views::nav(site, section),
        t: theme.strings.get(page.lang),
    };
    theme
        .templates
        .render(TEMPLATE, &ctx, Path::new(&page.path))
}

/// `html` with ` aria-current="page"` after the first `href="<url>"` (the link to the page shown), so
/// screen readers announce where the reader is. Unchanged when no link has that address.
#[cfg(test)]
pub fn mark(html: &str, url: &str) -> String {
    let href = format!("{HREF}{}\"", escape(url));
    match html.find(&href) {
        Some(at) => marked(html, at + href.len()),
        None => html.to_owned(),
    }
}

/// `html` with ` aria-current="page"` at `end`, the end of a link's `href`.
fn marked(html: &str, end: usize) -> String {
    let mut out = String::with_capacity(html.len() + 20);
    out.push_str(&html[..end]);
    out.push_str(" aria-current=\"page\"");
    out.push_str(&html[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::mark;

    #[test]
    fn the_exact_address_is_marked_once_and_a_longer_one_is_not() {
        let html = r#"<a href="/a/b/">B</a><a href="/a/">A</a><a href="/a/">again</a>"#;
        assert_eq!(
            mark(html, "/a/"),
            r#"<a href="/a/b/">B</a><a href="/a/" aria-current="page">A</a><a href="/a/">again</a>"#
        );
        assert_eq!(mark(html, "/c/"), html);
        let sidebar = super::Sidebar::new(html.to_string());
        assert_eq!(
            super::marked(html, sidebar.ends["/a/"]),
            mark(html, "/a/"),
            "the sidebar's own index finds the same first link"
        );
        assert_eq!(sidebar.ends.len(), 2);
        assert_eq!(
            mark(r#"<a href="/x/?a=1&amp;b=2">X</a>"#, "/x/?a=1&b=2"),
            r#"<a href="/x/?a=1&amp;b=2" aria-current="page">X</a>"#,
            "the address as the template escaped it"
        );
    }
}
