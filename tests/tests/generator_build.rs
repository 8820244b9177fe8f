//! The build's output on the base fixture: determinism, URLs, languages, aliases, sitemap, sanitising.

mod common;

use std::fs;

use guidepost::BuildOptions;

fn build(root: &std::path::Path) -> guidepost::Summary {
    let options = BuildOptions {
        root: root.to_path_buf(),
        out: Some(root.join("public")),
        drafts: false,
    };
    guidepost::build(&options).expect("fixture builds")
}

fn read(root: &std::path::Path, path: &str) -> String {
    fs::read_to_string(root.join("public").join(path)).expect(path)
}

#[test]
fn two_builds_are_byte_identical() {
    let site = common::fixture_site();
    build(site.path());
    let first = common::snapshot(&site.path().join("public"));
    build(site.path());
    assert_eq!(common::snapshot(&site.path().join("public")), first);
    assert!(
        first.len() > 8,
        "pages, sitemap, robots, 404, css: {:?}",
        first.keys()
    );
}

#[test]
fn summary_counts_what_was_built() {
    let site = common::fixture_site();
    let s = build(site.path());
    assert_eq!(
        (s.pages, s.sections, s.languages, s.data_files),
        (2, 2, 2, 1)
    );
}

#[test]
fn pages_get_pretty_urls_languages_and_resolved_links() {
    let site = common::fixture_site();
    build(site.path());
    let home = read(site.path(), "index.html");
    assert!(home.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        home.contains("href=\"/natverk/servicenivaer/#s5\""),
        "{home}"
    );
    let levels = read(site.path(), "natverk/servicenivaer/index.html");
    assert!(
        levels.contains("<html lang=\"sv\">"),
        "lang is inherited from the section"
    );
    assert!(levels.contains(
        "<link rel=\"canonical\" href=\"https://guidepost.example/natverk/servicenivaer/\">"
    ));
    assert!(
        levels.contains("<th scope=\"row\" data-label=\"Nivå\">S5</th><td data-label=\"Drifttid\">Dygnet runt</td><td data-label=\"Anmärkning\">Redundant fiber</td>")
    );
    assert!(
        levels.contains("<time datetime=\"2026-10-15\">2026-10-15</time>")
            && levels.contains("Anna Andersson")
    );
    assert!(
        levels.contains("aria-current=\"page\">Servicenivåer</a>"),
        "section navigation marks the page"
    );
}

#[test]
fn aliases_sitemap_robots_and_404_are_written() {
    let site = common::fixture_site();
    build(site.path());
    let alias = read(site.path(), "nivaer/index.html");
    assert!(
        alias.contains("<meta http-equiv=\"refresh\" content=\"0; url=/natverk/servicenivaer/\">")
    );
    let sitemap = read(site.path(), "sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://guidepost.example/natverk/servicenivaer/</loc><lastmod>2026-11-01</lastmod>"
    ));
    assert!(
        read(site.path(), "robots.txt").contains("Sitemap: https://guidepost.example/sitemap.xml")
    );
    assert!(read(site.path(), "404.html").contains("<html lang=\"en\">"));
}

#[test]
fn raw_html_cannot_inject_script() {
    let site = common::fixture_site();
    fs::write(
        site.path().join("content/natverk/kostnader.md"),
        "---\ntitle: Kostnader\n---\n\n<script>alert(1)</script>\n\n<p onclick=\"steal()\">Pris</p>\n\n<a href=\"javascript:alert(1)\">x</a>\n\n<abbr title=\"Service level\">SLA</abbr>\n",
    )
    .expect("write");
    build(site.path());
    let page = read(site.path(), "natverk/kostnader/index.html");
    assert!(
        !page.contains("alert(1)") && !page.contains("onclick") && !page.contains("javascript:"),
        "{page}"
    );
    assert!(page.contains("<abbr title=\"Service level\">SLA</abbr>"));
}

#[test]
fn markdown_links_with_unsafe_schemes_are_errors() {
    let site = common::fixture_site();
    fs::write(
        site.path().join("content/natverk/kostnader.md"),
        "---\ntitle: Kostnader\n---\n\n[x](javascript:alert(1))\n",
    )
    .expect("write");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        out: None,
        drafts: false,
    };
    let err = guidepost::build(&options).expect_err("unsafe link");
    assert!(
        err.to_string().starts_with(
            "1. content/natverk/kostnader.md:5:1: the link `javascript:alert(1)` uses `javascript:`"
        ),
        "{err}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = common::fixture_site();
    fs::write(
        site.path().join("content/natverk/utkast.md"),
        "---\ntitle: Utkast\ndraft: true\n---\n\nText.\n",
    )
    .expect("write");
    build(site.path());
    assert!(!site.path().join("public/natverk/utkast").exists());
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        out: Some(site.path().join("public")),
        drafts: true,
    };
    guidepost::build(&options).expect("builds with drafts");
    assert!(
        site.path()
            .join("public/natverk/utkast/index.html")
            .exists()
    );
}

#[test]
fn the_same_data_table_twice_on_a_page_gets_two_ids() {
    let site = common::fixture_site();
    fs::write(
        site.path().join("content/natverk/dubbel.md"),
        "---\ntitle: Två tabeller\n---\n\n{{ table(data=\"levels\") }}\n\nOch igen:\n\n{{ table(data=\"levels\", columns=\"id,hours\") }}\n",
    )
    .expect("page");
    build(site.path());
    let html = read(site.path(), "natverk/dubbel/index.html");
    assert_eq!(
        html.matches("<caption id=\"table-levels\">").count(),
        1,
        "{html}"
    );
    assert_eq!(
        html.matches("<caption id=\"table-levels-2\">").count(),
        1,
        "{html}"
    );
    assert!(html.contains("aria-labelledby=\"table-levels-2\""));
}

#[test]
fn an_image_beside_its_page_is_published_there_and_a_large_one_is_warned_about() {
    let site = common::fixture_site();
    let dir = site.path().join("content/natverk");
    fs::write(dir.join("karta.png"), [0x89, b'P', b'N', b'G']).expect("image");
    fs::write(dir.join("prydnad.png"), vec![0u8; 600 * 1024]).expect("large image");
    fs::write(
        dir.join("bilder.md"),
        "---\ntitle: Bilder\n---\n\n![Karta över näten](karta.png)\n\n![decorative](prydnad.png)\n",
    )
    .expect("page");
    let summary = build(site.path());
    let html = read(site.path(), "natverk/bilder/index.html");
    assert!(
        html.contains("<img src=\"/natverk/karta.png\" alt=\"Karta över näten\""),
        "{html}"
    );
    assert!(
        html.contains("<img src=\"/natverk/prydnad.png\" alt=\"\""),
        "{html}"
    );
    assert!(site.path().join("public/natverk/karta.png").is_file());
    assert_eq!(
        summary.warnings,
        [
            "content/natverk/prydnad.png: the image is 0.6 MB, and readers on phones download all of it; save it under 500 KB (JPEG or WebP, at the width it is shown)"
        ]
    );
}

#[test]
fn notices_are_listed_newest_first_with_a_feed_and_the_newest_in_force_on_the_home_page() {
    let site = common::fixture_site();
    let dir = site.path().join("content/nyheter");
    fs::create_dir_all(&dir).expect("dir");
    fs::write(
        dir.join("_index.md"),
        "---\ntitle: Nyheter\nlang: sv\nnotices: true\n---\n\nMeddelanden.\n",
    )
    .expect("section");
    fs::write(
        dir.join("gammal.md"),
        "---\ntitle: Gammalt avbrott\npublished: 2020-01-01\nexpires: 2020-01-02\n---\n\nÖver.\n",
    )
    .expect("expired");
    fs::write(dir.join("ny.md"), "---\ntitle: Nytt underhåll\ndescription: Kort om underhållet.\npublished: 2026-11-30\n---\n\nSnart.\n").expect("new");
    fs::write(
        dir.join("mellan.md"),
        "---\ntitle: Ändrad tjänst\npublished: 2026-06-01\n---\n\nÄndrat.\n",
    )
    .expect("middle");
    build(site.path());
    let section = read(site.path(), "nyheter/index.html");
    let order: Vec<usize> = ["Nytt underhåll", "Ändrad tjänst", "Gammalt avbrott"]
        .iter()
        .map(|t| section.find(t).expect(t))
        .collect();
    assert!(
        order[0] < order[1] && order[1] < order[2],
        "newest first: {order:?}"
    );
    assert!(section.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/nyheter/feed.xml\""
    ));
    let feed = read(site.path(), "nyheter/feed.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">"), "{feed}");
    assert_eq!(
        feed.matches("<entry>").count(),
        2,
        "the expired notice is not in the feed: {feed}"
    );
    assert!(feed.find("Nytt underhåll") < feed.find("Ändrad tjänst"));
    assert!(feed.contains("<summary>Kort om underhållet.</summary>"));
    let home = read(site.path(), "index.html");
    assert!(
        home.contains("/nyheter/ny/") && !home.contains("/nyheter/gammal/"),
        "{home}"
    );
    let notice = read(site.path(), "nyheter/ny/index.html");
    assert!(notice.contains("<time datetime=\"2026-11-30\">2026-11-30</time>"));
}
