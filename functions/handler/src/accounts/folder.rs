//! [`FolderStore`]: the register in a local folder (`GUIDEPOST_REGISTER_DIR`), for `guidepost serve`
//! and a standalone server. One `<id>.json` file per account holding its version and record; every
//! write holds an exclusive lock on the folder's `.lock` file (so the server and a `remind` run in
//! another process take turns), checks the version, writes a temporary file, syncs it and renames it
//! into place, then syncs the folder. Files are 0600 and the folder 0700 (unix).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::store::{BoxFuture, RegisterError, RegisterStore, Stored, is_account_id};

/// The register in a folder.
#[derive(Clone, Debug)]
pub struct FolderStore {
    dir: PathBuf,
}

/// What one file holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRecord {
    version: u64,
    record: serde_json::Value,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RegisterError + '_ {
    move |source| RegisterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl FolderStore {
    /// A register in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> FolderStore {
        FolderStore { dir: dir.into() }
    }

    fn path_of(&self, id: &str) -> Result<PathBuf, RegisterError> {
        if is_account_id(id) {
            Ok(self.dir.join(format!("{id}.json")))
        } else {
            Err(RegisterError::BadId(id.to_owned()))
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, RegisterError> + Send + 'static,
    ) -> Result<T, RegisterError> {
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(join) => Err(RegisterError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other(join),
            }),
        }
    }
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn read(path: &Path, id: &str) -> Result<Option<Stored>, RegisterError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let file: FileRecord =
        serde_json::from_slice(&bytes).map_err(|source| RegisterError::Json {
            id: id.to_owned(),
            source,
        })?;
    Ok(Some(Stored {
        id: id.to_owned(),
        version: file.version,
        bytes: serde_json::to_vec(&file.record).unwrap_or_default(),
    }))
}

/// Runs `work` holding the folder's lock.
fn locked<T>(
    dir: &Path,
    work: impl FnOnce() -> Result<T, RegisterError>,
) -> Result<T, RegisterError> {
    private_dir(dir).map_err(io(dir))?;
    let lock_path = dir.join(".lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    lock.lock().map_err(io(&lock_path))?;
    let result = work();
    let _ = lock.unlock();
    result
}

fn write(dir: &Path, path: &Path, version: u64, record: &[u8]) -> Result<(), RegisterError> {
    let record: serde_json::Value =
        serde_json::from_slice(record).map_err(|source| RegisterError::Json {
            id: path.display().to_string(),
            source,
        })?;
    let bytes = serde_json::to_vec_pretty(&FileRecord { version, record }).unwrap_or_default();
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(io(&tmp))?;
    file.write_all(&bytes).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

impl RegisterStore for FolderStore {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Stored>, RegisterError>> {
        Box::pin(async move {
            let path = self.path_of(id)?;
            let id = id.to_owned();
            self.blocking(move || read(&path, &id)).await
        })
    }

    fn put<'a>(
        &'a self,
        id: &'a str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        _expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<u64, RegisterError>> {
        Box::pin(async move {
            let path = self.path_of(id)?;
            let dir = self.dir.clone();
            let id = id.to_owned();
            self.blocking(move || {
                locked(&dir, || {
                    let current = read(&path, &id)?.map(|s| s.version);
                    if current != expected {
                        return Err(RegisterError::Conflict(id.clone()));
                    }
                    let version = expected.unwrap_or(0) + 1;
                    write(&dir, &path, version, &bytes)?;
                    Ok(version)
                })
            })
            .await
        })
    }

    fn delete<'a>(
        &'a self,
        id: &'a str,
        expected: u64,
    ) -> BoxFuture<'a, Result<(), RegisterError>> {
        Box::pin(async move {
            let path = self.path_of(id)?;
            let dir = self.dir.clone();
            let id = id.to_owned();
            self.blocking(move || {
                locked(&dir, || match read(&path, &id)?.map(|s| s.version) {
                    None => Ok(()),
                    Some(version) if version == expected => {
                        std::fs::remove_file(&path).map_err(io(&path))
                    }
                    Some(_) => Err(RegisterError::Conflict(id.clone())),
                })
            })
            .await
        })
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<Stored>, RegisterError>> {
        Box::pin(async move {
            let dir = self.dir.clone();
            self.blocking(move || {
                let entries = match std::fs::read_dir(&dir) {
                    Ok(entries) => entries,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
                    Err(e) => return Err(io(&dir)(e)),
                };
                let mut ids: Vec<String> = entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().into_string().ok()?;
                        let id = name.strip_suffix(".json")?;
                        is_account_id(id).then(|| id.to_owned())
                    })
                    .collect();
                ids.sort();
                let mut all = Vec::new();
                for id in ids {
                    if let Some(stored) = read(&dir.join(format!("{id}.json")), &id)? {
                        all.push(stored);
                    }
                }
                Ok(all)
            })
            .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_are_conditional_private_and_survive_a_new_store() {
        let temp = tempfile::tempdir().expect("tempdir");
        let dir = temp.path().join("register");
        let store = FolderStore::new(&dir);
        assert_eq!(
            store
                .put("GP-A", b"{\"n\":1}".to_vec(), None, None)
                .await
                .expect("new"),
            1
        );
        assert!(matches!(
            store.put("GP-A", b"{}".to_vec(), None, None).await,
            Err(RegisterError::Conflict(_))
        ));
        assert_eq!(
            store
                .put("GP-A", b"{\"n\":2}".to_vec(), Some(1), None)
                .await
                .expect("update"),
            2
        );
        assert!(matches!(
            store.put("GP-A", b"{}".to_vec(), Some(1), None).await,
            Err(RegisterError::Conflict(_))
        ));
        assert!(matches!(
            store.get("../x").await,
            Err(RegisterError::BadId(_))
        ));
        let again = FolderStore::new(&dir);
        let listed = again.list().await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].version, listed[0].bytes.as_slice()),
            (2, &b"{\"n\":2}"[..])
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&dir.join("GP-A.json")), 0o600);
            assert_eq!(mode(&dir), 0o700);
        }
        assert!(matches!(
            again.delete("GP-A", 1).await,
            Err(RegisterError::Conflict(_))
        ));
        again.delete("GP-A", 2).await.expect("delete");
        again.delete("GP-A", 2).await.expect("missing is fine");
        assert!(again.list().await.expect("list").is_empty());
    }
}
