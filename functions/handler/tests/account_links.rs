//! The account pages through the router: an order's desk mail carries the confirmation link, the
//! link confirms once, the reminder's extend link opens the form pre-filled, and hostile tokens and
//! dates get a clear 4xx page, never a 5xx.

mod common;

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use common::{Answer, form_post};
use guidepost_forms::load_forms;
use guidepost_handler::accounts::{Accounts, LinkKey, Register};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::remind::remind_once;
use guidepost_handler::spool::MemorySpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings, router};
use tower::ServiceExt;

fn state() -> (AppState, RecordingTransport, Register) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let forms = load_forms(&root).expect("the example forms load");
    let transport = RecordingTransport::new();
    let register = Register::in_memory();
    let mut settings = Settings::development().expect("settings");
    settings.accounts.public_url = "https://guide.region.example".into();
    let state = AppState::new(
        forms,
        DeskBook::example().expect("desks"),
        FormPages::none(),
        Arc::new(transport.clone()),
        Arc::new(MemorySpool::new()),
        settings,
    )
    .expect("state")
    .with_accounts(Accounts {
        register: register.clone(),
        key: LinkKey::new(vec![9; 32]).expect("key"),
    });
    (state, transport, register)
}

async fn send(state: &AppState, request: Request<Body>) -> Answer {
    Answer::read(
        router(state.clone())
            .oneshot(request)
            .await
            .expect("infallible"),
    )
    .await
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).expect("request")
}

fn order(end: &str) -> Vec<(&'static str, String)> {
    [
        ("action", "order"),
        ("person_name", "Ada <Extern>"),
        ("person_personnummer", "19121212-1212"),
        ("person_kind", "consultant"),
        ("person_company", "Konsult AB"),
        ("person_email", "ada@konsult.example"),
        ("card", "no"),
        ("start_date", "2026-12-20"),
        ("contact_name", "Kim Kontakt"),
        ("contact_email", "kim@region.example"),
        ("orderer_name", "Chef Chefsson"),
        ("orderer_email", "chef@region.example"),
        ("orderer_role", "manager"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([("end_date", end.to_owned())])
    .collect()
}

/// The first link in `raw` MIME that contains `part` (quoted-printable undone).
fn link(raw: &str, part: &str) -> String {
    let text = raw
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = text
        .find(&format!(
            "https://guide.region.example/forms/_accounts/{part}?t="
        ))
        .expect(part);
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .expect("link")
        .to_owned()
}

fn path_of(url: &str) -> &str {
    url.trim_start_matches("https://guide.region.example")
}

#[tokio::test]
async fn an_order_is_confirmed_once_by_its_link_and_reminded_with_working_links() {
    let (state, transport, register) = state();
    let pairs = order("2027-06-30");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = send(&state, form_post("/forms/external-account", &pairs)).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let desk = transport
        .sent()
        .into_iter()
        .find(|m| m.kind.as_str() == "desk")
        .expect("desk mail");
    let confirm = link(&desk.raw, "confirm");
    let listed = register.list().await.expect("list");
    assert_eq!(listed.len(), 1);
    let record = serde_json::to_string(&listed[0].0).expect("json");
    assert!(
        !record.contains("19121212"),
        "no identity number in the register: {record}"
    );

    let page = send(&state, get(path_of(&confirm))).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Ada &lt;Extern&gt;") && page.body.contains("value=\"2027-06-30\""),
        "{}",
        page.body
    );
    let token = confirm.split("t=").nth(1).expect("token");
    for (date, message) in [
        ("2027-02-30", "Skriv slutdatumet som ÅÅÅÅ-MM-DD"),
        ("2001-01-01", "får inte ha passerat"),
        ("<script>", "ÅÅÅÅ-MM-DD"),
    ] {
        let bad = send(
            &state,
            form_post(
                "/forms/_accounts/confirm",
                &[("t", token), ("end_date", date)],
            ),
        )
        .await;
        assert_eq!(bad.status, 422, "{date}");
        assert!(
            bad.body.contains(message) && !bad.body.contains("<script>"),
            "{date}: {}",
            bad.body
        );
    }
    let done = send(
        &state,
        form_post(
            "/forms/_accounts/confirm",
            &[("t", token), ("end_date", "2027-07-31")],
        ),
    )
    .await;
    assert_eq!(done.status, 200);
    assert!(
        done.body.contains("bekräftat med slutdatum 2027-07-31"),
        "{}",
        done.body
    );
    let again = send(
        &state,
        form_post(
            "/forms/_accounts/confirm",
            &[("t", token), ("end_date", "2027-07-31")],
        ),
    )
    .await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("Länken är redan använd"));

    let report = remind_once(&state, Some("2027-05-02".parse().expect("date"))).await;
    assert_eq!((report.reminders, report.errors), (1, 0), "{report:?}");
    let reminder = transport
        .sent()
        .into_iter()
        .find(|m| m.kind.as_str() == "reminder")
        .expect("reminder");
    assert_eq!(reminder.to, ["kim@region.example"]);
    let extend = link(&reminder.raw, "extend");
    let form = send(&state, get(path_of(&extend))).await;
    assert_eq!(form.status, 200);
    for expected in [
        "value=\"extend\" checked",
        "name=\"gp_account\"",
        "value=\"2027-07-31\"",
        "value=\"kim@region.example\"",
    ] {
        assert!(form.body.contains(expected), "{expected} in {}", form.body);
    }
}

#[tokio::test]
async fn hostile_tokens_get_a_clear_page_and_never_a_5xx() {
    let (state, _, _) = state();
    let long = "v1.".repeat(300);
    let forged = "v1.end.GP-AAAA-AAAA.GP-AAAA-AAAA.0.9999999999.".to_owned() + &"0".repeat(64);
    for query in [
        "",
        "?t=",
        "?t=%00%ff",
        "?t=v1.confirm.....",
        &format!("?t={long}"),
        &format!("?t={forged}"),
        "?t=../../etc/passwd",
        "?t=a&t=b",
    ] {
        for page in ["confirm", "extend", "end"] {
            let answer = send(&state, get(&format!("/forms/_accounts/{page}{query}"))).await;
            assert_eq!(answer.status, 400, "{page}{query}");
            assert!(
                answer.body.contains("Länken fungerar inte"),
                "{page}{query}: {}",
                answer.body
            );
        }
    }
    for page in ["confirm", "end"] {
        for body in [&b"t=%zz"[..], b"\xff\xfe", b"", b"t=x&end_date=2027-01-01"] {
            let request = Request::post(format!("/forms/_accounts/{page}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.to_vec()))
                .expect("request");
            let answer = send(&state, request).await;
            assert!(
                (400..500).contains(&answer.status),
                "{page} {body:?}: {}",
                answer.status
            );
        }
    }
    let forged_extend = order("2027-06-30");
    let mut pairs: Vec<(&str, &str)> = forged_extend
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    pairs[0] = ("action", "extend");
    pairs.push((
        "gp_account",
        "v1.extend.GP-AAAA-AAAA.GP-AAAA-AAAA.0.9999999999.00",
    ));
    let answer = send(&state, form_post("/forms/external-account", &pairs)).await;
    assert_eq!(
        answer.status, 400,
        "a forged extension is refused before anything is accepted"
    );
}
