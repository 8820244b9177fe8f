//! IO out: brings the output folder to exactly the built files, touching only what differs. A first
//! build (no output yet, or an empty folder) writes the tree into a staging folder beside it, pages as
//! they are rendered, and renames that into place once the whole build has succeeded ([`Staging`]).
//! Over an existing output, each new or changed file is written to a temporary file beside it and
//! renamed into place (several at once). Either way no file is ever half-written under its real name;
//! files the build no longer makes are removed, then folders left empty. A build over an unchanged
//! output writes nothing. Nothing is written over an existing output unless the whole build succeeded
//! (the caller checks first); what is not atomic is that tree as a whole: a build interrupted midway
//! leaves some files new and some old until the next build.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::render::OutputFile;

mod staging;
pub use staging::{Made, Staging};

/// A file copied as it is.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Where to read it.
    pub from: PathBuf,
    /// Its path in the output.
    pub to: PathBuf,
}

/// What one write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written because they were new or different.
    pub written: usize,
    /// Files left alone because they were already right.
    pub unchanged: usize,
    /// Files removed because the build no longer makes them.
    pub removed: usize,
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

/// One file to be in the output: its bytes, or where to copy them from.
pub(crate) enum Source<'a> {
    Bytes(&'a [u8]),
    Copy(&'a Path),
}

/// Makes `out` hold exactly `files` and `copies`.
pub fn write(out: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> io::Result<Written> {
    if let Some(staging) = Staging::begin(out)? {
        return staging.finish(files, copies).map(|(written, _)| written);
    }
    let wanted = wanted(files, copies);
    fs::create_dir_all(out)?;
    let results = in_parallel(&wanted, |(rel, source)| put(out, rel, source));
    let mut done = Written::default();
    for result in results {
        match result? {
            true => done.written += 1,
            false => done.unchanged += 1,
        }
    }
    let keep: BTreeSet<PathBuf> = wanted.iter().map(|(rel, _)| rel.to_path_buf()).collect();
    done.removed = remove_others(out, &keep)?;
    Ok(done)
}

/// Brings only the named files up to date in `out` (a rebuild that knows what changed): writes each of
/// `files` that differs from what is there, removes each of `removed` and the folders that leaves
/// empty. Same guarantees per file as [`write`].
pub fn write_some(out: &Path, files: &[&OutputFile], removed: &[PathBuf]) -> io::Result<Written> {
    let wanted: Vec<(&Path, Source)> = files
        .iter()
        .map(|f| (f.path.as_path(), Source::Bytes(&f.bytes)))
        .collect();
    let mut done = Written::default();
    for result in in_parallel(&wanted, |(rel, source)| put(out, rel, source)) {
        match result? {
            true => done.written += 1,
            false => done.unchanged += 1,
        }
    }
    for rel in removed {
        let path = out.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => done.removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Then each folder above it that is now empty, up to (not including) `out`.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(done)
}

/// The copies, then the files, each with the path it takes in the output.
fn wanted<'a>(files: &'a [OutputFile], copies: &'a [CopiedFile]) -> Vec<(&'a Path, Source<'a>)> {
    copies
        .iter()
        .map(|c| (c.to.as_path(), Source::Copy(&c.from)))
        .chain(
            files
                .iter()
                .map(|f| (f.path.as_path(), Source::Bytes(&f.bytes))),
        )
        .collect()
}

/// `f` over `items` on every core, results in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    crate::par::map(items.len(), |i| f(&items[i]))
}

/// Puts one file in place unless it is already there with these bytes; `Ok(true)` when written.
fn put(out: &Path, rel: &Path, source: &Source) -> io::Result<bool> {
    let to = out.join(rel);
    let bytes: std::borrow::Cow<[u8]> = match source {
        Source::Bytes(b) => std::borrow::Cow::Borrowed(b),
        Source::Copy(from) => std::borrow::Cow::Owned(fs::read(from)?),
    };
    if let Ok(meta) = fs::metadata(&to)
        && meta.is_file()
        && meta.len() == bytes.len() as u64
        && fs::read(&to)? == *bytes
    {
        return Ok(false);
    }
    let dir = to.parent().unwrap_or(out);
    let name = to.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        // The folder is made only when it is missing (one failed open instead of a walk up the path
        // for every file). Not synced: a site can always be built again, and thousands of syncs would
        // cost seconds; the rename still means a reader sees the old file or the new one, never part.
        let mut file = match fs::File::create(&tmp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir)?;
                fs::File::create(&tmp)?
            }
            other => other?,
        };
        file.write_all(&bytes)?;
        drop(file);
        match fs::rename(&tmp, &to) {
            // A folder where the file goes (an old page's folder, now a file's name): replace it.
            Err(_) if to.is_dir() => {
                fs::remove_dir_all(&to)?;
                fs::rename(&tmp, &to)
            }
            other => other,
        }
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| true)
}

/// Removes every file below `out` not in `keep`, then the folders left empty; returns how many files.
fn remove_others(out: &Path, keep: &BTreeSet<PathBuf>) -> io::Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if !keep.contains(rel) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    // Deepest first, so a folder's emptied subfolders go before it.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        if fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none()) {
            fs::remove_dir(&dir)?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn only_what_differs_is_written_and_what_is_gone_is_removed() {
        let temp = tempfile::tempdir().expect("tempdir");
        let out = temp.path().join("public");
        let first = [
            file("index.html", "hem"),
            file("a/index.html", "a"),
            file("b/c/index.html", "c"),
        ];
        assert_eq!(write(&out, &first, &[]).expect("first").written, 3);
        let again = write(&out, &first, &[]).expect("again");
        assert_eq!(
            again,
            Written {
                written: 0,
                unchanged: 3,
                removed: 0
            },
            "nothing changed, nothing written"
        );
        let second = [file("index.html", "hem"), file("a/index.html", "A, ändrad")];
        let changed = write(&out, &second, &[]).expect("second");
        assert_eq!(
            changed,
            Written {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).expect("a"),
            "A, ändrad"
        );
        assert!(!out.join("b").exists(), "an emptied folder is removed");
        let leftovers: Vec<_> = WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }

    #[test]
    fn a_first_build_is_staged_beside_the_output_and_renamed_into_place() {
        let temp = tempfile::tempdir().expect("tempdir");
        let out = temp.path().join("public");
        fs::create_dir(&out).expect("an empty folder counts as no output");
        let files = [file("index.html", "hem"), file("a/b/index.html", "b")];
        let copied = temp.path().join("logo.svg");
        fs::write(&copied, "<svg/>").expect("write");
        let copies = [CopiedFile {
            from: copied,
            to: PathBuf::from("img/logo.svg"),
        }];
        let done = write(&out, &files, &copies).expect("first");
        assert_eq!(done.written, 3);
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).expect("b"),
            "b"
        );
        assert_eq!(
            fs::read_to_string(out.join("img/logo.svg")).expect("svg"),
            "<svg/>"
        );
        let beside: Vec<_> = fs::read_dir(temp.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!beside.iter().any(|n| n.contains(".tmp-")), "{beside:?}");

        // A copy that cannot be read: no output appears and no staging folder is left.
        let second = temp.path().join("second");
        let missing = [CopiedFile {
            from: temp.path().join("gone.svg"),
            to: PathBuf::from("gone.svg"),
        }];
        assert!(write(&second, &files, &missing).is_err());
        assert!(!second.exists(), "nothing under the real name");
        let beside: Vec<_> = fs::read_dir(temp.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!beside.iter().any(|n| n.contains(".tmp-")), "{beside:?}");
    }

    #[test]
    fn a_first_build_removes_the_staging_folder_a_killed_build_left() {
        let temp = tempfile::tempdir().expect("tempdir");
        let out = temp.path().join("public");
        let left = temp.path().join(".public.tmp-4242424");
        fs::create_dir_all(left.join("a")).expect("mkdir");
        fs::write(left.join("a/index.html"), "half").expect("write");
        let unrelated = temp.path().join(".publicity.tmp-1");
        fs::create_dir(&unrelated).expect("mkdir");
        write(&out, &[file("index.html", "hem")], &[]).expect("first");
        assert!(out.join("index.html").is_file());
        assert!(!left.exists(), "the killed build's staging folder is gone");
        assert!(unrelated.exists(), "a folder of another name stays");
    }
}
