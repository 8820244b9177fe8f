//! Abuse: too-fast submissions look accepted and send nothing (like the honeypot), the local server's
//! per-client rate limit answers 429 with `Retry-After`, posts from other origins are refused, and
//! recipients come only from the desk book: a receipt goes to the one address given, with no user text
//! in any subject.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use guidepost_handler::pipeline::screening::FILL_TIME_FIELD;
use guidepost_handler::policy::RateLimit;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{Settings, serve_local};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn with_fill_check() -> Settings {
    Settings {
        min_fill: Duration::from_millis(2000),
        ..Settings::development().expect("development settings")
    }
}

fn kontakt_with_elapsed(elapsed: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut pairs = kontakt_valid();
    pairs.push((FILL_TIME_FIELD, elapsed));
    pairs
}

#[tokio::test]
async fn too_fast_submissions_look_accepted_and_send_nothing() {
    let world = World::with_settings(RecordingTransport::new(), with_fill_check());
    for elapsed in ["350", "1999", "soon", "-5000", "２５００"] {
        let answer = world
            .send(form_post("/forms/kontakt", &kontakt_with_elapsed(elapsed)))
            .await;
        assert_eq!(answer.status, 303, "{elapsed}");
        reference_in_receipt(answer.header("location"), "kontakt");
    }
    let mut body = json!({"namn": "Åsa", "epost": "asa@example.com", "amne": "annat",
                          "meddelande": "Hej"});
    body[FILL_TIME_FIELD] = json!(120);
    let answer = world.send(json_post("/forms/kontakt", &body)).await;
    assert_eq!(answer.status, 200);
    assert!(world.transport.sent().is_empty(), "nothing sent");
    assert!(world.spooled().is_empty(), "nothing stored");

    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_with_elapsed("14250")))
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        world.transport.sent().len(),
        2,
        "a person's pace is accepted"
    );
}

#[tokio::test]
async fn a_missing_or_empty_timer_counts_as_too_fast() {
    let world = World::with_settings(RecordingTransport::new(), with_fill_check());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_with_elapsed("")))
        .await;
    assert_eq!(answer.status, 303);
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    assert!(
        world.transport.sent().is_empty(),
        "leaving the timer out is no way past it"
    );
    assert!(world.spooled().is_empty());
}

#[tokio::test]
async fn a_trapped_invalid_submission_gets_the_same_errors_as_any_other() {
    let world = World::with_settings(RecordingTransport::new(), with_fill_check());
    let plain = world
        .send(form_post(
            "/forms/kontakt",
            &[("namn", "x"), (FILL_TIME_FIELD, "5000")],
        ))
        .await;
    let too_fast = world
        .send(form_post(
            "/forms/kontakt",
            &[("namn", "x"), (FILL_TIME_FIELD, "3")],
        ))
        .await;
    let honeypot = world
        .send(form_post(
            "/forms/kontakt",
            &[("namn", "x"), (FILL_TIME_FIELD, "5000"), ("website", "x")],
        ))
        .await;
    assert_eq!(plain.status, 422);
    assert_eq!(too_fast.status, 422, "a bot learns nothing from the status");
    assert_eq!(honeypot.status, 422);
    let json_bad = json!({"epost": "bad", "website": "x"});
    let json_plain = json!({"epost": "bad"});
    let a = world.send(json_post("/forms/kontakt", &json_bad)).await;
    let b = world.send(json_post("/forms/kontakt", &json_plain)).await;
    assert_eq!((a.status, a.body.clone()), (b.status, b.body.clone()));
}

#[tokio::test]
async fn a_trapped_submission_gets_the_reference_a_real_one_would() {
    let trapping = World::with_settings(RecordingTransport::new(), with_fill_check());
    let honest = World::new();
    let mut trapped = kontakt_valid();
    trapped.push(("website", "https://spam.example"));
    let first = trapping.send(form_post("/forms/kontakt", &trapped)).await;
    let again = trapping.send(form_post("/forms/kontakt", &trapped)).await;
    let fast = trapping
        .send(form_post("/forms/kontakt", &kontakt_with_elapsed("10")))
        .await;
    let real = honest
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(first.status, 303);
    assert_eq!(
        first.header("location"),
        again.header("location"),
        "same on a repeat"
    );
    assert_eq!(first.header("location"), fast.header("location"));
    assert_eq!(
        first.header("location"),
        real.header("location"),
        "as a real one gets"
    );
    assert!(trapping.transport.sent().is_empty());
}

async fn post_over_socket(addr: SocketAddr, origin: Option<&str>) -> String {
    let body = "namn=%C3%85sa";
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: {addr}\r\n{origin}Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn the_local_server_limits_each_client_with_429_and_retry_after() {
    let settings = Settings {
        rate_limit: Some(RateLimit {
            burst: 3,
            per_minute: 2,
        }),
        ..Settings::development().expect("development settings")
    };
    let world = World::with_settings(RecordingTransport::new(), settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(serve_local(listener, world.state.clone()));
    for _ in 0..3 {
        let answer = post_over_socket(addr, None).await;
        assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    }
    let answer = post_over_socket(addr, None).await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("retry-after: 30\r\n"), "{answer}");
    assert!(
        answer.contains("Vänta 30 sekunder och försök igen."),
        "the text says what Retry-After says: {answer}"
    );
    assert!(
        answer.contains("<title>För många formulär på kort tid</title>"),
        "{answer}"
    );
    server.abort();
}

#[tokio::test]
async fn posts_from_other_origins_are_refused_when_origins_are_configured() {
    let settings = Settings {
        allowed_origins: vec!["https://www.region.example".into()],
        ..Settings::development().expect("development settings")
    };
    let world = World::with_settings(RecordingTransport::new(), settings);
    let with_origin = |origin: &'static str| {
        let mut request = form_post("/forms/kontakt", &kontakt_valid());
        request
            .headers_mut()
            .insert("origin", origin.parse().expect("header"));
        request
    };
    let answer = world.send(with_origin("https://evil.example")).await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(answer.body.contains("organisationens egen webbplats"));
    assert!(world.transport.sent().is_empty());
    let mut twice = with_origin("https://www.region.example");
    twice
        .headers_mut()
        .append("origin", "https://evil.example".parse().expect("header"));
    let answer = world.send(twice).await;
    assert_eq!(answer.status, 403, "two Origin headers: {}", answer.body);
    assert!(
        answer
            .body
            .contains("<title>Formuläret kan inte skickas härifrån</title>")
    );
    let answer = world.send(with_origin("https://www.region.example")).await;
    assert_eq!(answer.status, 303);
    let answer = world
        .send(form_post("/forms/kontakt-nb", &[("navn", "Kari")]))
        .await;
    assert_eq!(
        answer.status, 422,
        "no Origin header (not a browser): checked as usual"
    );
}

#[tokio::test]
async fn recipients_come_only_from_the_desk_book_and_the_address_given() {
    let world = World::new();
    for hostile in [
        "asa@example.com, boss@example.com",
        "asa@example.com\r\nBcc: everyone@example.com",
        "Åsa <asa@example.com>; other@example.com",
        "asa@example.com%0ABcc:x@example.com",
    ] {
        let mut pairs = kontakt_valid();
        pairs[1] = ("epost", hostile);
        let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
        assert_eq!(answer.status, 422, "{hostile:?} is not one address");
    }
    assert!(world.transport.sent().is_empty());

    let mut pairs = kontakt_valid();
    pairs.push(("to", "boss@example.com"));
    pairs.push(("desk", "support"));
    pairs.push(("bcc", "everyone@example.com"));
    pairs[4] = ("meddelande", "Subject: free money\r\nBcc: x@example.com");
    pairs[0] = ("namn", "Åsa\r\nBcc: x@example.com");
    let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let sent = world.transport.sent();
    assert_eq!(sent[0].to, vec!["natverk@desk.example".to_owned()]);
    assert_eq!(sent[1].to, vec!["asa.oberg@example.com".to_owned()]);
    for message in &sent {
        let parsed = mail_parser::MessageParser::default()
            .parse(message.raw.as_bytes())
            .expect("parses");
        let subject = parsed.subject().unwrap_or_default();
        assert!(
            !subject.contains("free money") && !subject.contains("Åsa"),
            "{subject}"
        );
        assert!(parsed.bcc().is_none(), "no Bcc header");
        let to: Vec<_> = parsed
            .to()
            .map(|a| a.iter().filter_map(|x| x.address()).collect())
            .unwrap_or_default();
        assert_eq!(
            to,
            message.to.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
}
