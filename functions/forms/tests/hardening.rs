//! Validation refuses what would be hidden or unsendable: control and invisible characters in any field
//! (named by code point, never echoed), answers that are only invisible characters (empty), addresses
//! the mail service cannot send to (internationalised domains kept in ASCII form), and identity numbers
//! outside the documented layouts.

mod common;

use common::{fixture_forms, input, today};
use guidepost_forms::{Form, FormSet, RawInput, Value};

fn demo(set: &FormSet) -> &Form {
    set.get("demo").expect("demo")
}

/// A valid demo order with `name` set to `value`.
fn with(_form: &Form, name: &str, value: &str) -> RawInput {
    let mut pairs = vec![
        ("name", "Ann"),
        ("email", "ann@example.com"),
        ("kind", "new"),
        ("connection", "vpn"),
        ("start", "2027-01-01"),
        ("accept", "yes"),
    ];
    pairs.retain(|(n, _)| *n != name);
    pairs.push((name, value));
    input(&pairs)
}

fn errors_for(form: &Form, name: &str, value: &str) -> Vec<String> {
    match form.validate(&with(form, name, value), today()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.get(name).to_vec(),
    }
}

#[test]
fn answers_of_only_invisible_characters_count_as_empty() {
    let set = fixture_forms();
    let form = demo(&set);
    for blank in [
        "\u{200B}",
        "\u{FEFF}",
        "\u{AD}",
        "\u{200B}\u{200C}\u{200D} \u{FEFF}",
        "\u{202E}",
    ] {
        assert_eq!(
            errors_for(form, "name", blank),
            ["Tell us your full name"],
            "{blank:?}"
        );
    }
    let sub = form
        .validate(&with(form, "notes", "\u{200B}\n\u{FEFF}"), today())
        .expect("an optional field left invisible is empty");
    assert_eq!(sub.get("notes"), Some(&Value::Empty));
}

#[test]
fn control_and_format_characters_are_refused_in_every_field() {
    let set = fixture_forms();
    let form = demo(&set);
    let cases = [
        ("name", "Ann\u{202E}evil", "U+202E"),
        ("name", "Ann\u{0}", "U+0000"),
        ("notes", "Hej\u{1B}[31m", "U+001B"),
        ("notes", "soft\u{AD}hyphen", "U+00AD"),
        ("email", "ann\u{200B}@example.com", "U+200B"),
        ("pnr", "811218-9876\u{0}", "U+0000"),
        ("pnr", "8112\u{1B}18-9876", "U+001B"),
        ("pnr", "811218-98\u{7F}76", "U+007F"),
        ("orgnr", "\u{FEFF}556036-0793", "U+FEFF"),
        ("start", "2027-01-15\u{2066}", "U+2066"),
    ];
    for (field, typed, code) in cases {
        let errors = errors_for(form, field, typed);
        assert_eq!(
            errors,
            [format!(
                "The answer contains an invisible or control character ({code}). Type it again by hand"
            )],
            "{field}: {typed:?}"
        );
    }
}

#[test]
fn addresses_the_mail_service_refuses_get_their_own_message() {
    let set = fixture_forms();
    let form = demo(&set);
    let local = "The part before @ can only contain the letters a–z, digits and the characters . _ - + ' (no dot first, last or two in a row)";
    let domain = "The part after @ must be a domain name with at least one dot, like example.com";
    for (typed, expected) in [
        (".a@b.com", local),
        ("a..b@c.com", local),
        ("=?x?=@b.com", local),
        ("a@[127.0.0.1]", domain),
        ("a@localhost", domain),
        ("a@b", domain),
        (
            "nobody",
            "Enter an email address in the correct format, like name@example.com",
        ),
    ] {
        assert_eq!(errors_for(form, "email", typed), [expected], "{typed}");
    }
    let sub = form
        .validate(&with(form, "email", "a@räksmörgås.se"), today())
        .expect("an internationalised domain is accepted");
    assert_eq!(sub.submitter_email(), Some("a@xn--rksmrgs-5wao1o.se"));
}

#[test]
fn identity_numbers_outside_the_layouts_are_refused_in_a_form() {
    let set = fixture_forms();
    let form = demo(&set);
    assert!(errors_for(form, "pnr", "811218-9876").is_empty());
    let layout = "Write the personal identity number as YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN (a plus sign instead of the hyphen for people aged 100 or over)";
    for typed in ["811218 - 9876", "-8112189876", "81.12.18-9876"] {
        assert_eq!(errors_for(form, "pnr", typed), [layout], "{typed}");
    }
}
