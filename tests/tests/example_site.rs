//! The example site as readers get it: it builds cleanly, every page has the right language, every
//! internal link resolves, and the tabular facts on the pages are the ones in the data files.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// Builds the repository's example site once into a temporary folder.
fn site() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let options = guidepost::BuildOptions {
            root: common::repo(),
            out: Some(out.clone()),
            drafts: false,
        };
        if let Err(e) = guidepost::build(&options) {
            panic!("the example site must build without errors:\n{e}");
        }
        (dir, out)
    });
    out
}

fn raw_page(url: &str) -> String {
    fs::read_to_string(site().join(url.trim_start_matches('/')).join("index.html"))
        .unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// A built page without the tables' `data-label` attributes (the narrow-screen labels), so the
/// data checks below match cells as `<td>value</td>`.
fn page(url: &str) -> String {
    let html = raw_page(url);
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find(" data-label=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " data-label=\"".len()..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn data(name: &str) -> Value {
    let text = fs::read_to_string(
        common::repo()
            .join("content/data")
            .join(format!("{name}.yaml")),
    )
    .expect("data file");
    serde_saphyr::from_str(&text).expect("valid YAML")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => html_escape(s),
        other => other.to_string(),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn rows(name: &str) -> Vec<Value> {
    data(name)["rows"].as_array().expect("rows").clone()
}

fn html_pages() -> Vec<PathBuf> {
    common::walkdir(site())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn service_level_table_matches_the_data() {
    let html = page("/stockholm/natverk/servicenivaer/");
    for row in rows("service_levels") {
        let expected = format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            text(&row["id"]),
            text(&row["operating_hours"]),
            text(&row["max_fault_time_per_year"]),
            text(&row["max_repair_time"]),
            text(&row["max_faults_per_year"])
        );
        assert!(html.contains(&expected), "missing row {expected}");
    }
    let s5 = rows("service_levels")
        .into_iter()
        .find(|r| r["id"] == "S5")
        .expect("S5");
    assert!(
        text(&s5["note"]).contains("fiber"),
        "S5 carries the redundant-fibre note"
    );
    assert!(html.contains(&text(&s5["note"])));
}

#[test]
fn connection_type_ranges_and_levels_match_the_data() {
    let html = page("/stockholm/natverk/anslutningstyper/");
    let mut ranges = 0;
    for row in rows("connection_types") {
        if let Some(speed) = row.get("speed").filter(|s| s.is_object()) {
            let (min, max) = (
                speed["min"].as_str().expect("min"),
                speed["max"].as_str().expect("max"),
            );
            let (a, ua) = min.split_once(' ').expect("number unit");
            let (b, ub) = max.split_once(' ').expect("number unit");
            let shown = if ua == ub {
                format!("<td>{a}–{b} {ua}</td>")
            } else {
                format!("<td>{min}–{max}</td>")
            };
            assert!(html.contains(&shown), "missing {shown}");
            ranges += 1;
        }
        if let Some(levels) = row.get("service_levels").and_then(Value::as_array) {
            let shown: Vec<&str> = levels.iter().filter_map(Value::as_str).collect();
            assert!(html.contains(&format!("<td>{}</td>", shown.join(", "))));
        }
    }
    assert_eq!(
        ranges, 2,
        "xDSL 8–30 Mbit/s and symmetric 2 Mbit/s–20 Gbit/s"
    );
    assert!(html.contains("<td>8–30 Mbit/s</td>") && html.contains("<td>2 Mbit/s–20 Gbit/s</td>"));
}

#[test]
fn reminder_days_match_the_data() {
    let html = page("/gavleborg/paminnelser/");
    let days: Vec<String> = rows("gavleborg_reminders")
        .iter()
        .map(|r| text(&r["days_before"]))
        .collect();
    assert_eq!(days, ["90", "30", "7"]);
    for d in days {
        assert!(
            html.contains(&format!("<th scope=\"row\">{d}</th>")),
            "missing reminder {d}"
        );
    }
}

#[test]
fn support_phone_numbers_and_hours_match_the_data() {
    for (name, url) in [
        ("stockholm_support", "/stockholm/support/"),
        ("nhn_support", "/nhn/kundesenter/"),
    ] {
        let html = page(url);
        for row in rows(name) {
            if let Some(phone) = row.get("phone").and_then(Value::as_str) {
                let tel: String = phone
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                assert!(
                    html.contains(&format!("<a href=\"tel:{tel}\">{}</a>", html_escape(phone))),
                    "{url}: phone {phone}"
                );
            }
            if let Some(hours) = row.get("hours").and_then(Value::as_str) {
                assert!(
                    html.contains(&format!("<td>{}</td>", html_escape(hours))),
                    "{url}: hours {hours}"
                );
            }
        }
    }
}

#[test]
fn every_page_has_the_language_of_its_guide() {
    for path in html_pages() {
        let rel = path
            .strip_prefix(site())
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let html = fs::read_to_string(&path).expect("read");
        let expected = match rel.split('/').next().unwrap_or("") {
            "nhn" => "nb",
            "halland" | "gavleborg" | "stockholm" | "tillganglighet" | "kontakt"
            | "personuppgifter" | "sok" | "driftinfo" => "sv",
            _ => "en",
        };
        let redirect = html.contains("http-equiv=\"refresh\"");
        assert!(
            redirect || html.contains(&format!("<html lang=\"{expected}\">")),
            "{rel} should be {expected}"
        );
    }
}

#[test]
fn every_internal_link_resolves() {
    let mut checked = BTreeSet::new();
    for path in html_pages() {
        let html = fs::read_to_string(&path).expect("read");
        for part in html.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap_or("");
            if !href.starts_with('/') {
                continue;
            }
            let target = href.split('#').next().unwrap_or("");
            let file = site().join(target.trim_start_matches('/'));
            let ok = if target.ends_with('/') {
                file.join("index.html").is_file()
            } else {
                file.is_file()
            };
            assert!(
                ok,
                "{} links to {href}, which is not in the build",
                path.display()
            );
            checked.insert(target.to_string());
        }
    }
    assert!(
        checked.len() > 40,
        "the site links its pages together ({} targets)",
        checked.len()
    );
}

#[test]
fn every_page_has_footer_dates_and_editor() {
    for path in html_pages() {
        let html = fs::read_to_string(&path).expect("read");
        if html.contains("http-equiv=\"refresh\"") || path.ends_with("404.html") {
            continue;
        }
        assert!(
            html.contains("<dl class=\"page-info\">")
                && html.matches("<time datetime=").count() >= 2,
            "{}",
            path.display()
        );
    }
}

fn forms_json() -> Value {
    let text = fs::read_to_string(site().join("forms/forms.json")).expect("forms.json");
    serde_json::from_str(&text).expect("forms.json is JSON")
}

fn form_def(id: &str) -> Value {
    forms_json()["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no form {id}"))
        .clone()
}

fn field_def(form: &Value, name: &str) -> Value {
    form["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["fields"].as_array().expect("fields").iter())
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
        .clone()
}

#[test]
fn every_process_the_sources_describe_has_its_form_and_page() {
    let pages: Value = serde_json::from_str(
        &fs::read_to_string(site().join("forms/pages.json")).expect("pages.json"),
    )
    .expect("JSON");
    for (id, url) in [
        ("nhn-domain-new", "nhn/bestill-nytt-domene/"),
        ("nhn-domain-delete", "nhn/bestill-sletting/"),
        ("nhn-domain-transfer", "nhn/bestill-domeneoverforing/"),
        ("nhn-person-register", "nhn/bestill-personregisteret/"),
        ("nhn-move-connection", "nhn/bestill-flytting/"),
        ("nhn-connection-order", "nhn/bestill-tilknytning/"),
        ("nhn-membership-pause", "nhn/bestill-pause/"),
        ("portal-permission", "gavleborg/bestall-behorighet/"),
        ("eservice-card", "stockholm/katalog/bestall-etjanstekort/"),
    ] {
        assert_eq!(pages[id], format!("{url}index.html"), "{id}");
        form_def(id);
    }
}

#[test]
fn every_order_page_names_the_real_route_and_what_its_form_is() {
    let pages: Value = serde_json::from_str(
        &fs::read_to_string(site().join("forms/pages.json")).expect("pages.json"),
    )
    .expect("JSON");
    for (id, file) in pages.as_object().expect("map") {
        let html = fs::read_to_string(site().join(file.as_str().expect("path"))).expect("page");
        let said = html.contains("exempelwebbplatsens egen version och skickar ingenting")
            || html.contains("eksempelnettstedets egen utgave og sender ingenting");
        assert!(said, "{id}: the page does not say what its form is");
    }
}

#[test]
fn moving_fee_and_delivery_time_are_where_the_source_puts_them() {
    let rows = rows("nhn_moving");
    let fee = rows
        .iter()
        .find(|r| r["id"] == "nhn-line")
        .expect("NHN line")["price_nok"]
        .as_u64()
        .expect("fee");
    assert_eq!(fee, 3000);
    let html = page("/nhn/bestill-flytting/");
    assert!(
        html.contains("<td>3000</td>"),
        "the fee table is on the page"
    );
    let form = form_def("nhn-move-connection");
    assert!(
        form["intro"]
            .as_str()
            .expect("intro")
            .contains("3 000 kroner")
    );
    let line = field_def(&form, "line");
    let lines: Vec<&str> = line["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(lines, ["nhn-line", "asp", "own-supplier"]);
    let connection = page("/nhn/tilknytning/");
    let line_section = connection
        .split("id=\"linje\"")
        .nth(1)
        .expect("line section");
    assert!(
        line_section.contains("4–5 uker"),
        "delivery time belongs to own line supplier"
    );
    let ordering = connection
        .split("id=\"bestille\"")
        .nth(1)
        .and_then(|s| s.split("id=\"en-virksomhet\"").next())
        .expect("ordering section");
    assert!(!ordering.contains("4–5 uker"), "no general delivery time");
}

#[test]
fn network_order_routes_by_orderer_and_offers_no_level_where_the_provider_decides() {
    let form = form_def("network-order");
    let connection_type = field_def(&form, "connection_type");
    let options: Vec<&str> = connection_type["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(
        options,
        ["xdsl", "symmetric", "mobile-vpn"],
        "SAM is ordered separately"
    );
    let allowed = form["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["rule"] == "allowed_values")
        .expect("allowed values")["allowed"]
        .clone();
    assert_eq!(allowed["mobile-vpn"], serde_json::json!([]));
    assert_eq!(
        allowed["symmetric"],
        serde_json::json!(["S1", "S2", "S3", "S4", "S5"])
    );
    let routes = form["routing"].to_string();
    assert!(routes.contains("network-own-support") && routes.contains("own-support"));
    let s5 = field_def(&form, "service_level")["options"][4]["label"].clone();
    assert_eq!(s5, "S5 – dygnet runt, som regel med två fiberförbindelser");
}

#[test]
fn hints_carry_no_real_identity_numbers() {
    let json = forms_json().to_string();
    for real in ["974 760 673", "974760673", "556036-0793", "SE2321000016"] {
        assert!(!json.contains(real), "a hint shows {real}");
    }
}

#[test]
fn one_editor_name_per_language() {
    let mut names: std::collections::BTreeMap<&str, BTreeSet<String>> = Default::default();
    for path in html_pages() {
        let html = fs::read_to_string(&path).expect("read");
        let Some(lang) = html
            .split("<html lang=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        let lang = match lang {
            "sv" => "sv",
            "nb" => "nb",
            _ => "en",
        };
        if let Some(editor) = html
            .split("<dd>")
            .skip(1)
            .filter_map(|s| s.split("</dd>").next())
            .find(|s| s.contains("guidepost"))
        {
            names.entry(lang).or_default().insert(editor.to_string());
        }
    }
    for (lang, set) in &names {
        assert_eq!(set.len(), 1, "{lang}: {set:?}");
    }
}

#[test]
fn the_forms_no_longer_said_to_be_missing() {
    for url in [
        "/tillganglighet/",
        "/en/accessibility/",
        "/nhn/tilgjengelighet/",
        "/en/",
    ] {
        let html = page(url);
        for stale in [
            "inte klara än",
            "ikke klare ennå",
            "not ready yet",
            "will be added",
        ] {
            assert!(!html.contains(stale), "{url} still says `{stale}`");
        }
    }
}

#[test]
fn wide_tables_are_stacked_with_a_label_per_cell_and_forms_show_their_privacy_notice() {
    let support = raw_page("/stockholm/support/");
    assert!(
        support.contains("<table class=\"table-stacked\">"),
        "{support}"
    );
    assert!(support.contains("<th scope=\"row\" data-label=\"Support\">"));
    assert!(support.contains("<td data-label=\"Hanterar\">"));
    let order = page("/stockholm/natverk/bestall/");
    let notice = order
        .find("<h2 class=\"privacy-heading\" id=\"privacy-network-order\">Så behandlar vi dina personuppgifter</h2>")
        .expect("privacy notice");
    assert!(notice < order.find("<button type=\"submit\"").expect("button"));
}

#[test]
fn each_language_section_has_a_404_page_in_its_language_linking_to_its_start() {
    for (file, lang, home) in [
        ("404.html", "en", "/"),
        ("stockholm/404.html", "sv", "/stockholm/"),
        ("nhn/404.html", "nb", "/nhn/"),
    ] {
        let html = fs::read_to_string(site().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{file}");
        assert!(
            html.contains(&format!("<p><a href=\"{home}\">")),
            "{file} links to {home}"
        );
    }
}

#[test]
fn the_search_page_lists_every_page_of_its_language_by_section_without_javascript() {
    let sv = raw_page("/sok/");
    let only = |html: &str| {
        let start = html.find("class=\"site-index\"").expect("a site index");
        let end = start + html[start..].find("</section>").expect("its end");
        html[start..end].to_string()
    };
    let index = only(&sv);
    assert!(
        index.contains("<h2 id=\"site-index\">Alla sidor</h2>"),
        "{index}"
    );
    assert!(
        index.contains("<a href=\"/stockholm/natverk/bestall/\">"),
        "{index}"
    );
    assert!(
        !index.contains("href=\"/nhn/"),
        "only Swedish pages: {index}"
    );
    let nb = raw_page("/nhn/sok/");
    let index = only(&nb);
    assert!(index.contains("<a href=\"/nhn/e-post/\">"), "{index}");
    assert!(
        !index.contains("href=\"/stockholm/"),
        "only Norwegian pages: {index}"
    );
    assert!(
        !raw_page("/nhn/e-post/").contains("class=\"site-index\""),
        "only the search page has the index"
    );
}
