//! The section sidebar of one page: the section's pages in menu order, rendered by
//! `partials/section_nav.html` with the page shown marked (the template writes `aria-current`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::ContentError;
use crate::model::Site;
use crate::render::Theme;
use crate::render::views::{self, NavView};

/// The template that renders a sidebar.
pub const TEMPLATE: &str = "partials/section_nav.html";

/// The sidebar of page `index`, or none (the home page has none).
pub fn render(site: &Site, index: usize, theme: &Theme) -> Result<Option<String>, ContentError> {
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        nav: NavView<'a>,
        t: &'a BTreeMap<String, String>,
    }
    let Some(section) = views::nav_section(site, index) else {
        return Ok(None);
    };
    let page = &site.pages[index];
    let ctx = Ctx {
        nav: views::nav(site, section, index),
        t: theme.strings.get(page.lang),
    };
    theme
        .templates
        .render(TEMPLATE, &ctx, Path::new(&page.path))
        .map(Some)
}
