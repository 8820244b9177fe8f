//! Acceptance and delivery with fakes: the honeypot, the spool written before the answer and removed
//! after delivery, kept when delivery fails, and a spool that cannot be written.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use guidepost_handler::transport::{DeliveryError, OutgoingMessage, RecordingTransport, Transport};
use serde_json::json;

#[tokio::test]
async fn a_filled_honeypot_looks_accepted_but_sends_nothing() {
    let world = World::new();
    let trap = world
        .state
        .forms()
        .get("kontakt")
        .expect("form")
        .honeypot()
        .to_owned();
    let mut pairs = kontakt_valid();
    pairs.push((&trap, "http://spam.example"));
    let answer = world.send(form_post("/forms/kontakt", &pairs)).await;
    assert_eq!(answer.status, 303);
    reference_in_receipt(answer.header("location"), "kontakt");

    let body = json!({"namn": "x", trap.clone(): "spam"});
    let answer = world.send(json_post("/forms/kontakt", &body)).await;
    assert_eq!(
        answer.status, 422,
        "invalid is answered as invalid, trap or not (validation comes first): {}",
        answer.body
    );

    assert!(world.transport.sent().is_empty(), "nothing sent");
    assert!(world.spooled().is_empty(), "nothing spooled");
}

/// A fake that, at each send, notes which spool entries exist.
#[derive(Clone)]
struct SpoolWatcher {
    dir: std::path::PathBuf,
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Transport for SpoolWatcher {
    async fn send(&self, _message: &OutgoingMessage) -> Result<(), DeliveryError> {
        self.seen
            .lock()
            .expect("lock")
            .push(spooled_in(&self.dir.join("pending")));
        Ok(())
    }
}

#[tokio::test]
async fn the_submission_is_spooled_before_delivery_and_removed_after() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let watcher_seen = Arc::clone(&seen);
    let world = World::build(
        |spool_dir| {
            Arc::new(SpoolWatcher {
                dir: spool_dir.to_path_buf(),
                seen: watcher_seen,
            })
        },
        RecordingTransport::new(),
    );
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    let reference = reference_in_receipt(answer.header("location"), "kontakt");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        vec![vec![format!("{reference}.json")]; 2],
        "spooled while each message was sent"
    );
    assert!(world.spooled().is_empty(), "removed once delivered");
}

#[tokio::test]
async fn a_failed_delivery_keeps_the_submission_and_still_answers_with_the_reference() {
    let world = World::with_transport(RecordingTransport::failing());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let reference = reference_in_receipt(answer.header("location"), "kontakt");
    assert_eq!(world.spooled(), vec![format!("{reference}.json")]);
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(world.pending_dir().join(format!("{reference}.json")))
            .expect("read"),
    )
    .expect("entry is JSON");
    assert_eq!(entry["reference"], reference.as_str());
    assert_eq!(entry["form"], "kontakt");
    assert_eq!(entry["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(entry["messages"][0]["to"], json!(["natverk@desk.example"]));

    let answer = world
        .send(json_post(
            "/forms/kontakt",
            &json!({
                "namn": "Åsa", "epost": "asa@example.com", "amne": "annat", "meddelande": "Hej"
            }),
        ))
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(world.spooled().len(), 2);
}

#[tokio::test]
async fn a_spool_that_cannot_be_written_is_a_503_and_nothing_is_sent() {
    let world = World::new();
    std::fs::write(&world.spool_dir, "a file where the spool folder should be").expect("block");
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("har inte skickats"), "{}", answer.body);
    let answer = world
        .send(json_post(
            "/forms/kontakt-nb",
            &json!({
                "navn": "Kari", "epost": "kari@example.no", "melding": "Hei"
            }),
        ))
        .await;
    assert_eq!(answer.status, 503);
    assert_eq!(
        answer.json()["error"],
        "Skjemaet kunne ikke tas imot akkurat nå og er ikke sendt. Prøv igjen om litt."
    );
    assert!(world.transport.sent().is_empty());
}
