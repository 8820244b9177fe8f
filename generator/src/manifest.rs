//! The build manifest, kept beside the output (`.public.guidepost` for `public/`): what the last good
//! build was made from (a hash of every file below `content/` and `site/`, each file's own hash by its
//! size and time so the next build reads only files that changed, the binary, the options and the
//! date) and what it left in the output (every file's path, size and modification time). A build
//! whose inputs and output both still match has nothing to do and returns at once. Any doubt (no
//! manifest, an unreadable one, a file touched in the output) means an ordinary build. It also keeps
//! each page's fingerprint, so that when only pages changed a build renders only the pages whose HTML
//! can differ ([`Previous::pages`], used by `reuse`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::fingerprint;

use crate::{BuildOptions, Summary};

/// What a build's result is made from: everything, and everything but the pages' Markdown files;
/// with each file's hash, for the next build to reuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    all: String,
    global: String,
    files: Vec<Hashed>,
    hashed_at: u128,
}

/// One input file: its path below the project, size, modification time and the hash of its bytes.
type Hashed = (String, u64, u128, u64);

/// How long after a file's modification time its hash is taken as settled: a file changed within
/// the same tick of a coarse clock as it was hashed could keep its size and time.
const SETTLED_NS: u128 = 2_000_000_000;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    inputs: String,
    global: String,
    files: Vec<Hashed>,
    hashed_at: u128,
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

/// What a manifest file starts with (its fields follow in postcard's binary form): a file without
/// it, such as one an older guidepost wrote, is no manifest and means an ordinary build.
const MAGIC: &[u8] = b"guidepost manifest 3\n";

/// Where the manifest of output folder `out` is: beside it, so it is never published.
fn path_of(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.guidepost"))
}

/// Hashes everything the build reads: every file below `content/` and `site/` (path and bytes), the
/// binary (its size and time), the options and today's date. `None` if something cannot be read. A
/// file whose size and time are as the last build (`previous`) recorded them, and settled well
/// before it hashed them, keeps its recorded hash unread (as git's index does).
pub fn inputs(
    options: &BuildOptions,
    today: crate::model::Date,
    previous: Option<&Previous>,
    walked: Walked,
) -> Option<Inputs> {
    let hashed_at = walked.at;
    let entries = walked.entries?;
    let known: HashMap<&str, (u64, u128, u64)> = previous
        .map(|p| &p.manifest)
        .into_iter()
        .flat_map(|m| {
            m.files
                .iter()
                .filter(move |(_, _, at, _)| at.saturating_add(SETTLED_NS) < m.hashed_at)
        })
        .map(|(rel, len, at, hash)| (rel.as_str(), (*len, *at, *hash)))
        .collect();
    // The walk in order (made by `walk`), then every file read and hashed on every core, then
    // combined in order.
    let files: Vec<Option<Option<Hashed>>> = crate::par::map(entries.len(), |i| {
        let (rel, _, is_file) = &entries[i];
        if !is_file {
            return Some(None);
        }
        let path = options.root.join(rel);
        let meta = fs::metadata(&path).ok()?;
        let (len, at) = (meta.len(), stamp(&meta));
        if let Some(&(_, _, hash)) = known.get(rel.as_str()).filter(|k| (k.0, k.1) == (len, at)) {
            return Some(Some((rel.clone(), len, at, hash)));
        }
        let bytes = fs::read(&path).ok()?;
        let mut h = fingerprint::hasher();
        h.write_usize(bytes.len());
        h.write(&bytes);
        Some(Some((rel.clone(), len, at, h.finish())))
    });
    let files: Vec<Option<Hashed>> = files.into_iter().collect::<Option<_>>()?;
    let mut pages = fingerprint::hasher();
    let mut global = fingerprint::hasher();
    for ((rel, page, _), file) in entries.iter().zip(&files) {
        let h = if *page { &mut pages } else { &mut global };
        h.write(rel.as_bytes());
        h.write_u8(0);
        h.write_u64(file.as_ref().map_or(0, |f| f.3));
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
        files: files.into_iter().flatten().collect(),
        hashed_at,
    })
}

/// The input files in walk order, each with whether it is a page and whether it is a file, and when
/// the walk began (the time the hashes are taken at); made by [`walk`] for [`inputs`].
pub struct Walked {
    at: u128,
    entries: Option<Vec<(String, bool, bool)>>,
}

/// Lists every file below `content/` and `site/` in order (on its own, so a build can do it while it
/// reads the last manifest).
pub fn walk(options: &BuildOptions) -> Walked {
    let at = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let entries = (|| {
        let mut entries = Vec::new();
        for dir in ["content", "site"] {
            for entry in crate::par::walk(&options.root.join(dir), |_| true) {
                let entry = entry.ok()?;
                let rel = key(entry.path().strip_prefix(&options.root).ok()?);
                let page = dir == "content" && rel.ends_with(".md");
                entries.push((rel, page, entry.file_type().is_file()));
            }
        }
        Some(entries)
    })();
    Walked { at, entries }
}

/// A path as the manifest writes it: `/`-separated, whatever the system.
pub fn key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
                let rel = entry.path().strip_prefix(out).ok()?;
                files.push(listed(rel, &entry.metadata().ok()?));
            }
        }
        Some(files)
    });
    let mut files = parts.into_iter().collect::<Option<Vec<_>>>()?.concat();
    files.sort_unstable();
    Some(files)
}

/// One file's entry in a listing: `rel` is its path below the output.
fn listed(rel: &Path, meta: &fs::Metadata) -> Listed {
    (key(rel), meta.len(), stamp(meta))
}

/// The last build into `out`, if it left a readable manifest.
pub fn previous(out: &Path) -> Option<Previous> {
    let bytes = fs::read(path_of(out)).ok()?;
    let manifest: Manifest = postcard::from_bytes(bytes.strip_prefix(MAGIC)?).ok()?;
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
        let mut files: Vec<Listed> = made.iter().map(|(rel, meta)| listed(rel, meta)).collect();
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
            files.remove(&key(rel));
        }
        let fresh = crate::par::map(written.len(), |i| {
            Some(listed(
                written[i],
                &fs::metadata(out.join(written[i])).ok()?,
            ))
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
    inputs: Inputs,
    summary: &Summary,
    pages: BTreeMap<String, Cached>,
    outputs: Option<Outputs>,
) {
    let Some(outputs) = outputs.map(|o| o.0).or_else(|| listing(out)) else {
        return;
    };
    let manifest = Manifest {
        inputs: inputs.all,
        global: inputs.global,
        files: inputs.files,
        hashed_at: inputs.hashed_at,
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
    let written = postcard::to_extend(&manifest, MAGIC.to_vec())
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
