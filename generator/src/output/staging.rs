//! A first build's tree (no output yet, or an empty folder): written into a hidden folder beside the
//! output, file by file as the build makes them, and renamed into place whole when the build has
//! succeeded; removed again if it fails before that. No file needs a rename of its own (on a disk,
//! creating ten thousand files costs more than making them), and nothing is under the output's name
//! until the whole tree is.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{CopiedFile, Source, Written, in_parallel, wanted};
use crate::render::OutputFile;

/// One file a staging tree holds: its path below the output, and its size and times once written.
pub type Made = (PathBuf, fs::Metadata);

/// A fresh output tree being written.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    made: Mutex<Vec<Made>>,
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
            // An empty folder that is a disk of its own (a mount point) cannot be replaced by a
            // folder made beside it: the build writes into it instead.
            Ok(mut entries) => entries.next().is_none() && !mounted(out),
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
            made: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
            done: false,
        }))
    }

    /// Writes one file into the tree, from any thread; a failure is reported by [`Staging::finish`].
    pub fn put(&self, file: OutputFile) {
        match create(&self.dir.join(&file.path), &Source::Bytes(&file.bytes)) {
            Ok(meta) => lock(&self.made).push((file.path, meta)),
            Err(e) => {
                lock(&self.failed).get_or_insert(e);
            }
        }
    }

    /// Writes `files` and `copies` beside what was put, then puts the tree in place of the output.
    /// Also returns every file it holds, as the writes left it (what the build's manifest lists).
    pub fn finish(
        mut self,
        files: &[OutputFile],
        copies: &[CopiedFile],
    ) -> io::Result<(Written, Vec<Made>)> {
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        let wanted = wanted(files, copies);
        let mut made = std::mem::take(&mut *lock(&self.made));
        for (done, (rel, _)) in
            in_parallel(&wanted, |(rel, source)| create(&self.dir.join(rel), source))
                .into_iter()
                .zip(&wanted)
        {
            made.push((rel.to_path_buf(), done?));
        }
        // An empty folder in the way is replaced; one that cannot be removed takes the tree's
        // entries instead.
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
        sweep(&self.out);
        let written = Written {
            written: made.len(),
            ..Written::default()
        };
        Ok((written, made))
    }
}

/// Removes what a first build killed midway left beside `out` (its staging folder), once this build's
/// tree is in place, so the removal is not in the way of any write.
fn sweep(out: &Path) {
    let (Some(name), Some(parent)) = (out.file_name().and_then(|n| n.to_str()), out.parent())
    else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let is_left = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_left && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the folder `dir` is on another disk than the folder holding it.
fn mounted(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        match (fs::metadata(dir), fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.dev() != p.dev(),
            _ => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes one file of a fresh tree, making its folder when the first open finds it missing; its
/// size and times once written.
fn create(to: &Path, source: &Source) -> io::Result<fs::Metadata> {
    let mut file = match fs::File::create(to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(to.parent().unwrap_or(to))?;
            fs::File::create(to)?
        }
        other => other?,
    };
    match source {
        Source::Bytes(bytes) => file.write_all(bytes)?,
        Source::Copy(from) => file.write_all(&fs::read(from)?)?,
    }
    file.metadata()
}
