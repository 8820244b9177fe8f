//! A first build's tree (no output yet, or an empty folder): written into a hidden folder beside the
//! output, file by file as the build makes them, and renamed into place whole when the build has
//! succeeded; removed again if it fails before that. No file needs a rename of its own (on a disk,
//! creating ten thousand files costs more than making them), and nothing is under the output's name
//! until the whole tree is.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{CopiedFile, Source, Written, in_parallel, wanted};
use crate::render::OutputFile;

/// A fresh output tree being written.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    put: AtomicUsize,
    failed: Mutex<Option<io::Error>>,
    done: bool,
}

impl Staging {
    /// A staging folder for `out` when `out` is missing or an empty folder; `None` when it holds a
    /// previous output (which a build brings up to date file by file instead).
    pub fn begin(out: &Path) -> io::Result<Option<Staging>> {
        let vacant = match fs::read_dir(out) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(_) if out.is_file() => {
                return Err(io::Error::other(format!(
                    "{} is a file, not a folder",
                    out.display()
                )));
            }
            Err(e) => return Err(e),
            Ok(mut entries) => entries.next().is_none(),
        };
        if !vacant {
            return Ok(None);
        }
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let dir = out.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir)?;
        Ok(Some(Staging {
            out: out.to_path_buf(),
            dir,
            put: AtomicUsize::new(0),
            failed: Mutex::new(None),
            done: false,
        }))
    }

    /// Writes one file into the tree, from any thread; a failure is reported by [`Staging::finish`].
    pub fn put(&self, file: OutputFile) {
        match create(&self.dir.join(&file.path), &Source::Bytes(&file.bytes)) {
            Ok(()) => {
                self.put.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
                failed.get_or_insert(e);
            }
        }
    }

    /// Writes `files` and `copies` beside what was put, then puts the tree in place of the output.
    pub fn finish(mut self, files: &[OutputFile], copies: &[CopiedFile]) -> io::Result<Written> {
        if let Some(e) = self
            .failed
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            return Err(e);
        }
        let wanted = wanted(files, copies);
        for done in in_parallel(&wanted, |(rel, source)| create(&self.dir.join(rel), source)) {
            done?;
        }
        // An empty folder in the way is replaced; one that cannot be (a mount point) takes the
        // tree's entries instead.
        if fs::remove_dir(&self.out).is_err() && self.out.is_dir() {
            for entry in fs::read_dir(&self.dir)? {
                let entry = entry?;
                fs::rename(entry.path(), self.out.join(entry.file_name()))?;
            }
            fs::remove_dir(&self.dir)?;
        } else {
            fs::rename(&self.dir, &self.out)?;
        }
        self.done = true;
        Ok(Written {
            written: wanted.len() + self.put.load(Ordering::Relaxed),
            ..Written::default()
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes one file of a fresh tree, making its folder when the first open finds it missing.
fn create(to: &Path, source: &Source) -> io::Result<()> {
    let mut file = match fs::File::create(to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(to.parent().unwrap_or(to))?;
            fs::File::create(to)?
        }
        other => other?,
    };
    match source {
        Source::Bytes(bytes) => file.write_all(bytes),
        Source::Copy(from) => file.write_all(&fs::read(from)?),
    }
}
