//! The build manifest, kept beside the output (`.public.guidepost` for `public/`): what the last good
//! build was made from (a hash of every file below `content/` and `site/`, the binary, the options and
//! the date) and what it left in the output (every file's path, size and modification time). A build
//! whose inputs and output both still match has nothing to do and returns at once. Any doubt (no
//! manifest, an unreadable one, a file touched in the output) means an ordinary build. It also keeps
//! each page's fingerprint, so that when only pages changed a build renders only the pages whose HTML
//! can differ ([`Previous::pages`], used by `reuse`).

use std::collections::BTreeMap;

use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::{BuildOptions, Summary};

/// What a build's result is made from: everything, and everything but the pages' Markdown files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    all: String,
    global: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    inputs: String,
    global: String,
    outputs: Vec<(String, u64, u128)>,
    counts: Counts,
    pages: BTreeMap<String, Cached>,
}

/// What the last build knew of one page (by its path below `content/`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cached {
    /// Its fingerprint (see `session::prints`).
    pub print: u64,
    /// The hash of its body.
    pub body: u64,
    /// Its heading ids, which links from other pages are checked against.
    pub ids: Vec<String>,
    /// The pages its links point at.
    pub links: Vec<String>,
}

/// The last build's manifest, and whether the output is still as it left it.
pub struct Previous {
    manifest: Manifest,
    intact: bool,
}

/// The figures of the summary the build printed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Counts {
    pages: usize,
    sections: usize,
    languages: usize,
    data_files: usize,
    forms: usize,
    files: usize,
    warnings: Vec<String>,
}

/// Where the manifest of output folder `out` is: beside it, so it is never published.
fn path_of(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.guidepost"))
}

/// Hashes everything the build reads: every file below `content/` and `site/` (path and bytes), the
/// binary (its size and time), the options and today's date. `None` if something cannot be read.
pub fn inputs(options: &BuildOptions, today: crate::model::Date) -> Option<Inputs> {
    // The walk in order, then every file read and hashed on every core, then combined in order.
    let mut entries = Vec::new();
    for dir in ["content", "site"] {
        for entry in WalkDir::new(options.root.join(dir)).sort_by_file_name() {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(&options.root).ok()?.to_path_buf();
            let page = dir == "content" && rel.extension().is_some_and(|e| e == "md");
            entries.push((rel, page, entry.file_type().is_file()));
        }
    }
    let files: Vec<Option<u64>> = crate::par::map(entries.len(), |i| {
        let (rel, _, is_file) = &entries[i];
        if !is_file {
            return Some(0);
        }
        let bytes = fs::read(options.root.join(rel)).ok()?;
        let mut h = DefaultHasher::new();
        h.write_usize(bytes.len());
        h.write(&bytes);
        Some(h.finish())
    });
    let mut pages = DefaultHasher::new();
    let mut global = DefaultHasher::new();
    for ((rel, page, _), file) in entries.iter().zip(files) {
        let h = if *page { &mut pages } else { &mut global };
        h.write(rel.as_os_str().as_encoded_bytes());
        h.write_u8(0);
        h.write_u64(file?);
    }
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fs::metadata(p).ok())?;
    let global = format!(
        "{}/{:016x}/{}/{}/{}/{}",
        env!("CARGO_PKG_VERSION"),
        global.finish(),
        exe.len(),
        stamp(&exe),
        options.drafts,
        today
    );
    Some(Inputs {
        all: format!("{global}/{:016x}", pages.finish()),
        global,
    })
}

fn stamp(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// One file of the output: its path below it, size and modification time.
type Listed = (String, u64, u128);

/// Every file in `out`: path, size, modification time, sorted by path. Each entry of the top level
/// (a file, or a section's whole folder) is walked on whichever core is free.
fn listing(out: &Path) -> Option<Vec<Listed>> {
    let mut top = fs::read_dir(out)
        .ok()?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    top.sort();
    let parts = crate::par::map(top.len(), |i| {
        let mut files = Vec::new();
        for entry in WalkDir::new(&top[i]) {
            let entry = entry.ok()?;
            if !entry.file_type().is_dir() {
                files.push(listed(out, entry.path(), &entry.metadata().ok()?)?);
            }
        }
        Some(files)
    });
    let mut files = parts.into_iter().collect::<Option<Vec<_>>>()?.concat();
    files.sort_unstable();
    Some(files)
}

fn listed(out: &Path, path: &Path, meta: &fs::Metadata) -> Option<Listed> {
    let rel = path
        .strip_prefix(out)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    Some((rel, meta.len(), stamp(meta)))
}

/// The last build into `out`, if it left a readable manifest.
pub fn previous(out: &Path) -> Option<Previous> {
    let text = fs::read_to_string(path_of(out)).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    let intact = listing(out).is_some_and(|l| l == manifest.outputs);
    Some(Previous { manifest, intact })
}

impl Previous {
    /// The last build's summary, if `out` is exactly as the build with these `inputs` left it.
    pub fn unchanged(&self, inputs: &Inputs, options: &BuildOptions) -> Option<Summary> {
        if !self.intact || self.manifest.inputs != inputs.all {
            return None;
        }
        let c = &self.manifest.counts;
        Some(Summary {
            pages: c.pages,
            sections: c.sections,
            languages: c.languages,
            data_files: c.data_files,
            forms: c.forms,
            files: c.files,
            elapsed: std::time::Duration::ZERO,
            out: options.out.clone(),
            warnings: c.warnings.clone(),
            written: Some(crate::output::Written {
                unchanged: c.files,
                ..Default::default()
            }),
            rendered: Some(0),
        })
    }

    /// When only pages changed since the last build and the output is as it left it: what it knew of
    /// each page, and every file it left.
    pub fn pages(self, inputs: &Inputs) -> Option<(BTreeMap<String, Cached>, Outputs)> {
        (self.intact && self.manifest.global == inputs.global)
            .then_some((self.manifest.pages, Outputs(self.manifest.outputs)))
    }
}

/// The files a build left in the output, as its manifest lists them.
pub struct Outputs(Vec<Listed>);

impl Outputs {
    /// The listing of an output whose every file the build made (a first build's staging tree).
    pub fn of(made: Vec<crate::output::Made>) -> Outputs {
        let mut files: Vec<Listed> = made
            .into_iter()
            .map(|(rel, meta)| {
                let rel = rel.to_string_lossy().replace('\\', "/");
                (rel, meta.len(), stamp(&meta))
            })
            .collect();
        files.sort_unstable();
        Outputs(files)
    }

    /// Each file's path below the output, `/`-separated.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(p, _, _)| p.as_str())
    }

    /// The listing after a build that put `written` in place and removed `removed` (paths below
    /// `out`), without walking the output again: the listing the build began from (checked then to
    /// match the output), with those files looked at anew. `None` if one of them cannot be.
    pub fn updated(self, out: &Path, written: &[&Path], removed: &[PathBuf]) -> Option<Outputs> {
        let mut files: BTreeMap<String, (u64, u128)> = self
            .0
            .into_iter()
            .map(|(p, len, at)| (p, (len, at)))
            .collect();
        for rel in removed {
            files.remove(&*rel.to_string_lossy().replace('\\', "/"));
        }
        let fresh = crate::par::map(written.len(), |i| {
            let path = out.join(written[i]);
            listed(out, &path, &fs::metadata(&path).ok()?)
        });
        for (rel, len, at) in fresh.into_iter().collect::<Option<Vec<_>>>()? {
            files.insert(rel, (len, at));
        }
        Some(Outputs(
            files
                .into_iter()
                .map(|(p, (len, at))| (p, len, at))
                .collect(),
        ))
    }
}

/// Records that `out` now holds the build of `inputs` summed up by `summary`; `outputs` is what it
/// holds, if the build knows (else the output is listed). Best effort: without a manifest the next
/// build simply does all its work.
pub fn record(
    out: &Path,
    inputs: &Inputs,
    summary: &Summary,
    pages: BTreeMap<String, Cached>,
    outputs: Option<Outputs>,
) {
    let Some(outputs) = outputs.map(|o| o.0).or_else(|| listing(out)) else {
        return;
    };
    let manifest = Manifest {
        inputs: inputs.all.clone(),
        global: inputs.global.clone(),
        outputs,
        pages,
        counts: Counts {
            pages: summary.pages,
            sections: summary.sections,
            languages: summary.languages,
            data_files: summary.data_files,
            forms: summary.forms,
            files: summary.files,
            warnings: summary.warnings.clone(),
        },
    };
    let path = path_of(out);
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = serde_json::to_vec(&manifest)
        .ok()
        .is_some_and(|bytes| fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &path).is_ok());
    if !written {
        let _ = fs::remove_file(&tmp);
    }
}

/// Forgets the last build (before a build starts writing, so a crash midway leaves no manifest that
/// claims the output is complete).
pub fn forget(out: &Path) {
    let _ = fs::remove_file(path_of(out));
}
