//! The local transport: writes each message as `<reference>-<kind>.eml` into a folder (`GUIDEPOST_MAIL_DIR`),
//! so a developer can open what would have been sent.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

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
        tokio::fs::create_dir_all(&self.dir).await?;
        let stem = format!("{}-{}", message.reference, message.kind.as_str());
        for attempt in 1..=100u32 {
            let name = match attempt {
                1 => format!("{stem}.eml"),
                n => format!("{stem}-{n}.eml"),
            };
            let path = self.dir.join(name);
            let opened = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await;
            match opened {
                Ok(mut file) => {
                    file.write_all(message.raw.as_bytes()).await?;
                    file.flush().await?;
                    return Ok(path);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            ErrorKind::AlreadyExists,
            "100 messages with this name",
        ))
    }
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
