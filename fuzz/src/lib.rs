//! Shared by the fuzz targets: turning fuzz bytes into form values, and the checks a composed message must
//! pass (only the composer's own headers, CRLF line ends, ASCII headers, no user text in the subject, no
//! live markup in the HTML part).

use std::path::Path;
use std::sync::OnceLock;

use guidepost_forms::FormSet;

/// The header names a composed message may carry at the top level.
pub const ALLOWED_HEADERS: [&str; 9] = [
    "message-id",
    "date",
    "from",
    "to",
    "subject",
    "reply-to",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// The handler's fixture forms (`kontakt`, `kontakt-nb`), loaded once.
pub fn fixture_forms() -> &'static FormSet {
    static FORMS: OnceLock<FormSet> = OnceLock::new();
    FORMS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../functions/handler/tests/fixtures/content");
        match guidepost_forms::load_forms(&dir) {
            Ok(forms) => forms,
            Err(errors) => panic!("fixture forms: {} problems", errors.len()),
        }
    })
}

/// Splits fuzz bytes at 0xFF into `n` values (lossy UTF-8; missing ones empty).
pub fn values(data: &[u8], n: usize) -> Vec<String> {
    let mut parts: Vec<String> = data
        .split(|b| *b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    parts.resize(n, String::new());
    parts
}

/// Panics unless `raw` is a safe message whose subject holds none of `user_words`.
pub fn check_message(raw: &str, user_words: &[&str]) {
    let (head, _body) = raw.split_once("\r\n\r\n").expect("a header/body split");
    assert!(head.is_ascii(), "headers must be ASCII");
    let bytes = head.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF in the headers");
        }
        if *b == b'\r' {
            assert!(bytes.get(i + 1) == Some(&b'\n'), "bare CR in the headers");
        }
    }
    let mut subject = String::new();
    let mut in_subject = false;
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if in_subject {
                subject.push_str(line);
            }
            continue;
        }
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            ALLOWED_HEADERS.contains(&name.as_str()),
            "unexpected header line {line:?}"
        );
        in_subject = name == "subject";
        if in_subject {
            subject.push_str(line);
        }
    }
    for word in user_words {
        if word.len() >= 4
            && word.is_ascii()
            && !"Subject Kontakta Kvitto GP-AAAA-CCCC".contains(word)
        {
            assert!(!subject.contains(word), "user text {word:?} in {subject:?}");
        }
    }
}

/// Panics if `html` holds live markup a user could have written.
pub fn check_html(html: &str) {
    let lower = html.to_lowercase();
    for markup in [
        "<script", "<img", "<iframe", "<svg", "<a ", "<style", "<link", "<object",
    ] {
        assert!(!lower.contains(markup), "{markup} in the HTML");
    }
}
