//! The e-mail composer: fuzz text in the name, message and identity fields of the fixture form (and in
//! the e-mail's local part); whatever validates is composed into the desk mail and the receipt, and each
//! must keep to its own headers with CRLF lines, carry no user text in the subject, no live markup in the
//! HTML part, and go only to the desk or the one address given.
#![no_main]

use guidepost_forms::{Envelope, RawInput, compose_desk_email, compose_receipt};
use guidepost_fuzz::{check_html, check_message, fixture_forms, values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let form = fixture_forms().get("kontakt").expect("kontakt");
    let v = values(data, 4);
    let local: String = v[3]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .take(30)
        .collect();
    let email = format!(
        "{}@example.com",
        if local.is_empty() { "x" } else { &local }
    );
    let input = RawInput(vec![
        ("namn".into(), v[0].clone()),
        ("epost".into(), email.clone()),
        ("personnummer".into(), v[2].clone()),
        ("amne".into(), "annat".into()),
        ("meddelande".into(), v[1].clone()),
    ]);
    let Ok(submission) = form.validate(&input, jiff::civil::date(2026, 11, 22)) else {
        return;
    };
    let desk = vec!["support@desk.example".to_owned()];
    let envelope = Envelope {
        reference: "GP-AAAA-CCCC",
        submitted_at: "2026-11-22 14:05 CET",
        from: "Region <formular@region.example>",
        desk_to: &desk,
    };
    let words: Vec<&str> = v[0]
        .split_whitespace()
        .chain(v[1].split_whitespace())
        .collect();
    let mail = compose_desk_email(form, &submission, &envelope);
    assert_eq!(mail.to, desk);
    check_html(&mail.html);
    check_message(
        &mail.to_mime(
            "<gp-aaaa-cccc.desk@region.example>",
            "Sun, 22 Nov 2026 14:05:00 +0100",
        ),
        &words,
    );
    let receipt =
        compose_receipt(form, &submission, &envelope).expect("the form has the submitter's e-mail");
    assert_eq!(receipt.to, vec![email]);
    check_html(&receipt.html);
    check_message(
        &receipt.to_mime(
            "<gp-aaaa-cccc.receipt@region.example>",
            "Sun, 22 Nov 2026 14:05:00 +0100",
        ),
        &words,
    );
});
