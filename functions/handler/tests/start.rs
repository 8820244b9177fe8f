//! Starting up: the state from a config and the files the generator wrote, the desk check, the `.eml`
//! folder transport, and the local server over a real socket.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::*;
use guidepost_forms::{form_markers, load_forms};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::spool::FolderSpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Config, Settings, StartError, serve_local};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Writes what the generator would: `public/forms/forms.json` and `public/forms/pages.json` + the page.
fn write_site(root: &Path) {
    let public = root.join("public");
    std::fs::create_dir_all(public.join("forms")).expect("mkdir");
    std::fs::create_dir_all(public.join("kontakt")).expect("mkdir");
    std::fs::write(
        public.join("forms/forms.json"),
        fixture_forms().to_json().expect("forms json"),
    )
    .expect("forms.json");
    std::fs::write(
        public.join("forms/pages.json"),
        r#"{"kontakt": "kontakt/index.html"}"#,
    )
    .expect("pages.json");
    std::fs::write(public.join("kontakt/index.html"), kontakt_page()).expect("page");
}

/// The bundled example desk file, named explicitly (the function has no fallback to it).
fn example_desks() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/desks.example.json").to_owned()
}

/// The site, mail and spool variables for a site written below `root`.
fn site_vars(root: &Path) -> BTreeMap<&'static str, String> {
    let at = |rel: &str| root.join(rel).display().to_string();
    BTreeMap::from([
        ("GUIDEPOST_FORMS", at("public/forms/forms.json")),
        ("GUIDEPOST_SITE_DIR", at("public")),
        ("GUIDEPOST_MAIL_DIR", at("mail")),
        ("GUIDEPOST_SPOOL_DIR", at("spool")),
    ])
}

fn config_for(root: &Path, extra: &[(&str, String)]) -> Config {
    let mut vars = site_vars(root);
    vars.insert("GUIDEPOST_DESKS", example_desks());
    vars.extend(extra.iter().cloned());
    Config::from_lookup(|k| vars.get(k).cloned()).expect("config")
}

/// Sends one raw HTTP/1.1 request and returns the whole answer.
async fn http(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn the_local_server_takes_a_post_and_writes_eml_files() {
    let temp = tempfile::tempdir().expect("tempdir");
    write_site(temp.path());
    let desks = temp.path().join("desks.yaml");
    std::fs::write(&desks, "natverk: natverk@desk.example\nsupport: support@desk.example\nbestilling: b@desk.example\n")
        .expect("desks");
    let config = config_for(
        temp.path(),
        &[("GUIDEPOST_DESKS", desks.display().to_string())],
    );
    let state = AppState::from_config(&config).await.expect("state");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(serve_local(listener, state));

    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kontakt_valid())
        .append_pair("gp_elapsed_ms", "5000")
        .finish();
    let request = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = http(addr, &request).await;
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let location = answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .expect("location")
        .trim();
    let reference = reference_in_receipt(location, "kontakt");

    let mut files = spooled_in(&temp.path().join("mail"));
    files.sort();
    assert_eq!(
        files,
        vec![
            format!("{reference}-desk.eml"),
            format!("{reference}-receipt.eml")
        ]
    );
    let desk_mail = std::fs::read_to_string(temp.path().join("mail").join(&files[0])).expect("eml");
    let parsed = mail_parser::MessageParser::default()
        .parse(desk_mail.as_bytes())
        .expect("parses as mail");
    assert!(
        parsed
            .subject()
            .is_some_and(|s| s.contains(&reference) && s.contains("Kontakta nätverksgruppen"))
    );
    assert!(spooled_in(&temp.path().join("spool/pending")).is_empty());

    let invalid = "namn=%C3%85sa";
    let request = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{invalid}",
        invalid.len()
    );
    let answer = http(addr, &request).await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(
        answer.contains("<title>Fel: Kontakta oss – Region</title>")
            && answer.contains("SITE FOOTER")
    );
    server.abort();
}

#[tokio::test]
async fn the_bundled_example_desks_are_used_without_guidepost_desks() {
    let temp = tempfile::tempdir().expect("tempdir");
    write_site(temp.path());
    let content = load_forms(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content"))
        .map_err(|e| e.len());
    let content = content.expect("content/forms loads");
    std::fs::write(
        temp.path().join("public/forms/forms.json"),
        content.to_json().expect("forms json"),
    )
    .expect("forms.json");
    std::fs::remove_file(temp.path().join("public/forms/pages.json")).expect("no pages");
    // The content's account form needs a link key: without one the start fails and says what to set.
    let keyless = AppState::from_config(&config_for(temp.path(), &[])).await;
    assert_eq!(
        keyless.err().map(|e| e.to_string()).as_deref(),
        Some(
            "a form orders accounts (it has an `account:` key) but no link key is set: set \
             GUIDEPOST_ACCOUNT_KEY (at least 32 bytes, e.g. `openssl rand -hex 32`) or \
             GUIDEPOST_ACCOUNT_KEY_FILE"
        )
    );
    let register = temp.path().join("register").display().to_string();
    let vars = [
        (
            "GUIDEPOST_ACCOUNT_KEY",
            "a start test key of 32 bytes or more".to_owned(),
        ),
        ("GUIDEPOST_REGISTER_DIR", register),
    ];
    let state = AppState::from_config(&config_for(temp.path(), &vars)).await;
    // Every desk the content forms route to is in desks.example.json (GUIDEPOST_DESKS names it).
    assert!(state.is_ok(), "{:?}", state.err());
    assert!(state.is_ok_and(|s| s.accounts().is_some()));
}

#[tokio::test]
async fn start_fails_when_a_desk_has_no_address() {
    let book = DeskBook::parse(
        r#"{"natverk": "n@desk.example"}"#,
        false,
        Path::new("desks.json"),
    )
    .expect("book");
    let result = AppState::new(
        fixture_forms(),
        book,
        FormPages::none(),
        Arc::new(RecordingTransport::new()),
        Arc::new(FolderSpool::new("unused")),
        Settings::development().expect("development settings"),
    );
    let err = result.err().expect("missing desks refused");
    assert_eq!(
        err.to_string(),
        "no address for desk(s) `bestilling`, `support`: add them to the desk file (GUIDEPOST_DESKS)"
    );
}

#[tokio::test]
async fn start_fails_on_missing_or_broken_generator_files() {
    let temp = tempfile::tempdir().expect("tempdir");
    let config = config_for(temp.path(), &[]);
    let err = AppState::from_config(&config)
        .await
        .err()
        .expect("no forms.json");
    assert!(matches!(err, StartError::FormsRead { .. }), "{err}");

    write_site(temp.path());
    let (start, _) = form_markers("kontakt");
    std::fs::write(
        temp.path().join("public/kontakt/index.html"),
        "<html>no markers</html>",
    )
    .expect("page");
    let err = AppState::from_config(&config)
        .await
        .err()
        .expect("page without markers");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no `{start}` … end marker pair for form `kontakt`",
            temp.path().join("public/kontakt/index.html").display()
        )
    );

    std::fs::write(
        temp.path().join("public/forms/pages.json"),
        r#"{"kontakt": "../../etc/passwd"}"#,
    )
    .expect("pages");
    let err = AppState::from_config(&config)
        .await
        .err()
        .expect("page outside the site");
    assert!(
        err.to_string().contains("is not a path inside the site"),
        "{err}"
    );

    std::fs::write(temp.path().join("public/forms/forms.json"), "[not json").expect("forms");
    let err = AppState::from_config(&config)
        .await
        .err()
        .expect("bad forms.json");
    assert!(matches!(err, StartError::FormsJson { .. }), "{err}");
}

/// The site's own desks (forms/desks.json from content/desks.yaml) are used without a desk variable; a
/// deployment's override replaces the addresses of the desks it names and may not name others.
#[tokio::test]
async fn the_sites_desks_are_used_and_an_override_may_only_change_their_addresses() {
    use tower::ServiceExt;
    let temp = tempfile::tempdir().expect("tempdir");
    write_site(temp.path());
    std::fs::write(
        temp.path().join("public/forms/desks.json"),
        r#"{"natverk": {"name": "Nät", "addresses": ["natverk@content.example"]},
            "support": {"name": "Support", "addresses": ["support@content.example"]},
            "bestilling": {"name": "Bestilling", "addresses": ["bestilling@content.example"]}}"#,
    )
    .expect("desks.json");
    let config = |extra: &[(&str, &str)]| {
        let mut vars = site_vars(temp.path());
        vars.insert("GUIDEPOST_MIN_FILL_MS", "0".to_owned());
        vars.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        Config::from_lookup(|k| vars.get(k).cloned()).expect("config")
    };
    let mail = temp.path().join("mail");
    let desk_mail_to = |state: AppState, message: &'static str| {
        let mail = mail.clone();
        async move {
            let pairs = kontakt_with(message, "ada@example.org");
            let answer = guidepost_handler::router(state)
                .oneshot(form_post("/forms/kontakt", &pairs))
                .await
                .expect("answer");
            assert_eq!(answer.status(), 303);
            let desk = std::fs::read_dir(&mail)
                .expect("mail")
                .filter_map(Result::ok)
                .map(|e| std::fs::read_to_string(e.path()).expect("eml"))
                .filter(|text| text.contains(message))
                .find(|text| !text.contains("To: ada@example.org"))
                .expect("the desk mail");
            desk.lines()
                .find(|l| l.starts_with("To: "))
                .expect("To")
                .to_owned()
        }
    };
    let own = AppState::from_config(&config(&[]))
        .await
        .expect("the site's desks");
    assert!(
        desk_mail_to(own, "Natet svarar inte, fraga 1")
            .await
            .contains("@content.example")
    );
    let over = config(&[(
        "GUIDEPOST_DESKS_JSON",
        r#"{"natverk": "natverk@region.example", "support": "s@region.example"}"#,
    )]);
    let overridden = AppState::from_config(&over).await.expect("override");
    let to = desk_mail_to(overridden, "Natet svarar inte, fraga 2").await;
    assert!(to.contains("@region.example"), "{to}");
    let typo = config(&[(
        "GUIDEPOST_DESKS_JSON",
        r#"{"natvrek": "natverk@region.example"}"#,
    )]);
    let refused = AppState::from_config(&typo)
        .await
        .err()
        .expect("an unknown desk");
    assert_eq!(
        refused.to_string(),
        "the desk override (GUIDEPOST_DESKS_JSON) names desk(s) the site's content/desks.yaml does not \
         list: `natvrek`; it may only change the addresses of the listed desks (bestilling, natverk, support)"
    );
}
