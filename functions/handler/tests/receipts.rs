//! The receipt is no mail cannon: it carries nothing the sender typed, at most a few go to one address a
//! day (counted in the spool, keyed by a hash), beyond that only the desk mail goes, and an
//! internationalised domain is written in its ASCII form.

mod common;

use common::*;
use guidepost_handler::Settings;
use guidepost_handler::transport::{MessageKind, RecordingTransport};

#[tokio::test]
async fn the_receipt_repeats_nothing_the_sender_typed() {
    let world = World::new();
    let phishing = "Your account is locked: log in at https://phish.example/login now";
    let pairs = kontakt_with(phishing, "victim@example.com");
    let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let sent = world.transport.sent();
    let desk = sent
        .iter()
        .find(|m| m.kind == MessageKind::Desk)
        .expect("desk");
    let receipt = sent
        .iter()
        .find(|m| m.kind == MessageKind::Receipt)
        .expect("receipt");
    let body = |raw: &str| {
        let parsed = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .expect("parses");
        format!(
            "{}\n{}",
            parsed.body_text(0).unwrap_or_default(),
            parsed.body_html(0).unwrap_or_default()
        )
    };
    assert!(
        body(&desk.raw).contains("phish.example"),
        "the desk keeps everything"
    );
    let receipt_body = body(&receipt.raw);
    for typed in ["phish.example", "locked", "Åsa", "Öberg", "Gävle", "1212"] {
        assert!(
            !receipt_body.contains(typed),
            "the receipt repeats `{typed}`: {receipt_body}"
        );
    }
}

#[tokio::test]
async fn at_most_three_receipts_a_day_per_address_then_only_the_desk_mail() {
    let world = World::with_settings(
        RecordingTransport::default(),
        Settings {
            receipts_per_address_per_day: 3,
            ..Settings::development().expect("development settings")
        },
    );
    let messages = ["Ett", "Två", "Tre", "Fyra", "Fem"];
    for (i, message) in messages.iter().enumerate() {
        let address = if i % 2 == 0 {
            "Victim@Example.com"
        } else {
            "victim@example.com"
        };
        let answer = world
            .send(form_post("/forms/kontakt", &kontakt_with(message, address)))
            .await;
        assert_eq!(answer.status, 303, "{message}");
    }
    let sent = world.transport.sent();
    let count = |kind| sent.iter().filter(|m| m.kind == kind).count();
    assert_eq!(count(MessageKind::Desk), 5, "every order reaches the desk");
    assert_eq!(
        count(MessageKind::Receipt),
        3,
        "the address gets three receipts"
    );
    let other = world
        .send(form_post(
            "/forms/kontakt",
            &kontakt_with("Sex", "someone@example.com"),
        ))
        .await;
    assert_eq!(other.status, 303);
    assert_eq!(
        world.transport.sent().len(),
        10,
        "another address still gets its receipt"
    );
    let counted = spooled_in(&world.spool_dir.join("receipts"));
    assert_eq!(counted.len(), 4, "{counted:?}");
    assert!(
        counted
            .iter()
            .all(|k| !k.contains('@') && !k.to_lowercase().contains("victim"))
    );
}

#[tokio::test]
async fn a_repeated_submission_does_not_use_up_a_receipt() {
    let settings = Settings {
        receipts_per_address_per_day: 1,
        ..Settings::development().expect("development settings")
    };
    let world = World::with_settings(RecordingTransport::new(), settings);
    let pairs = kontakt_with("Samma", "victim@example.com");
    for _ in 0..3 {
        let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
        assert_eq!(answer.status, 303);
    }
    assert_eq!(world.transport.sent().len(), 2, "desk and receipt once");
    let answer = world
        .send(form_post(
            "/forms/kontakt",
            &kontakt_with("Annat", "victim@example.com"),
        ))
        .await;
    assert_eq!(answer.status, 303);
    let sent = world.transport.sent();
    assert_eq!(sent.len(), 3, "over the limit: the desk mail only");
    assert_eq!(sent[2].kind, MessageKind::Desk);
}

#[tokio::test]
async fn an_international_domain_is_sent_in_its_ascii_form() {
    let world = World::new();
    let answer = world
        .send(form_post(
            "/forms/kontakt",
            &kontakt_with("Hej", "a@räksmörgås.se"),
        ))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let sent = world.transport.sent();
    assert_eq!(sent[1].to, ["a@xn--rksmrgs-5wao1o.se"]);
    assert!(
        sent[1].raw.contains("To: <a@xn--rksmrgs-5wao1o.se>"),
        "{}",
        sent[1].raw
    );
    assert!(
        sent[0].raw.contains("Reply-To: <a@xn--rksmrgs-5wao1o.se>"),
        "{}",
        sent[0].raw
    );
    for refused in [
        ".a@b.com",
        "a..b@c.com",
        "a@[127.0.0.1]",
        "a@localhost",
        "=?x?=@b.com",
    ] {
        let answer = world
            .send(form_post("/forms/kontakt", &kontakt_with("Hej", refused)))
            .await;
        assert_eq!(answer.status, 422, "{refused}");
    }
}
