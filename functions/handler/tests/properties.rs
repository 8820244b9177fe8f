//! Property tests (always run): the body parsers never panic and round-trip what a browser sends; every
//! identifier check never panics and its normalised output is plain and stable; whatever text the
//! composer is given, its messages have only their own headers, CRLF lines, no user text in the subject
//! and no live markup; and the router answers any body with something other than a 5xx.

mod common;

use std::sync::Arc;

use common::mail::assert_safe_mail;
use common::*;
use guidepost_forms::identifiers::{no, se};
use guidepost_forms::{Date, RawInput};
use guidepost_handler::pipeline::compose::compose_messages;
use guidepost_handler::pipeline::parse::{parse_json, parse_urlencoded};
use guidepost_handler::spool::MemorySpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings};
use proptest::prelude::*;

/// Text with a high share of what breaks things: line breaks, markup, quotes, controls, bidi and
/// zero-width characters, fullwidth digits, and any other character.
fn nasty_text(max: usize) -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('\r'),
        Just('\n'),
        Just('<'),
        Just('>'),
        Just('&'),
        Just('"'),
        Just('\''),
        Just(':'),
        Just('='),
        Just('?'),
        Just('%'),
        Just('\u{0}'),
        Just('\u{85}'),
        Just('\u{2028}'),
        Just('\u{202E}'),
        Just('\u{200B}'),
        Just('\u{FEFF}'),
        Just('１'),
        Just('é'),
        Just('😀'),
    ];
    let any = prop_oneof![3 => special, 2 => proptest::char::range(' ', '~'), 1 => any::<char>()];
    proptest::collection::vec(any, 0..max).prop_map(|chars| chars.into_iter().collect())
}

/// The fixture form `kontakt`, loaded once.
fn kontakt_form() -> &'static guidepost_forms::Form {
    static FORMS: std::sync::OnceLock<guidepost_forms::FormSet> = std::sync::OnceLock::new();
    FORMS
        .get_or_init(fixture_forms)
        .get("kontakt")
        .expect("kontakt")
}

fn today() -> Date {
    jiff::civil::date(2026, 11, 22)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_urlencoded_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_urlencoded(&bytes);
    }

    #[test]
    fn the_json_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_json(&bytes);
    }

    #[test]
    fn what_a_browser_encodes_is_parsed_back(
        pairs in proptest::collection::vec((nasty_text(20), nasty_text(40)), 0..8)
    ) {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
        let parsed = parse_urlencoded(body.as_bytes()).expect("UTF-8 in, UTF-8 out");
        prop_assert_eq!(&parsed.0, &pairs);
        let object: serde_json::Map<String, serde_json::Value> =
            pairs.iter().map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone()))).collect();
        let json = serde_json::Value::Object(object.clone()).to_string();
        let parsed = parse_json(json.as_bytes()).expect("a flat object");
        prop_assert_eq!(parsed.0.len(), object.len());
    }

    #[test]
    fn identifier_checks_never_panic_and_normalise_to_plain_stable_values(input in nasty_text(24)) {
        let plain = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if let Ok(id) = se::person_id(&input, today()) {
            prop_assert!(plain(&id.normalised));
            prop_assert_eq!(se::person_id(&id.normalised, today()).map(|i| i.normalised), Ok(id.normalised.clone()));
            prop_assert!(!se::mask(&id.normalised).contains(&id.normalised[9..]));
        }
        for check in [se::personnummer, se::samordningsnummer] {
            if let Ok(id) = check(&input, today()) {
                prop_assert!(plain(&id.normalised));
            }
        }
        for check in [se::organisationsnummer, se::hsa_id, no::fh_number, no::organisasjonsnummer] {
            if let Ok(normalised) = check(&input) {
                prop_assert!(plain(&normalised), "{:?}", normalised);
                prop_assert_eq!(check(&normalised), Ok(normalised.clone()));
            }
        }
        if let Ok(id) = no::fodselsnummer(&input) {
            prop_assert!(plain(&id.normalised));
            prop_assert_eq!(no::fodselsnummer(&id.normalised).map(|i| i.normalised), Ok(id.normalised.clone()));
        }
        let _ = (se::mask(&input), no::mask(&input));
    }

    #[test]
    fn composed_messages_are_safe_whatever_the_text(
        name in nasty_text(60),
        message in nasty_text(300),
        local in "[a-z0-9.+_-]{1,20}",
    ) {
        let form = kontakt_form();
        let email = format!("{local}@example.com");
        let input = RawInput(vec![
            ("namn".into(), name.clone()),
            ("epost".into(), email.clone()),
            ("amne".into(), "annat".into()),
            ("meddelande".into(), message.clone()),
        ]);
        let Ok(submission) = form.validate(&input, today()) else {
            return Ok(());
        };
        let now = jiff::Zoned::now();
        let composed = compose_messages(form, &submission, &desks(), "Region <formular@region.example>", "GP-AAAA-CCCC", &now)
            .expect("composes");
        let mut words: Vec<&str> = name.split_whitespace().chain(message.split_whitespace())
            .filter(|w| w.chars().count() >= 4).collect();
        words.retain(|w| !"Kontakta nätverksgruppen GP-AAAA-CCCC Kvitto".contains(*w));
        for sent in &composed.messages {
            assert_safe_mail(&sent.raw, &sent.to, &words, "composer");
        }
        prop_assert_eq!(&composed.messages[1].to, &vec![email]);
    }
}

#[test]
fn the_router_never_answers_a_5xx() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let transport = RecordingTransport::new();
    let state = AppState::new(
        fixture_forms(),
        desks(),
        guidepost_handler::pages::FormPages::none(),
        Arc::new(transport),
        Arc::new(MemorySpool::new()),
        Settings::development().expect("development settings"),
    )
    .expect("state");
    let kinds = prop_oneof![
        Just("application/x-www-form-urlencoded"),
        Just("application/json"),
        Just("application/json; charset=utf-8"),
        Just("text/plain"),
    ];
    let bodies = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec((nasty_text(12), nasty_text(40)), 0..6).prop_map(|pairs| {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter())
                .finish()
                .into_bytes()
        }),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    });
    let forms = prop_oneof![Just("kontakt"), Just("kontakt-nb")];
    runner
        .run(&(forms, kinds, bodies), |(form, kind, body)| {
            let world_state = state.clone();
            let status = runtime.block_on(async move {
                let request = raw_post(&format!("/forms/{form}"), kind, body);
                send_state(&world_state, request).await
            });
            prop_assert!(status < 500, "{}", status);
            Ok(())
        })
        .expect("no 5xx");
}

async fn send_state(state: &AppState, request: axum::http::Request<axum::body::Body>) -> u16 {
    use tower::ServiceExt;
    guidepost_handler::router(state.clone())
        .oneshot(request)
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(599)
}
