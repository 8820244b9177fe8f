//! `guidepost report` on the base fixture with a fixed date: pages overdue by the site's interval or
//! a page's own, never reviewed, without a reviewer, by editor (inherited from the section), and which
//! pages show each data file; text, JSON and the exit codes.

use std::fs;
use std::process::Command;

fn fixture() -> tempfile::TempDir {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo")
        .to_path_buf();
    let dir = tempfile::tempdir().expect("tempdir");
    copy(&repo.join("site"), &dir.path().join("site"));
    copy(&repo.join("tests/fixtures/base"), dir.path());
    dir
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    for entry in fs::read_dir(from).expect("dir") {
        let p = entry.expect("entry").path();
        let t = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy(&p, &t);
        } else {
            fs::create_dir_all(to).expect("mkdir");
            fs::copy(&p, &t).expect("copy");
        }
    }
}

fn report(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guidepost"))
        .arg("report")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run guidepost report")
}

#[test]
fn the_report_lists_overdue_and_unreviewed_pages_by_editor() {
    let site = fixture();
    // servicenivaer.md: reviewed 2026-10-15 by nobody named, editor Anna Andersson.
    fs::write(
        site.path().join("content/natverk/snabb.md"),
        "---\ntitle: Snabbkoll\nreviewed: 2026-06-01\nreview_every_months: 3\nreviewer: Bo Berg\n---\n\nText.\n",
    )
    .expect("page");
    let out = report(site.path(), &["--json", "--today", "2026-12-01"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["today"], "2026-12-01");
    let anna = &json["editors"]["Anna Andersson"];
    assert!(
        anna["overdue"].as_array().expect("list").is_empty(),
        "{json}"
    );
    assert_eq!(
        anna["no_reviewer"][0]["url"], "/natverk/servicenivaer/",
        "{json}"
    );
    let nobody = &json["editors"]["(no editor)"];
    let overdue: Vec<&str> = nobody["overdue"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|i| i["url"].as_str())
        .collect();
    assert_eq!(
        overdue,
        ["/natverk/snabb/"],
        "its own 3 months passed on 2026-09-01: {json}"
    );
    assert_eq!(nobody["overdue"][0]["due"], "2026-09-01");
    assert!(
        nobody["never_reviewed"]
            .as_array()
            .expect("list")
            .iter()
            .any(|i| i["url"] == "/natverk/kostnader/")
    );
    assert_eq!(
        json["data_files"]["levels"],
        serde_json::json!(["/natverk/servicenivaer/"])
    );

    let later = report(site.path(), &["--today", "2027-11-01", "--fail-overdue"]);
    assert_eq!(
        later.status.code(),
        Some(3),
        "servicenivaer.md is due 2027-10-15"
    );
    let text = String::from_utf8_lossy(&later.stdout);
    assert!(text.starts_with("Review report for 2027-11-01"), "{text}");
    assert!(text.contains("Anna Andersson\n  overdue for review: 1\n    content/natverk/servicenivaer.md (/natverk/servicenivaer/), due 2027-10-15"), "{text}");

    let bad = report(site.path(), &["--today", "1 december"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "guidepost: --today: `1 december` is not a date; write it as YYYY-MM-DD\n"
    );
}
