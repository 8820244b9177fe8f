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

fn page(url: &str) -> String {
    fs::read_to_string(site().join(url.trim_start_matches('/')).join("index.html"))
        .unwrap_or_else(|e| panic!("{url}: {e}"))
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
            "halland" | "gavleborg" | "stockholm" | "tillganglighet" | "kvitto" => "sv",
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
