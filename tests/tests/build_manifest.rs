//! A build over its own unchanged output does nothing; any change to the inputs or to the output makes
//! it build again, and the manifest that tells them apart lives beside the output, never in it.

mod common;

use std::fs;
use std::path::Path;

use guidepost::BuildOptions;

fn build(root: &Path) -> guidepost::Summary {
    guidepost::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(root.join("public")),
        drafts: false,
    })
    .expect("fixture builds")
}

/// `Some(0)` when the build found nothing to do.
fn skipped(summary: &guidepost::Summary) -> bool {
    summary.rendered == Some(0) && summary.written.is_some_and(|w| w.written == 0)
}

/// Changes one letter of the first page (same size, new time); returns the page and its old text.
fn edit_keeping_the_size(root: &Path) -> (std::path::PathBuf, String) {
    let page = common::walkdir(&root.join("content"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a page");
    let text = fs::read_to_string(&page).expect("read");
    let changed = text.replacen("e.", "a.", 1);
    assert_ne!(changed, text, "the page has a sentence ending in e");
    assert_eq!(changed.len(), text.len());
    fs::write(&page, &changed).expect("write");
    (page, text)
}

#[test]
fn an_unchanged_site_over_its_own_output_is_not_built_again() {
    let site = common::fixture_site();
    let root = site.path();
    let first = build(root);
    assert!(!skipped(&first));
    assert!(
        root.join(".public.guidepost").is_file(),
        "the manifest is beside the output"
    );
    assert!(
        !common::walkdir(&root.join("public"))
            .iter()
            .any(|p| p.to_string_lossy().contains("guidepost")),
        "and not in it"
    );
    let snapshot = common::snapshot(&root.join("public"));
    let again = build(root);
    assert!(skipped(&again), "nothing changed: {:?}", again.written);
    assert_eq!(
        (again.pages, again.sections, again.files),
        (first.pages, first.sections, first.files),
        "the same figures are reported"
    );
    assert_eq!(common::snapshot(&root.join("public")), snapshot);
}

#[test]
fn a_change_to_the_content_the_templates_or_the_output_builds_again() {
    let site = common::fixture_site();
    let root = site.path();
    build(root);
    let snapshot = common::snapshot(&root.join("public"));
    let (page, text) = edit_keeping_the_size(root);
    assert!(!skipped(&build(root)), "a content edit");
    fs::write(&page, &text).expect("restore");
    assert!(!skipped(&build(root)), "and back");
    assert!(skipped(&build(root)));

    let template = root.join("site/templates/page.html");
    let t = fs::read_to_string(&template).expect("template");
    fs::write(&template, t.clone() + "\n").expect("write");
    assert!(!skipped(&build(root)), "a template edit");
    fs::write(&template, t).expect("restore");
    build(root);

    // The output touched by someone else: removed and edited files come back.
    let some_file = common::walkdir(&root.join("public"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .expect("a page");
    fs::remove_file(&some_file).expect("remove");
    assert!(!skipped(&build(root)), "a file removed from the output");
    fs::write(&some_file, b"changed").expect("write");
    assert!(!skipped(&build(root)), "a file edited in the output");
    fs::write(root.join("public/extra.txt"), b"x").expect("write");
    assert!(!skipped(&build(root)), "a file added to the output");
    assert_eq!(common::snapshot(&root.join("public")), snapshot);
}

#[test]
fn after_a_build_of_only_the_changed_pages_the_manifest_still_sees_the_output_touched() {
    let site = common::fixture_site();
    let root = site.path();
    // A site with search renders every page each time (the index needs them all).
    let config = root.join("site/site.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, text + "search: false\n").expect("write");
    build(root);
    let page = common::walkdir(&root.join("content"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .expect("a page");
    let text = fs::read_to_string(&page).expect("read");
    fs::write(&page, format!("{text}\nOne more sentence.\n")).expect("write");
    let partial = build(root);
    assert!(
        partial
            .rendered
            .is_some_and(|n| n < partial.pages + partial.sections),
        "only the changed pages were rendered: {:?}",
        partial.rendered
    );
    let snapshot = common::snapshot(&root.join("public"));
    assert!(skipped(&build(root)), "its listing matches the output");
    // The listing it recorded is the output's, so a file changed, removed or added since is noticed.
    let written = common::walkdir(&root.join("public"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .max_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("a page");
    fs::write(&written, b"changed").expect("write");
    assert!(
        !skipped(&build(root)),
        "a file the last build wrote, edited"
    );
    assert_eq!(common::snapshot(&root.join("public")), snapshot);
    let other = common::walkdir(&root.join("public"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "html") && *p != written)
        .expect("another page");
    fs::remove_file(&other).expect("remove");
    assert!(!skipped(&build(root)), "a file it left alone, removed");
    assert_eq!(common::snapshot(&root.join("public")), snapshot);
}

#[test]
fn a_file_the_last_build_knew_by_its_size_and_time_is_read_again_when_either_changes() {
    let site = common::fixture_site();
    let root = site.path();
    // Every input settled an hour ago, so the next builds take their hashes from the manifest.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for dir in ["content", "site"] {
        for path in common::walkdir(&root.join(dir)) {
            if path.is_file() {
                let file = fs::File::options().write(true).open(&path).expect("open");
                file.set_modified(hour_ago).expect("set time");
            }
        }
    }
    build(root);
    assert!(skipped(&build(root)), "nothing changed");
    edit_keeping_the_size(root);
    assert!(!skipped(&build(root)), "a same-size edit, with a new time");
    assert!(skipped(&build(root)));
}
