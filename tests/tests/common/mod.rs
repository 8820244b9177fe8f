//! Shared helpers for the end-to-end tests: fixture sites in temporary folders and output snapshots.
#![allow(dead_code)] // each test binary uses a different subset of these helpers

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Copies `from` into `to`, overwriting files that exist; `skip` names files to leave out.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    for entry in walkdir(from) {
        let rel = entry.strip_prefix(from).expect("inside");
        if skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let target = to.join(rel);
        fs::create_dir_all(target.parent().expect("has parent")).expect("mkdir");
        fs::copy(&entry, &target).expect("copy");
    }
}

/// Every file below `dir`, sorted.
pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("readable dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out.sort();
    out
}

/// Path → bytes of every file below `dir`.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).expect("inside").to_path_buf(),
                fs::read(&p).expect("read"),
            )
        })
        .collect()
}

/// A temporary site: the repository's `site/` plus the base fixture content.
pub fn fixture_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo().join("site"), &dir.path().join("site"), &[]);
    copy_tree(&repo().join("tests/fixtures/base"), dir.path(), &[]);
    dir
}
