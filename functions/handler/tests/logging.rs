//! The one structured log line per submission: form, reference, outcome, duration; never a field value.

mod common;

use common::*;

#[tokio::test]
async fn a_submission_logs_one_json_line_without_field_values() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(json_logger(&captured));
    let world = World::new();
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    let reference = reference_in_receipt(answer.header("location"), "kontakt");

    let text = captured.text();
    for secret in [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "Åsa",
        "Öberg",
        "asa.oberg",
        "Gävle",
    ] {
        assert!(
            !text.contains(secret),
            "`{secret}` leaked into the log:\n{text}"
        );
    }
    let lines: Vec<_> = captured
        .lines()
        .into_iter()
        .filter(|l| l["fields"]["message"] == "submission")
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let fields = &lines[0]["fields"];
    assert_eq!(fields["form"], "kontakt");
    assert_eq!(fields["reference"], reference.as_str());
    assert_eq!(fields["outcome"], "delivered");
    assert_eq!(fields["desk"], "natverk");
    assert_eq!(fields["status"], 303);
    assert!(fields["duration_ms"].is_u64(), "{fields}");
}

#[tokio::test]
async fn invalid_and_failed_submissions_do_not_log_values_either() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(json_logger(&captured));
    let world = World::new();
    let mut invalid = kontakt_valid();
    invalid[2] = ("personnummer", "19121212-1213");
    let answer = world.send(form_post("/forms/kontakt", &invalid)).await;
    assert_eq!(answer.status, 422);
    world.transport.set_failing(true);
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);

    let text = captured.text();
    for secret in [
        "19121212-121",
        "1912121212",
        "121212-121",
        "Åsa",
        "asa.oberg@example.com",
    ] {
        assert!(
            !text.contains(secret),
            "`{secret}` leaked into the log:\n{text}"
        );
    }
    let outcomes: Vec<_> = captured
        .lines()
        .into_iter()
        .filter(|l| l["fields"]["message"] == "submission")
        .map(|l| {
            l["fields"]["outcome"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(outcomes, vec!["invalid", "spooled_undelivered"]);
}
