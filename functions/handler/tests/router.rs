//! The router with the recording fake: status codes, redirects, pages and JSON answers.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_valid_form_post_redirects_to_the_receipt_and_sends_desk_mail_and_receipt() {
    let world = World::new();
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let reference = reference_in_receipt(answer.header("location"), "kontakt");
    assert_eq!(answer.header("cache-control"), "no-store");

    let sent = world.transport.sent();
    assert_eq!(sent.len(), 2, "desk mail and receipt");
    assert_eq!(sent[0].to, vec!["natverk@desk.example".to_owned()]);
    assert_eq!(sent[1].to, vec!["asa.oberg@example.com".to_owned()]);
    for message in &sent {
        assert_eq!(message.reference, reference);
        assert_eq!(message.from, "Guidepost <formular@guidepost.example>");
        assert!(
            message.raw.contains(&reference),
            "the reference is in the message"
        );
    }
    assert!(
        world.spooled().is_empty(),
        "delivered entries leave the spool: {:?}",
        world.spooled()
    );
}

#[tokio::test]
async fn routing_picks_the_desk_from_the_answer() {
    let world = World::new();
    let mut pairs = kontakt_valid();
    pairs[3] = ("amne", "annat");
    let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(
        world.transport.sent()[0].to,
        vec!["support@desk.example".to_owned()]
    );
}

#[tokio::test]
async fn a_norwegian_form_redirects_to_the_norwegian_receipt() {
    let world = World::new();
    let pairs = [
        ("navn", "Kari Nordmann"),
        ("epost", "kari@example.no"),
        ("melding", "Hei på deg"),
    ];
    let answer = world.send(form_post("/forms/kontakt-nb", &pairs)).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    reference_in_receipt(answer.header("location"), "kontakt-nb");
    assert_eq!(
        world.transport.sent()[0].to,
        vec!["bestilling@desk.example".to_owned()]
    );
}

#[tokio::test]
async fn an_invalid_form_post_shows_the_page_again_with_errors_and_the_input_kept() {
    let world = World::new();
    let mut pairs = kontakt_valid();
    pairs[1] = ("epost", "inte-en-adress");
    pairs[0] = ("namn", "Åsa <Öberg> & co");
    let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.header("content-type"), "text/html; charset=utf-8");
    let page = &answer.body;
    assert!(
        page.contains("<title>Fel: Kontakta oss – Region</title>"),
        "{page}"
    );
    assert!(
        page.contains("SITE HEADER") && page.contains("SITE FOOTER"),
        "the built page is kept"
    );
    assert!(
        !page.contains("PLACEHOLDER FORM"),
        "the form between the markers is replaced"
    );
    assert!(page.contains("inte-en-adress"), "the wrong input is kept");
    assert!(
        page.contains("Åsa &lt;Öberg&gt; &amp; co"),
        "kept input is escaped: {page}"
    );
    assert!(!page.contains("<Öberg>"), "never unescaped");
    assert!(
        page.contains("action=\"/forms/kontakt\""),
        "the form posts back here"
    );
    assert!(world.transport.sent().is_empty());
    assert!(world.spooled().is_empty());
}

#[tokio::test]
async fn a_form_without_a_built_page_gets_a_minimal_page() {
    let world = World::new();
    let answer = world
        .send(form_post("/forms/kontakt-nb", &[("navn", "Kari")]))
        .await;
    assert_eq!(answer.status, 422);
    assert!(
        answer.body.starts_with("<!DOCTYPE html>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("<html lang=\"nb\">"));
    assert!(
        answer
            .body
            .contains("<title>Feil: Kontakt brukerstøtte</title>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Kari"));
}

#[tokio::test]
async fn json_gets_a_reference_or_field_errors() {
    let world = World::new();
    let valid: serde_json::Map<String, serde_json::Value> = kontakt_valid()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    let answer = world
        .send(json_post(
            "/forms/kontakt",
            &serde_json::Value::Object(valid),
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let reference = answer.json()["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    assert!(reference.starts_with("GP-"));
    assert_eq!(world.transport.sent().len(), 2);

    let answer = world
        .send(json_post(
            "/forms/kontakt",
            &json!({"namn": "Åsa", "epost": "nope"}),
        ))
        .await;
    assert_eq!(answer.status, 422);
    let errors = &answer.json()["errors"];
    assert!(
        errors["epost"].as_array().is_some_and(|m| !m.is_empty()),
        "{errors}"
    );
    assert!(
        errors["meddelande"]
            .as_array()
            .is_some_and(|m| !m.is_empty()),
        "required: {errors}"
    );
}

#[tokio::test]
async fn json_values_that_are_not_text_are_field_errors() {
    let world = World::new();
    let answer = world
        .send(json_post(
            "/forms/kontakt",
            &json!({"namn": {"first": "Åsa"}}),
        ))
        .await;
    assert_eq!(answer.status, 422);
    assert_eq!(
        answer.json(),
        json!({"errors": {"namn": ["Värdet måste vara text."]}})
    );
}

#[tokio::test]
async fn unknown_forms_and_paths_are_404() {
    let world = World::new();
    assert_eq!(
        world
            .send(form_post("/forms/nope", &kontakt_valid()))
            .await
            .status,
        404
    );
    assert_eq!(
        world
            .send(form_post("/other", &kontakt_valid()))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn other_methods_are_405() {
    let world = World::new();
    for method in ["GET", "PUT", "DELETE"] {
        let request = Request::builder()
            .method(method)
            .uri("/forms/kontakt")
            .body(Body::empty())
            .expect("request");
        let answer = world.send(request).await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), "POST");
    }
}

#[tokio::test]
async fn bodies_over_64_kib_are_413() {
    let world = World::new();
    let long = "x".repeat(64 * 1024);
    let answer = world
        .send(form_post("/forms/kontakt", &[("meddelande", &long)]))
        .await;
    assert_eq!(answer.status, 413);
    assert!(
        answer.body.contains("Formuläret är för stort."),
        "{}",
        answer.body
    );
    let answer = world
        .send(json_post("/forms/kontakt", &json!({"meddelande": long})))
        .await;
    assert_eq!(answer.status, 413);
    assert_eq!(
        answer.json()["error"],
        "Formuläret är för stort. Korta ner texten och försök igen."
    );
    assert!(world.transport.sent().is_empty());
}

#[tokio::test]
async fn other_content_types_are_415() {
    let world = World::new();
    for content_type in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json; charset=latin1",
    ] {
        let answer = world
            .send(raw_post("/forms/kontakt", content_type, b"namn=x".to_vec()))
            .await;
        assert_eq!(answer.status, 415, "{content_type}");
    }
    let request = Request::post("/forms/kontakt")
        .body(Body::from("namn=x"))
        .expect("request");
    assert_eq!(world.send(request).await.status, 415, "no content type");
}

#[tokio::test]
async fn garbage_is_a_4xx_never_a_5xx() {
    let world = World::new();
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (
            "application/x-www-form-urlencoded",
            b"namn=%FF%FE".to_vec(),
            400,
        ),
        (
            "application/x-www-form-urlencoded",
            b"namn=\xc3\x28".to_vec(),
            400,
        ),
        ("application/json", b"{\"namn\": \"\xff\"}".to_vec(), 400),
        ("application/json", b"{not json".to_vec(), 400),
        ("application/json", b"[\"a\"]".to_vec(), 400),
        ("application/json", b"".to_vec(), 400),
        ("application/x-www-form-urlencoded", b"".to_vec(), 422),
        (
            "application/x-www-form-urlencoded",
            b"&&==&%&%%=%".to_vec(),
            422,
        ),
        (
            "application/x-www-form-urlencoded",
            b"namn=a&namn=b&epost=x@example.com".to_vec(),
            422,
        ),
        (
            "application/json",
            br#"{"namn": "a", "namn": "b"}"#.to_vec(),
            422,
        ),
        (
            "application/json",
            br#"{"amne": ["natverk", "annat"]}"#.to_vec(),
            422,
        ),
    ];
    for (content_type, body, status) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let answer = world
            .send(raw_post("/forms/kontakt", content_type, body))
            .await;
        assert_eq!(
            answer.status, status,
            "{content_type} {shown}: {}",
            answer.body
        );
    }
    assert!(world.transport.sent().is_empty());
}
