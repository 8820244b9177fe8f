//! The render stage, pure: the model → every output file's bytes. It only orders the steps: heading ids,
//! the link index and the sidebars first, then every page (`pages`) in parallel, then the site files
//! (`site_files`), collecting every error.

pub mod i18n;
mod links;
pub mod markdown;
mod nav;
pub mod notices;
mod pages;
mod sanitize;
mod shortcodes;
mod site_files;
pub mod templates;
#[cfg(test)]
mod tests;
pub mod views;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::ContentError;
use crate::model::Site;
use i18n::Strings;
use links::LinkIndex;
use markdown::Heading;
use templates::Templates;

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `a/b/index.html`.
    pub path: PathBuf,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Everything rendering needs besides the model.
pub struct Theme<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Loaded templates.
    pub templates: &'a Templates,
    /// User-interface strings.
    pub strings: &'a Strings,
    /// Paths of published content assets, relative to `content/`.
    pub assets: HashSet<PathBuf>,
    /// Paths of the files copied from `site/static/`, relative to the output root.
    pub static_files: HashSet<PathBuf>,
    /// Renders the form with the given id into HTML, or says why it cannot.
    pub form: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// The day of the build: which notices are in force.
    pub today: crate::model::Date,
}

/// The site-wide files [`render`] writes besides pages and aliases; a link may point at them.
const SITE_FILES: [&str; 3] = ["404.html", "sitemap.xml", "robots.txt"];

/// Renders every page, then the site-wide files.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Vec<ContentError>> {
    let mut headings = vec![Vec::new(); site.pages.len()];
    let all: Vec<usize> = (0..site.pages.len()).collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (_, r) in render_pages(site, theme, &mut headings, &all, |p| p) {
        match r {
            Ok(p) => files.push(p.file),
            Err(mut e) => errors.append(&mut e),
        }
    }
    match render_site_files(site, theme) {
        Ok(mut f) => files.append(&mut f),
        Err(mut e) => errors.append(&mut e),
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// One rendered page and what it depends on besides itself.
#[derive(Debug, Clone)]
pub struct PageOutput {
    /// Its file.
    pub file: OutputFile,
    /// The other pages its links point at (their addresses and headings are in its HTML or checked).
    pub links: Vec<usize>,
}

/// Renders the pages `which` (indexes into `site.pages`), on every core, and hands each to `then` on
/// the core that rendered it. `headings[i]` are page `i`'s headings ([`headings`]) for the pages not
/// rendered; a rendered page's are put there as its body is rendered. Links to headings are checked
/// once all are known, so a page whose link points at a missing heading has been handed to `then`
/// before its result is an error.
pub fn render_pages<R: Send>(
    site: &Site,
    theme: &Theme,
    headings: &mut [Vec<Heading>],
    which: &[usize],
    then: impl Fn(PageOutput) -> R + Sync,
) -> Vec<(usize, Result<R, Vec<ContentError>>)> {
    let published = theme
        .assets
        .iter()
        .chain(&theme.static_files)
        .cloned()
        .chain(SITE_FILES.iter().map(PathBuf::from))
        .collect();
    let index = LinkIndex::new(site, published);
    let sidebars = match nav::Sidebars::for_pages(site, theme, which) {
        Ok(sidebars) => sidebars,
        // A sidebar that cannot be rendered is the error of the first page rendered (all are reported).
        Err(errors) => {
            return which
                .first()
                .map(|&i| (i, Err(errors)))
                .into_iter()
                .collect();
        }
    };
    let rendered = crate::par::map(which.len(), |k| {
        let (result, page_headings, anchors) =
            pages::render_page(site, which[k], (&index, &sidebars), theme);
        (result.map(&then), page_headings, anchors)
    });
    let mut results = Vec::with_capacity(which.len());
    let mut to_check = Vec::with_capacity(which.len());
    for (&i, (result, page_headings, anchors)) in which.iter().zip(rendered) {
        headings[i] = page_headings;
        results.push(result);
        to_check.push(anchors);
    }
    let headings = &*headings;
    let missing = crate::par::map(which.len(), |k| {
        pages::check_anchors(site, which[k], &to_check[k], headings)
    });
    which
        .iter()
        .copied()
        .zip(results.into_iter().zip(missing))
        .map(|(i, (result, mut missing))| {
            let result = match (result, missing.is_empty()) {
                (result, true) => result,
                (Ok(_), false) => Err(missing),
                (Err(mut errors), false) => {
                    errors.append(&mut missing);
                    Err(errors)
                }
            };
            (i, result)
        })
        .collect()
}

/// The site-wide files: aliases, 404 page, sitemap, robots.txt and the notices' feeds.
pub fn render_site_files(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Vec<ContentError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    match site_files::render(site, theme) {
        Ok(mut f) => files.append(&mut f),
        Err(mut e) => errors.append(&mut e),
    }
    match notices::feeds(site, theme) {
        Ok(mut f) => files.append(&mut f),
        Err(e) => errors.push(e),
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// A page body's headings, with the ids links point at.
pub fn headings(body: &str) -> Vec<Heading> {
    markdown::headings(body)
}

/// Whether page `i` uses the search template, whose page lists every section of its language.
pub fn lists_the_site(site: &Site, i: usize) -> bool {
    site.pages[i]
        .meta
        .template
        .as_ref()
        .is_some_and(|(t, _, _)| t == pages::SEARCH_TEMPLATE)
}

/// `/a/b/` → `a/b/index.html`.
pub(crate) fn output_path(url: &str) -> PathBuf {
    Path::new(url.trim_start_matches('/')).join("index.html")
}

/// Escapes text for HTML and XML (`& < > " '`): the forms library's escaper, so both crates agree.
pub use guidepost_forms::escape;
