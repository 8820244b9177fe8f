//! The rebuild after edits of existing pages: the changed files read again, the model patched (a body
//! edit) or rebuilt from the kept sources with cached front matter (any other edit), the pages whose
//! fingerprint changed rendered, and the files whose bytes changed written.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Full, Session, parse_cached, prints, render_some, site_wide};
use crate::content::{self, SourcePage};
use crate::output;
use crate::render::{self, OutputFile};
use crate::{Summary, model, review};

impl Session {
    /// Rebuilds after `paths` changed, or says a full build is needed.
    pub(super) fn incremental(
        &mut self,
        paths: &[PathBuf],
        started: Instant,
    ) -> Result<Summary, Full> {
        let root = self.options.root.clone();
        let out = self.options.out.clone().ok_or(Full)?;
        let drafts = self.options.drafts;
        let last = self.last.as_mut().ok_or(Full)?;
        if review::today().ok() != Some(last.loaded.today) {
            return Err(Full);
        }
        let edits = read_edits(&root, paths, &last.sources, last.loaded.sources.as_ref())?;
        if edits.is_empty() {
            let files = last.files.len() + last.copies;
            let unchanged = output::Written {
                unchanged: files,
                ..Default::default()
            };
            return Ok(last.summary(started, &self.options, unchanged, Some(0)));
        }
        let sources = last.loaded.sources.as_mut().ok_or(Full)?;
        let front_changed = edits.iter().any(|e| {
            let old = &sources.pages[last.sources[&e.rel]];
            (&old.front_matter, old.front_matter_line, old.body_line)
                != (&e.front_matter, e.front_matter_line, e.body_line)
        });
        for edit in &edits {
            sources.pages[last.sources[&edit.rel]] = edit.clone();
        }
        let mut moved_anchors: BTreeSet<PathBuf> = BTreeSet::new();
        if front_changed {
            // The headings and body hashes kept by source path, to line up with the new model.
            let mut kept: HashMap<PathBuf, (u64, Vec<render::markdown::Heading>)> = last
                .loaded
                .site
                .pages
                .iter()
                .zip(std::mem::take(&mut last.headings))
                .zip(&last.body)
                .map(|((p, h), &b)| (p.rel.clone(), (b, h)))
                .collect();
            let cache = &mut last.front;
            let sources = last.loaded.sources.clone().ok_or(Full)?;
            let site = model::build_with(
                sources,
                last.loaded.site.data.clone(),
                last.loaded.config.default_lang,
                drafts,
                &mut |src| parse_cached(cache, src),
            )
            .map_err(|_| Full)?;
            if !review::future_dates(&site, last.loaded.today).is_empty() {
                return Err(Full);
            }
            let edited: BTreeSet<&Path> = edits.iter().map(|e| e.rel.as_path()).collect();
            (last.body, last.headings) = site
                .pages
                .iter()
                .map(|p| match kept.remove(&p.rel) {
                    Some(k) if !edited.contains(p.rel.as_path()) => k,
                    _ => (prints::hash_of(&p.body), render::headings(&p.body)),
                })
                .unzip();
            last.loaded.site = site;
        } else {
            // Only bodies changed: the model is the same but for them.
            for edit in &edits {
                if let Some(i) = last
                    .loaded
                    .site
                    .pages
                    .iter()
                    .position(|p| p.rel == edit.rel)
                {
                    last.loaded.site.pages[i].body = edit.body.clone();
                    last.body[i] = prints::hash_of(&edit.body);
                    let headings = render::headings(&edit.body);
                    if prints::anchors_of(&headings) != prints::anchors_of(&last.headings[i]) {
                        moved_anchors.insert(edit.rel.clone());
                    }
                    last.headings[i] = headings;
                }
            }
        }
        let site = &last.loaded.site;
        let (body, headings) = (&last.body, &last.headings);
        // With front matter changed, every fingerprint is worked out again and compared. With only
        // bodies changed, what can differ is known: those pages, and the pages linking to one whose
        // headings changed (the site files show no body, and stay as they are).
        let new_prints = front_changed.then(|| prints::all(site, body, headings, &last.links));
        let edited: BTreeSet<&Path> = edits.iter().map(|e| e.rel.as_path()).collect();
        let which: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                let rel = &site.pages[i].rel;
                i == 0
                    || render::lists_the_site(site, i)
                    || match &new_prints {
                        Some(new) => last.prints.get(rel) != Some(&new[i]),
                        None => {
                            edited.contains(rel.as_path())
                                || last.links.get(rel).is_some_and(|targets| {
                                    targets.iter().any(|t| moved_anchors.contains(t))
                                })
                        }
                    }
            })
            .collect();
        let (pages, links) =
            render_some(&last.loaded, &mut last.headings, &which, None).map_err(|_| Full)?;
        let site = &last.loaded.site;
        let mut made = pages;
        if front_changed {
            made.extend(site_wide(&last.loaded).map_err(|_| Full)?);
        }
        // The site files now; with a front matter change the pages' addresses may differ too. A path
        // not made before (a new address) is a full build, which checks it against the static files.
        let site_paths: BTreeSet<PathBuf> = if front_changed {
            made[which.len()..].iter().map(|f| f.path.clone()).collect()
        } else {
            last.site_paths.clone()
        };
        let page_paths: Option<BTreeSet<PathBuf>> = front_changed.then(|| {
            site.pages
                .iter()
                .map(|p| render::output_path(&p.url))
                .collect()
        });
        if page_paths
            .iter()
            .flatten()
            .chain(&site_paths)
            .any(|p| !last.files.contains_key(p))
        {
            return Err(Full);
        }
        let changed: Vec<&OutputFile> = made
            .iter()
            .filter(|f| last.files.get(&f.path).is_none_or(|b| **b != *f.bytes))
            .collect();
        let removed: Vec<PathBuf> = match &page_paths {
            Some(pages) => last
                .files
                .keys()
                .filter(|p| !p.starts_with(crate::search::BUNDLE_DIR))
                .filter(|p| !pages.contains(*p) && !site_paths.contains(*p))
                .cloned()
                .collect(),
            None => last.site_paths.difference(&site_paths).cloned().collect(),
        };
        let html_changed = changed
            .iter()
            .any(|f| f.path.extension().is_some_and(|e| e == "html"))
            || removed
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "html"));
        let mut written = output::write_some(&out, &changed, &removed).map_err(|_| Full)?;
        for p in &removed {
            last.files.remove(p);
        }
        let rendered = which.len();
        for f in made {
            last.files.insert(f.path, f.bytes.into());
        }
        last.links.extend(links);
        last.site_paths = site_paths;
        match new_prints {
            Some(new) => {
                for (p, h) in site.pages.iter().zip(new) {
                    if last.prints.get(&p.rel) != Some(&h) {
                        last.prints.insert(p.rel.clone(), h);
                    }
                }
            }
            None => {
                // Debug builds (the tests) check that a page's fingerprint alone is the one all give.
                #[cfg(debug_assertions)]
                let all = prints::all(site, &last.body, &last.headings, &last.links);
                for &i in &which {
                    let print = prints::one(site, i, last.body[i], &last.headings, &last.links);
                    #[cfg(debug_assertions)]
                    assert_eq!(
                        print,
                        all[i],
                        "the fingerprint of {}",
                        site.pages[i].path.display()
                    );
                    last.prints.insert(site.pages[i].rel.clone(), print);
                }
            }
        }
        written.unchanged = last.files.len() + last.copies - written.written;
        if html_changed {
            self.generation += 1;
        }
        let last = self.last.as_ref().ok_or(Full)?;
        Ok(last.summary(started, &self.options, written, Some(rendered)))
    }
}

/// The edited pages among `paths`, read again; only those whose text changed. Any other kind of
/// change (not a page, a page added or removed, a page that cannot be read or split) needs a full build.
fn read_edits(
    root: &Path,
    paths: &[PathBuf],
    known: &HashMap<PathBuf, usize>,
    sources: Option<&content::Sources>,
) -> Result<Vec<SourcePage>, Full> {
    let sources = sources.ok_or(Full)?;
    let content_dir = real(&root.join("content")).ok_or(Full)?;
    let mut seen = BTreeSet::new();
    let mut edits = Vec::new();
    for path in paths {
        let absolute = real(path).ok_or(Full)?;
        let Ok(rel) = absolute.strip_prefix(&content_dir) else {
            return Err(Full);
        };
        if rel
            .components()
            .any(|c| c.as_os_str().to_str().is_none_or(content::is_hidden))
        {
            continue; // an editor's temporary file: content::read skips it too
        }
        if rel.extension().is_none_or(|e| e != "md") || !seen.insert(rel.to_path_buf()) {
            if rel.extension().is_none_or(|e| e != "md") {
                return Err(Full);
            }
            continue;
        }
        let Some(&at) = known.get(rel) else {
            return Err(Full);
        };
        let page =
            content::read_page(root, &root.join("content").join(rel), rel).map_err(|_| Full)?;
        let old = &sources.pages[at];
        if (
            &old.front_matter,
            &old.body,
            old.front_matter_line,
            old.body_line,
        ) != (
            &page.front_matter,
            &page.body,
            page.front_matter_line,
            page.body_line,
        ) {
            edits.push(page);
        }
    }
    Ok(edits)
}

/// `path` absolute, its folder's links resolved (the file itself may be gone), so that a watcher's
/// paths and the project's compare whether either was given relative or through a link.
fn real(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    if let Ok(real) = absolute.canonicalize() {
        return Some(real);
    }
    let dir = absolute.parent()?.canonicalize().ok()?;
    Some(dir.join(absolute.file_name()?))
}
