//! Pure: raw sources → checked pages and sections with URLs, languages and a navigation tree.

pub mod data;
mod frontmatter;
mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{SourcePage, Sources};
use crate::error::ContentError;

pub use data::{Cell, Column, ColumnType, DataFile};
pub use frontmatter::FrontMatter;
pub use types::{Date, Lang};

/// A checked page or section index.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path shown in errors (`content/a/b.md`).
    pub path: PathBuf,
    /// Path relative to `content/`.
    pub rel: PathBuf,
    /// `true` for a folder's `_index.md`.
    pub is_section: bool,
    /// Checked front matter.
    pub meta: FrontMatter,
    /// Language, set or inherited.
    pub lang: Lang,
    /// Pretty URL, `/a/b/`.
    pub url: String,
    /// The Markdown body.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
    /// The section this page belongs to (for a section: its parent), as an index into `Site::pages`.
    pub parent: Option<usize>,
    /// For a section: its pages and subsections in menu order.
    pub children: Vec<usize>,
}

/// The whole content model: pages in source order, index 0 is the home page.
#[derive(Debug, Clone)]
pub struct Site {
    /// Every page and section.
    pub pages: Vec<Page>,
    /// Checked data files by name.
    pub data: BTreeMap<String, DataFile>,
    /// Old URL → index of the page it redirects to.
    pub aliases: BTreeMap<String, usize>,
}

impl Site {
    /// The chain of sections from the home page down to (not including) `page`.
    pub fn ancestors(&self, page: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut cur = self.pages[page].parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }
}

/// Builds the model from the sources and the checked data files ([`data::check_all`]): checks every
/// page's front matter, works out URLs, languages and the section tree, and reports every problem at once.
pub fn build(
    sources: Sources,
    data: BTreeMap<String, DataFile>,
    default_lang: Lang,
    drafts: bool,
) -> Result<Site, Vec<ContentError>> {
    build_with(sources, data, default_lang, drafts, &mut parse_front_matter)
}

/// Parses and checks one page's front matter.
pub fn parse_front_matter(src: &SourcePage) -> Result<FrontMatter, Vec<ContentError>> {
    frontmatter::parse(&src.front_matter, &src.path, src.front_matter_line)
}

/// [`build`] with the front matter parsed by `parse` (a rebuild that keeps earlier results passes
/// a cache; the parse must give what [`parse_front_matter`] gives).
pub fn build_with(
    sources: Sources,
    data: BTreeMap<String, DataFile>,
    default_lang: Lang,
    drafts: bool,
    parse: &mut dyn FnMut(&SourcePage) -> Result<FrontMatter, Vec<ContentError>>,
) -> Result<Site, Vec<ContentError>> {
    let mut errors = Vec::new();
    let mut pages = Vec::new();
    check_names(&sources, &mut errors);
    for src in sources.pages {
        match parse(&src) {
            Ok(meta) if meta.draft && !drafts => {}
            Ok(meta) => {
                check_file_name(&src, &meta, &mut errors);
                pages.push(new_page(src, meta));
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    // The home page first, then sections before their pages: sorting by folder then index-first.
    pages.sort_by(|a, b| sort_key(&a.rel).cmp(&sort_key(&b.rel)));
    link_tree(&mut pages, &sources.folders, default_lang, &mut errors);
    order_notices(&mut pages, &mut errors);
    let aliases = check_urls(&pages, &mut errors);
    if errors.is_empty() {
        Ok(Site {
            pages,
            data,
            aliases,
        })
    } else {
        Err(errors)
    }
}

/// Folder names become addresses: they may use only `a-z`, `0-9` and `-`.
fn check_names(sources: &Sources, errors: &mut Vec<ContentError>) {
    let plain = |name: &str| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let mut reported: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for src in &sources.pages {
        let folders = src.rel.parent().into_iter().flat_map(|p| p.components());
        for folder in folders {
            let name = folder.as_os_str().to_string_lossy();
            if plain(&name) {
                continue;
            }
            let at = PathBuf::from("content").join(src.rel.parent().unwrap_or(Path::new("")));
            if reported.insert(at.clone()) {
                errors.push(
                    ContentError::new(&at, 1, 1, format!(
                        "the folder name `{name}` uses characters other than a-z, 0-9 and -, and folder names become addresses"
                    ))
                    .help(format!("rename the folder, e.g. to `{}`", crate::slug::slugify(&name))),
                );
            }
        }
    }
}

/// A page's file name becomes its address unless `slug:` gives another.
fn check_file_name(src: &SourcePage, meta: &FrontMatter, errors: &mut Vec<ContentError>) {
    let stem = src.rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let plain = stem
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if stem == "_index" || (plain && !stem.is_empty()) || meta.slug.is_some() {
        return;
    }
    errors.push(
        ContentError::new(&src.path, 1, 1, format!(
            "the file name `{stem}.md` uses characters other than a-z, 0-9 and -, and file names become addresses"
        ))
        .help(format!(
            "rename the file, e.g. to `{}.md` (links to it change with it), or set `slug:` to the address you want",
            crate::slug::slugify(stem)
        )),
    );
}

fn new_page(src: SourcePage, meta: FrontMatter) -> Page {
    let is_section = src.rel.file_name().is_some_and(|n| n == "_index.md");
    Page {
        url: url_for(
            &src.rel,
            is_section,
            meta.slug.as_ref().map(|(s, _, _)| s.as_str()),
        ),
        path: src.path,
        rel: src.rel,
        is_section,
        lang: meta.lang.unwrap_or(Lang::En),
        meta,
        body: src.body,
        body_line: src.body_line,
        parent: None,
        children: Vec::new(),
    }
}

fn sort_key(rel: &Path) -> (&Path, bool, &Path) {
    let is_index = rel.file_name().is_some_and(|n| n == "_index.md");
    (rel.parent().unwrap_or(Path::new("")), !is_index, rel)
}

/// `a/b.md` → `/a/b/`, `a/_index.md` → `/a/`, with the slug replacing the last part.
fn url_for(rel: &Path, is_section: bool, slug: Option<&str>) -> String {
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if !is_section {
        parts.push(
            rel.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    }
    if let (Some(slug), Some(last)) = (slug, parts.last_mut()) {
        *last = slug.to_string();
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Finds each page's section, inherits languages top-down and orders each section's children.
fn link_tree(
    pages: &mut [Page],
    folders: &[PathBuf],
    default_lang: Lang,
    errors: &mut Vec<ContentError>,
) {
    let section_of: BTreeMap<PathBuf, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .map(|(i, p)| (p.rel.parent().unwrap_or(Path::new("")).to_path_buf(), i))
        .collect();
    if !section_of.contains_key(Path::new("")) {
        errors.push(
            ContentError::new(
                Path::new("content/_index.md"),
                1,
                1,
                "the home page is missing",
            )
            .help("create content/_index.md with a title"),
        );
    }
    for folder in folders.iter().filter(|f| !section_of.contains_key(*f)) {
        if let Some(page) = pages.iter().find(|p| p.rel.starts_with(folder)) {
            let message = format!("the folder content/{} has no _index.md", folder.display());
            errors.push(
                ContentError::new(&page.path, 1, 1, message)
                    .help("every folder is a section: add an _index.md with the section's title"),
            );
        }
    }
    // Pages are sorted so that a section comes before everything inside it.
    for i in 0..pages.len() {
        let dir = pages[i].rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let parent_dir = if pages[i].is_section {
            dir.parent().map(Path::to_path_buf)
        } else {
            Some(dir)
        };
        let parent = parent_dir
            .and_then(|d| section_of.get(&d).copied())
            .filter(|&p| p != i);
        pages[i].parent = parent;
        let inherited = parent.map_or(default_lang, |p| pages[p].lang);
        pages[i].lang = pages[i].meta.lang.unwrap_or(inherited);
        if let (Some(p), true) = (parent, pages[i].meta.menu) {
            pages[p].children.push(i);
        }
    }
    for i in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[i].children);
        children.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            (a.meta.weight, &a.meta.title, &a.rel).cmp(&(b.meta.weight, &b.meta.title, &b.rel))
        });
        pages[i].children = children;
    }
}

/// The pages of a section marked `notices: true` are notices: each needs `published:`, and they are
/// listed newest first.
fn order_notices(pages: &mut [Page], errors: &mut Vec<ContentError>) {
    for s in 0..pages.len() {
        if !(pages[s].is_section && pages[s].meta.notices) {
            continue;
        }
        let mut children = pages[s].children.clone();
        for &c in &children {
            if pages[c].meta.published.is_none() && !pages[c].is_section {
                errors.push(
                    ContentError::new(&pages[c].path, 1, 1, "a notice needs `published:`, the date it was put out")
                        .help(format!(
                            "add `published: YYYY-MM-DD` (the pages of {} are notices: its _index.md says `notices: true`)",
                            pages[s].path.display()
                        )),
                );
            }
        }
        children.sort_by(|&a, &b| {
            (pages[b].meta.published, &pages[a].meta.title)
                .cmp(&(pages[a].meta.published, &pages[b].meta.title))
        });
        pages[s].children = children;
    }
}

/// Two pages may not claim one URL, nor may an alias shadow a page.
fn check_urls(pages: &[Page], errors: &mut Vec<ContentError>) -> BTreeMap<String, usize> {
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(&first) = owner.get(page.url.as_str()) {
            // Blame the page whose `slug` made the clash: this one if it set one, else the first if
            // only that one did, else this one (the file names clash).
            let blamed = match (&page.meta.slug, &pages[first].meta.slug) {
                (None, Some(_)) => first,
                _ => i,
            };
            let other = if blamed == i { first } else { i };
            let (line, col) = pages[blamed]
                .meta
                .slug
                .as_ref()
                .map_or((1, 1), |(_, l, c)| (*l, *c));
            errors.push(
                ContentError::new(
                    &pages[blamed].path,
                    line,
                    col,
                    format!(
                        "the address {} is already used by {}",
                        page.url,
                        pages[other].path.display()
                    ),
                )
                .help("give one of the pages another file name or `slug`"),
            );
        } else {
            owner.insert(&page.url, i);
        }
    }
    let mut aliases = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for (alias, line) in &page.meta.aliases {
            let clash = owner
                .get(alias.as_str())
                .map(|&p| pages[p].path.display().to_string())
                .or_else(|| {
                    aliases
                        .get(alias)
                        .map(|&p: &usize| pages[p].path.display().to_string())
                });
            match clash {
                Some(other) => errors.push(
                    ContentError::new(
                        &page.path,
                        *line,
                        1,
                        format!("the alias {alias} is already used by {other}"),
                    )
                    .help("remove the alias or change the other page's address"),
                ),
                None => {
                    aliases.insert(alias.clone(), i);
                }
            }
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_pretty_and_honour_slugs() {
        assert_eq!(url_for(Path::new("_index.md"), true, None), "/");
        assert_eq!(url_for(Path::new("a/_index.md"), true, None), "/a/");
        assert_eq!(url_for(Path::new("a/b.md"), false, None), "/a/b/");
        assert_eq!(url_for(Path::new("a/b.md"), false, Some("c")), "/a/c/");
        assert_eq!(url_for(Path::new("a/_index.md"), true, Some("x")), "/x/");
    }
}
