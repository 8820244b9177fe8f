//! The site-wide files: the model → alias pages, 404.html, sitemap.xml and robots.txt, each from a
//! template (the 404 page from `site/templates/`, the others built in, all autoescaped).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::ContentError;
use crate::model::{Lang, Site};
use crate::render::templates::{ALIAS, ROBOTS, SITEMAP};
use crate::render::views::{LinkView, SiteView};
use crate::render::{OutputFile, Theme, output_path};

/// Renders every alias page, then 404.html, sitemap.xml and robots.txt; collects every error.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Vec<ContentError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut push = |path: PathBuf, r: Result<String, ContentError>| match r {
        Ok(text) => files.push(OutputFile {
            path,
            bytes: text.into_bytes(),
        }),
        Err(e) => errors.push(e),
    };
    for (alias, &target) in &site.aliases {
        let page = &site.pages[target];
        let view = AliasView {
            lang: page.lang.code(),
            title: &page.meta.title,
            url: &page.url,
            base_url: &theme.config.base_url,
        };
        push(
            output_path(alias),
            theme.templates.render(ALIAS, &view, &page.path),
        );
    }
    push(
        PathBuf::from("404.html"),
        not_found_page(site, theme, site.pages[0].lang, 0),
    );
    for (path, lang, home) in not_found_pages(site) {
        push(path, not_found_page(site, theme, lang, home));
    }
    push(PathBuf::from("sitemap.xml"), sitemap(site, theme));
    let base = BaseView {
        base_url: &theme.config.base_url,
    };
    push(
        PathBuf::from("robots.txt"),
        theme.templates.render(ROBOTS, &base, Path::new(ROBOTS)),
    );
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// What the built-in alias page gets.
#[derive(Serialize)]
struct AliasView<'a> {
    lang: &'a str,
    title: &'a str,
    url: &'a str,
    base_url: &'a str,
}

/// What the built-in robots.txt gets.
#[derive(Serialize)]
struct BaseView<'a> {
    base_url: &'a str,
}

/// What the built-in sitemap gets: every page by URL.
#[derive(Serialize)]
struct SitemapView<'a> {
    base_url: &'a str,
    pages: Vec<SitemapEntry<'a>>,
}

#[derive(Serialize)]
struct SitemapEntry<'a> {
    url: &'a str,
    updated: Option<String>,
}

fn sitemap(site: &Site, theme: &Theme) -> Result<String, ContentError> {
    let mut pages: Vec<SitemapEntry> = site
        .pages
        .iter()
        .map(|p| SitemapEntry {
            url: &p.url,
            updated: p.meta.updated.map(|d| d.to_string()),
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(b.url));
    let view = SitemapView {
        base_url: &theme.config.base_url,
        pages,
    };
    theme.templates.render(SITEMAP, &view, Path::new(SITEMAP))
}

/// The site's 404 page is in the home page's language; one more per top-level section in another
/// language: `nhn/404.html` in
/// Norwegian, linking to that section's start (the server picks the deepest `404.html` above a path).
fn not_found_pages(site: &Site) -> Vec<(PathBuf, Lang, usize)> {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.parent == Some(0) && p.is_section && p.lang != site.pages[0].lang)
        .map(|(i, p)| (output_path(&p.url).with_file_name("404.html"), p.lang, i))
        .collect()
}

fn not_found_page(
    site: &Site,
    theme: &Theme,
    lang: Lang,
    home: usize,
) -> Result<String, ContentError> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        lang: &'a str,
        t: &'a BTreeMap<String, String>,
        strings: BTreeMap<&'a str, &'a BTreeMap<String, String>>,
        site: SiteView<'a>,
        home: LinkView<'a>,
    }
    let home = &site.pages[home];
    let ctx = Ctx {
        lang: lang.code(),
        t: theme.strings.get(lang),
        strings: Lang::ALL
            .iter()
            .map(|l| (l.code(), theme.strings.get(*l)))
            .collect(),
        site: SiteView {
            base_url: &theme.config.base_url,
        },
        home: LinkView {
            title: &home.meta.title,
            url: &home.url,
        },
    };
    theme
        .templates
        .render("404.html", &ctx, Path::new("404.html"))
}
