//! Resolves link destinations written in Markdown: relative `.md` paths become page URLs, fragments and
//! site paths are checked, unknown schemes refused.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::model::Site;

/// What links are checked against: every page by source path and by URL, and every heading id.
pub struct LinkIndex<'a> {
    by_rel: HashMap<&'a Path, usize>,
    by_url: HashMap<&'a str, usize>,
    anchors: Vec<HashSet<&'a str>>,
    assets: HashSet<PathBuf>,
    urls: Vec<&'a str>,
}

impl<'a> LinkIndex<'a> {
    /// Indexes `site`; `anchors[i]` are page `i`'s heading ids, `assets` every published file's path
    /// relative to the output root (content assets, `site/static/` files and the site files).
    pub fn new(site: &'a Site, anchors: Vec<HashSet<&'a str>>, assets: HashSet<PathBuf>) -> Self {
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
            anchors,
            assets,
            urls: site.pages.iter().map(|p| p.url.as_str()).collect(),
        }
    }

    /// Resolves `dest` as written on page `from` (whose source is `from_rel`).
    pub fn resolve(
        &self,
        from: usize,
        from_rel: &Path,
        dest: &str,
    ) -> Result<Option<String>, String> {
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
            return self.fragment(from, fragment, dest).map(|()| None);
        }
        if let Some(site_path) = path.strip_prefix('/') {
            return self.site_path(site_path, fragment, dest);
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
            self.fragment(page, fragment, dest)?;
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

    fn fragment(&self, page: usize, fragment: Option<&str>, dest: &str) -> Result<(), String> {
        match fragment {
            Some(f) if !f.is_empty() && !self.anchors[page].contains(f) => {
                let mut ids: Vec<&str> = self.anchors[page].iter().copied().collect();
                ids.sort_unstable();
                let hint = guidepost_forms::suggest::did_you_mean(f, ids.iter().copied());
                let listed = match ids.len() {
                    0 => "it has no headings with ids".to_owned(),
                    n if n > 15 => format!("its headings: {}, …", ids[..15].join(", ")),
                    _ => format!("its headings: {}", ids.join(", ")),
                };
                Err(format!(
                    "the link `{dest}` points to the heading `#{f}`, which {} does not have{hint}; {listed}",
                    if dest.starts_with('#') {
                        "this page"
                    } else {
                        "that page"
                    }
                ))
            }
            _ => Ok(()),
        }
    }

    fn site_path(
        &self,
        site_path: &str,
        fragment: Option<&str>,
        dest: &str,
    ) -> Result<Option<String>, String> {
        let url = format!("/{site_path}");
        if let Some(&page) = self.by_url.get(url.as_str()) {
            return self.fragment(page, fragment, dest).map(|()| None);
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
        let index = LinkIndex::new(&site, vec![HashSet::new(), HashSet::from(["x"])], published);
        let resolve = |d: &str| index.resolve(0, Path::new("_index.md"), d);
        assert_eq!(resolve("/a/b/#x"), Ok(None));
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
