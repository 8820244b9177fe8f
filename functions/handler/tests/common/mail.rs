//! Checks on a composed message: only the headers the composer writes, each on its own CRLF line; the
//! envelope recipients in `To`; no user text in the subject; no live markup in the HTML part.

/// The header names a composed message may carry (top level).
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

/// Panics, naming `context`, unless `raw` is a safe message to `to` whose subject holds none of
/// `not_in_subject`.
pub fn assert_safe_mail(raw: &str, to: &[String], not_in_subject: &[&str], context: &str) {
    let (head, _) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{context}: no header/body split"));
    for (i, c) in head.char_indices() {
        let before = head[..i].chars().last();
        let after = head[i + c.len_utf8()..].chars().next();
        assert!(
            !(c == '\n' && before != Some('\r') || c == '\r' && after != Some('\n')),
            "{context}: a bare CR or LF in the headers:\n{head}"
        );
    }
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            ALLOWED_HEADERS.contains(&name.as_str()),
            "{context}: unexpected header line {line:?}"
        );
    }
    assert!(
        head.is_ascii(),
        "{context}: headers must be ASCII (encoded words)"
    );
    let parsed = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap_or_else(|| panic!("{context}: does not parse"));
    let mut seen: Vec<String> = parsed
        .to()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.address().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    seen.sort();
    let mut expected = to.to_vec();
    expected.sort();
    assert_eq!(seen, expected, "{context}: To differs from the envelope");
    assert!(
        parsed.bcc().is_none() && parsed.cc().is_none(),
        "{context}: Cc/Bcc"
    );
    let subject = parsed.subject().unwrap_or_default();
    for text in not_in_subject {
        assert!(
            !subject.contains(text),
            "{context}: {text:?} in the subject {subject:?}"
        );
    }
    let html = parsed
        .body_html(0)
        .map(|h| h.into_owned())
        .unwrap_or_default();
    let lower = html.to_lowercase();
    for markup in ["<script", "<img", "<iframe", "<svg", "<a "] {
        assert!(
            !lower.contains(markup),
            "{context}: {markup} in the HTML part"
        );
    }
}
