//! Rendering for `guidepost build` with what the last build left: every page (an ordinary build), or,
//! when only pages changed and the output is as the last build left it, only the pages whose fingerprint
//! changed (`session::prints`); either way with what the next build needs to know of each page.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::BuildError;
use crate::load::Loaded;
use crate::manifest::{Cached, key};
use crate::output::Staging;
use crate::render::{self, OutputFile, markdown::Heading};
use crate::session::prints;
use crate::session::{Links, render_some, site_wide};

/// What was rendered: the files, how many pages, and what to remember of every page.
pub struct Rendered {
    /// The rendered pages, then the site files and the forms' export.
    pub files: Vec<OutputFile>,
    /// How many pages were rendered.
    pub pages: usize,
    /// What the next build knows of each page, by path below `content/`.
    pub cache: BTreeMap<String, Cached>,
}

/// Renders every page; into `stage` as each is made, if given (then only the site files are kept).
pub fn everything(loaded: &Loaded, stage: Option<&Staging>) -> Result<Rendered, BuildError> {
    let site = &loaded.site;
    // Each page's headings are found as it is rendered.
    let headings = vec![Vec::new(); site.pages.len()];
    let all: Vec<usize> = (0..site.pages.len()).collect();
    finish(
        loaded,
        prints::bodies(site),
        headings,
        &all,
        Links::new(),
        stage,
    )
}

/// Renders the pages whose fingerprint differs from `cached`, and the site files.
pub fn changed(loaded: &Loaded, cached: &BTreeMap<String, Cached>) -> Result<Rendered, BuildError> {
    let site = &loaded.site;
    let body = prints::bodies(site);
    let known = |i: usize| {
        cached
            .get(&key(&site.pages[i].rel))
            .filter(|c| c.body == body[i])
    };
    // A page whose body is unchanged keeps its heading ids (all that links to it are checked against).
    let headings: Vec<Vec<Heading>> = crate::par::map(site.pages.len(), |i| match known(i) {
        Some(c) => c
            .ids
            .iter()
            .map(|id| Heading {
                level: 0,
                id: id.clone(),
                text: String::new(),
            })
            .collect(),
        None => render::headings(&site.pages[i].body),
    });
    let links: Links = cached
        .iter()
        .map(|(rel, c)| {
            (
                PathBuf::from(rel),
                c.links.iter().map(PathBuf::from).collect(),
            )
        })
        .collect();
    let anchors: Vec<u64> = headings.iter().map(|h| prints::anchors_of(h)).collect();
    let now = prints::with_anchors(site, &body, &anchors, &links);
    let which: Vec<usize> = (0..site.pages.len())
        .filter(|&i| {
            i == 0
                || render::lists_the_site(site, i)
                || cached.get(&key(&site.pages[i].rel)).map(|c| c.print) != Some(now[i])
        })
        .collect();
    finish(loaded, body, headings, &which, links, None)
}

/// Renders `which` and the site files; works out every page's fingerprint for the next build.
fn finish(
    loaded: &Loaded,
    body: Vec<u64>,
    mut headings: Vec<Vec<Heading>>,
    which: &[usize],
    mut links: Links,
    stage: Option<&Staging>,
) -> Result<Rendered, BuildError> {
    let site = &loaded.site;
    // The site files (the sitemap lists every page) beside the pages, not after them; the pages'
    // errors come first, as they would in order.
    let (pages, site_files) = std::thread::scope(|scope| {
        let site_files = scope.spawn(|| site_wide(loaded));
        let pages = render_some(loaded, &mut headings, which, stage);
        let site_files = site_files
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (pages, site_files)
    });
    let (mut files, rendered_links) = pages?;
    links.extend(rendered_links);
    files.extend(site_files?);
    let anchors: Vec<u64> = crate::par::map(headings.len(), |i| prints::anchors_of(&headings[i]));
    let now = prints::with_anchors(site, &body, &anchors, &links);
    let by_rel: &HashMap<PathBuf, Vec<PathBuf>> = &links;
    let cache = crate::par::map(site.pages.len(), |i| {
        let p = &site.pages[i];
        let targets = by_rel.get(&p.rel).map_or(&[][..], Vec::as_slice);
        (
            key(&p.rel),
            Cached {
                print: now[i],
                body: body[i],
                ids: headings[i].iter().map(|h| h.id.clone()).collect(),
                links: targets.iter().map(|t| key(t)).collect(),
            },
        )
    })
    .into_iter()
    .collect();
    Ok(Rendered {
        files,
        pages: which.len(),
        cache,
    })
}
