//! IO out: writes every file into a fresh folder beside the output, then swaps it in, so a failed build
//! leaves the previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::render::OutputFile;

/// A file copied as it is.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Where to read it.
    pub from: PathBuf,
    /// Its path in the output.
    pub to: PathBuf,
}

/// Lists `site/static/**` as files to copy to the output's root, in sorted order.
pub fn static_files(root: &Path) -> Vec<CopiedFile> {
    let dir = root.join("site/static");
    WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| CopiedFile {
            to: e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_path_buf(),
            from: e.path().to_path_buf(),
        })
        .collect()
}

/// Writes `files` and `copies` into a fresh folder, then replaces `out` with it.
pub fn write(out: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let fresh = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&fresh);
    if let Err(e) = fill(&fresh, files, copies) {
        let _ = fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &old)?;
    }
    if let Err(e) = fs::rename(&fresh, out) {
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        return Err(e);
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn fill(dir: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for c in copies {
        let to = dir.join(&c.to);
        if let Some(p) = to.parent() {
            fs::create_dir_all(p)?;
        }
        fs::copy(&c.from, &to)?;
    }
    for f in files {
        let to = dir.join(&f.path);
        if let Some(p) = to.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&to, &f.bytes)?;
    }
    Ok(())
}
