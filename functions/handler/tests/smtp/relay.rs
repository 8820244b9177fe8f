//! The test's SMTP relay: `relay.py` (aiosmtpd) on a free loopback port, stopped on drop; each message's
//! fate is set with [`Relay::set`], and what it accepted is read back with [`Relay::received`].

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// One message the relay accepted: its envelope and the data as received.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A running relay.
pub struct Relay {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

/// The relay, or why the test is skipped.
pub enum Start {
    Running(Relay),
    Skip(String),
}

/// `none`, `starttls` or `tls`, with an optional login.
pub struct Setup<'a> {
    pub tls: &'a str,
    pub login: Option<(&'a str, &'a str)>,
}

impl Relay {
    /// Starts `relay.py` in `dir`. Without Python's aiosmtpd: a skip, unless `GUIDEPOST_REQUIRE_SMTP` or
    /// `GUIDEPOST_REQUIRE_MOTO` is set (the test command sets them; then a panic).
    pub fn start(dir: &Path, setup: Setup<'_>) -> Start {
        let have = Command::new("python3")
            .args(["-c", "import aiosmtpd, cryptography"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !have {
            let message = "Python's aiosmtpd is not installed (pip install aiosmtpd)";
            let required = ["GUIDEPOST_REQUIRE_SMTP", "GUIDEPOST_REQUIRE_MOTO"]
                .iter()
                .any(|v| std::env::var_os(v).is_some());
            assert!(!required, "{message}, and the test command requires it");
            return Start::Skip(format!("SKIPPED: {message}"));
        }
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("bind a probe port");
            probe.local_addr().expect("probe addr").port()
        };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/relay.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .args(["--port", &port.to_string(), "--tls", setup.tls])
            .arg("--mode-file")
            .arg(dir.join("mode"))
            .arg("--out")
            .arg(dir.join("received.jsonl"))
            .arg("--certs")
            .arg(dir.join("certs"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((user, password)) = setup.login {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command.spawn().expect("start relay.py");
        let stdout = child.stdout.take().expect("relay stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("relay says ready");
        assert!(
            line.starts_with("ready"),
            "relay.py did not start: {line:?}"
        );
        Start::Running(Relay {
            child,
            port,
            dir: dir.to_owned(),
        })
    }

    /// What happens to the next messages: `accept`, `defer` (451), `refuse` (554) or `drop`.
    pub fn set(&self, mode: &str) {
        std::fs::write(self.dir.join("mode"), mode).expect("write mode");
    }

    /// The CA the relay's certificate is signed by (PEM file).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("certs/ca.pem")
    }

    /// Every message accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        match std::fs::read_to_string(self.dir.join("received.jsonl")) {
            Ok(text) => text
                .lines()
                .map(|l| serde_json::from_str(l).expect("relay record"))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Per EHLO: the connection's id and the name the client gave.
    pub fn ehlos(&self) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(self.dir.join("ehlo.log")).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(id, name)| (id.to_owned(), name.to_owned()))
            .collect()
    }

    /// Stops the relay now (the port then refuses connections).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop();
    }
}
