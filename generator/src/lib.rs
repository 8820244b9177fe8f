//! guidepost: builds a guidance site from `content/` and `site/`: content → model → render → output.

pub mod config;
pub mod content;
pub mod error;
pub mod forms;
pub mod model;
pub mod output;
pub mod render;
pub mod review;
pub mod search;
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

/// Loads, checks and renders the site, then writes it when `options.out` is set.
pub fn build(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let root = &options.root;
    let mut errors = Vec::new();
    let config = config::load(root).map_err(|e| errors.extend(e)).ok();
    let strings = render::i18n::load(root).map_err(|e| errors.extend(e)).ok();
    let templates = render::templates::Templates::load(root)
        .map_err(|e| errors.extend(e))
        .ok();
    let sources = content::read(root).map_err(|e| errors.extend(e)).ok();
    let default_lang = config.as_ref().map_or(model::Lang::En, |c| c.default_lang);
    let assets: Vec<content::SourceAsset> = sources
        .as_ref()
        .map(|s| s.assets.clone())
        .unwrap_or_default();
    let data_errors = errors.len();
    let data = sources
        .as_ref()
        .map(|s| model::data::check_all(&s.data, &mut errors));
    // Forms are checked against good data files only: a broken one is reported on its own.
    let forms = match (&sources, &data) {
        (Some(s), Some(d)) if errors.len() == data_errors => {
            forms::check(&s.forms, &s.privacy, d, s.desks.as_ref())
                .map_err(|e| errors.extend(e))
                .ok()
        }
        _ => None,
    };
    let site = sources.zip(data).and_then(|(s, d)| {
        model::build(s, d, default_lang, options.drafts)
            .map_err(|e| errors.extend(e))
            .ok()
    });
    let today = review::today().map_err(|e| errors.push(e)).ok();
    if let (Some(site), Some(today)) = (&site, today) {
        errors.extend(review::future_dates(site, today));
    }
    let (
        Some(config),
        Some(strings),
        Some(templates),
        Some(site),
        Some((forms, desks)),
        Some(today),
    ) = (config, strings, templates, site, forms, today)
    else {
        return Err(BuildError::Content(ErrorReport::new(errors)));
    };
    // Problems found after every part loaded (dates after today).
    if !errors.is_empty() {
        return Err(BuildError::Content(ErrorReport::new(errors)));
    }
    let render_form = |id: &str| forms::render_empty(&forms, id);
    let mut copies = output::static_files(root);
    let theme = render::Theme {
        config: &config,
        templates: &templates,
        strings: &strings,
        assets: assets.iter().map(|a| a.rel.clone()).collect::<HashSet<_>>(),
        static_files: copies.iter().map(|c| c.to.clone()).collect(),
        form: &render_form,
        today,
    };
    let mut files =
        render::render(&site, &theme).map_err(|e| BuildError::Content(ErrorReport::new(e)))?;
    files.extend(
        forms::export(&forms, &desks, &site)
            .map_err(|e| BuildError::Content(ErrorReport::new(vec![e])))?,
    );
    let index = search::index(&files).map_err(|e| BuildError::Search(e.to_string()))?;
    files.extend(index);
    let forms_count = forms.iter().count();
    copies.extend(assets.iter().map(|a| output::CopiedFile {
        from: a.from.clone(),
        to: a.rel.clone(),
    }));
    check_clashes(root, &files, &copies)?;
    let written = match &options.out {
        Some(out) => {
            Some(
                output::write(out, &files, &copies).map_err(|source| BuildError::Write {
                    path: out.clone(),
                    source,
                })?,
            )
        }
        None => None,
    };
    let sections = site.pages.iter().filter(|p| p.is_section).count();
    Ok(Summary {
        pages: site.pages.len() - sections,
        sections,
        languages: site
            .pages
            .iter()
            .map(|p| p.lang)
            .collect::<BTreeSet<_>>()
            .len(),
        data_files: site.data.len(),
        forms: forms_count,
        files: files.len() + copies.len(),
        elapsed: started.elapsed(),
        out: options.out.clone(),
        warnings: large_images(&assets),
        written,
    })
}

/// A static file may not overwrite a generated one.
fn check_clashes(
    root: &Path,
    files: &[render::OutputFile],
    copies: &[output::CopiedFile],
) -> Result<(), BuildError> {
    let generated: HashSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
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
