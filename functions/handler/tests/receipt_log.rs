//! A receipt left out over the daily allowance is logged, without the address. Alone in its test binary
//! so no other test's log calls settle tracing's callsite cache first.

mod common;

use common::*;
use guidepost_handler::Settings;
use guidepost_handler::transport::RecordingTransport;

#[tokio::test]
async fn a_receipt_left_out_is_logged_without_the_address() {
    let settings = Settings {
        receipts_per_address_per_day: 1,
        ..Settings::development().expect("development settings")
    };
    let world = World::with_settings(RecordingTransport::new(), settings);
    let first = world
        .send(form_post(
            "/forms/kontakt",
            &kontakt_with("Ett", "victim@example.com"),
        ))
        .await;
    assert_eq!(first.status, 303);
    let (answer, logs) = capture_logs(world.send(form_post(
        "/forms/kontakt",
        &kontakt_with("Två", "victim@example.com"),
    )))
    .await;
    assert_eq!(answer.status, 303);
    assert!(
        logs.contains("receipt left out: the address has had its receipts for today"),
        "{logs}"
    );
    assert!(!logs.contains("victim"), "no address in the log: {logs}");
}
