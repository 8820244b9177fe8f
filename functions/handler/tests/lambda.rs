//! The binary under AWS Lambda: `guidepost-function` started with `AWS_LAMBDA_RUNTIME_API` pointing at a
//! fake runtime API (in this test) takes API Gateway HTTP API events and answers through the same router.
#![cfg(feature = "aws")]

mod common;

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use common::*;
use serde_json::{Value, json};
use tokio::sync::mpsc;

#[derive(Clone)]
struct FakeRuntime {
    events: Arc<Mutex<VecDeque<(String, Value)>>>,
    answers: mpsc::UnboundedSender<(String, Value)>,
}

async fn next(State(fake): State<FakeRuntime>) -> axum::response::Response {
    let event = fake.events.lock().expect("lock").pop_front();
    match event {
        Some((id, event)) => {
            let mut headers = HeaderMap::new();
            headers.insert("lambda-runtime-aws-request-id", id.parse().expect("header"));
            headers.insert(
                "lambda-runtime-deadline-ms",
                "99999999999999".parse().expect("header"),
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:eu-north-1:123456789012:function:forms"
                    .parse()
                    .expect("header"),
            );
            (headers, axum::Json(event)).into_response()
        }
        None => std::future::pending().await,
    }
}

async fn answer(
    State(fake): State<FakeRuntime>,
    Path(id): Path<String>,
    body: String,
) -> &'static str {
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    let _ = fake.answers.send((id, value));
    "{}"
}

async fn init_error(body: String) -> &'static str {
    panic!("the function reported an init error: {body}");
}

type Answers = mpsc::UnboundedReceiver<(String, Value)>;

/// A fake Lambda runtime API on loopback serving `events`; answers arrive on the receiver.
async fn fake_runtime(
    events: VecDeque<(String, Value)>,
) -> (
    std::net::SocketAddr,
    Answers,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let (answers, received) = mpsc::unbounded_channel();
    let fake = FakeRuntime {
        events: Arc::new(Mutex::new(events)),
        answers,
    };
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(answer))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let api = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    (api, received, server)
}

fn http_api_event(content_type: &str, body: &str) -> Value {
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/forms/kontakt",
        "rawQueryString": "",
        "headers": {"content-type": content_type, "host": "forms.example"},
        "requestContext": {
            "accountId": "123456789012", "apiId": "api", "domainName": "forms.example", "domainPrefix": "forms",
            "http": {"method": "POST", "path": "/forms/kontakt", "protocol": "HTTP/1.1",
                     "sourceIp": "192.0.2.1", "userAgent": "test"},
            "requestId": "request", "routeKey": "$default", "stage": "$default",
            "time": "22/Nov/2026:13:05:00 +0000", "timeEpoch": 1795000000000u64
        },
        "body": body,
        "isBase64Encoded": false
    })
}

#[tokio::test]
async fn under_lambda_the_same_router_answers_api_gateway_events() {
    let temp = tempfile::tempdir().expect("tempdir");
    let forms = temp.path().join("forms.json");
    std::fs::write(&forms, fixture_forms().to_json().expect("forms json")).expect("forms.json");
    let desks = temp.path().join("desks.json");
    std::fs::write(&desks, DESKS_JSON).expect("desks");

    let valid = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kontakt_valid())
        .append_pair("gp_elapsed_ms", "5000")
        .finish();
    let events = VecDeque::from([
        (
            "one".to_owned(),
            http_api_event("application/x-www-form-urlencoded", &valid),
        ),
        (
            "two".to_owned(),
            http_api_event("application/json", r#"{"namn": "Åsa"}"#),
        ),
        ("three".to_owned(), http_api_event("text/plain", "hello")),
    ]);
    let (api, mut received, server) = fake_runtime(events).await;

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_guidepost-function"))
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "forms")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("GUIDEPOST_FORMS", &forms)
        .env("GUIDEPOST_SITE_DIR", temp.path().join("no-site"))
        .env("GUIDEPOST_DESKS", &desks)
        .env("GUIDEPOST_MAIL_DIR", temp.path().join("mail"))
        .env("GUIDEPOST_SPOOL_DIR", temp.path().join("spool"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start guidepost-function");

    let mut got = Vec::new();
    for _ in 0..3 {
        match tokio::time::timeout(Duration::from_secs(30), received.recv()).await {
            Ok(Some(answer)) => got.push(answer),
            _ => {
                let _ = child.start_kill();
                let output = child.wait_with_output().await.expect("output");
                panic!(
                    "no answer from the function; stderr:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
        }
    }
    child.kill().await.expect("stop the function");
    server.abort();

    let (id, first) = &got[0];
    assert_eq!(id, "one");
    assert_eq!(first["statusCode"], 303, "{first}");
    let location = first["headers"]["location"].as_str().expect("location");
    let reference = reference_in_receipt(location, "kontakt");
    assert_eq!(
        spooled_in(&temp.path().join("mail")),
        vec![
            format!("{reference}-desk.eml"),
            format!("{reference}-receipt.eml")
        ]
    );
    let (id, second) = &got[1];
    assert_eq!(id, "two");
    assert_eq!(second["statusCode"], 422, "{second}");
    let errors: Value =
        serde_json::from_str(second["body"].as_str().expect("body")).expect("json body");
    assert!(errors["errors"]["epost"].is_array(), "{errors}");
    assert_eq!(got[2].1["statusCode"], 415);
}

/// Writes what a function package holds (forms, desks) and a spool with one undelivered entry made by the
/// router with a refusing transport; returns the spool folder.
async fn spool_with_one_entry(temp: &std::path::Path) -> std::path::PathBuf {
    std::fs::write(
        temp.join("forms.json"),
        fixture_forms().to_json().expect("forms json"),
    )
    .expect("forms.json");
    std::fs::write(temp.join("desks.json"), DESKS_JSON).expect("desks");
    let world = World::with_transport(guidepost_handler::transport::RecordingTransport::failing());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303);
    let spool = temp.join("spool");
    std::fs::create_dir_all(spool.join("pending")).expect("mkdir");
    for name in world.spooled() {
        std::fs::copy(
            world.pending_dir().join(&name),
            spool.join("pending").join(&name),
        )
        .expect("copy the entry");
    }
    spool
}

fn function_command(temp: &std::path::Path, spool: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_guidepost-function"));
    command
        .env_clear()
        .env("GUIDEPOST_FORMS", temp.join("forms.json"))
        .env("GUIDEPOST_SITE_DIR", temp.join("no-site"))
        .env("GUIDEPOST_DESKS", temp.join("desks.json"))
        .env("GUIDEPOST_MAIL_DIR", temp.join("mail"))
        .env("GUIDEPOST_SPOOL_DIR", spool)
        .env("GUIDEPOST_REDELIVER_MIN_AGE_SECS", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test]
async fn the_redeliver_command_delivers_what_the_spool_holds_and_reports() {
    let temp = tempfile::tempdir().expect("tempdir");
    let spool = spool_with_one_entry(temp.path()).await;
    let output = function_command(temp.path(), &spool)
        .arg("redeliver")
        .output()
        .await
        .expect("run guidepost-function redeliver");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["delivered"], 1, "{report}");
    assert_eq!(
        spooled_in(&temp.path().join("mail")).len(),
        2,
        "desk mail and receipt"
    );
    assert!(spooled_in(&spool.join("pending")).is_empty());

    let output = function_command(temp.path(), &spool)
        .arg("deliver-everything")
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .starts_with("error: unknown command `deliver-everything`\n\nguidepost-function: the")
    );
}

#[tokio::test]
async fn under_lambda_the_redeliver_handler_runs_one_pass_per_scheduled_event() {
    let temp = tempfile::tempdir().expect("tempdir");
    let spool = spool_with_one_entry(temp.path()).await;
    let schedule = json!({
        "version": "0", "id": "e", "detail-type": "Scheduled Event", "source": "aws.events",
        "account": "123456789012", "time": "2026-11-22T13:05:00Z", "region": "eu-north-1",
        "resources": ["arn:aws:events:eu-north-1:123456789012:rule/redeliver"], "detail": {}
    });
    let events = VecDeque::from([("tick".to_owned(), schedule)]);
    let (api, mut received, server) = fake_runtime(events).await;
    let mut child = function_command(temp.path(), &spool)
        .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "redeliver")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("_HANDLER", "redeliver")
        .spawn()
        .expect("start guidepost-function");
    let answer = tokio::time::timeout(Duration::from_secs(30), received.recv()).await;
    child.kill().await.expect("stop the function");
    server.abort();
    let (id, report) = answer.expect("an answer in time").expect("an answer");
    assert_eq!(id, "tick");
    assert_eq!(report["delivered"], 1, "{report}");
    assert_eq!(report["busy"], false);
    assert_eq!(spooled_in(&temp.path().join("mail")).len(), 2);
}

#[tokio::test]
async fn the_function_refuses_to_start_without_desk_addresses() {
    let temp = tempfile::tempdir().expect("tempdir");
    let spool = temp.path().join("spool");
    std::fs::write(
        temp.path().join("forms.json"),
        fixture_forms().to_json().expect("forms json"),
    )
    .expect("forms.json");
    let output = function_command(temp.path(), &spool)
        .env_remove("GUIDEPOST_DESKS")
        .arg("redeliver")
        .output()
        .await
        .expect("run guidepost-function");
    assert!(!output.status.success(), "no fallback to the example desks");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "no desk addresses: the site has no {} (written by `guidepost build` from \
             content/desks.yaml) and neither GUIDEPOST_DESKS nor GUIDEPOST_DESKS_JSON is set",
            temp.path().join("no-site/forms/desks.json").display()
        )),
        "{stderr}"
    );
    assert!(
        spooled_in(&temp.path().join("mail")).is_empty(),
        "nothing ran"
    );
}

/// A package with the example content's forms and desks and a register holding one confirmed account
/// whose 90-day reminder is due on `due`; returns the command's environment, ready to run.
async fn with_one_account(
    temp: &std::path::Path,
    due: jiff::civil::Date,
) -> tokio::process::Command {
    use guidepost_handler::accounts::{Account, FolderStore, NewAccount, Register, State};
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let forms = guidepost_forms::load_forms(&content).expect("the example forms load");
    std::fs::write(temp.join("forms.json"), forms.to_json().expect("json")).expect("forms.json");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/desks.example.json"),
        temp.join("desks.json"),
    )
    .expect("desks");
    let register = Register::new(Arc::new(FolderStore::new(temp.join("register"))));
    let end_date = due.checked_add(jiff::Span::new().days(90)).expect("date");
    let account = Account {
        state: State::Active,
        generation: 1,
        reminders_from: Some(due),
        ..Account::ordered(NewAccount {
            id: "GP-AAAA-BBBB".into(),
            form: "external-account".into(),
            lang: guidepost_forms::Lang::Sv,
            desk: "accounts".into(),
            person_name: "Ada Extern".into(),
            contact_email: "kim@region.example".into(),
            external_email: None,
            end_date,
            ordered_on: due,
        })
    };
    assert!(register.create(&account).await.expect("create"));
    let mut command = function_command(temp, &temp.join("spool"));
    command
        .env("GUIDEPOST_REGISTER_DIR", temp.join("register"))
        .env(
            "GUIDEPOST_ACCOUNT_KEY",
            "a lambda test key of 32 bytes or more",
        )
        .env("GUIDEPOST_PUBLIC_URL", "https://guide.region.example");
    command
}

fn reminders_in(mail: &std::path::Path) -> Vec<String> {
    spooled_in(mail)
        .into_iter()
        .filter(|name| name.ends_with("-reminder.eml"))
        .collect()
}

#[tokio::test]
async fn the_remind_command_sends_a_due_reminder_once_however_often_it_runs() {
    let temp = tempfile::tempdir().expect("tempdir");
    let due: jiff::civil::Date = "2027-01-15".parse().expect("date");
    let mut command = with_one_account(temp.path(), due).await;
    for (run, expected) in [(1, 1), (2, 0)] {
        let output = command
            .args(["remind", "--today", "2027-01-15"])
            .output()
            .await
            .expect("run guidepost-function remind");
        assert!(
            output.status.success(),
            "run {run}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
        assert_eq!(report["reminders"], expected, "run {run}: {report}");
        assert_eq!(
            (report["today"].as_str(), report["errors"].as_u64()),
            (Some("2027-01-15"), Some(0))
        );
        command = with_command_again(temp.path());
    }
    assert_eq!(
        reminders_in(&temp.path().join("mail")),
        ["GP-AAAA-BBBB-r90-20270415-reminder.eml"]
    );
}

/// The same environment as [`with_one_account`] made, for a second run.
fn with_command_again(temp: &std::path::Path) -> tokio::process::Command {
    let mut command = function_command(temp, &temp.join("spool"));
    command
        .env("GUIDEPOST_REGISTER_DIR", temp.join("register"))
        .env(
            "GUIDEPOST_ACCOUNT_KEY",
            "a lambda test key of 32 bytes or more",
        )
        .env("GUIDEPOST_PUBLIC_URL", "https://guide.region.example");
    command
}

#[tokio::test]
async fn under_lambda_the_remind_handler_runs_once_per_scheduled_event() {
    let temp = tempfile::tempdir().expect("tempdir");
    let zone = jiff::tz::TimeZone::get("Europe/Stockholm").expect("zone");
    let today = jiff::Timestamp::now().to_zoned(zone).date();
    let mut command = with_one_account(temp.path(), today).await;
    let schedule = json!({
        "version": "0", "id": "e", "detail-type": "Scheduled Event", "source": "aws.scheduler",
        "account": "123456789012", "time": "2026-11-22T05:00:00Z", "region": "eu-north-1",
        "resources": ["arn:aws:scheduler:eu-north-1:123456789012:schedule/default/remind"], "detail": {}
    });
    let events = VecDeque::from([
        ("day".to_owned(), schedule.clone()),
        ("again".to_owned(), schedule),
    ]);
    let (api, mut received, server) = fake_runtime(events).await;
    let mut child = command
        .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "remind")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("_HANDLER", "remind")
        .spawn()
        .expect("start guidepost-function");
    let first = tokio::time::timeout(Duration::from_secs(30), received.recv()).await;
    let second = tokio::time::timeout(Duration::from_secs(30), received.recv()).await;
    child.kill().await.expect("stop the function");
    server.abort();
    let (id, report) = first.expect("an answer in time").expect("an answer");
    assert_eq!(
        (id.as_str(), &report["reminders"]),
        ("day", &json!(1)),
        "{report}"
    );
    let (id, report) = second.expect("an answer in time").expect("an answer");
    assert_eq!(
        (id.as_str(), &report["reminders"]),
        ("again", &json!(0)),
        "a retried event sends nothing twice: {report}"
    );
    assert_eq!(reminders_in(&temp.path().join("mail")).len(), 1);
}
