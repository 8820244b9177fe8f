//! The whole form router with a recording transport and a spool in memory: any body, as a form post or
//! as JSON, gets an answer other than a 5xx, and whatever is sent is a safe message.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::Request;
use guidepost_fuzz::{check_message, fixture_forms};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::spool::MemorySpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings, router};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct World {
    runtime: tokio::runtime::Runtime,
    state: AppState,
    transport: RecordingTransport,
    spool: MemorySpool,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let desks = DeskBook::parse(
            r#"{"natverk": "natverk@desk.example", "support": "support@desk.example", "bestilling": "bestilling@desk.example"}"#,
            false,
            std::path::Path::new("desks.json"),
        )
        .expect("desks");
        let transport = RecordingTransport::new();
        let spool = MemorySpool::new();
        let state = AppState::new(
            fixture_forms().clone(),
            desks,
            FormPages::none(),
            Arc::new(transport.clone()),
            Arc::new(spool.clone()),
            Settings::development().expect("development settings"),
        )
        .expect("state");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        World { runtime, state, transport, spool }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let world = world();
    let form = if selector & 1 == 0 {
        "kontakt"
    } else {
        "kontakt-nb"
    };
    let kind = if selector & 2 == 0 {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    let request = Request::post(format!("/forms/{form}"))
        .header("content-type", kind)
        .body(Body::from(body.to_vec()))
        .expect("request");
    let status = world
        .runtime
        .block_on(router(world.state.clone()).oneshot(request))
        .map(|r| r.status().as_u16())
        .unwrap_or(599);
    assert!(status < 500, "status {status}");
    world.spool.clear();
    for message in world.transport.take_sent() {
        check_message(&message.raw, &[]);
        assert!(message.to.len() == 1, "one recipient per message here");
    }
});
