//! End to end through SES: every form in `content/forms/` is filled with a valid sample and posted to the
//! router, which sends through the real `aws-sdk-sesv2` client to a local moto server; then moto's record
//! of raw messages is checked (desk recipients, subject, every value, the receipt). A second test runs the
//! `guidepost-function` binary with `GUIDEPOST_MAIL=ses` over a real socket.
//!
//! Without `moto_server` the tests print SKIPPED and pass, unless `GUIDEPOST_REQUIRE_MOTO` is set.
#![cfg(feature = "aws")]
#![allow(missing_docs)]

mod moto;
mod samples;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use aws_sdk_sesv2::config::{BehaviorVersion, Credentials, Region};
use axum::body::Body;
use axum::http::Request;
use guidepost_forms::{Form, FormSet, RawInput, load_forms};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::spool::FolderSpool;
use guidepost_handler::transport::SesTransport;
use guidepost_handler::{AppState, Settings, router};
use http_body_util::BodyExt;
use moto::{Moto, Start};
use tower::ServiceExt;

const SENDER: &str = "Guidepost <formular@guidepost.example>";
const SENDER_ADDRESS: &str = "formular@guidepost.example";
const REGION: &str = "eu-north-1";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn content_forms() -> FormSet {
    match load_forms(&workspace_root().join("content")) {
        Ok(forms) => forms,
        Err(errors) => {
            let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("content/forms does not load:\n{}", report.join("\n"))
        }
    }
}

fn ses_client(moto: &Moto) -> aws_sdk_sesv2::Client {
    let config = aws_sdk_sesv2::Config::builder()
        .http_client(guidepost_handler::aws::http_client())
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "e2e"))
        .build();
    aws_sdk_sesv2::Client::from_conf(config)
}

async fn verify_sender(client: &aws_sdk_sesv2::Client) {
    client
        .create_email_identity()
        .email_identity(SENDER_ADDRESS)
        .send()
        .await
        .expect("CreateEmailIdentity for the sender");
}

async fn start_moto() -> Option<Moto> {
    match Moto::start().await {
        Start::Running(moto) => Some(moto),
        Start::Skip(why) => {
            // Written to the process's stderr directly so that the test harness does not swallow it.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{why}");
            None
        }
    }
}

/// A received raw message, parsed.
struct Received {
    to: Vec<String>,
    subject: String,
    text: String,
    raw: String,
}

async fn received(moto: &Moto) -> Vec<Received> {
    moto.raw_messages()
        .await
        .into_iter()
        .map(|(to, raw)| {
            let parsed = mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .expect("moto kept valid MIME");
            Received {
                to,
                subject: parsed.subject().unwrap_or_default().to_owned(),
                text: parsed
                    .body_text(0)
                    .map(|t| t.into_owned())
                    .unwrap_or_default(),
                raw: raw.clone(),
            }
        })
        .collect()
}

fn urlencoded(input: &RawInput) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(input.0.iter())
        .finish()
}

async fn post(state: &AppState, form: &Form, input: &RawInput) -> (u16, String, String) {
    let request = Request::post(format!("/forms/{}", form.id))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(urlencoded(input)))
        .expect("request");
    let response = router(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// What the test expects of one form's mail.
fn check_mail(
    form: &Form,
    input: &RawInput,
    reference: &str,
    desk_to: &[String],
    mail: &[Received],
) {
    let mine: Vec<&Received> = mail
        .iter()
        .filter(|m| m.subject.contains(reference))
        .collect();
    let desk = mine
        .iter()
        .find(|m| {
            desk_to
                .iter()
                .all(|d| m.to.iter().any(|t| t.contains(d.as_str())))
        })
        .unwrap_or_else(|| {
            panic!(
                "{}: no desk mail to {desk_to:?} with {reference} (got {})",
                form.id,
                mine.len()
            )
        });
    assert!(
        desk.subject.contains(&form.title),
        "{}: subject `{}` lacks the title",
        form.id,
        desk.subject
    );
    for expected in samples::shown_values(form, input) {
        assert!(
            expected.found_in(&desk.text),
            "{}: `{}` of field `{}` is not in the desk mail:\n{}",
            form.id,
            expected.text,
            expected.field,
            desk.text
        );
    }
    assert!(
        desk.raw.contains("Reply-To:") == form.submitter_email.is_some(),
        "{}: Reply-To",
        form.id
    );
    match samples::submitter(form, input) {
        Some(address) => {
            let receipt = mine
                .iter()
                .find(|m| m.to.iter().any(|t| t.contains(&address)))
                .unwrap_or_else(|| panic!("{}: no receipt to {address}", form.id));
            assert!(
                receipt.text.contains(reference),
                "{}: the receipt lacks the reference",
                form.id
            );
            for id in samples::personal_ids(form, input) {
                assert!(
                    !receipt.text.contains(&id),
                    "{}: the receipt shows {id} unmasked",
                    form.id
                );
            }
        }
        None => assert_eq!(mine.len(), 1, "{}: only the desk mail", form.id),
    }
}

#[tokio::test]
async fn every_content_form_is_delivered_through_ses() {
    let Some(moto) = start_moto().await else {
        return;
    };
    let client = ses_client(&moto);
    verify_sender(&client).await;
    let forms = content_forms();
    assert!(forms.iter().count() > 0, "content/forms has forms");
    let desks = DeskBook::example().expect("bundled desks");
    let temp = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        sender: SENDER.to_owned(),
        // Every sample uses the same submitter address; this test is about delivery, not the allowance.
        receipts_per_address_per_day: 1000,
        ..Settings::development().expect("development settings")
    };
    let state = AppState::new(
        forms.clone(),
        desks.clone(),
        FormPages::none(),
        Arc::new(SesTransport::with_client(client, None)),
        Arc::new(FolderSpool::new(temp.path().join("spool"))),
        settings.clone(),
    )
    .expect("the bundled desks cover every content form");

    let mut sent = Vec::new();
    for form in forms.iter() {
        let today = samples::today(&settings, form);
        let input = samples::valid_input(form, today);
        let (status, location, body) = post(&state, form, &input).await;
        assert_eq!(
            status,
            303,
            "{}: the sample is not accepted:\n{}",
            form.id,
            samples::explain(form, &input, today, &body)
        );
        let prefix = format!("{}/receipt?ref=", settings.action(&form.id));
        let reference = location
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("#receipt"))
            .unwrap_or_else(|| panic!("{location}"))
            .to_owned();
        let submission = form
            .validate(&input, today)
            .unwrap_or_else(|_| panic!("{}: valid", form.id));
        let desk_to = desks
            .addresses(form.route(&submission))
            .expect("desk")
            .to_vec();
        sent.push((form, input, reference, desk_to));
    }
    let spooled = std::fs::read_dir(temp.path().join("spool/pending")).map_or(0, |d| d.count());
    assert_eq!(
        spooled, 0,
        "every submission was delivered and left the spool"
    );
    let mail = received(&moto).await;
    if std::env::var_os("GUIDEPOST_E2E_DUMP").is_some() {
        for message in &mail {
            println!("--- to {:?}\n{}", message.to, message.raw);
        }
    }
    for (form, input, reference, desk_to) in &sent {
        check_mail(form, input, reference, desk_to, &mail);
    }
    println!(
        "{} forms delivered through SES (moto), {} raw messages",
        sent.len(),
        mail.len()
    );
}

#[tokio::test]
async fn the_binary_sends_through_ses_when_configured() {
    let Some(moto) = start_moto().await else {
        return;
    };
    verify_sender(&ses_client(&moto)).await;
    let forms = content_forms();
    let form = forms
        .iter()
        .find(|f| f.submitter_email.is_some())
        .or_else(|| forms.iter().next())
        .expect("a form");
    let temp = tempfile::tempdir().expect("tempdir");
    let forms_json = temp.path().join("forms.json");
    std::fs::write(&forms_json, forms.to_json().expect("forms json")).expect("forms.json");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("probe")
        .local_addr()
        .expect("addr")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_guidepost-function"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GUIDEPOST_MAIL", "ses")
        .env("GUIDEPOST_SENDER", SENDER)
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("GUIDEPOST_FORMS", &forms_json)
        .env("GUIDEPOST_SITE_DIR", temp.path().join("no-site"))
        .env(
            "GUIDEPOST_DESKS",
            concat!(env!("CARGO_MANIFEST_DIR"), "/desks.example.json"),
        )
        .env("GUIDEPOST_SPOOL_DIR", temp.path().join("spool"))
        .env("GUIDEPOST_REGISTER_DIR", temp.path().join("register"))
        .env("GUIDEPOST_ACCOUNT_KEY", "an e2e test key, 32 bytes or more")
        .env("GUIDEPOST_ADDR", &addr)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start guidepost-function");

    let today = samples::today(
        &Settings::development().expect("development settings"),
        form,
    );
    // The deployed default checks the time to fill: a person's pace.
    let body = format!(
        "{}&gp_elapsed_ms=5000",
        urlencoded(&samples::valid_input(form, today))
    );
    let request = format!(
        "POST /forms/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        form.id,
        body.len()
    );
    let answer = samples::http_when_up(&addr, &request).await;
    child.kill().await.expect("stop the function");
    let Some(answer) = answer else {
        let output = child.wait_with_output().await.expect("output");
        panic!(
            "the function did not answer; stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let reference = answer
        .split("?ref=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|r| r.split('#').next())
        .expect("reference");
    let mail = received(&moto).await;
    assert!(
        mail.iter().any(|m| m.subject.contains(reference)),
        "moto got the desk mail for {reference}"
    );
}
