//! Durability of the real binary with the folder spool and folder mail: a burst of posts, the server
//! killed with SIGKILL mid-burst several times and restarted, then `redeliver`: every answered reference
//! ends as exactly one desk mail, no temporary file or personal data stays in the spool, and files are
//! 0600, folders 0700.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn write_site(root: &Path) {
    let public = root.join("public");
    std::fs::create_dir_all(public.join("forms")).expect("mkdir");
    std::fs::create_dir_all(public.join("kontakt")).expect("mkdir");
    let forms = fixture_forms().to_json().expect("forms json");
    std::fs::write(public.join("forms/forms.json"), forms).expect("forms.json");
    std::fs::write(
        public.join("forms/pages.json"),
        r#"{"kontakt": "kontakt/index.html"}"#,
    )
    .expect("pages.json");
    std::fs::write(public.join("kontakt/index.html"), kontakt_page()).expect("page");
    std::fs::write(root.join("desks.json"), DESKS_JSON).expect("desks");
}

fn command(root: &Path, addr: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guidepost-function"));
    command
        .env_clear()
        .env("GUIDEPOST_FORMS", root.join("public/forms/forms.json"))
        .env("GUIDEPOST_SITE_DIR", root.join("public"))
        .env("GUIDEPOST_DESKS", root.join("desks.json"))
        .env("GUIDEPOST_SPOOL_DIR", root.join("spool"))
        .env("GUIDEPOST_MAIL_DIR", root.join("mail"))
        .env("GUIDEPOST_ADDR", addr)
        .env("GUIDEPOST_MIN_FILL_MS", "0")
        .env("GUIDEPOST_RATE_BURST", "100000")
        .env("GUIDEPOST_RATE_PER_MINUTE", "100000")
        .env("GUIDEPOST_REDELIVER_MIN_AGE_SECS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

async fn start(root: &Path, addr: &str) -> Child {
    let child = command(root, addr).arg("serve").spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child
}

/// Posts submission `n`; the reference if the server answered 303.
async fn post(addr: &str, n: usize) -> Option<String> {
    let mut answers = kontakt_valid();
    let message = format!("Länken går ner, fall {n}.");
    answers[4] = ("meddelande", &message);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(answers)
        .finish();
    let request = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut answer));
    read.await.ok()?.ok()?;
    let location = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("location:"))?;
    answer.starts_with("HTTP/1.1 303").then(|| {
        let location = location
            .split_once(':')
            .map_or("", |(_, value)| value.trim());
        reference_in_receipt(location, "kontakt")
    })
}

fn walk(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(&path, found);
        }
        found.push(path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_loses_nothing_and_duplicates_nothing() {
    let started = Instant::now();
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path();
    write_site(root);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut answered = Vec::new();
    let (rounds, per_round) = (4, 10);
    for round in 0..rounds {
        let mut server = start(root, &addr).await;
        let posts: Vec<_> = (0..per_round)
            .map(|i| {
                let addr = addr.clone();
                tokio::spawn(async move { post(&addr, round * per_round + i).await })
            })
            .collect();
        // Kill once the first answers are back, with the rest in flight.
        tokio::time::sleep(Duration::from_millis(15 + 10 * round as u64)).await;
        server.kill().expect("kill -9");
        server.wait().expect("wait");
        for handle in posts {
            answered.extend(handle.await.expect("join"));
        }
    }
    // A last clean run so some posts are surely answered.
    let mut server = start(root, &addr).await;
    for n in 1000..1005 {
        answered.extend(post(&addr, n).await);
    }
    server.kill().expect("kill -9");
    server.wait().expect("wait");

    let out = command(root, &addr)
        .arg("redeliver")
        .output()
        .expect("redeliver");
    assert!(
        out.status.success(),
        "redeliver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mail = spooled_in(&root.join("mail"));
    for reference in &answered {
        let desk: Vec<_> = mail
            .iter()
            .filter(|m| m.starts_with(&format!("{reference}-desk")))
            .collect();
        assert_eq!(
            desk,
            vec![&format!("{reference}-desk.eml")],
            "exactly one desk mail for {reference}"
        );
    }
    assert!(
        !mail.iter().any(|m| m.starts_with('.')),
        "no temporary mail file: {mail:?}"
    );
    for name in &mail {
        let size = std::fs::metadata(root.join("mail").join(name))
            .expect("meta")
            .len();
        assert!(size > 0, "{name} is empty");
    }
    let mut files = Vec::new();
    walk(&root.join("spool"), &mut files);
    for path in &files {
        let mode = std::fs::metadata(path).expect("meta").permissions().mode() & 0o777;
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", path.display());
        if path.is_file() {
            // The whole identity number and the name, not a fragment: a marker's timestamp or
            // fingerprint may hold "1212" by chance (it did, once in CI).
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for personal in [
                "19121212-1212",
                "121212-1212",
                "191212121212",
                "Åsa Öberg",
                "asa.oberg",
            ] {
                assert!(
                    !text.contains(personal),
                    "personal data ({personal}) left in {}: {text}",
                    path.display()
                );
            }
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            assert!(
                !name.is_some_and(|n| n.starts_with(".tmp-")),
                "{}",
                path.display()
            );
        }
    }
    assert!(
        spooled_in(&root.join("spool/pending")).is_empty(),
        "nothing left pending"
    );
    assert!(answered.len() >= 5, "answered {}", answered.len());
    eprintln!(
        "answered {} of {} posts, {} mail files, in {:?}",
        answered.len(),
        rounds * per_round + 5,
        mail.len(),
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(60));
}
