//! The `guidepost` command as a user runs it: summary line, exit codes, help with examples.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo")
        .to_path_buf();
    let dir = tempfile::tempdir().expect("tempdir");
    copy(&repo.join("site"), &dir.path().join("site"));
    copy(&repo.join("tests/fixtures/base"), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dir") {
        let p: PathBuf = entry.expect("entry").path();
        let t = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy(&p, &t);
        } else {
            std::fs::create_dir_all(to).expect("mkdir");
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

fn guidepost(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_guidepost"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn build_prints_one_summary_line_and_exits_0() {
    let site = fixture();
    let root = site.path().to_str().expect("utf-8");
    let out = guidepost(&["build", "--root", root]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let expected_prefix = "built 2 pages, 2 sections, 2 languages, 1 data file, 0 forms in ";
    assert!(stdout.starts_with(expected_prefix), "{stdout}");
    assert!(
        stdout.contains(&format!(" ms → {root}/public ("))
            && stdout.contains(" written, 0 unchanged, 0 removed)"),
        "{stdout}"
    );
    assert!(site.path().join("public/index.html").exists());
    let again = guidepost(&["build", "--root", root]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout
            .trim_end()
            .ends_with(" (nothing changed since the last build; 39 files left as they were)"),
        "a build over an unchanged output writes nothing: {stdout}"
    );
    // Without the manifest (beside the output), the build compares every file and still writes none.
    std::fs::remove_file(site.path().join(".public.guidepost")).expect("manifest");
    let third = guidepost(&["build", "--root", root]);
    let stdout = String::from_utf8_lossy(&third.stdout);
    assert!(
        stdout
            .trim_end()
            .ends_with(" (0 written, 39 unchanged, 0 removed)"),
        "{stdout}"
    );
}

#[test]
fn check_writes_nothing_and_content_errors_exit_1() {
    let site = fixture();
    let root = site.path().to_str().expect("utf-8");
    let out = guidepost(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("checked 2 pages"));
    assert!(!site.path().join("public").exists());
    std::fs::write(
        site.path().join("content/natverk/kostnader.md"),
        "---\ntitel: X\n---\n",
    )
    .expect("write");
    let out = guidepost(&["check", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("1. content/natverk/kostnader.md:2:1: unknown key `titel`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("guidepost: the site has errors"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    assert_eq!(
        guidepost(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(guidepost(&[]).status.code(), Some(2));
    let help = guidepost(&["build", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:\n  guidepost build\n"));
}
