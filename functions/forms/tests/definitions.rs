//! Loading form definitions: every real form in content/forms loads; definition errors are pinned
//! with their file:line:col.

use std::path::{Path, PathBuf};

use guidepost_forms::{FormSet, load_forms};

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The errors of a fixture folder, with paths relative to it.
fn errors_of(name: &str) -> Vec<String> {
    let dir = fixture(name);
    let errors = load_forms(&dir).expect_err("the fixture must fail");
    errors
        .iter()
        .map(|e| e.to_string().replace(&format!("{}/", dir.display()), ""))
        .collect()
}

#[test]
fn every_real_form_loads() {
    let set = load_forms(&content_dir()).unwrap_or_else(|errors| {
        let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", report.join("\n"))
    });
    let ids: Vec<&str> = set.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "catalogue-change",
            "eservice-card",
            "external-account",
            "network-order",
            "nhn-connection-order",
            "nhn-domain-delete",
            "nhn-domain-new",
            "nhn-domain-registrar",
            "nhn-domain-transfer",
            "nhn-email-account",
            "nhn-home-office",
            "nhn-membership-pause",
            "nhn-move-connection",
            "nhn-person-register",
            "portal-permission",
            "sam-authorisation"
        ]
    );
    for form in set.iter() {
        assert!(!form.desks().is_empty(), "{} has no desk", form.id);
        assert!(
            form.submitter_email.is_some(),
            "{} has no submitter e-mail",
            form.id
        );
    }
}

#[test]
fn desks_of_the_real_forms() {
    let set = load_forms(&content_dir()).expect("loads");
    let desks: Vec<(String, Vec<&str>)> = set.iter().map(|f| (f.id.clone(), f.desks())).collect();
    let expected = [
        ("catalogue-change", vec!["catalogue"]),
        ("eservice-card", vec!["cards"]),
        ("external-account", vec!["accounts"]),
        ("network-order", vec!["network", "network-own-support"]),
        ("nhn-connection-order", vec!["nhn-customer-centre"]),
        ("nhn-domain-delete", vec!["nhn-customer-centre"]),
        ("nhn-domain-new", vec!["nhn-customer-centre"]),
        ("nhn-domain-registrar", vec!["nhn-customer-centre"]),
        ("nhn-domain-transfer", vec!["nhn-customer-centre"]),
        ("nhn-email-account", vec!["nhn-customer-centre"]),
        ("nhn-home-office", vec!["nhn-customer-centre"]),
        ("nhn-membership-pause", vec!["nhn-customer-centre"]),
        ("nhn-move-connection", vec!["nhn-customer-centre"]),
        ("nhn-person-register", vec!["nhn-customer-centre"]),
        ("portal-permission", vec!["accounts"]),
        ("sam-authorisation", vec!["network"]),
    ];
    let expected: Vec<(String, Vec<&str>)> = expected
        .into_iter()
        .map(|(id, d)| (id.to_string(), d))
        .collect();
    assert_eq!(desks, expected);
}

#[test]
fn data_files_are_resolved_into_the_set() {
    let set = load_forms(&content_dir()).expect("loads");
    let json = set.to_json().expect("json");
    let back = FormSet::from_json(&json).expect("round trip");
    assert_eq!(back.to_json().expect("json"), json, "JSON is stable");
    let order = set.get("network-order").expect("network-order");
    let serialized = serde_json::to_value(order).expect("json");
    let rules = serialized["rules"].as_array().expect("rules");
    let range = rules
        .iter()
        .find(|r| r["rule"] == "capacity_range")
        .expect("capacity range");
    assert_eq!(range["ranges"]["xdsl"]["min_bps"], 8_000_000);
    assert_eq!(range["ranges"]["symmetric"]["max_bps"], 20_000_000_000u64);
    let allowed = rules
        .iter()
        .find(|r| r["rule"] == "allowed_values")
        .expect("allowed values");
    assert_eq!(allowed["allowed"]["xdsl"], serde_json::json!(["S1", "S2"]));
    assert_eq!(
        allowed["allowed"]["mobile-vpn"],
        serde_json::json!([]),
        "a data row without service levels leaves no level to choose"
    );
    let catalogue = set.get("catalogue-change").expect("catalogue-change");
    let limits: Vec<u32> = ["outer_route", "inner_route", "about_us"]
        .iter()
        .map(|n| match &catalogue.field(n).expect("field").kind {
            guidepost_forms::FieldKind::LongText { max_chars } => *max_chars,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(limits, [1024, 1024, 2048]);
}

#[test]
fn fixture_forms_load() {
    let set = load_forms(&fixture("content")).unwrap_or_else(|errors| {
        let report: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("{}", report.join("\n"))
    });
    assert_eq!(set.iter().count(), 2);
}

#[test]
fn unknown_key_is_pinned() {
    assert_eq!(
        errors_of("bad-unknown-key"),
        [
            "forms/typo.yaml:8:9: unknown key `lable` (did you mean `label`? expected one of: name, label, hint, type, optional, autocomplete, max_chars, max_chars_from, style, options, options_from, not_in_past, max_ahead, error)"
        ]
    );
}

#[test]
fn unknown_field_in_rule_and_unknown_data_file_are_pinned() {
    assert_eq!(
        errors_of("bad-references"),
        [
            "forms/refs.yaml:4:5: id `refs-form` does not match the file name `refs.yaml`",
            "forms/refs.yaml:22:14: unknown field `kind_of_thing` (fields: kind, when_start, when_end)",
            "forms/refs.yaml:24:25: field `kind` is not a date field",
            "forms/refs.yaml:25:59: unknown data file `conection_types` (data files: connection_types)",
            "forms/refs.yaml:27:5: the last route must have no `when`: it is the default",
        ]
    );
}

#[test]
fn shape_errors_are_pinned() {
    assert_eq!(
        errors_of("bad-shapes"),
        [
            "forms/a-missing.yaml:1:1: missing required key `receipt`",
            "forms/b-keys.yaml:9:18: key `options` does not apply to a field of type `text`",
            "forms/b-keys.yaml:12:15: field `name` is defined twice",
            "forms/b-keys.yaml:15:15: field name `website` is reserved for the hidden spam trap",
            "forms/b-keys.yaml:19:20: `2 fortnights` is not a span like `2 years`, `6 months` or `30 days`",
            "forms/c-type.yaml:8:43: unknown value `number` (expected one of: text, long_text, email, phone, date, choice, yes_no, capacity, personnummer, organisationsnummer, hsa_id, fodselsnummer, fh_number, organisasjonsnummer)",
        ]
    );
}
