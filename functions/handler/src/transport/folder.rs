//! The local transport: writes each message as `<reference>-<kind>.eml` into a folder (`GUIDEPOST_MAIL_DIR`),
//! so a developer can open what would have been sent. Each file appears whole (temp file, fsync, link) and
//! is readable by the owner only.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use std::io::Write;

use super::{DeliveryError, OutgoingMessage, Transport};

/// Writes messages as `.eml` files; never overwrites one.
#[derive(Clone, Debug)]
pub struct EmlFolder {
    dir: PathBuf,
}

impl EmlFolder {
    /// A transport writing into `dir` (created on first send).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        EmlFolder { dir: dir.into() }
    }

    /// The folder messages are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write_new(&self, message: &OutgoingMessage) -> Result<PathBuf, std::io::Error> {
        let dir = self.dir.clone();
        let stem = format!("{}-{}", message.reference, message.kind.as_str());
        let raw = message.raw.clone().into_bytes();
        tokio::task::spawn_blocking(move || write_eml(&dir, &stem, &raw))
            .await
            .map_err(std::io::Error::other)?
    }
}

/// Writes `<stem>.eml` (or `<stem>-N.eml` if taken by another message; a file with the same bytes
/// means it was written before, so nothing is) whole: a 0600 temporary file, fsync, hard link into
/// place (never overwriting), unlink, fsync the folder. A crash leaves no empty or partial `.eml`; a
/// temporary file a crashed attempt left for this message (it holds the whole message) is removed first:
/// the message was not marked sent, so it is being sent again now.
fn write_eml(dir: &Path, stem: &str, raw: &[u8]) -> Result<PathBuf, std::io::Error> {
    crate::spool::private_dir(dir)?;
    remove_leftovers(dir, &format!(".tmp-{stem}-"))?;
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = dir.join(format!(".tmp-{stem}-{suffix}"));
    let result = (|| {
        let mut file = crate::spool::private_file(&tmp)?;
        file.write_all(raw)?;
        file.sync_all()?;
        for attempt in 1..=100u32 {
            let name = match attempt {
                1 => format!("{stem}.eml"),
                n => format!("{stem}-{n}.eml"),
            };
            let path = dir.join(name);
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => return Ok(path),
                // The same message whole (sent before a crash kept it from being marked): not again.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if std::fs::read(&path).is_ok_and(|existing| existing == raw) {
                        return Ok(path);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            ErrorKind::AlreadyExists,
            "100 messages with this name",
        ))
    })();
    let _ = std::fs::remove_file(&tmp);
    let path = result?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(path)
}

/// Removes the files in `dir` whose names start with `prefix` (exactly one random suffix after it).
fn remove_leftovers(dir: &Path, prefix: &str) -> Result<(), std::io::Error> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        if rest.len() == 16 && rest.bytes().all(|b| b.is_ascii_hexdigit()) {
            match std::fs::remove_file(entry.path()) {
                Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    Ok(())
}

impl Transport for EmlFolder {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        match self.write_new(message).await {
            Ok(path) => {
                tracing::debug!(path = %path.display(), kind = message.kind.as_str(), "mail written");
                Ok(())
            }
            Err(source) => Err(DeliveryError::Folder {
                path: self.dir.clone(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crashed_attempts_temporary_file_goes_when_the_message_is_written_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let leftover = dir.path().join(".tmp-GP-AAAA-CCCC-desk-0123456789abcdef");
        let other = dir.path().join(".tmp-GP-AAAA-CCCC-desk-2-0123456789abcdef");
        std::fs::write(&leftover, b"whole message").expect("leftover");
        std::fs::write(&other, b"another message").expect("other");
        let path = write_eml(dir.path(), "GP-AAAA-CCCC-desk", b"whole message").expect("write");
        assert_eq!(path, dir.path().join("GP-AAAA-CCCC-desk.eml"));
        assert!(!leftover.exists(), "this message's leftover is removed");
        assert!(
            other.exists(),
            "another message's temporary file is left alone"
        );
    }
}
