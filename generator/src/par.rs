//! Work spread over every core: `f(0..len)` with the results in order, for the stages that do the
//! same thing to every page or file (reading, parsing, rendering, writing, hashing).

/// `f(0..len)` on every core, results in order. The cores take blocks of a few items in turn, so
/// one slow stretch (long pages, a busy disk) does not hold the rest back.
pub fn map<T: Send>(len: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    const BLOCK: usize = 16;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8)
        .min(len.div_ceil(BLOCK))
        .max(1);
    if threads == 1 {
        return (0..len).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut blocks: Vec<(usize, Vec<T>)> = std::thread::scope(|scope| {
        let (f, next) = (&f, &next);
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let start = next.fetch_add(BLOCK, Ordering::Relaxed);
                        if start >= len {
                            break mine;
                        }
                        mine.push((start, (start..(start + BLOCK).min(len)).map(f).collect()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    blocks.sort_unstable_by_key(|(start, _)| *start);
    blocks.into_iter().flat_map(|(_, items)| items).collect()
}

/// Every entry below `dir` (itself first), in the order `WalkDir::new(dir).sort_by_file_name()`
/// gives, skipping what `keep` refuses (and, for a folder, all below it), with each of `dir`'s own
/// folders walked on whichever core is free: a site's sections are walked side by side. An entry
/// directly in `dir` that cannot be read comes last.
pub fn walk(
    dir: &std::path::Path,
    keep: impl Fn(&walkdir::DirEntry) -> bool + Sync,
) -> Vec<walkdir::Result<walkdir::DirEntry>> {
    use walkdir::WalkDir;
    let mut top = WalkDir::new(dir)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter();
    let mut entries = Vec::new();
    match top.next() {
        Some(Ok(root)) if keep(&root) => entries.push(Ok(root)),
        Some(Ok(_)) | None => return entries,
        Some(Err(e)) => return vec![Err(e)],
    }
    let (children, unreadable): (Vec<_>, Vec<_>) = top.partition(Result::is_ok);
    let children: Vec<walkdir::DirEntry> = children.into_iter().flatten().collect();
    let below = map(children.len(), |i| {
        let child = &children[i];
        if child.file_type().is_dir() {
            WalkDir::new(child.path())
                .sort_by_file_name()
                .into_iter()
                .filter_entry(&keep)
                .collect()
        } else if keep(child) {
            vec![Ok(child.clone())]
        } else {
            Vec::new()
        }
    });
    entries.extend(below.into_iter().flatten());
    entries.extend(unreadable);
    entries
}
