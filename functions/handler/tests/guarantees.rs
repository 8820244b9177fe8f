//! Delivery guarantees with the recording fake: the same submission twice is delivered once under one
//! reference; throttling is retried within the budget; what is left is redelivered later under its own
//! reference, resuming after the messages already sent; past the retention limit it is removed with an
//! alarm line.

mod common;

use std::sync::Arc;

use common::*;
use guidepost_handler::redeliver_once;
use guidepost_handler::transport::{
    DeliveryError, MessageKind, OutgoingMessage, RecordingTransport, Transport,
};
use guidepost_handler::{Settings, policy::RedeliveryPolicy};
use serde_json::json;

fn reference_of(answer: &Answer) -> String {
    match answer.status {
        303 => answer
            .header("location")
            .rsplit("ref=")
            .next()
            .and_then(|r| r.split('#').next())
            .unwrap_or_default()
            .to_owned(),
        200 => answer.json()["reference"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        other => panic!("not accepted ({other}): {}", answer.body),
    }
}

#[tokio::test]
async fn a_double_click_is_delivered_once_with_one_reference() {
    let world = World::new();
    let first = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let second = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(reference_of(&first), reference_of(&second));
    assert_eq!(
        world.transport.sent().len(),
        2,
        "desk mail and receipt, once"
    );

    // The same answers as JSON (the script's way) are the same submission too.
    let mut body = serde_json::Map::new();
    for (name, value) in kontakt_valid() {
        body.insert(name.into(), json!(value));
    }
    let third = world.send(json_post("/forms/kontakt", &body.into())).await;
    assert_eq!(reference_of(&third), reference_of(&first));
    assert_eq!(world.transport.sent().len(), 2);

    // A different answer is a different submission.
    let mut other = kontakt_valid();
    other[4] = ("meddelande", "Och länken till Sandviken också.");
    let fourth = world.send(form_post("/forms/kontakt", &other)).await;
    assert_ne!(reference_of(&fourth), reference_of(&first));
    assert_eq!(world.transport.sent().len(), 4);
    assert!(world.spooled().is_empty());
}

#[tokio::test]
async fn normalised_answers_count_as_the_same_submission() {
    let world = World::new();
    let first = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let mut same = kontakt_valid();
    same[2] = ("personnummer", "191212121212");
    same[0] = ("namn", "  Åsa Öberg ");
    let second = world.send(form_post("/forms/kontakt", &same)).await;
    assert_eq!(reference_of(&first), reference_of(&second));
    assert_eq!(world.transport.sent().len(), 2);
}

#[tokio::test]
async fn a_retry_while_the_first_is_still_spooled_gets_the_same_reference() {
    let world = World::with_settings(RecordingTransport::failing(), quick_settings());
    let first = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let second = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let reference = reference_of(&first);
    assert_eq!(reference, reference_of(&second));
    assert_eq!(world.spooled(), vec![format!("{reference}.json")]);
    assert_eq!(world.transport.attempts(), 1, "the repeat sends nothing");
}

#[tokio::test]
async fn throttling_is_retried_within_the_request() {
    let transport = RecordingTransport::new();
    transport.fail_transiently(3);
    let world = World::with_settings(transport, quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(world.transport.sent().len(), 2);
    assert_eq!(world.transport.attempts(), 5);
    assert!(world.spooled().is_empty());
}

#[tokio::test]
async fn what_is_left_is_redelivered_under_its_reference() {
    let world = World::with_settings(RecordingTransport::failing(), quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let reference = reference_of(&answer);
    assert_eq!(world.spooled().len(), 1);

    let report = redeliver_once(&world.state).await;
    assert_eq!(
        (report.pending, report.delivered, report.undelivered),
        (1, 0, 1)
    );
    assert_eq!(world.spooled().len(), 1, "still failing: kept");

    world.transport.set_failing(false);
    let report = redeliver_once(&world.state).await;
    assert_eq!(
        (report.delivered, report.undelivered, report.errors),
        (1, 0, 0)
    );
    let sent = world.transport.sent();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|m| m.reference == reference && m.raw.contains(&reference))
    );
    assert!(world.spooled().is_empty());

    // Delivered: the same submission again is still recognised.
    let again = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(reference_of(&again), reference);
    assert_eq!(world.transport.sent().len(), 2);
}

/// Accepts desk mail, refuses receipts while `refuse_receipts` is set.
#[derive(Clone)]
struct ReceiptsFail {
    inner: RecordingTransport,
    refuse_receipts: Arc<std::sync::atomic::AtomicBool>,
}

impl Transport for ReceiptsFail {
    async fn send(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let refuse = self
            .refuse_receipts
            .load(std::sync::atomic::Ordering::SeqCst);
        if refuse && message.kind == MessageKind::Receipt {
            return Err(DeliveryError::Service("receipt refused".into()));
        }
        self.inner.send(message).await
    }
}

#[tokio::test]
async fn redelivery_resumes_after_the_messages_already_sent() {
    let recorder = RecordingTransport::new();
    let refuse = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let transport = ReceiptsFail {
        inner: recorder.clone(),
        refuse_receipts: Arc::clone(&refuse),
    };
    let world = World::build_with(|_| Arc::new(transport), recorder, quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(world.transport.sent().len(), 1, "desk mail went out");
    assert_eq!(
        spooled_in(&world.spool_dir.join("sent")).len(),
        1,
        "and is marked"
    );

    refuse.store(false, std::sync::atomic::Ordering::SeqCst);
    let report = redeliver_once(&world.state).await;
    assert_eq!(report.delivered, 1);
    let kinds: Vec<_> = world.transport.sent().iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![MessageKind::Desk, MessageKind::Receipt],
        "no second desk mail"
    );
    assert!(world.spooled().is_empty());
    assert!(
        spooled_in(&world.spool_dir.join("sent")).is_empty(),
        "markers removed"
    );
}

#[tokio::test]
async fn past_the_retention_limit_a_submission_is_removed_with_an_alarm() {
    let world = World::with_settings(RecordingTransport::failing(), quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    let reference = reference_of(&answer);

    let six_days = jiff::SignedDuration::from_hours(6 * 24);
    let later = world.state.now() + six_days;
    let state = world.state.clone().with_clock(Arc::new(move || later));
    let report = redeliver_once(&state).await;
    assert_eq!(
        (report.undelivered, report.overdue, report.expired),
        (1, 1, 0)
    );

    let eight_days = jiff::SignedDuration::from_hours(8 * 24);
    let later = world.state.now() + eight_days;
    let state = world.state.clone().with_clock(Arc::new(move || later));
    let (report, logs) = capture_logs(redeliver_once(&state)).await;
    assert_eq!(report.expired, 1);
    assert!(
        world.spooled().is_empty(),
        "personal data is not kept past the limit"
    );
    let alarm = logs
        .lines()
        .find(|l| l.contains("expired_undeliverable"))
        .unwrap_or_else(|| panic!("no alarm line in:\n{logs}"));
    let line: serde_json::Value = serde_json::from_str(alarm).expect("JSON line");
    assert_eq!(line["level"], "ERROR");
    assert_eq!(line["fields"]["reference"], reference.as_str());
    assert_eq!(line["fields"]["unsent"], "desk,receipt");
    assert!(
        !alarm.contains("Åsa") && !alarm.contains("asa.oberg"),
        "{alarm}"
    );
}

#[tokio::test]
async fn young_entries_are_left_to_the_request_that_is_delivering_them() {
    let settings = Settings {
        redelivery: RedeliveryPolicy::default(),
        ..quick_settings()
    };
    let world = World::with_settings(RecordingTransport::failing(), settings);
    world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    world.transport.set_failing(false);
    let report = redeliver_once(&world.state).await;
    assert_eq!((report.pending, report.young, report.delivered), (1, 1, 0));
    assert_eq!(world.transport.sent().len(), 0);
}

#[tokio::test]
async fn a_second_pass_waits_for_the_lease() {
    let world = World::with_settings(RecordingTransport::new(), quick_settings());
    std::fs::create_dir_all(world.spool_dir.join("lease")).expect("mkdir");
    let held = json!({"fingerprint": "", "at": jiff::Timestamp::now().to_string()});
    std::fs::write(
        world.spool_dir.join("lease/redeliver.json"),
        held.to_string(),
    )
    .expect("lease");
    let report = redeliver_once(&world.state).await;
    assert!(report.busy);

    let stale = json!({"fingerprint": "", "at": "2020-01-01T00:00:00Z"});
    std::fs::remove_file(world.spool_dir.join("lease/redeliver.json")).expect("rm");
    std::fs::write(
        world.spool_dir.join("lease/redeliver.json"),
        stale.to_string(),
    )
    .expect("lease");
    let report = redeliver_once(&world.state).await;
    assert!(!report.busy, "a stale lease is taken over");
    assert!(
        spooled_in(&world.spool_dir.join("lease")).is_empty(),
        "and released"
    );
}
