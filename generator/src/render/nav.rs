//! The section sidebar, rendered once per section (it lists every page of the section, so rendering it
//! for each page would cost as much as the page itself); each page gets a copy with its own link marked.

use std::collections::HashMap;
use std::path::Path;

use crate::error::ContentError;
use crate::model::Site;
use crate::render::Theme;
use crate::render::views::{self, NavView};

/// The rendered sidebar of every section that has one, by section index.
pub struct SectionNavs(HashMap<usize, String>);

/// The template that renders a sidebar.
pub const TEMPLATE: &str = "partials/section_nav.html";

impl SectionNavs {
    /// Renders the sidebar of every section some page shows.
    pub fn render(site: &Site, theme: &Theme) -> Result<SectionNavs, Vec<ContentError>> {
        #[derive(serde::Serialize)]
        struct Ctx<'a> {
            nav: NavView<'a>,
            t: &'a std::collections::BTreeMap<String, String>,
        }
        let mut navs = HashMap::new();
        let mut errors = Vec::new();
        let sections: std::collections::BTreeSet<usize> = (0..site.pages.len())
            .filter_map(|i| views::nav_section(site, i))
            .collect();
        for s in sections {
            let section = &site.pages[s];
            let ctx = Ctx {
                nav: views::nav(site, s),
                t: theme.strings.get(section.lang),
            };
            match theme
                .templates
                .render(TEMPLATE, &ctx, Path::new(&section.path))
            {
                Ok(html) => {
                    navs.insert(s, html);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(SectionNavs(navs))
        } else {
            Err(errors)
        }
    }

    /// The sidebar for page `index`, its own link marked `aria-current="page"`.
    pub fn for_page(&self, site: &Site, index: usize) -> Option<String> {
        let html = self.0.get(&views::nav_section(site, index)?)?;
        let link = format!("href=\"{}\"", site.pages[index].url);
        Some(html.replacen(&link, &format!("{link} aria-current=\"page\""), 1))
    }
}
