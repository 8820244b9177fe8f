//! A moto server for the test: started on a free loopback port, stopped on drop; reads what it received.

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running `moto_server`.
pub struct Moto {
    child: Child,
    pub addr: SocketAddr,
}

/// Whether moto is absent and that is allowed (then the test prints why and passes).
pub enum Start {
    Running(Moto),
    Skip(String),
}

impl Moto {
    /// Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers.
    /// Without `moto_server` on the PATH: a skip, unless `GUIDEPOST_REQUIRE_MOTO` is set (then a panic).
    pub async fn start() -> Start {
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("bind a probe port");
            probe.local_addr().expect("probe addr").port()
        };
        let spawned = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let message = "moto_server is not installed (pip install 'moto[server]')";
                if std::env::var_os("GUIDEPOST_REQUIRE_MOTO").is_some() {
                    panic!("{message}, and GUIDEPOST_REQUIRE_MOTO is set");
                }
                return Start::Skip(format!(
                    "SKIPPED: {message}; set GUIDEPOST_REQUIRE_MOTO=1 to fail instead"
                ));
            }
            Err(e) => panic!("could not start moto_server: {e}"),
        };
        let moto = Moto {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if moto.try_get("/moto-api/data.json").await.is_some() {
                return Start::Running(moto);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {} within 30 s", moto.addr);
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything moto holds (`GET /moto-api/data.json`).
    pub async fn data(&self) -> Value {
        let body = self
            .try_get("/moto-api/data.json")
            .await
            .expect("moto answers");
        serde_json::from_str(&body).expect("moto data is JSON")
    }

    /// The raw messages SES received: `(destinations, raw_data)`.
    pub async fn raw_messages(&self) -> Vec<(Vec<String>, String)> {
        let data = self.data().await;
        let messages = data["ses"]["RawMessage"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        messages
            .iter()
            .map(|m| {
                let to = m["destinations"].as_array().into_iter().flatten();
                let to = to.filter_map(|d| d.as_str().map(str::to_owned)).collect();
                (to, m["raw_data"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    }

    async fn try_get(&self, path: &str) -> Option<String> {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.ok()?;
        let request = format!("GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n", self.addr);
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok()?;
        let answer = String::from_utf8(answer).ok()?;
        let (head, body) = answer.split_once("\r\n\r\n")?;
        head.starts_with("HTTP/1.1 200")
            .then(|| body.to_owned())
            .or_else(|| head.starts_with("HTTP/1.0 200").then(|| body.to_owned()))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
