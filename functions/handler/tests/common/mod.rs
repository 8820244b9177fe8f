//! Shared test setup: the fixture forms, a desk book, a page with form markers, a recording transport and a
//! spool in a temporary folder, and small request helpers.
#![allow(dead_code, missing_docs)]

pub mod mail;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, Response, header};
use guidepost_forms::{FormSet, form_markers, load_forms};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::spool::{DynSpool, FolderSpool};
use guidepost_handler::transport::{DynTransport, RecordingTransport};
use guidepost_handler::{AppState, Settings, router};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tracing_subscriber::fmt::MakeWriter;

/// The fixture content folder (two small forms).
pub fn fixture_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// The fixture forms, loaded with the forms crate's own loader.
pub fn fixture_forms() -> FormSet {
    match load_forms(&fixture_content()) {
        Ok(forms) => forms,
        Err(errors) => {
            let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("fixture forms do not load:\n{}", report.join("\n"))
        }
    }
}

pub const DESKS_JSON: &str = r#"{
  "natverk": "natverk@desk.example",
  "support": ["support@desk.example"],
  "bestilling": "bestilling@desk.example"
}"#;

pub fn desks() -> DeskBook {
    DeskBook::parse(DESKS_JSON, false, Path::new("desks.json")).expect("desks parse")
}

/// A built page for form `kontakt` with the markers around a placeholder form.
pub fn kontakt_page() -> String {
    let (start, end) = form_markers("kontakt");
    format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<title>Kontakta oss – Region</title>\n\
         <link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<header>SITE HEADER</header>\n\
         <main>\n<h1>Kontakta nätverksgruppen</h1>\n{start}<form>PLACEHOLDER FORM</form>{end}\n</main>\n\
         <footer>SITE FOOTER</footer>\n</body>\n</html>\n"
    )
}

/// A test world: the state plus handles on its fake transport and spool folder.
pub struct World {
    pub state: AppState,
    pub transport: RecordingTransport,
    pub spool_dir: PathBuf,
    _temp: tempfile::TempDir,
}

impl World {
    pub fn new() -> World {
        World::with_transport(RecordingTransport::new())
    }

    pub fn with_transport(transport: RecordingTransport) -> World {
        let recorder = transport.clone();
        World::build(|_| Arc::new(transport), recorder)
    }

    /// A world whose state sends through the transport `make` builds from the spool folder's path;
    /// `recorder` is what `World::transport` returns.
    pub fn build(
        make: impl FnOnce(&Path) -> Arc<dyn DynTransport>,
        recorder: RecordingTransport,
    ) -> World {
        World::build_with(
            make,
            recorder,
            Settings::development().expect("development settings"),
        )
    }

    /// A world with a recording transport and the given settings.
    pub fn with_settings(transport: RecordingTransport, settings: Settings) -> World {
        let recorder = transport.clone();
        World::build_with(|_| Arc::new(transport), recorder, settings)
    }

    pub fn build_with(
        make: impl FnOnce(&Path) -> Arc<dyn DynTransport>,
        recorder: RecordingTransport,
        settings: Settings,
    ) -> World {
        let temp = tempfile::tempdir().expect("tempdir");
        let spool_dir = temp.path().join("spool");
        let transport = make(&spool_dir);
        let spool: Arc<dyn DynSpool> = Arc::new(FolderSpool::new(&spool_dir));
        let pages = FormPages::from_html(BTreeMap::from([("kontakt".to_owned(), kontakt_page())]));
        let state = AppState::new(fixture_forms(), desks(), pages, transport, spool, settings)
            .expect("state");
        World {
            state,
            transport: recorder,
            spool_dir,
            _temp: temp,
        }
    }

    /// The spool's pending entry files (sorted names).
    pub fn spooled(&self) -> Vec<String> {
        spooled_in(&self.pending_dir())
    }

    /// The folder of the pending entries.
    pub fn pending_dir(&self) -> PathBuf {
        self.spool_dir.join("pending")
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = router(self.state.clone())
            .oneshot(request)
            .await
            .expect("infallible");
        Answer::read(response).await
    }
}

pub fn spooled_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// A response read whole.
pub struct Answer {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub async fn read(response: Response<Body>) -> Answer {
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// `POST path` with an urlencoded body made from `pairs`.
pub fn form_post(path: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    raw_post(path, "application/x-www-form-urlencoded", body.into_bytes())
}

/// `POST path` with a JSON body.
pub fn json_post(path: &str, body: &serde_json::Value) -> Request<Body> {
    raw_post(path, "application/json", body.to_string().into_bytes())
}

/// `POST path` with any content type and bytes.
pub fn raw_post(path: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request")
}

/// A valid `kontakt` submission (Tolvan Tolvansson's well-known test personnummer).
pub fn kontakt_valid() -> Vec<(&'static str, &'static str)> {
    vec![
        ("namn", "Åsa Öberg"),
        ("epost", "asa.oberg@example.com"),
        ("personnummer", "19121212-1212"),
        ("amne", "natverk"),
        ("meddelande", "Länken till Gävle går ner varje natt."),
    ]
}

/// Log output captured from a JSON subscriber.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    pub fn lines(&self) -> Vec<serde_json::Value> {
        let text = String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf-8 log");
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf-8 log")
    }
}

pub fn json_logger(captured: &Captured) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish()
}

/// Runs `work` with JSON logs captured; returns its output and the log text.
pub async fn capture_logs<T>(work: impl std::future::Future<Output = T>) -> (T, String) {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(json_logger(&captured));
    let out = work.await;
    (out, captured.text())
}

/// Settings that retry and redeliver at once, with a short budget (tests of delivery and its faults).
pub fn quick_settings() -> Settings {
    Settings {
        retry: guidepost_handler::policy::RetryPolicy {
            budget: std::time::Duration::from_millis(500),
            attempt_timeout: std::time::Duration::from_millis(200),
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
            max_attempts: 6,
        },
        redelivery: guidepost_handler::policy::RedeliveryPolicy {
            min_age: std::time::Duration::ZERO,
            ..guidepost_handler::policy::RedeliveryPolicy::default()
        },
        ..Settings::development().expect("development settings")
    }
}

/// [`kontakt_valid`] with another submitter address and message.
pub fn kontakt_with(
    message: &'static str,
    address: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut pairs = kontakt_valid();
    pairs[1] = ("epost", address);
    pairs[4] = ("meddelande", message);
    pairs
}

/// The reference in a receipt address `/forms/{form}/receipt?ref=GP-…#receipt` (panics on any other shape).
pub fn reference_in_receipt(location: &str, form: &str) -> String {
    let prefix = format!("/forms/{form}/receipt?ref=");
    let reference = location
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix("#receipt"))
        .unwrap_or_else(|| panic!("{location} is not {prefix}…#receipt"));
    assert!(guidepost_forms::is_reference(reference), "{reference}");
    reference.to_owned()
}
