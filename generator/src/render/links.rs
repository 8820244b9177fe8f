//! Resolves link destinations written in Markdown: relative `.md` paths become page URLs, fragments and
//! site paths are checked, unknown schemes refused.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::model::Site;

/// What links are checked against: every page by source path and by URL, and every published file.
/// A link's `#fragment` is checked once every page's headings are known ([`LinkIndex::anchor_of`],
/// [`check_anchor`]), so pages are rendered in one pass.
pub struct LinkIndex<'a> {
    by_rel: HashMap<&'a Path, usize>,
    by_url: HashMap<&'a str, usize>,
    assets: HashSet<PathBuf>,
    urls: Vec<&'a str>,
}

impl<'a> LinkIndex<'a> {
    /// Indexes `site`; `assets` are every published file's path relative to the output root (content
    /// assets, `site/static/` files and the site files).
    pub fn new(site: &'a Site, assets: HashSet<PathBuf>) -> Self {
        Self {
            by_rel: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.as_path(), i))
                .collect(),
            by_url: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.url.as_str(), i))
                .collect(),
            assets,
            urls: site.pages.iter().map(|p| p.url.as_str()).collect(),
        }
    }

    /// Resolves `dest` as written on the page whose source is `from_rel`.
    pub fn resolve(&self, from_rel: &Path, dest: &str) -> Result<Option<String>, String> {
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        if let Some((scheme, _)) = path.split_once(':').filter(|(s, _)| !s.contains('/')) {
            return match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" | "mailto" | "tel" => Ok(None),
                _ => Err(format!(
                    "the link `{dest}` uses `{scheme}:`; links may only use http, https, mailto or tel"
                )),
            };
        }
        if path.is_empty() {
            return Ok(None);
        }
        if let Some(site_path) = path.strip_prefix('/') {
            return self.site_path(site_path, dest);
        }
        let base = from_rel.parent().unwrap_or(Path::new(""));
        let Some(target) = normalise(&base.join(path)) else {
            return Err(format!("the link `{dest}` points outside content/"));
        };
        if target.extension().is_some_and(|e| e == "md") {
            let Some(&page) = self.by_rel.get(target.as_path()) else {
                let wanted = target.to_string_lossy();
                let mut pages: Vec<String> = self
                    .by_rel
                    .keys()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                pages.sort_unstable();
                let hint =
                    guidepost_forms::suggest::closest(&wanted, pages.iter().map(String::as_str))
                        .map(|p| format!(" (did you mean content/{p}?)"))
                        .unwrap_or_default();
                return Err(format!(
                    "the link `{dest}` points to content/{}, which does not exist (or is a draft){hint}",
                    target.display()
                ));
            };
            let url = self.urls[page];
            return Ok(Some(
                fragment.map_or_else(|| url.to_string(), |f| format!("{url}#{f}")),
            ));
        }
        if self.assets.contains(&target) {
            return Ok(Some(format!(
                "/{}",
                target.to_string_lossy().replace('\\', "/")
            )));
        }
        Err(format!(
            "the link `{dest}` points to content/{}, which does not exist",
            target.display()
        ))
    }

    /// The page `dest` (written on the page whose source is `from_rel`) points at, if it names one;
    /// what a page's output depends on besides itself.
    pub fn target_page(&self, from_rel: &Path, dest: &str) -> Option<usize> {
        let path = dest.split_once('#').map_or(dest, |(p, _)| p);
        if path.is_empty() || path.split_once(':').is_some_and(|(s, _)| !s.contains('/')) {
            return None;
        }
        if let Some(site_path) = path.strip_prefix('/') {
            return self.by_url.get(format!("/{site_path}").as_str()).copied();
        }
        let target = normalise(&from_rel.parent().unwrap_or(Path::new("")).join(path))?;
        self.by_rel.get(target.as_path()).copied()
    }

    /// The page and heading id that `dest` (written on page `from`, whose source is `from_rel`) points
    /// at, when it has a `#fragment` and names a page; to be checked by [`check_anchor`].
    pub fn anchor_of<'d>(
        &self,
        from: usize,
        from_rel: &Path,
        dest: &'d str,
    ) -> Option<(usize, &'d str)> {
        let (path, fragment) = dest.split_once('#')?;
        if fragment.is_empty() {
            return None;
        }
        let page = match path.is_empty() {
            true => from,
            false => self.target_page(from_rel, dest)?,
        };
        Some((page, fragment))
    }

    fn site_path(&self, site_path: &str, dest: &str) -> Result<Option<String>, String> {
        let url = format!("/{site_path}");
        if self.by_url.contains_key(url.as_str()) {
            return Ok(None);
        }
        if Path::new(site_path).extension().is_some() {
            return if self.assets.contains(Path::new(site_path)) {
                Ok(None)
            } else {
                Err(format!(
                    "the link `{dest}` points to {url}, where there is no file (site/static/ and content/ have none of that path)"
                ))
            };
        }
        Err(format!(
            "the link `{dest}` points to {url}, where there is no page"
        ))
    }
}

/// Whether a page whose heading ids are `ids` has the heading `fragment` that `dest` points at; else
/// what to tell the editor (the ids it does have, and the nearest).
pub fn check_anchor<'i>(
    ids: impl Iterator<Item = &'i str>,
    fragment: &str,
    dest: &str,
) -> Result<(), String> {
    let mut ids: Vec<&str> = ids.collect();
    if ids.contains(&fragment) {
        return Ok(());
    }
    ids.sort_unstable();
    let hint = guidepost_forms::suggest::did_you_mean(fragment, ids.iter().copied());
    let listed = match ids.len() {
        0 => "it has no headings with ids".to_owned(),
        n if n > 15 => format!("its headings: {}, …", ids[..15].join(", ")),
        _ => format!("its headings: {}", ids.join(", ")),
    };
    Err(format!(
        "the link `{dest}` points to the heading `#{fragment}`, which {} does not have{hint}; {listed}",
        if dest.starts_with('#') {
            "this page"
        } else {
            "that page"
        }
    ))
}

/// Joins away `.` and `..`; `None` when the path climbs out of its root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn site() -> Site {
        let page = |rel: &str, url: &str| crate::model::Page {
            path: Path::new("content").join(rel),
            rel: PathBuf::from(rel),
            is_section: rel.ends_with("_index.md"),
            meta: crate::model::FrontMatter::default(),
            lang: crate::model::Lang::En,
            url: url.to_string(),
            body: String::new(),
            body_line: 1,
            parent: None,
            children: Vec::new(),
        };
        Site {
            pages: vec![page("_index.md", "/"), page("a/b.md", "/a/b/")],
            data: BTreeMap::new(),
            aliases: BTreeMap::new(),
        }
    }

    #[test]
    fn site_paths_must_name_a_page_or_a_published_file() {
        let site = site();
        let published = HashSet::from([PathBuf::from("css/site.css"), PathBuf::from("robots.txt")]);
        let index = LinkIndex::new(&site, published);
        let resolve = |d: &str| index.resolve(Path::new("_index.md"), d);
        assert_eq!(resolve("/a/b/#x"), Ok(None));
        let from_home = |d| index.anchor_of(0, Path::new("_index.md"), d);
        assert_eq!(from_home("/a/b/#x"), Some((1, "x")));
        assert_eq!(from_home("a/b.md#x"), Some((1, "x")));
        assert_eq!(from_home("#top"), Some((0, "top")));
        assert_eq!(from_home("a/b.md#"), None);
        assert_eq!(from_home("https://example.org/#x"), None);
        assert_eq!(check_anchor(["x"].into_iter(), "x", "a/b.md#x"), Ok(()));
        assert_eq!(
            check_anchor(["s5", "tabell"].into_iter(), "s6", "a/b.md#s6"),
            Err("the link `a/b.md#s6` points to the heading `#s6`, which that page does not have (did you mean `s5`?); its headings: s5, tabell".to_string())
        );
        assert_eq!(resolve("/css/site.css"), Ok(None));
        assert_eq!(resolve("a/b.md#x"), Ok(Some("/a/b/#x".to_string())));
        assert_eq!(
            resolve("/priser.pdf"),
            Err("the link `/priser.pdf` points to /priser.pdf, where there is no file (site/static/ and content/ have none of that path)".to_string())
        );
        assert_eq!(
            resolve("/a/c/"),
            Err("the link `/a/c/` points to /a/c/, where there is no page".to_string())
        );
    }

    #[test]
    fn normalise_handles_dots() {
        assert_eq!(
            normalise(Path::new("a/./b/../c.md")),
            Some(PathBuf::from("a/c.md"))
        );
        assert_eq!(normalise(Path::new("../x.md")), None);
    }
}
