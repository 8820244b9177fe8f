//! Hostile values in every field of every content form, as a form post and as JSON: CR/LF, `<script>`,
//! 100 KB strings, invalid UTF-8, duplicate keys, arrays where one value is expected, right-to-left
//! overrides and zero-width characters, fullwidth digits. Each gets a clear 4xx or a correct acceptance,
//! never a 5xx; what is accepted is sent only to the desk book and the address given, with safe headers,
//! no user text in the subject and no live markup in the HTML.

mod common;
#[path = "e2e_forms/samples.rs"]
#[allow(dead_code)]
mod samples;

use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use common::mail::assert_safe_mail;
use common::*;
use guidepost_forms::{Form, FormSet, RawInput, load_forms};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::spool::MemorySpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings};
use serde_json::{Value, json};

const HOSTILE: [&str; 10] = [
    "Åsa\r\nBcc: evil@example.com",
    "evil\nSubject: evil",
    "<script>alert('evil')</script>",
    "\"><img src=x onerror=alert(1)>",
    "\u{202E}evil\u{202D} txt.exe",
    "e\u{200B}v\u{200D}i\u{FEFF}l",
    "１９１２１２１２-１２１２",
    "=?utf-8?q?evil?= %0D%0ABcc:evil@example.com",
    "\u{0}\u{7}\u{1b}[31mevil",
    "\u{2028}evil\u{85}line",
];

/// The payload fragments that must never reach a subject line.
const NOT_IN_SUBJECT: [&str; 6] = ["evil", "script", "Bcc", "\u{202E}", "\u{200B}", "onerror"];

fn content_forms() -> FormSet {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    load_forms(&root).unwrap_or_else(|e| panic!("content forms: {}", e.len()))
}

struct Run {
    state: AppState,
    transport: RecordingTransport,
    desks: DeskBook,
    accepted: usize,
    refused: std::collections::BTreeMap<u16, usize>,
}

impl Run {
    fn new(forms: FormSet) -> Run {
        let transport = RecordingTransport::new();
        let desks = DeskBook::example().expect("desks");
        let state = AppState::new(
            forms,
            desks.clone(),
            FormPages::none(),
            Arc::new(transport.clone()),
            Arc::new(MemorySpool::new()),
            Settings::development().expect("development settings"),
        )
        .expect("state");
        Run {
            state,
            transport,
            desks,
            accepted: 0,
            refused: Default::default(),
        }
    }

    /// Posts `body`, checks the answer and whatever was sent.
    async fn check(&mut self, form: &Form, content_type: &str, body: Vec<u8>, context: &str) {
        self.transport.take_sent();
        let request = Request::post(format!("/forms/{}", form.id))
            .header("content-type", content_type)
            .body(Body::from(body))
            .expect("request");
        let answer = send_to(&self.state, request).await;
        assert!(
            answer.status < 500,
            "{context}: {} {}",
            answer.status,
            answer.body
        );
        assert!(
            matches!(answer.status, 200 | 303 | 400 | 413 | 422),
            "{context}: unexpected {}",
            answer.status
        );
        if answer.status >= 400 {
            *self.refused.entry(answer.status).or_default() += 1;
            let lower = answer.body.to_lowercase();
            assert!(
                !lower.contains("<script>alert") && !lower.contains("<img src=x"),
                "{context}: the error page echoes live markup"
            );
            assert!(
                self.transport.take_sent().is_empty(),
                "{context}: refused but sent"
            );
            return;
        }
        self.accepted += 1;
        for message in &self.transport.take_sent() {
            let is_desk = message.kind == guidepost_handler::transport::MessageKind::Desk;
            if is_desk {
                let known = self.desks_of(form);
                assert!(
                    known.contains(&message.to),
                    "{context}: desk mail to {:?}",
                    message.to
                );
            } else {
                assert_eq!(
                    message.to.len(),
                    1,
                    "{context}: a receipt goes to one address"
                );
            }
            assert_safe_mail(&message.raw, &message.to, &NOT_IN_SUBJECT, context);
        }
    }

    fn desks_of(&self, form: &Form) -> Vec<Vec<String>> {
        form.desks()
            .into_iter()
            .filter_map(|d| self.desks.addresses(d).map(<[String]>::to_vec))
            .collect()
    }
}

async fn send_to(state: &AppState, request: Request<Body>) -> Answer {
    use tower::ServiceExt;
    let response = guidepost_handler::router(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = http_body_util::BodyExt::collect(body)
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn urlencoded(pairs: &[(String, String)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter())
        .finish()
        .into_bytes()
}

fn json_body(pairs: &[(String, String)]) -> Vec<u8> {
    let mut object = serde_json::Map::new();
    for (name, value) in pairs {
        match object.get_mut(name) {
            Some(Value::Array(items)) => items.push(json!(value)),
            Some(one) => *one = json!([one.clone(), value]),
            None => {
                object.insert(name.clone(), json!(value));
            }
        }
    }
    Value::Object(object).to_string().into_bytes()
}

/// The sample with `name`'s value(s) replaced by `value`.
fn with_value(sample: &RawInput, name: &str, value: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = sample
        .0
        .iter()
        .filter(|(n, _)| n != name)
        .cloned()
        .collect();
    pairs.push((name.to_owned(), value.to_owned()));
    pairs
}

/// Every field name a form posts (with capacity units), the honeypot and the timer.
fn posted_names(form: &Form, sample: &RawInput) -> Vec<String> {
    let mut names: Vec<String> = sample.0.iter().map(|(n, _)| n.clone()).collect();
    names.dedup();
    names.push(form.honeypot().to_owned());
    names.push(guidepost_forms::FILL_TIME_FIELD.to_owned());
    names
}

#[tokio::test]
async fn hostile_values_in_every_field_get_a_4xx_or_a_correct_acceptance() {
    let forms = content_forms();
    let mut run = Run::new(forms.clone());
    let settings = Settings::development().expect("development settings");
    let huge = "A".repeat(100 * 1024);
    for form in forms.iter() {
        let sample = samples::valid_input(form, samples::today(&settings, form));
        for name in posted_names(form, &sample) {
            for value in HOSTILE.iter().copied().chain([huge.as_str()]) {
                let pairs = with_value(&sample, &name, value);
                let context = format!(
                    "{} / {name} = {:?}",
                    form.id,
                    value.chars().take(40).collect::<String>()
                );
                run.check(
                    form,
                    "application/x-www-form-urlencoded",
                    urlencoded(&pairs),
                    &context,
                )
                .await;
                run.check(form, "application/json", json_body(&pairs), &context)
                    .await;
            }
            // Sent twice, and as an array where one value is expected.
            let mut twice = sample.0.clone();
            twice.extend(sample.0.iter().filter(|(n, _)| *n == name).cloned());
            let context = format!("{} / {name} twice", form.id);
            run.check(
                form,
                "application/x-www-form-urlencoded",
                urlencoded(&twice),
                &context,
            )
            .await;
            run.check(form, "application/json", json_body(&twice), &context)
                .await;
            // Invalid UTF-8, percent-encoded and raw.
            let mut bytes = urlencoded(&with_value(&sample, &name, ""));
            bytes.extend_from_slice(format!("&{name}=%C3%28%FF").as_bytes());
            let context = format!("{} / {name} invalid UTF-8", form.id);
            run.check(
                form,
                "application/x-www-form-urlencoded",
                bytes.clone(),
                &context,
            )
            .await;
            let mut raw = urlencoded(&with_value(&sample, &name, ""));
            raw.extend_from_slice(b"&");
            raw.extend_from_slice(name.as_bytes());
            raw.extend_from_slice(b"=\xff\xfe");
            run.check(form, "application/x-www-form-urlencoded", raw, &context)
                .await;
            let json = format!("{{\"{name}\": \"\u{FFFD}\", \"x\": \"\\ud800\"}}");
            run.check(form, "application/json", json.into_bytes(), &context)
                .await;
            let mut bad_json = b"{\"".to_vec();
            bad_json.extend_from_slice(name.as_bytes());
            bad_json.extend_from_slice(b"\": \"\xff\"}");
            run.check(form, "application/json", bad_json, &context)
                .await;
        }
    }
    let refused: usize = run.refused.values().sum();
    eprintln!(
        "hostile inputs: {} accepted, refused {:?} (total {})",
        run.accepted,
        run.refused,
        run.accepted + refused
    );
    assert!(
        run.accepted > 50,
        "some hostile values are fine text and are accepted"
    );
    for status in [400, 413, 422] {
        assert!(
            run.refused.get(&status).is_some_and(|n| *n > 0),
            "no {status} seen"
        );
    }
}
