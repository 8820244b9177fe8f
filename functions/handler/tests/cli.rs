//! The binary's command line: `--help` works for every command before (and without) any configuration,
//! and runs nothing; a wrong command is refused with exit code 2.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    let spool = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_guidepost-function"))
        .args(args)
        .env_clear()
        .current_dir(spool.path())
        .output()
        .expect("run guidepost-function")
}

#[test]
fn help_prints_and_runs_nothing_without_configuration() {
    for (args, first_line) in [
        (
            &["--help"][..],
            "guidepost-function: the guidepost form function",
        ),
        (
            &["help"][..],
            "guidepost-function: the guidepost form function",
        ),
        (&["serve", "--help"][..], "Usage: guidepost-function serve"),
        (
            &["redeliver", "--help"][..],
            "Usage: guidepost-function redeliver",
        ),
        (
            &["redeliver", "-h"][..],
            "Usage: guidepost-function redeliver",
        ),
    ] {
        let out = run(args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.lines().next(), Some(first_line), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?} logged: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_wrong_command_is_refused_before_the_configuration_is_read() {
    let out = run(&["deliver"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: unknown command `deliver`\n"),
        "{stderr}"
    );
    let out = run(&["serve", "--port"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: `serve` takes no argument `--port`; see `guidepost-function serve --help`\n"
    );
}
