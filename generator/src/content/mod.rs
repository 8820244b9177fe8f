//! IO in: walks `content/` in sorted order and reads every page, data file, form definition and asset,
//! keeping line offsets. The only stage that reads content files.

mod frontmatter;

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::ContentError;

pub use frontmatter::split_front_matter;
pub use guidepost_forms::FormSource;

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path as shown in errors, relative to the project root (`content/a/b.md`).
    pub path: PathBuf,
    /// Path relative to `content/` (`a/b.md`).
    pub rel: PathBuf,
    /// The YAML between the `---` lines.
    pub front_matter: String,
    /// The file line the YAML starts on.
    pub front_matter_line: usize,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// A YAML data file from `content/data/`.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// Path as shown in errors (`content/data/service_levels.yaml`).
    pub path: PathBuf,
    /// The name templates and pages use (`service_levels`).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// A file next to the pages that is published as it is (an image, a PDF).
#[derive(Debug, Clone)]
pub struct SourceAsset {
    /// Absolute or root-relative path to read from.
    pub from: PathBuf,
    /// Path relative to `content/`, which is also its path in the output.
    pub rel: PathBuf,
}

/// Everything read from `content/`, in sorted order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Every page and section index.
    pub pages: Vec<SourcePage>,
    /// Every data file.
    pub data: Vec<SourceData>,
    /// Every form definition (`content/forms/*.yaml`), path as shown in errors.
    pub forms: Vec<FormSource>,
    /// Every privacy notice (`content/forms/privacy/*.yaml`), path as shown in errors.
    pub privacy: Vec<FormSource>,
    /// The service desks forms send to (`content/desks.yaml`), if the site has the file.
    pub desks: Option<FormSource>,
    /// Every other file, published as it is.
    pub assets: Vec<SourceAsset>,
    /// Every folder below `content/` (relative), sections included.
    pub folders: Vec<PathBuf>,
}

/// Folders of `content/` that hold no pages.
const DATA_DIR: &str = "data";
const FORMS_DIR: &str = "forms";
/// The desks forms send to; never published.
pub const DESKS_FILE: &str = "desks.yaml";
/// Privacy notices, below `content/forms/`.
const PRIVACY_DIR: &str = "privacy";

/// Reads `root/content`, collecting every problem before failing.
pub fn read(root: &Path) -> Result<Sources, Vec<ContentError>> {
    let content = root.join("content");
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    if !content.is_dir() {
        return Err(vec![
            ContentError::new(
                Path::new("content"),
                1,
                1,
                "the folder `content/` does not exist",
            )
            .help("run guidepost in the project folder, or pass --root DIR"),
        ]);
    }
    let walker = crate::par::walk(&content, |e| {
        !is_hidden(e.file_name().to_str().unwrap_or(""))
    });
    // Pages are read and split on every core once the walk has found them all.
    let mut pages: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(&content).to_path_buf();
                errors.push(ContentError::new(
                    &display_path(root, &path),
                    1,
                    1,
                    e.to_string(),
                ));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap_or(entry.path())
            .to_path_buf();
        if rel.as_os_str().is_empty() {
            continue;
        }
        let shown = display_path(root, entry.path());
        if entry.file_type().is_dir() {
            if rel != Path::new(DATA_DIR) && rel != Path::new(FORMS_DIR) {
                sources.folders.push(rel);
            }
            continue;
        }
        match read_entry(entry.path(), rel, shown, &mut sources) {
            Ok(Some(page)) => pages.push(page),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    let read = crate::par::map(pages.len(), |i| {
        let (from, rel, shown) = &pages[i];
        page(from, rel.clone(), shown.clone())
    });
    for result in read {
        match result {
            Ok(page) => sources.pages.push(page),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// Reads one file below `content/` into `sources`; a page is returned (where it is, `rel`, `shown`) to
/// be read with the others.
fn read_entry(
    from: &Path,
    rel: PathBuf,
    shown: PathBuf,
    sources: &mut Sources,
) -> Result<Option<(PathBuf, PathBuf, PathBuf)>, ContentError> {
    let top = rel
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    if top == FORMS_DIR {
        // Form definitions sit directly in `content/forms/`, privacy notices in `content/forms/privacy/`;
        // other files there are not published.
        if rel.parent() == Some(Path::new(FORMS_DIR)) && is_yaml(ext) {
            let text = read_text(from, &shown)?;
            sources.forms.push(FormSource { path: shown, text });
        } else if rel.parent() == Some(&Path::new(FORMS_DIR).join(PRIVACY_DIR)) && is_yaml(ext) {
            let text = read_text(from, &shown)?;
            sources.privacy.push(FormSource { path: shown, text });
        }
        return Ok(None);
    }
    if rel == Path::new(DESKS_FILE) {
        let text = read_text(from, &shown)?;
        sources.desks = Some(FormSource { path: shown, text });
        return Ok(None);
    }
    if top == DATA_DIR && rel.parent() == Some(Path::new(DATA_DIR)) && is_yaml(ext) {
        let text = read_text(from, &shown)?;
        let name = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        sources.data.push(SourceData {
            path: shown,
            name,
            text,
        });
        return Ok(None);
    }
    if ext == "md" {
        return Ok(Some((from.to_path_buf(), rel, shown)));
    }
    sources.assets.push(SourceAsset {
        from: from.to_path_buf(),
        rel,
    });
    Ok(None)
}

/// Reads the page at `from` (`rel` below `content/`) again, for a rebuild that knows it changed.
pub fn read_page(root: &Path, from: &Path, rel: &Path) -> Result<SourcePage, ContentError> {
    page(from, rel.to_path_buf(), display_path(root, from))
}

fn page(from: &Path, rel: PathBuf, shown: PathBuf) -> Result<SourcePage, ContentError> {
    let text = read_text(from, &shown)?;
    let split = split_front_matter(&text, &shown)?;
    Ok(SourcePage {
        front_matter: split.front_matter.to_string(),
        front_matter_line: split.front_matter_line,
        body: split.body.to_string(),
        body_line: split.body_line,
        path: shown,
        rel,
    })
}

fn read_text(path: &Path, shown: &Path) -> Result<String, ContentError> {
    let bytes = fs::read(path)
        .map_err(|e| ContentError::new(shown, 1, 1, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::error::line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        ContentError::new(shown, line, column, "the file is not valid UTF-8 text")
            .help("save the file as UTF-8 in your editor")
    })
}

fn is_yaml(ext: &str) -> bool {
    ext == "yaml" || ext == "yml"
}

/// Files and folders the build skips: hidden ones and editors' backups.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~')
}

/// The path shown in messages: relative to the root when possible.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}
