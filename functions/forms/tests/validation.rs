//! Validation: a valid submission for every real form; invalid ones give the pinned per-field
//! messages in the form's language; cross-field rules; routing.

mod common;

use common::{real_forms, today, valid_input};
use guidepost_forms::{FieldErrors, Form, RawInput, Value};

fn errors(form: &Form, raw: &RawInput) -> FieldErrors {
    form.validate(raw, today()).expect_err("must be refused")
}

fn only(errors: &FieldErrors, field: &str) -> Vec<String> {
    errors.get(field).to_vec()
}

#[test]
fn a_valid_submission_for_every_real_form() {
    let set = real_forms();
    for form in set.iter() {
        let raw = valid_input(form, &[]);
        let sub = form
            .validate(&raw, today())
            .unwrap_or_else(|e| panic!("{}: {:?}", form.id, e));
        assert_eq!(
            sub.submitter_email(),
            Some("anna@example.se"),
            "{}",
            form.id
        );
        assert_eq!(sub.answers().len(), form.fields().count());
        assert!(form.desks().contains(&form.route(&sub)));
    }
}

#[test]
fn empty_network_order_lists_every_required_field() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    let e = errors(form, &RawInput::default());
    assert_eq!(only(&e, "hsa_id"), ["Fyll i fältet ”Enhetens HSA-id”"]);
    assert_eq!(
        only(&e, "agreement"),
        ["Svara på frågan ”Vilket vårdavtal har enheten?”"]
    );
    assert_eq!(
        only(&e, "connection_type"),
        ["Välj ett alternativ under ”Typ av anslutning”"]
    );
    assert_eq!(only(&e, "contact_email"), ["Fyll i fältet ”E-postadress”"]);
    assert_eq!(
        only(&e, "invoice_orgnr"),
        ["Fyll i fältet ”Organisationsnummer”"]
    );
    assert_eq!(
        only(&e, "documents_accepted"),
        [
            "Svara på frågan ”Har beställaren läst Region Stockholms styrande dokument om informationssäkerhet och lovar att följa dem?”"
        ]
    );
    assert!(
        e.get("ada_number").is_empty()
            && e.get("service_level").is_empty()
            && e.get("capacity").is_empty()
    );
    let json = serde_json::to_value(&e).expect("json");
    assert_eq!(
        json["hsa_id"],
        serde_json::json!(["Fyll i fältet ”Enhetens HSA-id”"])
    );
}

#[test]
fn service_level_and_capacity_depend_on_the_connection_type() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    let raw = valid_input(
        form,
        &[
            ("connection_type", "xdsl"),
            ("service_level", "S4"),
            ("capacity", "100"),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(
        only(&e, "service_level"),
        [
            "S4 – dygnet runt går inte att välja med Asymmetrisk anslutning. Välj något av: S1 – alla dagar 7–18, S2 – vardagar 7–22"
        ]
    );
    assert_eq!(
        only(&e, "capacity"),
        ["För Asymmetrisk anslutning ska kapaciteten vara mellan 8 Mbit/s och 30 Mbit/s"]
    );
    let raw = valid_input(
        form,
        &[
            ("connection_type", "symmetric"),
            ("service_level", "S5"),
            ("capacity", "20"),
            ("capacity_unit", "Gbit/s"),
        ],
    );
    let sub = form.validate(&raw, today()).expect("20 Gbit/s fits fibre");
    assert_eq!(
        sub.get("capacity"),
        Some(&Value::Capacity {
            bps: 20_000_000_000,
            text: "20 Gbit/s".into()
        })
    );
    let raw = valid_input(
        form,
        &[
            ("connection_type", "xdsl"),
            ("service_level", ""),
            ("capacity", ""),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(
        only(&e, "service_level"),
        ["Välj ett alternativ under ”Servicenivå”"]
    );
    assert_eq!(only(&e, "capacity"), ["Fyll i fältet ”Kapacitet”"]);
}

#[test]
fn a_connection_type_without_service_levels_takes_no_level() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    let raw = valid_input(
        form,
        &[
            ("connection_type", "mobile-vpn"),
            ("service_level", "S1"),
            ("capacity", ""),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(
        only(&e, "service_level"),
        [
            "S1 – alla dagar 7–18 går inte att välja med Mobil tjänst för verksamheter. Lämna frågan obesvarad"
        ]
    );
    assert_eq!(e.0.len(), 1);
    let raw = valid_input(
        form,
        &[
            ("connection_type", "mobile-vpn"),
            ("service_level", ""),
            ("capacity", ""),
        ],
    );
    form.validate(&raw, today())
        .expect("the mobile service is ordered without a level");
}

#[test]
fn network_orders_route_by_who_orders() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    for (kind, desk) in [
        ("own-support", "network-own-support"),
        ("private-provider", "network"),
    ] {
        let raw = valid_input(form, &[("orderer_kind", kind)]);
        let sub = form.validate(&raw, today()).expect("valid");
        assert_eq!(form.route(&sub), desk, "{kind}");
    }
}

#[test]
fn required_when_and_must_be_yes() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    let raw = valid_input(
        form,
        &[
            ("agreement", "hsf"),
            ("ada_number", ""),
            ("documents_accepted", "no"),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(only(&e, "ada_number"), ["Fyll i fältet ”ADA-nummer”"]);
    assert_eq!(
        only(&e, "documents_accepted"),
        ["Du behöver svara ja för att kunna skicka"]
    );
    assert_eq!(e.0.len(), 2);
}

#[test]
fn date_bounds_and_format() {
    let set = real_forms();
    let form = set.get("network-order").expect("form");
    let cases = [
        ("2020-01-01", "Datumet får inte ha passerat"),
        ("2029-01-01", "Datumet får vara senast 2028-11-22"),
        ("2027-02-30", "Datumet finns inte"),
        (
            "15/3/2027",
            "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-03-15",
        ),
    ];
    for (typed, expected) in cases {
        let e = errors(form, &valid_input(form, &[("wanted_date", typed)]));
        assert_eq!(only(&e, "wanted_date"), [expected], "{typed}");
    }
    let sub = form
        .validate(
            &valid_input(form, &[("wanted_date", "2028-11-22")]),
            today(),
        )
        .expect("last day");
    assert_eq!(
        sub.get("wanted_date").map(|v| v.as_strings()),
        Some(vec!["2028-11-22".to_string()])
    );
}

#[test]
fn end_date_after_start_date() {
    let set = real_forms();
    let form = set.get("external-account").expect("form");
    let raw = valid_input(
        form,
        &[("start_date", "2027-05-01"), ("end_date", "2027-04-01")],
    );
    assert_eq!(
        only(&errors(form, &raw), "end_date"),
        ["Datumet ska vara senare än det i ”Startdatum”"]
    );
    let raw = valid_input(form, &[("action", "order"), ("start_date", "")]);
    assert_eq!(
        only(&errors(form, &raw), "start_date"),
        ["Fyll i fältet ”Startdatum”"]
    );
}

#[test]
fn identifiers_are_normalised_and_refused_with_reasons() {
    let set = real_forms();
    let form = set.get("external-account").expect("form");
    let sub = form
        .validate(
            &valid_input(form, &[("person_personnummer", " 8112189876 ")]),
            today(),
        )
        .expect("valid");
    assert_eq!(
        sub.get("person_personnummer"),
        Some(&Value::Identifier {
            normalised: "19811218-9876".into(),
            masked: Some("19811218-****".into())
        })
    );
    let e = errors(
        form,
        &valid_input(form, &[("person_personnummer", "811218-9875")]),
    );
    assert_eq!(
        only(&e, "person_personnummer"),
        ["Kontrollsiffran i personnumret stämmer inte; kontrollera att du har skrivit rätt"]
    );
}

#[test]
fn text_email_phone_and_duplicates() {
    let set = real_forms();
    let form = set.get("catalogue-change").expect("form");
    let long = "å".repeat(2049);
    let raw = valid_input(
        form,
        &[
            ("about_us", long.as_str()),
            ("orderer_email", "anna@"),
            ("orderer_phone", "ring mig"),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(
        only(&e, "about_us"),
        ["Texten får vara högst 2048 tecken, nu är den 2049"]
    );
    assert_eq!(
        only(&e, "orderer_email"),
        ["Skriv e-postadressen i rätt format, till exempel namn@exempel.se"]
    );
    assert_eq!(
        only(&e, "orderer_phone"),
        ["Skriv telefonnumret med siffror, till exempel 08-123 456 78 eller +46 8 123 456 78"]
    );
    let mut raw = valid_input(form, &[]);
    raw.0.push(("orderer_name".into(), "Någon annan".into()));
    assert_eq!(
        only(&errors(form, &raw), "orderer_name"),
        ["Fältet skickades mer än en gång; fyll i det igen"]
    );
    let raw = valid_input(form, &[("change_kind", "drop-tables")]);
    assert_eq!(
        only(&errors(form, &raw), "change_kind"),
        ["Välj ett av alternativen"]
    );
}

#[test]
fn catalogue_rules_follow_the_kind_of_change() {
    let set = real_forms();
    let form = set.get("catalogue-change").expect("form");
    let raw = valid_input(
        form,
        &[
            ("change_kind", "person-add"),
            ("person_name", ""),
            ("person_personnummer", ""),
            ("person_email", ""),
        ],
    );
    let e = errors(form, &raw);
    assert_eq!(only(&e, "person_name"), ["Fyll i fältet ”Personens namn”"]);
    assert_eq!(
        only(&e, "person_personnummer"),
        ["Fyll i fältet ”Personens personnummer eller samordningsnummer”"]
    );
    assert_eq!(
        only(&e, "person_email"),
        ["Fyll i fältet ”Personens e-postadress”"]
    );
}
