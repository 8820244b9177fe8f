//! Fingerprints of what each page's HTML is made from, so a rebuild renders again only the pages whose
//! fingerprint changed. A page's HTML depends on its own file, its ancestors (breadcrumbs, the inherited
//! editor, the notices feed), the section its sidebar lists, its own children (a section's list) and the
//! address and headings of every page it links to. What every page depends on (templates, strings,
//! configuration, data, forms, the date, the published files) is not in a fingerprint: a change to any
//! of it renders every page. The home page and the search page list the whole site and are always
//! rendered again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::model::Site;
use crate::render::markdown::Heading;

/// A hash of `value` (fixed-seeded: the same within and across runs of one binary).
pub fn hash_of(value: &(impl Hash + ?Sized)) -> u64 {
    crate::fingerprint::of(value)
}

/// Every page body's hash, in page order, on every core.
pub fn bodies(site: &Site) -> Vec<u64> {
    crate::par::map(site.pages.len(), |i| hash_of(&site.pages[i].body))
}

/// Every page's fingerprint, in page order. `body[i]` is the hash of page `i`'s body, `headings[i]`
/// its headings, and `links` each page's link targets as they were last rendered (by source path).
pub fn all(
    site: &Site,
    body: &[u64],
    headings: &[Vec<Heading>],
    links: &HashMap<PathBuf, Vec<PathBuf>>,
) -> Vec<u64> {
    let anchors: Vec<u64> = headings.iter().map(|hs| anchors_of(hs)).collect();
    with_anchors(site, body, &anchors, links)
}

/// The hash of a page's heading ids, what the pages linking to it depend on.
pub fn anchors_of(headings: &[Heading]) -> u64 {
    hash_of(&headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>())
}

/// [`all`], with each page's [`anchors_of`] already worked out.
pub fn with_anchors(
    site: &Site,
    body: &[u64],
    anchors: &[u64],
    links: &HashMap<PathBuf, Vec<PathBuf>>,
) -> Vec<u64> {
    let n = site.pages.len();
    let own: Vec<u64> = crate::par::map(n, |i| own(site, i));
    let listed: Vec<u64> = crate::par::map(n, |i| listed(site, i, &|c| own[c]));
    let by_rel: HashMap<&Path, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.as_path(), i))
        .collect();
    let parts = Parts {
        own: &|i| own[i],
        listed: &|i| listed[i],
        anchors: &|i| anchors[i],
        page_of: &|rel| by_rel.get(rel).copied(),
    };
    crate::par::map(n, |i| combine(site, i, body[i], links, &parts))
}

/// Page `i`'s fingerprint alone, the same as [`all`] gives it, worked out from only what it depends on
/// (for a rebuild that renders a few pages).
pub fn one(
    site: &Site,
    i: usize,
    body: u64,
    headings: &[Vec<Heading>],
    links: &HashMap<PathBuf, Vec<PathBuf>>,
) -> u64 {
    let own = |j| own(site, j);
    let parts = Parts {
        own: &own,
        listed: &|j| listed(site, j, &own),
        anchors: &|j| anchors_of(&headings[j]),
        page_of: &|rel| site.pages.iter().position(|p| p.rel == rel),
    };
    combine(site, i, body, links, &parts)
}

/// What a page contributes to the pages that show it: its own file's facts, not its body.
fn own(site: &Site, i: usize) -> u64 {
    let p = &site.pages[i];
    hash_of(&(&p.path, &p.rel, &p.url, p.lang, p.is_section, &p.meta))
}

/// A section's list as its pages' sidebars and its own page show it.
fn listed(site: &Site, i: usize, own: &(dyn Fn(usize) -> u64 + Sync)) -> u64 {
    hash_of(
        &site.pages[i]
            .children
            .iter()
            .map(|&c| own(c))
            .collect::<Vec<_>>(),
    )
}

/// The per-page values a fingerprint combines, worked out ahead or on demand.
struct Parts<'a> {
    own: &'a (dyn Fn(usize) -> u64 + Sync),
    listed: &'a (dyn Fn(usize) -> u64 + Sync),
    anchors: &'a (dyn Fn(usize) -> u64 + Sync),
    page_of: &'a (dyn Fn(&Path) -> Option<usize> + Sync),
}

fn combine(
    site: &Site,
    i: usize,
    body: u64,
    links: &HashMap<PathBuf, Vec<PathBuf>>,
    parts: &Parts,
) -> u64 {
    let page = &site.pages[i];
    let mut h = crate::fingerprint::hasher();
    ((parts.own)(i), body, page.body_line, (parts.listed)(i)).hash(&mut h);
    // The ancestors give the breadcrumbs; the parent's list is the sidebar.
    for a in site.ancestors(i) {
        ((parts.own)(a), (parts.listed)(a)).hash(&mut h);
    }
    for target in links.get(&page.rel).into_iter().flatten() {
        match (parts.page_of)(target) {
            Some(t) => (&site.pages[t].url, (parts.anchors)(t)).hash(&mut h),
            None => target.hash(&mut h),
        }
    }
    h.finish()
}
