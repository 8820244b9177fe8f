//! Validation on the fixture forms: English and Norwegian messages, every field type, checkbox
//! order, capacity units, routing on field values.

mod common;

use common::{fixture_forms, input, today};
use guidepost_forms::{FieldErrors, Form, RawInput, Value};

fn errors(form: &Form, raw: &RawInput) -> FieldErrors {
    form.validate(raw, today()).expect_err("must be refused")
}

fn only(errors: &FieldErrors, field: &str) -> Vec<String> {
    errors.get(field).to_vec()
}

#[test]
fn english_fixture_routes_and_messages() {
    let set = fixture_forms();
    let form = set.get("demo").expect("demo");
    let base = [
        ("name", "Ann"),
        ("email", "ann@example.com"),
        ("kind", "new"),
        ("connection", "vpn"),
        ("start", "2027-01-01"),
        ("accept", "yes"),
    ];
    let sub = form.validate(&input(&base), today()).expect("minimal");
    assert_eq!(form.route(&sub), "orders");
    let mut cancel = base.to_vec();
    cancel.retain(|(k, _)| *k != "kind");
    cancel.extend([("kind", "cancel"), ("reason", "Moving")]);
    assert_eq!(
        form.route(&form.validate(&input(&cancel), today()).expect("cancel")),
        "cancellations"
    );
    let mut advice = base.to_vec();
    advice.extend([
        ("extras", "advice"),
        ("extras", "router"),
        ("extras", "advice"),
    ]);
    let e = errors(form, &input(&advice));
    assert_eq!(only(&e, "phone"), ["Fill in “Phone number”"]);
    advice.push(("phone", "+46 8 123 456 78"));
    let sub = form.validate(&input(&advice), today()).expect("advice");
    assert_eq!(
        sub.get("extras"),
        Some(&Value::Choices(vec!["router".into(), "advice".into()]))
    );
    assert_eq!(form.route(&sub), "advice");
    assert_eq!(form.desks(), ["advice", "cancellations", "orders"]);
}

#[test]
fn english_fixture_capacity_and_yes_no() {
    let set = fixture_forms();
    let form = set.get("demo").expect("demo");
    let base = [
        ("name", "Ann"),
        ("email", "ann@example.com"),
        ("kind", "new"),
        ("connection", "fibre"),
        ("start", "2027-01-01"),
    ];
    let mut raw = base.to_vec();
    raw.extend([
        ("capacity", "2,5"),
        ("capacity_unit", "Gbit/s"),
        ("accept", "no"),
        ("level", "S5"),
    ]);
    let e = errors(form, &input(&raw));
    assert_eq!(
        only(&e, "accept"),
        ["You need to answer yes to send the form"]
    );
    raw.retain(|(k, _)| *k != "accept");
    let e = errors(form, &input(&raw));
    assert_eq!(
        only(&e, "accept"),
        ["Answer the question “Do you accept the terms?”"]
    );
    raw.push(("accept", "yes"));
    let sub = form.validate(&input(&raw), today()).expect("valid");
    assert_eq!(
        sub.get("capacity"),
        Some(&Value::Capacity {
            bps: 2_500_000_000,
            text: "2.5 Gbit/s".into()
        })
    );
    for (number, unit, expected) in [
        ("abc", "Mbit/s", "Enter a number in digits, like 100 or 2.5"),
        ("10", "furlongs", "Select a unit: kbit/s, Mbit/s or Gbit/s"),
        ("0", "Mbit/s", "Enter a number in digits, like 100 or 2.5"),
    ] {
        let mut bad = base.to_vec();
        bad.extend([
            ("capacity", number),
            ("capacity_unit", unit),
            ("accept", "yes"),
        ]);
        assert_eq!(
            only(&errors(form, &input(&bad)), "capacity"),
            [expected],
            "{number} {unit}"
        );
    }
    let mut long = base.to_vec();
    let text = "x".repeat(101);
    long.extend([("accept", "yes"), ("card_text", text.as_str())]);
    assert_eq!(
        only(&errors(form, &input(&long)), "card_text"),
        ["The text must be 100 characters or fewer; it has 101"]
    );
}

#[test]
fn norwegian_fixture_messages() {
    let set = fixture_forms();
    let form = set.get("norsk").expect("norsk");
    let e = errors(
        form,
        &input(&[
            ("fnr", "01019012481"),
            ("orgnr", "97476067"),
            ("fh", "70000000098"),
        ]),
    );
    assert_eq!(
        only(&e, "fnr"),
        ["Kontrollsifferet i fødselsnummeret stemmer ikke; sjekk at du har skrevet riktig"]
    );
    assert_eq!(
        only(&e, "orgnr"),
        ["Organisasjonsnummeret skal ha 9 sifre, du har skrevet 8"]
    );
    assert_eq!(
        only(&e, "fh"),
        ["FH-nummeret begynner alltid med 8 eller 9"]
    );
    assert_eq!(only(&e, "mobile"), ["Fyll ut feltet «Mobilnummer»"]);
    let sub = form
        .validate(
            &input(&[
                ("fnr", "010190 12480"),
                ("orgnr", "974 760 673"),
                ("mobile", "+47 22 33 44 55"),
                ("fh", "80000000098"),
            ]),
            today(),
        )
        .expect("valid");
    assert_eq!(sub.submitter_email(), None);
    assert_eq!(
        sub.get("fnr"),
        Some(&Value::Identifier {
            normalised: "01019012480".into(),
            masked: Some("010190*****".into())
        })
    );
}
