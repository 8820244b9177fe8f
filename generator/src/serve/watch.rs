//! Watches `content/` and `site/` and rebuilds after a burst of changes settles, telling the rebuild
//! which files changed.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::Shared;

/// How long to wait for more changes before rebuilding (editors save several files at once).
const SETTLE: Duration = Duration::from_millis(15);

/// Starts the watcher thread.
pub fn spawn(shared: Shared) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })?;
    let root = shared.options.build.root.clone();
    for dir in ["content", "site"] {
        watcher.watch(&root.join(dir), RecursiveMode::Recursive)?;
    }
    std::thread::spawn(move || {
        let _watcher = watcher; // kept alive as long as the thread runs
        while let Ok(first) = rx.recv() {
            let mut paths: Vec<PathBuf> = first;
            while let Ok(more) = rx.recv_timeout(SETTLE) {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            // An event without paths (the watcher lost track): everything may have changed.
            let changes = if paths.is_empty() {
                guidepost::session::Changes::All
            } else {
                guidepost::session::Changes::Paths(paths)
            };
            super::rebuild(&shared, &changes);
        }
    });
    Ok(())
}
