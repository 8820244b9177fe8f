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
    std::fs::write(&forms, fixture_forms().to_json()).expect("forms.json");
    let desks = temp.path().join("desks.json");
    std::fs::write(&desks, DESKS_JSON).expect("desks");

    let valid = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kontakt_valid())
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
    let (answers, mut received) = mpsc::unbounded_channel();
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
    let reference = location
        .strip_prefix("/kvitto/?ref=")
        .expect("receipt path");
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
