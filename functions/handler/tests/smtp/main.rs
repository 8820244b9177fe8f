//! The SMTP transport end to end against a real relay (aiosmtpd, `relay.py`) on loopback: STARTTLS with a
//! login and the region's own CA, implicit TLS, byte-identical MIME, connection reuse, and the faults: a
//! relay that defers (451), refuses (554), drops the connection before its reply, or is down. Every
//! accepted submission ends up delivered exactly once after redelivery.

#[path = "../common/mod.rs"]
mod common;
mod relay;
mod standalone;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::mail::assert_safe_mail;
use common::*;
use guidepost_handler::transport::{
    DeliveryError, DynTransport, OutgoingMessage, SmtpOptions, SmtpSecurity, SmtpTransport,
    Transport,
};
use guidepost_handler::{AppState, Config, redeliver_once};
use relay::{Relay, Setup, Start};

/// Sends through `inner` and keeps a copy of every message it accepted.
struct Tee {
    inner: SmtpTransport,
    accepted: Arc<Mutex<Vec<OutgoingMessage>>>,
}

impl Transport for Tee {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        self.inner.send_boxed(message).await?;
        self.accepted.lock().expect("lock").push(message.clone());
        Ok(())
    }
}

fn options(relay: &Relay, security: SmtpSecurity) -> SmtpOptions {
    SmtpOptions {
        host: "127.0.0.1".into(),
        port: relay.port,
        security,
        credentials: None,
        extra_roots: match security {
            SmtpSecurity::None => Vec::new(),
            _ => std::fs::read(relay.ca_file()).expect("ca.pem"),
        },
        helo: Some("forms.region.example".into()),
        timeout: Duration::from_secs(2),
        pool_size: 2,
    }
}

/// The references in the relay's messages, by kind (`desk` messages go to the desk address).
fn delivered(relay: &Relay) -> BTreeMap<String, (usize, usize)> {
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for message in relay.received() {
        let parsed = mail_parser::MessageParser::default()
            .parse(message.data.as_bytes())
            .expect("the relay got a message");
        let subject = parsed.subject().unwrap_or_default();
        let reference = subject
            .split_whitespace()
            .find(|w| {
                w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .starts_with("GP-")
            })
            .map(|w| {
                w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .to_owned()
            })
            .unwrap_or_else(|| panic!("no reference in {subject:?}"));
        let entry = seen.entry(reference).or_default();
        if message.to.iter().any(|to| to.ends_with("@desk.example")) {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    seen
}

#[tokio::test]
async fn faults_then_redelivery_deliver_every_accepted_submission_exactly_once_byte_for_byte() {
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
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let tee = Tee {
        inner: SmtpTransport::new(&options(&relay, SmtpSecurity::None)).expect("transport"),
        accepted: Arc::clone(&accepted),
    };
    let world = World::build_with(
        |_| Arc::new(tee),
        guidepost_handler::transport::RecordingTransport::new(),
        quick_settings(),
    );

    let mut references = Vec::new();
    for (i, mode) in ["accept", "defer", "refuse", "drop", "accept"]
        .iter()
        .enumerate()
    {
        relay.set(mode);
        let message: &'static str =
            Box::leak(format!("Fel nummer {i} i {mode}-läget.").into_boxed_str());
        let answer = world
            .send(form_post(
                "/forms/kontakt",
                &kontakt_with(message, "asa@example.com"),
            ))
            .await;
        assert_eq!(
            answer.status, 303,
            "{mode}: accepted either way: {}",
            answer.body
        );
        let reference = reference_in_receipt(answer.header("location"), "kontakt");
        let pending = world.spooled().len();
        match *mode {
            "accept" => assert_eq!(pending, 0, "{mode}: delivered, unspooled"),
            _ => assert_eq!(pending, 1, "{mode}: kept for redelivery"),
        }
        // Redeliver what is pending, with the relay taking mail again.
        relay.set("accept");
        let report = redeliver_once(&world.state).await;
        assert_eq!(report.errors, 0, "{mode}: {report:?}");
        assert!(
            world.spooled().is_empty(),
            "{mode}: nothing left after redelivery"
        );
        references.push(reference);
    }
    // A second pass finds nothing to send.
    let report = redeliver_once(&world.state).await;
    assert_eq!((report.pending, report.delivered), (0, 0));

    let seen = delivered(&relay);
    assert_eq!(seen.len(), references.len(), "{seen:?}");
    for reference in &references {
        assert_eq!(
            seen.get(reference),
            Some(&(1, 1)),
            "{reference}: one desk mail and one receipt"
        );
    }
    // What the relay received is the composed MIME itself, byte for byte, with the bare envelope.
    let sent = accepted.lock().expect("lock").clone();
    let received = relay.received();
    assert_eq!(sent.len(), received.len());
    for (sent, got) in sent.iter().zip(&received) {
        assert_eq!(
            got.data, sent.raw,
            "{}: the relay got the composed message",
            sent.reference
        );
        assert_eq!(got.to, sent.to);
        assert_eq!(
            got.from, "formular@guidepost.example",
            "the bare sender address"
        );
        assert_safe_mail(&got.data, &sent.to, &["Fel nummer"], &sent.reference);
    }
}

#[tokio::test]
async fn starttls_with_a_login_and_the_regions_ca_delivers_over_reused_connections() {
    let temp = tempfile::tempdir().expect("tempdir");
    let login = Some(("formular", "rätt-lösen"));
    let relay = match Relay::start(
        temp.path(),
        Setup {
            tls: "starttls",
            login,
        },
    ) {
        Start::Running(relay) => relay,
        Start::Skip(why) => return eprintln!("{why}"),
    };
    std::fs::write(temp.path().join("password"), "rätt-lösen\n").expect("password file");
    let state = state_from_env(
        &temp,
        &relay,
        &[
            ("GUIDEPOST_SMTP_TLS", "starttls".into()),
            ("GUIDEPOST_SMTP_USERNAME", "formular".into()),
            (
                "GUIDEPOST_SMTP_PASSWORD_FILE",
                temp.path().join("password").display().to_string(),
            ),
            (
                "GUIDEPOST_SMTP_CA_FILE",
                relay.ca_file().display().to_string(),
            ),
            ("GUIDEPOST_SMTP_HELO", "forms.region.example".into()),
        ],
    )
    .await;
    for i in 0..3 {
        let message: &'static str =
            Box::leak(format!("Ärende {i} över STARTTLS.").into_boxed_str());
        let answer = send(
            &state,
            form_post("/forms/kontakt", &kontakt_with(message, "asa@example.com")),
        )
        .await;
        assert_eq!(answer.status, 303, "{}", answer.body);
    }
    let seen = delivered(&relay);
    assert_eq!(seen.len(), 3);
    assert!(seen.values().all(|n| *n == (1, 1)), "{seen:?}");
    let ehlos = relay.ehlos();
    // One connection for six messages: its EHLO before and after STARTTLS (without reuse: twelve).
    assert_eq!(
        ehlos.len(),
        2,
        "six messages over one pooled connection: {ehlos:?}"
    );
    assert!(
        ehlos.iter().all(|(_, name)| name == "forms.region.example"),
        "{ehlos:?}"
    );
    let ready = internal(&state, get("/readyz")).await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
}

#[tokio::test]
async fn implicit_tls_delivers_and_a_wrong_password_or_a_relay_that_is_down_is_not_ready() {
    let temp = tempfile::tempdir().expect("tempdir");
    let login = Some(("formular", "rätt-lösen"));
    let mut relay = match Relay::start(temp.path(), Setup { tls: "tls", login }) {
        Start::Running(relay) => relay,
        Start::Skip(why) => return eprintln!("{why}"),
    };
    let tls = |password: &str| {
        vec![
            ("GUIDEPOST_SMTP_TLS", "tls".to_owned()),
            ("GUIDEPOST_SMTP_USERNAME", "formular".to_owned()),
            ("GUIDEPOST_SMTP_PASSWORD", password.to_owned()),
            (
                "GUIDEPOST_SMTP_CA_FILE",
                relay.ca_file().display().to_string(),
            ),
        ]
    };
    let good = state_from_env(&temp, &relay, &tls("rätt-lösen")).await;
    let answer = send(&good, form_post("/forms/kontakt", &kontakt_valid())).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(delivered(&relay).len(), 1);

    let wrong = state_from_env(&temp, &relay, &tls("fel")).await;
    let ready = internal(&wrong, get("/readyz")).await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(
        ready.body.starts_with("not ready\nmail: the SMTP relay: "),
        "{}",
        ready.body
    );
    let answer = send(
        &wrong,
        form_post(
            "/forms/kontakt",
            &kontakt_with("Med fel lösenord.", "b@example.com"),
        ),
    )
    .await;
    assert_eq!(answer.status, 303, "accepted and spooled: {}", answer.body);
    assert_eq!(delivered(&relay).len(), 1, "a refused login sends nothing");
    let metrics = guidepost_handler::http::ops::metrics_text(&wrong).await;
    assert!(
        metrics.contains("guidepost_delivery_failures_total{kind=\"desk\",reason=\"refused\"} 1"),
        "535 is final for the request, counted once:\n{metrics}"
    );
    assert!(metrics.contains("guidepost_spool_pending 1"), "{metrics}");

    relay.stop();
    let down = internal(&good, get("/readyz")).await;
    assert_eq!(down.status, 503);
    assert!(
        down.body.contains("mail: the SMTP relay: "),
        "{}",
        down.body
    );
    let public = send(&good, get("/readyz")).await;
    assert_eq!(
        public.status, 404,
        "the readiness probe writes to the spool: never on the public address"
    );
    let health = send(&good, get("/healthz")).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (200, "ok\n"),
        "alive even when not ready"
    );
}

/// A state read from the variables a deployment sets, with the relay on loopback.
async fn state_from_env(
    temp: &tempfile::TempDir,
    relay: &Relay,
    extra: &[(&'static str, String)],
) -> AppState {
    let mut vars = standalone::deployment_vars(temp.path(), relay);
    vars.insert("GUIDEPOST_DELIVERY_BUDGET_MS", "3000".into());
    vars.extend(extra.iter().cloned());
    let config = Config::from_lookup(|k| vars.get(k).cloned()).expect("config");
    AppState::from_config(&config).await.expect("state")
}

async fn send(state: &AppState, request: axum::http::Request<axum::body::Body>) -> Answer {
    use tower::ServiceExt;
    let response = guidepost_handler::router(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    Answer::read(response).await
}

/// A request to the internal listener's router (`/readyz`, `/metrics`).
async fn internal(state: &AppState, request: axum::http::Request<axum::body::Body>) -> Answer {
    use tower::ServiceExt;
    let response = guidepost_handler::http::ops::metrics_router(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    Answer::read(response).await
}

fn get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .expect("request")
}
