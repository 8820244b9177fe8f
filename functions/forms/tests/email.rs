//! E-mail: every user value escaped in HTML and kept whole in text; subjects free of user text;
//! receipts carry no text the sender typed (labels of the questions answered only); `to_mime` cannot be made to add a header.

mod common;

use common::{fixture_forms, input, today};
use guidepost_forms::{Email, Envelope, Submission, compose_desk_email, compose_receipt};

const NASTY_NAME: &str = "<script>alert('x')</script>\r\nBcc: evil@example.com";

fn notes() -> String {
    let head = "<script>alert(1)</script>\r\nBcc: evil@example.com\r\n<b>&amp;</b>\n";
    let tail = "å".repeat(10_000 - head.replace("\r\n", "\n").chars().count());
    format!("{head}{tail}")
}

fn nasty_submission() -> (guidepost_forms::FormSet, Submission) {
    let set = fixture_forms();
    let notes = notes();
    let raw = input(&[
        ("name", NASTY_NAME),
        ("email", "ann@example.com"),
        ("pnr", "811218-9876"),
        ("kind", "new"),
        ("connection", "vpn"),
        ("start", "2027-01-01"),
        ("accept", "yes"),
        ("notes", notes.as_str()),
    ]);
    let sub = set
        .get("demo")
        .expect("demo")
        .validate(&raw, today())
        .expect("valid");
    (set, sub)
}

fn envelope(desk: &[String]) -> Envelope<'_> {
    Envelope {
        reference: "GP-7K4M-9QXD",
        submitted_at: "2026-11-22 14:05 CET",
        from: "Guidepost <forms@example.org>",
        desk_to: desk,
    }
}

#[test]
fn desk_email_escapes_html_and_keeps_text_whole() {
    let (set, sub) = nasty_submission();
    let form = set.get("demo").expect("demo");
    let desk = vec!["desk@example.org".to_string()];
    let email = compose_desk_email(form, &sub, &envelope(&desk));
    assert_eq!(email.subject, "Demo order – GP-7K4M-9QXD");
    assert_eq!(email.reply_to.as_deref(), Some("ann@example.com"));
    assert_eq!(email.to, desk);
    assert!(
        !email.html.contains("<script>"),
        "HTML must escape user input"
    );
    assert!(
        email
            .html
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bcc: evil@example.com")
    );
    assert!(email.html.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"));
    let expected_notes = notes().replace("\r\n", "\n");
    assert_eq!(expected_notes.chars().count(), 10_000);
    let indented: String = expected_notes
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    assert!(
        email.text.contains(&indented),
        "the 10,000 characters are all in the text body"
    );
    assert!(email.html.contains(&"å".repeat(9_900)));
    assert!(
        email
            .text
            .contains("Reference: GP-7K4M-9QXD\nSubmitted: 2026-11-22 14:05 CET")
    );
    assert!(
        email
            .text
            .contains("Personal identity number: 19811218-9876")
    );
    let about = email.text.find("About you").expect("group");
    let order = email.text.find("The order").expect("group");
    assert!(about < order, "groups in form order");
    assert!(email.text.contains("Phone number: (not answered)"));
}

#[test]
fn receipt_carries_nothing_the_sender_typed() {
    let (set, sub) = nasty_submission();
    let form = set.get("demo").expect("demo");
    let desk = vec!["desk@example.org".to_string()];
    let receipt =
        compose_receipt(form, &sub, &envelope(&desk)).expect("form has the submitter's e-mail");
    assert_eq!(receipt.to, ["ann@example.com"]);
    assert_eq!(receipt.subject, "Receipt: Demo order (GP-7K4M-9QXD)");
    for typed in [
        "script",
        "alert",
        "evil@example.com",
        "Bcc",
        "19811218",
        "9876",
        "ååå",
        "&amp;amp;",
    ] {
        assert!(
            !receipt.text.contains(typed) && !receipt.html.contains(typed),
            "the receipt repeats `{typed}`"
        );
    }
    assert!(
        receipt.text.contains(
            "You answered these questions\n============================\n- Full name\n- Email address\n- Personal identity number\n- What do you want to do?\n"
        ),
        "{}",
        receipt.text
    );
    assert!(receipt.html.contains("<li>Personal identity number</li>"));
    assert!(
        !receipt.text.contains("- Phone number"),
        "only questions answered"
    );
    assert!(receipt.text.contains(
        "Your answers are not repeated in this message, so that no one else can use the form to send text in our name."
    ));
    assert!(
        receipt
            .text
            .contains("We will get back to you within a week.")
    );
    assert!(receipt.text.contains("GP-7K4M-9QXD"));
    assert!(!receipt.html.contains("<script>"));
    let norsk = set.get("norsk").expect("norsk");
    let raw = input(&[
        ("fnr", "01019012480"),
        ("orgnr", "974760673"),
        ("mobile", "22334455"),
    ]);
    let sub = norsk.validate(&raw, today()).expect("valid");
    assert!(compose_receipt(norsk, &sub, &envelope(&desk)).is_none());
}

/// The header block and the body of a MIME message.
fn split(mime: &str) -> (&str, &str) {
    mime.split_once("\r\n\r\n").expect("headers end")
}

fn assert_no_injected_headers(mime: &str) {
    assert!(mime.is_ascii(), "no raw 8-bit anywhere");
    let (headers, _) = split(mime);
    let names: Vec<&str> = headers
        .split("\r\n")
        .filter(|l| !l.starts_with([' ', '\t']))
        .map(|l| l.split_once(':').expect("a header line").0)
        .collect();
    for name in &names {
        assert!(
            [
                "Message-ID",
                "Date",
                "From",
                "To",
                "Subject",
                "Reply-To",
                "MIME-Version",
                "Content-Type"
            ]
            .contains(name),
            "unexpected header {name} in\n{headers}"
        );
    }
    assert!(!mime.contains("\r\nBcc:") && !mime.contains("\nBcc:") && !mime.contains("\nX-Evil:"));
}

#[test]
fn to_mime_is_multipart_alternative_without_header_injection() {
    let (set, sub) = nasty_submission();
    let form = set.get("demo").expect("demo");
    let desk = vec!["desk@example.org".to_string()];
    let email = compose_desk_email(form, &sub, &envelope(&desk));
    let mime = email.to_mime("<abc123@example.org>", "Sun, 22 Nov 2026 14:05:00 +0100");
    assert_no_injected_headers(&mime);
    assert!(mime.contains("Reply-To: <ann@example.com>"));
    assert!(mime.contains("Message-ID: <abc123@example.org>"));
    assert!(mime.contains("Date: Sun, 22 Nov 2026 14:05:00 +0100"));
    assert!(mime.contains("Content-Type: multipart/alternative"));
    assert!(mime.contains("Content-Type: text/plain; charset=\"utf-8\""));
    assert!(mime.contains("Content-Type: text/html; charset=\"utf-8\""));
    assert!(
        mime.contains("Content-Transfer-Encoding: quoted-printable")
            || mime.contains("Content-Transfer-Encoding: base64")
    );
    assert!(!mime.contains("Content-Transfer-Encoding: 8bit"));
    assert_eq!(
        mime,
        email.to_mime("<abc123@example.org>", "Sun, 22 Nov 2026 14:05:00 +0100"),
        "deterministic"
    );
}

#[test]
fn to_mime_strips_line_breaks_from_every_header_value() {
    let email = Email {
        from: "forms@example.org\r\nX-Evil: 1".into(),
        to: vec!["desk@example.org\nBcc: evil@example.com".into()],
        reply_to: Some("ann@example.com\r\nBcc: evil@example.com".into()),
        subject: "Beställning – GP-7K4M-9QXD\r\nBcc: evil@example.com".into(),
        text: "Hej\n".into(),
        html: "<p>Hej</p>\n".into(),
    };
    let mime = email.to_mime(
        "<id\r\nX-Evil: 2@example.org>",
        "Sun, 22 Nov 2026 14:05:00 +0100\r\nX-Evil: 3",
    );
    assert_no_injected_headers(&mime);
    assert!(
        mime.contains("Subject: =?utf-8?"),
        "non-ASCII subject as encoded-word:\n{mime}"
    );
}

/// `text` with every LF that has no CR before it turned into CRLF: bodies go out with CRLF line ends,
/// and that is what a decoder gives back (a lone CR is kept, encoded).
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Bodies that are awkward to encode: non-ASCII, long and exact-length lines, trailing white space,
/// `=`, every kind of line end, emoji, nothing at all.
fn awkward_bodies() -> Vec<String> {
    let mut bodies: Vec<String> = vec![
        String::new(),
        "Hej\n".into(),
        "Blåbärssylt på smörgåsen, tack!\nÆØÅ æøå ÄÖ äö – hilsen fra Tromsø".into(),
        "rader med mellanslag   \ntabb\t\t\r\nsist \t".into(),
        "= == =3D =\r\n=\n=".into(),
        "CRLF\r\nLF\nlone CR\rCR CR LF\r\r\n\r".into(),
        "emoji 🎉👩‍💻✓ i en rad\n".repeat(30),
        "ø".repeat(600),
        "x".repeat(600),
        format!("{}\n", "Göteborg = Gbg; ".repeat(40)),
        format!("<p style=\"a:b\">{}</p>\n", "æ".repeat(10_000)),
    ];
    for n in [74, 75, 76, 77, 78] {
        for tail in ["", " ", "\t", "=", "å", "🎉", "\r"] {
            let a = "a".repeat(n);
            bodies.push(format!(
                "{a}{tail}\n{a}{tail}\r\n{}{tail}",
                "ä".repeat(n / 2)
            ));
            bodies.push(format!("{}{tail}", "b".repeat(n)));
        }
    }
    bodies
}

/// The lines of each part's body in a message from `to_mime("<abc123@example.org>", …)`.
fn part_body_lines(mime: &str) -> impl Iterator<Item = &str> {
    mime.split("--=_gp_alt_abc123exampleorg")
        .filter_map(|part| part.split_once("\r\n\r\n"))
        .flat_map(|(_, body)| body.split("\r\n"))
}

#[test]
fn to_mime_bodies_decode_back_to_the_input() {
    let parser = mail_parser::MessageParser::default();
    for (n, body) in awkward_bodies().into_iter().enumerate() {
        let email = Email {
            from: "Guidepost <forms@example.org>".into(),
            to: vec!["desk@example.org".into()],
            reply_to: None,
            subject: "Beställning".into(),
            html: format!("<p>{body}</p>"),
            text: body,
        };
        let mime = email.to_mime("<abc123@example.org>", "Sun, 22 Nov 2026 14:05:00 +0100");
        assert!(mime.is_ascii(), "body {n}: no raw 8-bit");
        for line in mime.split("\r\n") {
            let len = line.len();
            assert!(len <= 78, "body {n}: a line of {len}:\n{line}");
            assert!(!line.contains('\n'), "body {n}: a bare LF in {line:?}");
        }
        for line in part_body_lines(&mime) {
            let len = line.len();
            assert!(len <= 76, "body {n}: an encoded line of {len}:\n{line}");
        }
        let message = parser.parse(mime.as_bytes()).expect("a message");
        let parts = message.parts.len();
        assert_eq!(parts, 3, "body {n}: multipart with text and HTML");
        let text = message.body_text(0).expect("a text body");
        assert_eq!(text, crlf(&email.text), "body {n}: text\n{mime}");
        let html = message.body_html(0).expect("an HTML body");
        assert_eq!(html, crlf(&email.html), "body {n}: HTML\n{mime}");
    }
}
