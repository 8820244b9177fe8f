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
    let pages: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|f| (f.path.as_path(), f.bytes.as_slice()))
        .collect();
    index_refs(&pages)
}

/// [`index`] over borrowed files (path relative to the output, bytes). Pages are added in path order,
/// so the index does not depend on the order they are given in.
pub fn index_refs(files: &[(&Path, &[u8])]) -> Result<Vec<OutputFile>, SearchError> {
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

async fn index_pages(files: &[(&Path, &[u8])]) -> Result<Vec<OutputFile>, SearchError> {
    let fail = |e: anyhow::Error| SearchError(format!("{e:#}"));
    let config = PagefindServiceConfig::builder().build();
    let mut index = PagefindIndex::new(Some(config)).map_err(fail)?;
    let mut pages: Vec<&(&Path, &[u8])> = files.iter().filter(|(p, _)| is_page(p)).collect();
    pages.sort_by_key(|(p, _)| *p);
    for (path, bytes) in pages {
        let Some(html) = indexed_part(&String::from_utf8_lossy(bytes)) else {
            continue;
        };
        let source = path.to_string_lossy().replace('\\', "/");
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

/// The page cut down to what Pagefind reads: its `<html lang>`, `<title>` and the `<main>` marked
/// `data-pagefind-body`. Pages without the mark (404, the search page, redirects) give `None`.
/// Parsing only this, not the header, sidebar and footer, is most of the indexing time saved.
fn indexed_part(html: &str) -> Option<String> {
    let body_start = html.find("<main")?;
    let open_end = body_start + html[body_start..].find('>')?;
    if !html[body_start..open_end].contains("data-pagefind-body") {
        return None;
    }
    let body_end = open_end + html[open_end..].find("</main>")? + "</main>".len();
    let head_end = html.find("</head>").unwrap_or(0);
    let html_tag_end = html
        .find("<html")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let html_tag = html_tag_end.map_or("<html>", |end| &html[html.find("<html").unwrap_or(0)..end]);
    let title = html[..head_end]
        .find("<title>")
        .and_then(|i| {
            html[i..head_end]
                .find("</title>")
                .map(|j| &html[i..i + j + "</title>".len()])
        })
        .unwrap_or("");
    Some(format!(
        "<!DOCTYPE html>{html_tag}<head>{title}</head><body>{}</body></html>",
        &html[body_start..body_end]
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_marked_main_is_indexed_with_the_page_language_and_title() {
        let page = "<!DOCTYPE html>\n<html lang=\"nb\">\n<head><title>Domene – x</title><link rel=\"stylesheet\"></head>\n<body><nav>sidebar</nav><main id=\"main\" data-pagefind-body><h1>Domene</h1></main><footer>f</footer></body></html>";
        assert_eq!(
            indexed_part(page).as_deref(),
            Some(
                "<!DOCTYPE html><html lang=\"nb\"><head><title>Domene – x</title></head><body><main id=\"main\" data-pagefind-body><h1>Domene</h1></main></body></html>"
            )
        );
        assert_eq!(
            indexed_part("<html><body><main id=\"main\"><h1>Kvitto</h1></main></body></html>"),
            None
        );
        assert_eq!(
            indexed_part("<html><head><meta http-equiv=\"refresh\"></head></html>"),
            None
        );
    }

    #[test]
    fn the_example_pages_get_one_index_per_language() {
        let page = |lang: &str, title: &str| {
            OutputFile {
            path: PathBuf::from(format!("{lang}/index.html")),
            bytes: format!("<html lang=\"{lang}\"><head><title>{title}</title></head><body><main data-pagefind-body><h1>{title}</h1><p>anslutningarna domenet statements</p></main></body></html>").into_bytes(),
        }
        };
        let files = index(&[
            page("sv", "Anslutning"),
            page("nb", "Domene"),
            page("en", "Statement"),
        ])
        .expect("index");
        let entry = files
            .iter()
            .find(|f| f.path == Path::new("pagefind/pagefind-entry.json"))
            .expect("entry");
        let entry = String::from_utf8_lossy(&entry.bytes);
        for lang in ["\"sv\"", "\"nb\"", "\"en\""] {
            assert!(entry.contains(lang), "{entry}");
        }
        assert!(
            files
                .iter()
                .any(|f| f.path == Path::new("pagefind/pagefind.js"))
        );
    }
}
