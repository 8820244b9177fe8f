//! Rebuilds that keep the last one's results (`guidepost serve`): after a save, only the changed pages
//! are read again, only the pages whose output can differ are rendered ([`prints`]), and only files whose
//! bytes changed are written. Anything but an edit of existing pages (a template, strings, data, a form,
//! the configuration, a page added or removed, an asset, a new day) is a full build; so is any rebuild
//! after a failed one, and a rebuild whose pages have errors (which then reports them all). The search
//! index is built apart ([`Session::search_job`]) since it takes longest: pages first, index after.

pub(crate) mod prints;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::content::SourcePage;
use crate::error::{ContentError, ErrorReport};
use crate::load::{self, Loaded};
use crate::model::{self, FrontMatter};
use crate::output::{self, Written};
use crate::render::{self, OutputFile, markdown::Heading};
use crate::{BuildError, BuildOptions, Summary, forms, search};

/// What changed since the last rebuild.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown: build everything.
    All,
    /// These files were written, created or removed (absolute, or relative to the current folder, as
    /// a file watcher reports them).
    Paths(Vec<PathBuf>),
}

/// A build that remembers its results.
pub struct Session {
    options: BuildOptions,
    last: Option<Last>,
    /// The last build failed: the next one is a full build.
    dirty: bool,
    /// Increases whenever a page's HTML changes, so the search index knows when it is behind.
    generation: u64,
    /// The generation the written search index was built from.
    indexed: Option<u64>,
}

/// What the last good build made and was made from.
struct Last {
    loaded: Loaded,
    /// Every page source by path relative to `content/`, as last read.
    sources: HashMap<PathBuf, usize>,
    /// The page headings and body hashes, in `loaded.site.pages` order.
    headings: Vec<Vec<Heading>>,
    body: Vec<u64>,
    /// Page fingerprints by source path.
    prints: HashMap<PathBuf, u64>,
    /// Every page's front matter as parsed, by source path.
    front: FrontCache,
    /// Each page's link targets (source paths), as last rendered.
    links: Links,
    /// The site-wide files among them (aliases, 404, sitemap, feeds, the forms' export).
    site_paths: BTreeSet<PathBuf>,
    /// Every file the build made, search index included, as it is in the output.
    files: BTreeMap<PathBuf, Arc<[u8]>>,
    /// How many files are copied as they are.
    copies: usize,
}

impl Last {
    /// The summary of a rebuild that left this state; `rendered`: how many pages it rendered, if not all.
    fn summary(
        &self,
        started: Instant,
        options: &BuildOptions,
        written: Written,
        rendered: Option<usize>,
    ) -> Summary {
        let files = self.files.len() + self.copies;
        let mut summary = crate::summary(&self.loaded, files, started, options, Some(written));
        summary.rendered = rendered;
        summary
    }
}

/// The pages the search index is built from, at one generation.
pub struct SearchJob {
    generation: u64,
    pages: Vec<(PathBuf, Arc<[u8]>)>,
}

impl SearchJob {
    /// Builds the index (slow: run it off the thread that rebuilds).
    pub fn run(&self) -> Result<Vec<OutputFile>, BuildError> {
        let pages: Vec<(&Path, &[u8])> = self
            .pages
            .iter()
            .map(|(p, b)| (p.as_path(), &**b))
            .collect();
        search::index_refs(&pages).map_err(|e| BuildError::Search(e.to_string()))
    }
}

/// Each page's link targets, by source path.
pub(crate) type Links = HashMap<PathBuf, Vec<PathBuf>>;

/// Front matter parsed before, by source path, with the text and line it was parsed from.
type FrontCache = HashMap<PathBuf, (String, usize, FrontMatter)>;

/// Why a rebuild could not keep the last results; a full build follows.
struct Full;

impl Session {
    /// A session that has built nothing yet; `options.out` must be set.
    pub fn new(options: BuildOptions) -> Self {
        Self {
            options,
            last: None,
            dirty: false,
            generation: 0,
            indexed: None,
        }
    }

    /// Rebuilds after `changes`, writing what changed; on failure nothing is written.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Summary, BuildError> {
        let started = Instant::now();
        if let (Changes::Paths(paths), false) = (changes, self.dirty)
            && let Ok(summary) = self.incremental(paths, started)
        {
            return Ok(summary);
        }
        let result = self.full(started);
        self.dirty = result.is_err();
        result
    }

    /// The search index's work, when the written index is behind the pages.
    pub fn search_job(&self) -> Option<SearchJob> {
        let last = self.last.as_ref()?;
        if self.indexed == Some(self.generation) || !last.loaded.config.search {
            return None;
        }
        let pages = last
            .files
            .iter()
            .filter(|(p, _)| !p.starts_with(search::BUNDLE_DIR))
            .map(|(p, b)| (p.clone(), Arc::clone(b)))
            .collect();
        Some(SearchJob {
            generation: self.generation,
            pages,
        })
    }

    /// Writes the index `job` built, unless the pages changed since (`Ok(None)`: run a new job).
    pub fn install_search(
        &mut self,
        job: &SearchJob,
        index: Vec<OutputFile>,
    ) -> Result<Option<Written>, BuildError> {
        let out = self.out()?;
        let Some(last) = self
            .last
            .as_mut()
            .filter(|_| job.generation == self.generation)
        else {
            return Ok(None);
        };
        let new: BTreeSet<&Path> = index.iter().map(|f| f.path.as_path()).collect();
        let removed: Vec<PathBuf> = last
            .files
            .keys()
            .filter(|p| p.starts_with(search::BUNDLE_DIR) && !new.contains(p.as_path()))
            .cloned()
            .collect();
        let changed: Vec<&OutputFile> = index
            .iter()
            .filter(|f| last.files.get(&f.path).is_none_or(|b| **b != *f.bytes))
            .collect();
        let written =
            output::write_some(&out, &changed, &removed).map_err(|source| BuildError::Write {
                path: out.clone(),
                source,
            })?;
        for p in &removed {
            last.files.remove(p);
        }
        for f in index {
            last.files.insert(f.path, f.bytes.into());
        }
        self.indexed = Some(job.generation);
        Ok(Some(written))
    }

    /// Builds the index now and writes it (what `serve` does on a thread of its own).
    pub fn index_now(&mut self) -> Result<(), BuildError> {
        while let Some(job) = self.search_job() {
            let index = job.run()?;
            self.install_search(&job, index)?;
        }
        Ok(())
    }

    fn out(&self) -> Result<PathBuf, BuildError> {
        self.options.out.clone().ok_or_else(|| BuildError::Write {
            path: PathBuf::new(),
            source: std::io::Error::other("a session needs an output folder"),
        })
    }

    /// Everything read, checked, rendered and written again (over the output, changes only).
    fn full(&mut self, started: Instant) -> Result<Summary, BuildError> {
        let mut cache = self
            .last
            .as_mut()
            .map(|l| std::mem::take(&mut l.front))
            .unwrap_or_default();
        let result = self.full_from(started, &mut cache);
        // A failed build keeps what it knew, so the next try parses only what changed again.
        if result.is_err()
            && let Some(last) = &mut self.last
        {
            last.front = cache;
        }
        result
    }

    fn full_from(
        &mut self,
        started: Instant,
        cache: &mut FrontCache,
    ) -> Result<Summary, BuildError> {
        let out = self.out()?;
        let loaded = load::load(
            &self.options.root,
            self.options.drafts,
            true,
            Some(&mut |src| parse_cached(cache, src)),
        )
        .map_err(BuildError::Content)?;
        let site = &loaded.site;
        let mut headings = vec![Vec::new(); site.pages.len()];
        let body = prints::bodies(site);
        let all: Vec<usize> = (0..site.pages.len()).collect();
        let (pages, links) = render_some(&loaded, &mut headings, &all, None)?;
        let mut files = pages;
        let site_files = site_wide(&loaded)?;
        let site_paths = site_files.iter().map(|f| f.path.clone()).collect();
        files.extend(site_files);
        // The last index stays until the new one is built.
        let carried = self.last.as_ref().filter(|_| loaded.config.search);
        let search: Vec<OutputFile> = carried.map_or_else(Vec::new, |l| {
            l.files
                .iter()
                .filter(|(p, _)| p.starts_with(search::BUNDLE_DIR))
                .map(|(p, b)| OutputFile {
                    path: p.clone(),
                    bytes: b.to_vec(),
                })
                .collect()
        });
        let had_index = !search.is_empty();
        files.extend(search);
        let copies = loaded.all_copies();
        crate::check_clashes(&self.options.root, crate::paths(&files), &copies)?;
        let written = output::write(&out, &files, &copies).map_err(|source| BuildError::Write {
            path: out.clone(),
            source,
        })?;
        let prints = prints::all(site, &body, &headings, &links);
        let last = Last {
            sources: source_index(&loaded),
            prints: site
                .pages
                .iter()
                .zip(prints)
                .map(|(p, h)| (p.rel.clone(), h))
                .collect(),
            headings,
            body,
            links,
            front: std::mem::take(cache),
            site_paths,
            files: files
                .into_iter()
                .map(|f| (f.path, f.bytes.into()))
                .collect(),
            copies: copies.len(),
            loaded,
        };
        let summary = last.summary(started, &self.options, written, None);
        self.last = Some(last);
        self.generation += 1;
        if !had_index {
            self.indexed = None;
        }
        Ok(summary)
    }
}

/// Parses `src`'s front matter unless the cache has it from the same text.
fn parse_cached(
    cache: &mut FrontCache,
    src: &SourcePage,
) -> Result<FrontMatter, Vec<ContentError>> {
    if let Some((text, line, meta)) = cache.get(&src.rel)
        && *text == src.front_matter
        && *line == src.front_matter_line
    {
        return Ok(meta.clone());
    }
    let meta = model::parse_front_matter(src)?;
    cache.insert(
        src.rel.clone(),
        (
            src.front_matter.clone(),
            src.front_matter_line,
            meta.clone(),
        ),
    );
    Ok(meta)
}

/// Where each page source is in the kept sources.
fn source_index(loaded: &Loaded) -> HashMap<PathBuf, usize> {
    loaded.sources.as_ref().map_or_else(HashMap::new, |s| {
        s.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.clone(), i))
            .collect()
    })
}

/// Renders the pages `which`; their files and each one's link targets, or every error.
pub(crate) fn render_some(
    loaded: &Loaded,
    headings: &mut [Vec<Heading>],
    which: &[usize],
    stage: Option<&output::Staging>,
) -> Result<(Vec<OutputFile>, Links), BuildError> {
    let form = |id: &str| loaded.form(id);
    let theme = loaded.theme(&form);
    let site = &loaded.site;
    let mut files = Vec::new();
    let mut links = HashMap::new();
    let mut errors = Vec::new();
    // With a staging tree, each page goes to disk on the core that rendered it and is not kept.
    let results = render::render_pages(site, &theme, headings, which, |page| match stage {
        Some(stage) => {
            stage.put(page.file);
            (None, page.links)
        }
        None => (Some(page.file), page.links),
    });
    for (i, result) in results {
        match result {
            Ok((file, targets)) => {
                let targets = targets.iter().map(|&t| site.pages[t].rel.clone()).collect();
                links.insert(site.pages[i].rel.clone(), targets);
                files.extend(file);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok((files, links))
    } else {
        Err(BuildError::Content(ErrorReport::new(errors)))
    }
}

/// The site-wide files and the forms' export.
pub(crate) fn site_wide(loaded: &Loaded) -> Result<Vec<OutputFile>, BuildError> {
    let form = |id: &str| loaded.form(id);
    let theme = loaded.theme(&form);
    let mut files = render::render_site_files(&loaded.site, &theme)
        .map_err(|e| BuildError::Content(ErrorReport::new(e)))?;
    files.extend(
        forms::export(&loaded.forms, &loaded.desks, &loaded.site)
            .map_err(|e| BuildError::Content(ErrorReport::new(vec![e])))?,
    );
    Ok(files)
}

mod incremental;
