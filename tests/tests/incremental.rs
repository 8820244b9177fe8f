//! Rebuilds that keep the last results (`guidepost serve`'s session): after every kind of edit the output
//! is byte for byte what a full build of the same content writes, the search index included, and an
//! edit renders only the pages whose HTML can change.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use guidepost::session::{Changes, Session};
use guidepost::{BuildError, BuildOptions};

/// The example site (content and site folders) in a temporary folder.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for part in ["content", "site"] {
        common::copy_tree(&common::repo().join(part), &dir.path().join(part), &[]);
    }
    dir
}

fn options(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        drafts: false,
    }
}

/// What a full build of `root` writes, into a fresh folder.
fn full_build(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().expect("tempdir");
    guidepost::build(&options(root, out.path())).expect("full build");
    common::snapshot(out.path())
}

/// Asserts that `out` holds exactly what a full build of `root` into an empty folder writes.
fn same_as_full_build(root: &Path, out: &Path, after: &str) {
    let (incremental, full) = (common::snapshot(out), full_build(root));
    let differ: Vec<&PathBuf> = full
        .keys()
        .chain(incremental.keys())
        .filter(|p| full.get(*p) != incremental.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "after {after}: {differ:?} differ from a full build"
    );
}

/// Rebuilds after `changed`, builds the search index, and checks the output against a full build;
/// returns how many pages were rendered (`None`: all of them).
fn rebuild(session: &mut Session, root: &Path, out: &Path, changed: &[&str]) -> Option<usize> {
    // As a watcher started in another folder reports them: relative to the current folder.
    let paths = changed.iter().map(|p| from_here(&root.join(p))).collect();
    let summary = session
        .rebuild(&Changes::Paths(paths))
        .expect("rebuild succeeds");
    session.index_now().expect("search index");
    same_as_full_build(root, out, &format!("changing {changed:?}"));
    summary.rendered
}

/// `path` (absolute) written relative to the current folder.
fn from_here(path: &Path) -> PathBuf {
    let here = std::env::current_dir().expect("current folder");
    let mut relative = PathBuf::new();
    for _ in 1..here.components().count() {
        relative.push("..");
    }
    relative.join(path.strip_prefix("/").expect("absolute"))
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, f(text)).expect("write");
}

/// The pages rendered after every edit: the home page and the search pages, which list the site.
fn always(root: &Path) -> usize {
    let searches = common::walkdir(&root.join("content"))
        .into_iter()
        .filter(|p| fs::read_to_string(p).is_ok_and(|t| t.contains("\ntemplate: search.html")))
        .count();
    1 + searches
}

/// A session that has built `root` into `out`, search index included.
fn first_build(root: &Path, out: &Path) -> Session {
    let mut session = Session::new(options(root, out));
    session.rebuild(&Changes::All).expect("first build");
    session.index_now().expect("index");
    session
}

#[test]
fn every_kind_of_edit_gives_what_a_full_build_gives() {
    let site = example();
    let root = site.path();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("public");
    let mut session = first_build(root, &out);
    assert_eq!(common::snapshot(&out), full_build(root), "the first build");
    let always = always(root);
    assert!(always >= 2, "the example has search pages");

    // The same bytes saved again: nothing rendered, nothing written.
    edit(root, "content/gavleborg/support.md", |t| t);
    let summary = session
        .rebuild(&Changes::Paths(vec![
            root.join("content/gavleborg/support.md"),
        ]))
        .expect("no change");
    assert_eq!(summary.rendered, Some(0));
    assert_eq!(summary.written.map(|w| w.written), Some(0));

    // A body edit: that page only (with the pages that list the whole site).
    let body = "content/gavleborg/externa-personer.md";
    edit(root, body, |t| {
        t + "\nEtt nytt stycke om externa personer.\n"
    });
    assert_eq!(rebuild(&mut session, root, &out, &[body]), Some(always + 1));

    // A new heading: the pages that link to this one are checked again too.
    let linked = "content/gavleborg/bestall-konto.md";
    edit(root, linked, |t| {
        t + "\n## En ny rubrik\n\nText under den.\n"
    });
    let rendered = rebuild(&mut session, root, &out, &[linked]).expect("incremental");
    assert!(
        rendered > always + 1,
        "pages linking to it rendered: {rendered}"
    );

    // A title edit: the page, its section's pages (their sidebars) and the section page.
    edit(root, body, |t| {
        t.replacen("\ntitle: ", "\ntitle: Ändrad – ", 1)
    });
    let rendered = rebuild(&mut session, root, &out, &[body]).expect("incremental");
    let in_section = fs::read_dir(root.join("content/gavleborg"))
        .expect("dir")
        .count();
    assert!(
        rendered > always + 1 && rendered <= always + in_section,
        "{rendered} pages rendered for a title edit"
    );

    // A weight edit moves the page in its section's menus.
    edit(root, body, |t| {
        t.replacen("\nweight: 20\n", "\nweight: 1\n", 1)
    });
    assert!(rebuild(&mut session, root, &out, &[body]).is_some());

    // Two pages at once, one of them a section's index.
    edit(root, "content/gavleborg/_index.md", |t| {
        t + "\nMer om avsnittet.\n"
    });
    edit(root, "content/halland/_index.md", |t| {
        t.replacen("\ntitle: ", "\ntitle: Om ", 1)
    });
    rebuild(
        &mut session,
        root,
        &out,
        &["content/gavleborg/_index.md", "content/halland/_index.md"],
    );

    // What every page depends on: a template, the strings, a data file, the site's configuration.
    edit(root, "site/templates/base.html", |t| {
        t.replacen("</main>", "<!-- ny --></main>", 1)
    });
    assert_eq!(
        rebuild(&mut session, root, &out, &["site/templates/base.html"]),
        None
    );
    let strings = common::walkdir(&root.join("site/i18n"));
    let strings = strings.first().expect("a strings file");
    let rel = strings
        .strip_prefix(root)
        .expect("inside")
        .to_string_lossy()
        .into_owned();
    edit(root, &rel, |t| t + "\n");
    rebuild(&mut session, root, &out, &[&rel]);
    edit(root, "content/data/gavleborg_support.yaml", |t| t + "\n");
    rebuild(
        &mut session,
        root,
        &out,
        &["content/data/gavleborg_support.yaml"],
    );

    // A page added, then removed again.
    let added = "content/gavleborg/ny-sida.md";
    fs::write(
        root.join(added),
        "---\ntitle: Ny sida\n---\n\nEn ny sida.\n",
    )
    .expect("write");
    rebuild(&mut session, root, &out, &[added]);
    fs::remove_file(root.join(added)).expect("remove");
    rebuild(&mut session, root, &out, &[added]);

    // A new address (a slug): the old page goes, the new one comes.
    edit(root, body, |t| {
        t.replacen("\ntitle: ", "\nslug: externa\ntitle: ", 1)
    });
    rebuild(&mut session, root, &out, &[body]);
    assert!(out.join("gavleborg/externa/index.html").exists());
}

#[test]
fn an_edit_with_errors_reports_them_as_a_full_build_does_and_writes_nothing() {
    let site = example();
    let root = site.path();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("public");
    let mut session = first_build(root, &out);
    let before = common::snapshot(&out);
    // support.md links to bestall-konto.md#vem: take the heading id away.
    let linked = "content/gavleborg/bestall-konto.md";
    edit(root, linked, |t| t.replace("{#vem}", ""));
    let Err(BuildError::Content(incremental)) =
        session.rebuild(&Changes::Paths(vec![root.join(linked)]))
    else {
        panic!("the broken link is an error");
    };
    let Err(BuildError::Content(full)) =
        guidepost::build(&options(root, &out_dir.path().join("x")))
    else {
        panic!("a full build fails too");
    };
    assert_eq!(incremental.to_string(), full.to_string());
    assert!(
        incremental
            .to_string()
            .contains("content/gavleborg/support.md"),
        "{incremental}"
    );
    assert_eq!(common::snapshot(&out), before, "nothing written");
    // Mended: the next rebuild gives what a full build gives.
    edit(root, linked, |t| {
        t.replacen("\n## ", "\n## Vem får beställa {#vem}\n\n## ", 1)
    });
    rebuild(&mut session, root, &out, &[linked]);
}

/// `guidepost build` over its own output, on a site without search: only pages changed, so only the
/// pages whose HTML can differ are rendered, and the output is what a build into an empty folder writes.
#[test]
fn a_build_over_its_output_renders_only_what_changed_and_gives_what_a_full_build_gives() {
    let site = example();
    let root = site.path();
    edit(root, "site/site.yaml", |t| t + "search: false\n");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("public");
    let build = |changed: &str| {
        let summary = guidepost::build(&options(root, &out)).expect("build");
        same_as_full_build(root, &out, changed);
        summary.rendered
    };
    assert_eq!(build("the first build"), None);
    let always = always(root);
    let body = "content/gavleborg/externa-personer.md";
    edit(root, body, |t| t + "\nEtt nytt stycke.\n");
    assert_eq!(build("a body edit"), Some(always + 1));
    let linked = "content/gavleborg/bestall-konto.md";
    edit(root, linked, |t| t + "\n## En ny rubrik\n\nText.\n");
    assert!(build("a new heading").is_some_and(|n| n > always + 1));
    edit(root, body, |t| {
        t.replacen("\ntitle: ", "\ntitle: Ändrad – ", 1)
    });
    assert!(build("a title edit").is_some_and(|n| n > always + 1));
    edit(root, body, |t| {
        t.replacen("\nweight: 20\n", "\nweight: 1\n", 1)
    });
    build("a weight edit");
    let added = "content/gavleborg/ny-sida.md";
    fs::write(
        root.join(added),
        "---\ntitle: Ny sida\n---\n\nEn ny sida.\n",
    )
    .expect("write");
    build("a page added");
    fs::remove_file(root.join(added)).expect("remove");
    build("a page removed");
    edit(root, body, |t| {
        t.replacen("\ntitle: ", "\nslug: externa\ntitle: ", 1)
    });
    build("a new address");
    edit(root, "site/templates/base.html", |t| {
        t.replacen("</main>", "<!-- ny --></main>", 1)
    });
    assert_eq!(build("a template edit"), None, "every page rendered");
    edit(root, "content/data/gavleborg_support.yaml", |t| t + "\n");
    assert_eq!(build("a data edit"), None);
}
