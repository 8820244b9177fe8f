//! Watches `content/` and `site/` and rebuilds after a burst of changes settles.

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
            let _ = tx.send(());
        }
    })?;
    let root = shared.options.build.root.clone();
    for dir in ["content", "site"] {
        watcher.watch(&root.join(dir), RecursiveMode::Recursive)?;
    }
    std::thread::spawn(move || {
        let _watcher = watcher; // kept alive as long as the thread runs
        while rx.recv().is_ok() {
            while rx.recv_timeout(SETTLE).is_ok() {}
            super::rebuild(&shared);
        }
    });
    Ok(())
}
