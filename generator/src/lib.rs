//! guidepost: builds a guidance site from `content/` and `site/`: content → model → render → output.

pub mod config;
pub mod content;
pub mod error;
mod fingerprint;
pub mod forms;
mod load;
mod manifest;
pub mod model;
pub mod output;
mod par;
pub mod render;
mod reuse;
pub mod review;
pub mod search;
pub mod session;
pub mod slug;
mod yaml;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{ContentError, ErrorReport};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The project folder holding `content/` and `site/`.
    pub root: PathBuf,
    /// Where to write the site; `None` checks without writing.
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Pages that are not section indexes.
    pub pages: usize,
    /// Sections, the home page included.
    pub sections: usize,
    /// Languages used by pages.
    pub languages: usize,
    /// Data files loaded.
    pub data_files: usize,
    /// Forms loaded.
    pub forms: usize,
    /// Files written (or that would be).
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site was written, if it was.
    pub out: Option<PathBuf>,
    /// Things that do not stop the build but that an editor should fix (large images).
    pub warnings: Vec<String>,
    /// What writing the output did (files written, left as they were, removed), when it was written.
    pub written: Option<output::Written>,
    /// For a rebuild that kept the last one's results (`guidepost serve`): how many pages it rendered
    /// again; `None` for a build that rendered every page.
    pub rendered: Option<usize>,
}

/// An image larger than this gets a warning: on a phone, a reader downloads all of it.
pub const LARGE_IMAGE_BYTES: u64 = 500 * 1024;

/// Warnings for the images among `assets` that are larger than [`LARGE_IMAGE_BYTES`].
fn large_images(assets: &[content::SourceAsset]) -> Vec<String> {
    let image = |rel: &Path| {
        rel.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg"
            )
        })
    };
    assets
        .iter()
        .filter(|a| image(&a.rel))
        .filter_map(|a| {
            let bytes = std::fs::metadata(&a.from).ok()?.len();
            (bytes > LARGE_IMAGE_BYTES).then(|| {
                format!(
                    "content/{}: the image is {:.1} MB, and readers on phones download all of it; save it under 500 KB (JPEG or WebP, at the width it is shown)",
                    a.rel.display(),
                    bytes as f64 / (1024.0 * 1024.0)
                )
            })
        })
        .collect()
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content has errors; nothing was written.
    #[error("{0}")]
    Content(ErrorReport),
    /// The search index could not be built; nothing was written.
    #[error("{0}")]
    Search(String),
    /// Writing the output failed; the previous output is untouched.
    #[error("cannot write the site to {path}: {source}")]
    Write {
        /// The output folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The editors' review report for the site at `root` (see [`review`]): loads and checks the content like
/// a build, without rendering or writing; `today` replaces today's date.
pub fn review_report(
    root: &Path,
    drafts: bool,
    today: Option<model::Date>,
) -> Result<review::Report, BuildError> {
    let mut errors = Vec::new();
    let config = config::load(root).map_err(|e| errors.extend(e)).ok();
    let sources = content::read(root).map_err(|e| errors.extend(e)).ok();
    let default_lang = config.as_ref().map_or(model::Lang::En, |c| c.default_lang);
    let data = sources
        .as_ref()
        .map(|s| model::data::check_all(&s.data, &mut errors));
    let site = sources.zip(data).and_then(|(s, d)| {
        model::build(s, d, default_lang, drafts)
            .map_err(|e| errors.extend(e))
            .ok()
    });
    let today = match today {
        Some(today) => Some(today),
        None => review::today().map_err(|e| errors.push(e)).ok(),
    };
    match (config, site, today) {
        (Some(config), Some(site), Some(today)) if errors.is_empty() => {
            Ok(review::report(&site, config.review_every_months, today))
        }
        _ => Err(BuildError::Content(ErrorReport::new(errors))),
    }
}

/// Loads, checks and renders the site, then writes it when `options.out` is set. Over the output of an
/// earlier build, it does only what changed since (see [`manifest`]).
pub fn build(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    // The last manifest (and the output's listing) is read while the inputs are walked.
    let (previous, walked) = std::thread::scope(|scope| {
        let walked = scope.spawn(|| options.out.as_ref().map(|_| manifest::walk(options)));
        let previous = options.out.as_deref().and_then(manifest::previous);
        let walked = walked
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (previous, walked)
    });
    let inputs = walked
        .zip(review::today().ok())
        .and_then(|(walked, today)| manifest::inputs(options, today, previous.as_ref(), walked));
    // Nothing changed since the last build into this folder: nothing to do.
    if let (Some(previous), Some(inputs)) = (&previous, &inputs)
        && let Some(mut summary) = previous.unchanged(inputs, options)
    {
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    let loaded =
        load::load(&options.root, options.drafts, false, None).map_err(BuildError::Content)?;
    let copies = loaded.all_copies();
    let Some(out) = &options.out else {
        let files = reuse::everything(&loaded, None)?.files;
        return Ok(summary(
            &loaded,
            files.len() + copies.len(),
            started,
            options,
            None,
        ));
    };
    // Only pages changed, and the output is as the last build left it: render what can differ. The
    // search index needs every page, so a site with search renders them all.
    let reusable = previous
        .zip(inputs.as_ref())
        .and_then(|(p, i)| p.pages(i))
        .filter(|_| !loaded.config.search);
    let (rendered, written, listing) = match reusable {
        Some((cached, outputs)) => {
            let rendered = reuse::changed(&loaded, &cached)?;
            check_clashes(&options.root, paths(&rendered.files), &copies)?;
            let wanted: HashSet<String> = loaded
                .site
                .pages
                .iter()
                .map(|p| render::output_path(&p.url))
                .chain(rendered.files.iter().map(|f| f.path.clone()))
                .chain(copies.iter().map(|c| c.to.clone()))
                .map(|p| manifest::key(&p))
                .collect();
            let removed: Vec<PathBuf> = outputs
                .paths()
                .filter(|p| !wanted.contains(*p))
                .map(PathBuf::from)
                .collect();
            let files: Vec<&render::OutputFile> = rendered.files.iter().collect();
            manifest::forget(out);
            let mut written =
                output::write_some(out, &files, &removed).map_err(|source| BuildError::Write {
                    path: out.clone(),
                    source,
                })?;
            written.unchanged = wanted.len() - written.written;
            let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
            let listing = outputs.updated(out, &paths, &removed);
            (rendered, written, listing)
        }
        None => {
            let write_error = |source| BuildError::Write {
                path: out.clone(),
                source,
            };
            // A first build writes each page into a staging tree as soon as it is rendered (so the
            // pages are never all in memory), unless the search index needs them all.
            let stage = match loaded.config.search {
                true => None,
                false => output::Staging::begin(out).map_err(write_error)?,
            };
            let mut rendered = reuse::everything(&loaded, stage.as_ref())?;
            let mut files = std::mem::take(&mut rendered.files);
            if loaded.config.search {
                let index = search::index(&files).map_err(|e| BuildError::Search(e.to_string()))?;
                files.extend(index);
            }
            // Streamed pages are not in `files`; their paths come from their addresses.
            let pages = loaded
                .site
                .pages
                .iter()
                .map(|p| render::output_path(&p.url));
            check_clashes(&options.root, pages.chain(paths(&files)), &copies)?;
            manifest::forget(out);
            let (written, listing) = match stage {
                Some(stage) => stage
                    .finish(&files, &copies)
                    .map(|(written, made)| (written, Some(manifest::Outputs::of(made)))),
                None => output::write(out, &files, &copies).map(|written| (written, None)),
            }
            .map_err(write_error)?;
            rendered.pages = loaded.site.pages.len();
            (rendered, written, listing)
        }
    };
    let files = written.written + written.unchanged;
    let mut done = summary(&loaded, files, started, options, Some(written));
    if rendered.pages < loaded.site.pages.len() {
        done.rendered = Some(rendered.pages);
    }
    if let Some(inputs) = inputs {
        manifest::record(out, inputs, &done, rendered.cache, listing);
    }
    Ok(done)
}

/// The summary of a build of `loaded` that made `files` files.
pub(crate) fn summary(
    loaded: &load::Loaded,
    files: usize,
    started: Instant,
    options: &BuildOptions,
    written: Option<output::Written>,
) -> Summary {
    let site = &loaded.site;
    let sections = site.pages.iter().filter(|p| p.is_section).count();
    Summary {
        pages: site.pages.len() - sections,
        sections,
        languages: site
            .pages
            .iter()
            .map(|p| p.lang)
            .collect::<BTreeSet<_>>()
            .len(),
        data_files: site.data.len(),
        forms: loaded.forms.iter().count(),
        files,
        elapsed: started.elapsed(),
        out: options.out.clone(),
        warnings: large_images(&loaded.assets),
        written,
        rendered: None,
    }
}

/// The paths of `files`.
pub(crate) fn paths(files: &[render::OutputFile]) -> impl Iterator<Item = PathBuf> + '_ {
    files.iter().map(|f| f.path.clone())
}

/// A static file may not overwrite a generated one (`generated`: every generated file's path).
pub(crate) fn check_clashes(
    root: &Path,
    generated: impl IntoIterator<Item = PathBuf>,
    copies: &[output::CopiedFile],
) -> Result<(), BuildError> {
    let generated: HashSet<PathBuf> = generated.into_iter().collect();
    let errors: Vec<ContentError> = copies
        .iter()
        .filter(|c| generated.contains(c.to.as_path()))
        .map(|c| {
            ContentError::new(
                c.from.strip_prefix(root).unwrap_or(&c.from),
                1,
                1,
                format!(
                    "this file would overwrite the generated /{}",
                    c.to.display()
                ),
            )
            .help("rename or move the file")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Content(ErrorReport::new(errors)))
    }
}
