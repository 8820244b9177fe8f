//! [`FolderSpool`]: a spool in a local folder (`GUIDEPOST_SPOOL_DIR`), one `<shelf>/<key>.json` file per
//! key, written to a temporary file, synced, then hard-linked into place (which fails instead of
//! overwriting) and the folder synced. Files are 0600 and folders 0700 (unix); temporary files a crash
//! left behind are removed by [`Spool::sweep_temp`] during redelivery.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::{Listed, Shelf, Spool, SpoolError, is_plain_key};

/// A spool in a local folder.
#[derive(Clone, Debug)]
pub struct FolderSpool {
    dir: PathBuf,
}

impl FolderSpool {
    /// A spool in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FolderSpool { dir: dir.into() }
    }

    /// The spool's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder of one shelf.
    pub fn shelf_dir(&self, shelf: Shelf) -> PathBuf {
        self.dir.join(shelf.name())
    }

    fn path_of(&self, shelf: Shelf, key: &str) -> Result<PathBuf, SpoolError> {
        if is_plain_key(key) {
            Ok(self.shelf_dir(shelf).join(format!("{key}.json")))
        } else {
            Err(SpoolError::BadKey(key.into()))
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, SpoolError> + Send + 'static,
    ) -> Result<T, SpoolError> {
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(join) => Err(SpoolError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(join),
            }),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SpoolError + '_ {
    move |source| SpoolError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `target` with create-new semantics: temp file, fsync, hard link, unlink, fsync folder.
fn write_new_durably(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), SpoolError> {
    private_dir(dir).map_err(io(dir))?;
    if target.exists() {
        return Err(SpoolError::Exists(key_of(target)));
    }
    let tmp = tempfile_in(dir)?;
    let result = (|| {
        let mut file = private_file(&tmp).map_err(io(&tmp))?;
        file.write_all(bytes).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        match std::fs::hard_link(&tmp, target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                Err(SpoolError::Exists(key_of(target)))
            }
            Err(e) => Err(io(target)(e)),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result?;
    sync_dir(dir)
}

/// Creates `dir` and its missing parents readable by the owner only (0700 on unix).
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates the new file `path` readable by the owner only (0600 on unix); fails if it exists.
pub(crate) fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Removes the `.tmp-*` files older than `age` that a crash left in `dir`; returns how many.
pub(crate) fn sweep_temp_files(dir: &Path, age: std::time::Duration) -> Result<usize, SpoolError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(dir)(e)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(io(dir))?;
        if !entry.file_name().to_string_lossy().starts_with(".tmp-") {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .map(|m| m.elapsed().unwrap_or_default() >= age)
            .unwrap_or(false);
        if stale {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(io(&entry.path())(e)),
            }
        }
    }
    Ok(removed)
}

fn tempfile_in(dir: &Path) -> Result<PathBuf, SpoolError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| io(dir)(std::io::Error::other(e.to_string())))?;
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!(".tmp-{suffix}")))
}

fn sync_dir(dir: &Path) -> Result<(), SpoolError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

fn key_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn list_dir(dir: &Path) -> Result<Vec<Listed>, SpoolError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir)(e)),
    };
    let mut keys = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(key) = name
            .strip_suffix(".json")
            .filter(|_| !name.starts_with('.'))
        else {
            continue;
        };
        let modified = match entry.metadata().and_then(|m| m.modified()) {
            Ok(time) => jiff::Timestamp::try_from(time).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            // Removed meanwhile: no longer on the shelf.
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&entry.path())(e)),
        };
        keys.push(Listed {
            key: key.to_owned(),
            modified,
        });
    }
    keys.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(keys)
}

impl Spool for FolderSpool {
    async fn put_new(&self, shelf: Shelf, key: &str, bytes: Vec<u8>) -> Result<(), SpoolError> {
        let target = self.path_of(shelf, key)?;
        let dir = self.shelf_dir(shelf);
        self.blocking(move || write_new_durably(&dir, &target, &bytes))
            .await
    }

    async fn get(&self, shelf: Shelf, key: &str) -> Result<Option<Vec<u8>>, SpoolError> {
        let target = self.path_of(shelf, key)?;
        self.blocking(move || match std::fs::read(&target) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&target)(e)),
        })
        .await
    }

    async fn remove(&self, shelf: Shelf, key: &str) -> Result<(), SpoolError> {
        let target = self.path_of(shelf, key)?;
        let dir = self.shelf_dir(shelf);
        self.blocking(move || match std::fs::remove_file(&target) {
            Ok(()) => sync_dir(&dir),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(&target)(e)),
        })
        .await
    }

    async fn list(&self, shelf: Shelf) -> Result<Vec<Listed>, SpoolError> {
        let dir = self.shelf_dir(shelf);
        self.blocking(move || list_dir(&dir)).await
    }

    async fn sweep_temp(&self, age: std::time::Duration) -> Result<usize, SpoolError> {
        let dirs: Vec<PathBuf> = Shelf::ALL.iter().map(|s| self.shelf_dir(*s)).collect();
        self.blocking(move || {
            let mut removed = 0;
            for dir in &dirs {
                removed += sweep_temp_files(dir, age)?;
            }
            Ok(removed)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(listed: Vec<Listed>) -> Vec<String> {
        listed.into_iter().map(|l| l.key).collect()
    }

    #[tokio::test]
    async fn put_get_remove_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path().join("spool"));
        assert!(spool.list(Shelf::Pending).await.expect("list").is_empty());
        spool
            .put_new(Shelf::Pending, "GP-AAAA-CCCC", b"one".to_vec())
            .await
            .expect("put");
        let listed = spool.list(Shelf::Pending).await.expect("list");
        assert_eq!(keys(listed.clone()), vec!["GP-AAAA-CCCC".to_owned()]);
        let age = jiff::Timestamp::now().duration_since(listed[0].modified);
        assert!(age.as_secs() < 60, "modified is the write time: {age:?}");
        assert!(spool.list(Shelf::Sent).await.expect("list").is_empty());
        assert_eq!(
            spool
                .get(Shelf::Pending, "GP-AAAA-CCCC")
                .await
                .expect("get"),
            Some(b"one".to_vec())
        );
        assert_eq!(
            spool
                .get(Shelf::Delivered, "GP-AAAA-CCCC")
                .await
                .expect("get"),
            None
        );
        spool
            .remove(Shelf::Pending, "GP-AAAA-CCCC")
            .await
            .expect("remove");
        assert!(spool.list(Shelf::Pending).await.expect("list").is_empty());
        spool
            .remove(Shelf::Pending, "GP-AAAA-CCCC")
            .await
            .expect("removing twice is fine");
    }

    #[tokio::test]
    async fn an_existing_key_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path());
        spool
            .put_new(Shelf::Pending, "K", b"first".to_vec())
            .await
            .expect("put");
        let again = spool.put_new(Shelf::Pending, "K", b"second".to_vec()).await;
        assert!(
            matches!(again, Err(SpoolError::Exists(ref k)) if k == "K"),
            "{again:?}"
        );
        assert_eq!(
            spool.get(Shelf::Pending, "K").await.expect("get"),
            Some(b"first".to_vec())
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("pending"))
            .expect("read")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
    }

    #[tokio::test]
    async fn keys_that_are_not_plain_names_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path());
        for bad in ["", "../x", "a/b", ".json", "a..json"] {
            assert!(
                matches!(
                    spool.put_new(Shelf::Pending, bad, b"x".to_vec()).await,
                    Err(SpoolError::BadKey(_))
                ),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn the_sweep_removes_crash_residue_on_every_shelf_and_keeps_the_entries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = FolderSpool::new(dir.path());
        for shelf in Shelf::ALL {
            spool
                .put_new(shelf, "K", b"kept".to_vec())
                .await
                .expect("put");
            std::fs::write(dir.path().join(shelf.name()).join(".tmp-0011"), b"x").expect("write");
        }
        let removed = spool
            .sweep_temp(std::time::Duration::ZERO)
            .await
            .expect("sweep");
        assert_eq!(removed, Shelf::ALL.len());
        for shelf in Shelf::ALL {
            assert_eq!(
                keys(spool.list(shelf).await.expect("list")),
                vec!["K".to_owned()]
            );
            assert!(
                !dir.path().join(shelf.name()).join(".tmp-0011").exists(),
                "{shelf:?}"
            );
        }
    }
}
