//! The render stage on a small site with the bundled templates: one page's body, form, sidebar and
//! template ([`pages::render_page`]), and the site files ([`site_files::render`]).

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use super::{Theme, i18n, markdown, render_pages, site_files, templates::Templates};
use crate::config::{self, Config};
use crate::error::ContentError;
use crate::model::{self, Site};

/// A site below a temporary root: the repository's `site/` and `content` files `(path, text)`.
struct Fixture {
    config: Config,
    templates: Templates,
    strings: i18n::Strings,
    site: Site,
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read site") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn fixture(content: &[(&str, &str)]) -> Fixture {
    let root = tempfile::tempdir().expect("tempdir");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../site"),
        &root.path().join("site"),
    );
    for (path, text) in content {
        let path = root.path().join("content").join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    let config = config::load(root.path()).expect("site.yaml");
    let templates = Templates::load(root.path()).expect("templates");
    let strings = i18n::load(root.path()).expect("strings");
    let sources = crate::content::read(root.path()).expect("content");
    let mut errors = Vec::new();
    let data = model::data::check_all(&sources.data, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let site = model::build(sources, data, config.default_lang, false).expect("model");
    Fixture {
        config,
        templates,
        strings,
        site,
    }
}

const SITE: &[(&str, &str)] = &[
    ("_index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
    (
        "natverk/_index.md",
        "---\ntitle: Nätverk\n---\n\nOm nätet.\n",
    ),
    (
        "natverk/nivaer.md",
        "---\ntitle: Nivåer\nweight: 1\n---\n\n## Tider {#tider}\n\n{{ table(data=\"levels\") }}\n\n<abbr title=\"Servicenivå\">SN</abbr> gäller [nätet](_index.md).\n",
    ),
    (
        "natverk/bestall.md",
        "---\ntitle: Beställ\nweight: 2\nform: order\n---\n\nFyll i.\n",
    ),
    (
        "data/levels.yaml",
        "caption: Nivåer\ncolumns:\n  - {key: id, label: Nivå, header: true}\n  - {key: hours, label: Tider}\nrows:\n  - {id: S1, hours: '07-18'}\n",
    ),
];

impl Fixture {
    fn with_theme<T>(
        &self,
        form: &(dyn Fn(&str) -> Option<String> + Sync),
        f: impl FnOnce(&Theme) -> T,
    ) -> T {
        let theme = Theme {
            config: &self.config,
            templates: &self.templates,
            strings: &self.strings,
            assets: HashSet::new(),
            static_files: HashSet::new(),
            form,
            today: crate::model::Date::parse("2026-12-01").expect("date"),
        };
        f(&theme)
    }

    fn page(
        &self,
        url: &str,
        form: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Result<String, Vec<ContentError>> {
        let i = self
            .site
            .pages
            .iter()
            .position(|p| p.url == url)
            .expect("page");
        let mut headings: Vec<_> = self
            .site
            .pages
            .iter()
            .map(|p| markdown::headings(&p.body))
            .collect();
        self.with_theme(form, |theme| {
            let mut results = render_pages(&self.site, theme, &mut headings, &[i], |p| p);
            let (_, result) = results.pop().expect("one page");
            result.map(|p| String::from_utf8(p.file.bytes).expect("utf-8"))
        })
    }
}

fn order_form(id: &str) -> Option<String> {
    (id == "order").then(|| "<form id=\"order-form\"></form>".to_string())
}

#[test]
fn a_page_joins_markup_and_shortcodes_keeps_safe_raw_html_and_marks_its_sidebar_entry() {
    let fx = fixture(SITE);
    let html = fx.page("/natverk/nivaer/", &order_form).expect("renders");
    assert!(html.contains("<h2 id=\"tider\">"), "{html}");
    assert!(
        html.contains("<caption id=\"table-levels\">Nivåer</caption>"),
        "the table shortcode: {html}"
    );
    assert!(
        html.contains("<abbr title=\"Servicenivå\">SN</abbr>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"/natverk/\""),
        "the link is resolved: {html}"
    );
    assert!(
        html.contains("<a href=\"/natverk/nivaer/\" aria-current=\"page\">Nivåer</a>"),
        "{html}"
    );
    assert!(
        !html.contains("<a href=\"/natverk/bestall/\" aria-current"),
        "{html}"
    );
    let section = fx.page("/natverk/", &order_form).expect("renders");
    assert!(
        section.contains("<a href=\"/natverk/\" aria-current=\"page\">Nätverk</a>"),
        "the section's own title is current on its page: {section}"
    );
}

#[test]
fn a_page_with_a_form_shows_it_and_an_unknown_form_is_an_error_at_its_key() {
    let fx = fixture(SITE);
    let html = fx.page("/natverk/bestall/", &order_form).expect("renders");
    assert!(html.contains("<form id=\"order-form\"></form>"), "{html}");
    let none = |_: &str| None;
    let errors = fx
        .page("/natverk/bestall/", &none)
        .expect_err("no such form");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "content/natverk/bestall.md:4:7: there is no form `order`\n   help: use the id of a file in content/forms/"
        ]
    );
}

#[test]
fn site_files_are_the_404_page_sitemap_and_robots() {
    let fx = fixture(SITE);
    let files = fx
        .with_theme(&order_form, |theme| site_files::render(&fx.site, theme))
        .expect("site files");
    let by_path: BTreeMap<String, String> = files
        .into_iter()
        .map(|f| {
            (
                f.path.to_string_lossy().into_owned(),
                String::from_utf8(f.bytes).expect("utf-8"),
            )
        })
        .collect();
    assert!(by_path.contains_key("404.html"), "{:?}", by_path.keys());
    let sitemap = &by_path["sitemap.xml"];
    for url in ["/", "/natverk/", "/natverk/nivaer/", "/natverk/bestall/"] {
        assert!(
            sitemap.contains(&format!(
                "<loc>{}{url}</loc>",
                fx.config.base_url.trim_end_matches('/')
            )),
            "{url} in {sitemap}"
        );
    }
    assert!(
        by_path["robots.txt"].contains("Sitemap:"),
        "{}",
        by_path["robots.txt"]
    );
}
