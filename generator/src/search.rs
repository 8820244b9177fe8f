//! Search: indexes the rendered pages with Pagefind (the one module that uses the `pagefind` crate) and
//! returns the index files to publish under `/pagefind/`. Only what a page marks `data-pagefind-body`
//! (its `<main>`) is indexed, each page under its own `<html lang>`, so every language gets its own index
//! with its own stemming (Swedish, Norwegian Bokmål, English).

use std::path::{Path, PathBuf};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::render::OutputFile;

/// The folder below the output root that holds the index and Pagefind's search script.
pub const BUNDLE_DIR: &str = "pagefind";

/// Why the index could not be built (an internal failure: the content was already checked).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the search index: {0}")]
pub struct SearchError(String);

/// Indexes every `.html` file among `files` and returns the index files, paths relative to the output.
/// Pagefind is async; the index is built on a thread of its own with its own runtime, so a caller that
/// is itself inside a runtime (`guidepost serve`) can call this too.
pub fn index(files: &[OutputFile]) -> Result<Vec<OutputFile>, SearchError> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| SearchError(e.to_string()))?;
                runtime.block_on(index_pages(files))
            })
            .join()
            .unwrap_or_else(|_| Err(SearchError("the indexing thread panicked".into())))
    })
}

async fn index_pages(files: &[OutputFile]) -> Result<Vec<OutputFile>, SearchError> {
    let fail = |e: anyhow::Error| SearchError(format!("{e:#}"));
    let config = PagefindServiceConfig::builder().build();
    let mut index = PagefindIndex::new(Some(config)).map_err(fail)?;
    for file in files.iter().filter(|f| is_page(&f.path)) {
        let html = String::from_utf8_lossy(&file.bytes).into_owned();
        let source = file.path.to_string_lossy().replace('\\', "/");
        index
            .add_html_file(Some(source), None, html)
            .await
            .map_err(fail)?;
    }
    let mut out: Vec<OutputFile> = index
        .get_files()
        .await
        .map_err(fail)?
        .into_iter()
        .map(|f| OutputFile {
            path: bundle_path(&f.filename),
            bytes: f.contents,
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn is_page(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "html")
}

/// Pagefind names its files below its bundle folder; keep them there, relative to the output root.
fn bundle_path(name: &Path) -> PathBuf {
    let relative: PathBuf = name
        .components()
        .skip_while(|c| c.as_os_str() != BUNDLE_DIR)
        .skip(1)
        .collect();
    let relative = if relative.as_os_str().is_empty() {
        name.to_path_buf()
    } else {
        relative
    };
    Path::new(BUNDLE_DIR).join(relative)
}
