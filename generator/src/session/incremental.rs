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
            let mut summary = crate::summary(
                &last.loaded,
                files,
                started,
                &self.options,
                Some(output::Written {
                    unchanged: files,
                    ..Default::default()
                }),
            );
            summary.rendered = Some(0);
            return Ok(summary);
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
        if front_changed {
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
            last.loaded.site = site;
        } else {
            let at: HashMap<&Path, usize> = last
                .loaded
                .site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.as_path(), i))
                .collect();
            let moved: Vec<(usize, String)> = edits
                .iter()
                .filter_map(|e| at.get(e.rel.as_path()).map(|&i| (i, e.body.clone())))
                .collect();
            for (i, body) in moved {
                last.loaded.site.pages[i].body = body;
            }
        }
        let edited: BTreeSet<&Path> = edits.iter().map(|e| e.rel.as_path()).collect();
        let site = &last.loaded.site;
        let (body, headings): (Vec<u64>, Vec<Vec<render::markdown::Heading>>) = site
            .pages
            .iter()
            .map(|p| match kept.remove(&p.rel) {
                Some(k) if !edited.contains(p.rel.as_path()) => k,
                _ => (prints::hash_of(&p.body), render::headings(&p.body)),
            })
            .unzip();
        let new_prints = prints::all(site, &body, &headings, &last.links);
        let which: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                i == 0
                    || render::lists_the_site(site, i)
                    || last.prints.get(&site.pages[i].rel) != Some(&new_prints[i])
            })
            .collect();
        last.headings = headings;
        last.body = body;
        let (pages, links) = render_some(&last.loaded, &last.headings, &which).map_err(|_| Full)?;
        let site = &last.loaded.site;
        let mut made = pages;
        made.extend(site_wide(&last.loaded).map_err(|_| Full)?);
        // The files every page and site file makes now; a path not made before (a new address) is a
        // full build, which checks it against the static files.
        let page_paths: BTreeSet<PathBuf> = site
            .pages
            .iter()
            .map(|p| render::output_path(&p.url))
            .collect();
        let site_paths: BTreeSet<PathBuf> =
            made[which.len()..].iter().map(|f| f.path.clone()).collect();
        if page_paths
            .iter()
            .chain(&site_paths)
            .any(|p| !last.files.contains_key(p))
        {
            return Err(Full);
        }
        let changed: Vec<&OutputFile> = made
            .iter()
            .filter(|f| last.files.get(&f.path).is_none_or(|b| **b != *f.bytes))
            .collect();
        let removed: Vec<PathBuf> = last
            .files
            .keys()
            .filter(|p| !p.starts_with(crate::search::BUNDLE_DIR))
            .filter(|p| !page_paths.contains(*p) && !site_paths.contains(*p))
            .cloned()
            .collect();
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
        last.prints = site
            .pages
            .iter()
            .zip(new_prints)
            .map(|(p, h)| (p.rel.clone(), h))
            .collect();
        written.unchanged = last.files.len() + last.copies - written.written;
        if html_changed {
            self.generation += 1;
        }
        let last = self.last.as_ref().ok_or(Full)?;
        let mut summary = crate::summary(
            &last.loaded,
            last.files.len() + last.copies,
            started,
            &self.options,
            Some(written),
        );
        summary.rendered = Some(rendered);
        Ok(summary)
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
