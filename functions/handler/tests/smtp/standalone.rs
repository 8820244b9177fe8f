//! The standalone server as an operator runs it: the `guidepost-function` binary, configured only by
//! environment variables, sending through the relay, redelivering on its own schedule, with `/metrics` on
//! its own address: the numbers scraped match what was sent.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::common::*;
use super::relay::{Relay, Setup, Start};

/// Writes what the generator would: `forms/forms.json`, `forms/pages.json` and the kontakt page.
pub fn write_site(public: &Path) {
    std::fs::create_dir_all(public.join("forms")).expect("mkdir");
    std::fs::create_dir_all(public.join("kontakt")).expect("mkdir");
    let forms = fixture_forms().to_json().expect("forms json");
    std::fs::write(public.join("forms/forms.json"), forms).expect("forms.json");
    let pages = r#"{"kontakt": "kontakt/index.html"}"#;
    std::fs::write(public.join("forms/pages.json"), pages).expect("pages.json");
    std::fs::write(public.join("kontakt/index.html"), kontakt_page()).expect("page");
}

/// The variables a deployment sets for the built site in `root/public` (written here), a folder spool in
/// `root/spool`, the test desks and the relay (TLS and login left to the caller).
pub fn deployment_vars(root: &Path, relay: &Relay) -> BTreeMap<&'static str, String> {
    let public = root.join("public");
    write_site(&public);
    let path = |p: std::path::PathBuf| p.display().to_string();
    BTreeMap::from([
        ("GUIDEPOST_FORMS", path(public.join("forms/forms.json"))),
        ("GUIDEPOST_SITE_DIR", path(public.clone())),
        ("GUIDEPOST_SPOOL_DIR", path(root.join("spool"))),
        ("GUIDEPOST_REGISTER_DIR", path(root.join("register"))),
        (
            "GUIDEPOST_ACCOUNT_KEY",
            "an smtp test key, 32 bytes or more".into(),
        ),
        ("GUIDEPOST_DESKS_JSON", DESKS_JSON.to_owned()),
        ("GUIDEPOST_MAIL", "smtp".into()),
        (
            "GUIDEPOST_SENDER",
            "Formulär <formular@region.example>".into(),
        ),
        ("GUIDEPOST_SMTP_HOST", "127.0.0.1".into()),
        ("GUIDEPOST_SMTP_PORT", relay.port.to_string()),
        ("GUIDEPOST_SMTP_TIMEOUT_SECS", "2".into()),
        ("GUIDEPOST_MIN_FILL_MS", "0".into()),
    ])
}

fn free_addr() -> SocketAddr {
    let probe = TcpListener::bind("127.0.0.1:0").expect("bind a probe port");
    probe.local_addr().expect("probe addr")
}

/// One HTTP/1.1 request with `Connection: close`; the status and the body.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let status = answer.get(9..12)?.parse().ok()?;
    let (_, body) = answer.split_once("\r\n\r\n")?;
    Some((status, body.to_owned()))
}

/// The value of the sample `name` in a scrape (0 when absent).
fn sample(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .map(|v| v.parse().expect("a number"))
        .unwrap_or(0.0)
}

#[tokio::test]
async fn the_standalone_server_redelivers_on_its_own_schedule_and_its_metrics_match_what_was_sent()
{
    let temp = tempfile::tempdir().expect("tempdir");
    let relay = match Relay::start(
        temp.path(),
        Setup {
            tls: "none",
            login: None,
        },
    ) {
        Start::Running(relay) => relay,
        Start::Skip(why) => return eprintln!("{why}"),
    };
    let (addr, metrics_addr) = (free_addr(), free_addr());
    let mut vars = deployment_vars(temp.path(), &relay);
    vars.extend([
        ("GUIDEPOST_ADDR", addr.to_string()),
        ("GUIDEPOST_METRICS_ADDR", metrics_addr.to_string()),
        ("GUIDEPOST_SMTP_TLS", "none".into()),
        ("GUIDEPOST_DELIVERY_BUDGET_MS", "1000".into()),
        ("GUIDEPOST_RATE_BURST", "1000".into()),
        ("GUIDEPOST_RATE_PER_MINUTE", "1000".into()),
        ("GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY", "100".into()),
        ("GUIDEPOST_REDELIVER_EVERY_SECS", "2".into()),
        ("GUIDEPOST_REDELIVER_MIN_AGE_SECS", "0".into()),
    ]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidepost-function"))
        .env_clear()
        .envs(&vars)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(temp.path().join("server.log")).expect("log file"))
        .spawn()
        .expect("start guidepost-function");
    let deadline = Instant::now() + Duration::from_secs(20);
    while http(addr, "GET", "/healthz", "").await.is_none() {
        assert!(
            Instant::now() < deadline,
            "the server did not answer /healthz"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let post = |message: String| async move {
        let pairs = kontakt_with(Box::leak(message.into_boxed_str()), "asa@example.com");
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        http(addr, "POST", "/forms/kontakt", &body)
            .await
            .expect("answer")
    };

    relay.set("accept");
    for i in 0..4 {
        assert_eq!(post(format!("Ärende {i}, relän tar emot.")).await.0, 303);
    }
    for _ in 0..3 {
        let invalid = http(addr, "POST", "/forms/kontakt", "namn=%C3%85sa")
            .await
            .expect("answer");
        assert_eq!(invalid.0, 422);
    }
    relay.set("defer");
    for i in 0..2 {
        assert_eq!(
            post(format!("Ärende {i}, relän ber oss vänta.")).await.0,
            303
        );
    }
    relay.set("accept");
    // The server's own schedule (every 2 s) delivers the two deferred ones: no redeliver command is run.
    let deadline = Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let (status, metrics) = http(metrics_addr, "GET", "/metrics", "")
            .await
            .expect("scrape");
        assert_eq!(status, 200);
        let done = super::delivered(&relay).len() == 6
            && sample(&metrics, "guidepost_spool_pending") == 0.0;
        if done {
            break metrics;
        }
        assert!(
            Instant::now() < deadline,
            "not redelivered in time:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let seen = super::delivered(&relay);
    assert!(
        seen.values().all(|n| *n == (1, 1)),
        "each exactly once: {seen:?}"
    );

    let kontakt = |outcome: &str| {
        sample(
            &metrics,
            &format!("guidepost_submissions_total{{form=\"kontakt\",outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(kontakt("delivered"), 4.0, "{metrics}");
    assert_eq!(kontakt("spooled_undelivered"), 2.0, "{metrics}");
    assert_eq!(kontakt("invalid"), 3.0, "{metrics}");
    assert_eq!(
        sample(
            &metrics,
            "guidepost_request_duration_seconds_count{route=\"submit\"}"
        ),
        9.0
    );
    let failures: f64 = ["refused", "transient", "timeout", "folder"]
        .iter()
        .map(|r| {
            sample(
                &metrics,
                &format!("guidepost_delivery_failures_total{{kind=\"desk\",reason=\"{r}\"}}"),
            )
        })
        .sum();
    assert!(
        sample(
            &metrics,
            "guidepost_delivery_failures_total{kind=\"desk\",reason=\"transient\"}"
        ) >= 2.0,
        "each deferred desk mail failed at least once as transient:\n{metrics}"
    );
    assert_eq!(
        sample(&metrics, "guidepost_delivery_attempts_total{kind=\"desk\"}"),
        6.0 + failures,
        "every attempt either delivered a desk mail or failed:\n{metrics}"
    );
    assert_eq!(sample(&metrics, "guidepost_spool_oldest_age_seconds"), 0.0);
    let ready = http(metrics_addr, "GET", "/readyz", "")
        .await
        .expect("answer");
    assert_eq!(
        ready,
        (200, "ready\n".to_owned()),
        "ready on the internal address"
    );
    let public_metrics = http(addr, "GET", "/metrics", "").await.expect("answer");
    assert_eq!(
        public_metrics.0, 404,
        "the metrics are not on the public address"
    );

    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let status = child.wait().expect("wait");
    assert!(status.success(), "SIGTERM stops it cleanly: {status:?}");
    let log = std::fs::read_to_string(temp.path().join("server.log")).expect("log");
    assert!(log.contains("redelivery pass"), "{log}");
    assert!(!log.contains("19121212"), "no identity number in the log");
}
