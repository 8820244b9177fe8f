//! Markdown rendering: scroll regions, heading ids, extensions, shortcode parts, links, raw HTML.
use super::*;

fn keep(_: Destination) -> Result<Option<String>, String> {
    Ok(None)
}

/// A body rendered, its parts as one string with shortcodes shown as `[name]`.
struct All {
    html: String,
    errors: Vec<(usize, String)>,
}

fn joined(r: Rendered) -> All {
    let html = r
        .parts
        .iter()
        .map(|p| match p {
            Part::Markup { html, .. } => html.clone(),
            Part::Shortcode(sc) => format!("[{}]", sc.name),
        })
        .collect();
    All {
        html,
        errors: r
            .errors
            .into_iter()
            .map(|e| (e.offset, e.message))
            .collect(),
    }
}

fn render_all(body: &str, resolve: &dyn Fn(Destination) -> Result<Option<String>, String>) -> All {
    joined(render(body, resolve))
}

#[test]
fn tables_sit_in_a_scroll_region_named_by_the_heading_above() {
    let r = render_all(
        "## Guider {#guider}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        &keep,
    );
    assert!(
        r.html.contains("<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"guider\" tabindex=\"0\">\n<table>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("</table>\n</div>"), "{}", r.html);
    let bare = render_all("| a |\n|---|\n| 1 |\n", &keep);
    assert!(
        bare.html
            .starts_with("<div class=\"table-scroll\" tabindex=\"0\">\n<table>"),
        "{}",
        bare.html
    );
}

#[test]
fn heading_ids_are_stable_unique_and_overridable() {
    let body = "## Servicenivå S5\n\n## Servicenivå S5\n\n## Öppet {#open}\n";
    let rendered = render(body, &keep);
    let hs = rendered.headings.clone();
    assert_eq!(hs, headings(body));
    let r = joined(rendered);
    let ids: Vec<&str> = hs.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["serviceniva-s5", "serviceniva-s5-2", "open"]);
    assert!(
        r.html
            .contains("<h2 id=\"serviceniva-s5-2\">Servicenivå S5</h2>"),
        "{}",
        r.html
    );
}

#[test]
fn extensions_are_on_and_alignment_is_dropped() {
    let r = render_all(
        "| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n~~x~~ [^1]\n\n- [x] done\n\n[^1]: note\n",
        &keep,
    );
    assert!(
        r.html.contains("<table>") && !r.html.contains("style="),
        "{}",
        r.html
    );
    assert!(r.html.contains("<del>x</del>"));
    assert!(
        r.html
            .contains("<li><span class=\"task-box\" aria-hidden=\"true\">☑</span> done</li>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("footnote-definition"));
}

#[test]
fn a_shortcode_paragraph_splits_the_body_into_parts() {
    let r = render(
        "Text\n\n{{ table(data=\"service_levels\", caption=\"S\") }}\n\nMore <b>x</b>\n",
        &keep,
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let [first, Part::Shortcode(sc), last] = r.parts.as_slice() else {
        panic!("three parts: {:?}", r.parts);
    };
    assert_eq!(
        first,
        &Part::Markup {
            html: "<p>Text</p>\n".into(),
            raw_html: false
        }
    );
    assert_eq!((sc.name.as_str(), sc.offset), ("table", 6));
    assert_eq!(sc.args["data"], "service_levels");
    assert_eq!(sc.args["caption"], "S");
    assert_eq!(
        last,
        &Part::Markup {
            html: "<p>More <b>x</b></p>\n".into(),
            raw_html: true
        }
    );
}

#[test]
fn a_shortcode_inside_open_raw_html_is_an_error_that_says_what_to_close() {
    let body = "<details>\n<summary>Mer</summary>\n\n{{ table(data=\"x\") }}\n\n</details>\n";
    let r = render(body, &keep);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].help, SHORTCODE_HELP);
    assert_eq!(
        joined(r).errors,
        vec![(
            body.find("{{").expect("call"),
            "a shortcode cannot stand inside the raw HTML element <details>, which is still open here: \
             close </details> before the shortcode, or move the shortcode out of it"
                .to_string()
        )]
    );
    let closed = render(
        "<details>\n<summary>Mer</summary>\n</details>\n\n{{ table(data=\"x\") }}\n",
        &keep,
    );
    assert!(closed.errors.is_empty(), "{:?}", closed.errors);
    assert!(matches!(closed.parts.last(), Some(Part::Shortcode(_))));
}

#[test]
fn links_are_resolved_and_errors_carry_offsets() {
    let resolve = |d: Destination| match d.dest {
        "a.md" => Ok(Some("/a/".to_string())),
        "missing.md" => Err("no such page".to_string()),
        _ => Ok(None),
    };
    let r = joined(render("[A](a.md) and\n[B](missing.md)\n", &resolve));
    assert!(r.html.contains("href=\"/a/\""));
    assert_eq!(r.errors, vec![(14, "no such page".to_string())]);
}

#[test]
fn the_one_pass_gives_every_heading_the_id_the_headings_pass_gives_it() {
    let body = "Intro\n=====\n\n## Avgift `S5` och *pris*\n\n\
                ## Bild ![larm](larm.png) här\n\n\
                > ### Citat [länk](a.md)\n\n\
                - ## I en lista\n\n\
                ## Avgift `S5` och *pris*\n\n\
                ## Egen {#avgift-s5-och-pris-2}\n\n\
                ```\n## inte en rubrik\n```\n\n\
                Slut\n---\n";
    let rendered = render(body, &keep);
    assert_eq!(rendered.headings, headings(body));
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "intro",
            "avgift-s5-och-pris",
            "bild-larm-har",
            "citat-lank",
            "i-en-lista",
            "avgift-s5-och-pris-2",
            "avgift-s5-och-pris-2-2",
            "slut"
        ]
    );
    let r = joined(rendered);
    assert!(
        r.html.contains(
            "<h2 id=\"bild-larm-har\">Bild <img src=\"larm.png\" alt=\"larm\" /> här</h2>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<h3 id=\"citat-lank\">Citat <a href=\"a.md\">länk</a></h3>"),
        "{}",
        r.html
    );
    assert_eq!(
        r.errors,
        vec![(
            body.find("## Egen").expect("heading"),
            "the heading id `{#avgift-s5-och-pris-2}` is already used by an earlier heading (“Avgift S5 och pris”) on this page".to_string()
        )]
    );
}

#[test]
fn resolve_is_told_where_each_destination_is_and_whether_it_is_an_image() {
    let seen = std::cell::RefCell::new(Vec::new());
    let resolve = |d: Destination| {
        seen.borrow_mut()
            .push((d.dest.to_string(), d.offset, d.image));
        Ok(None)
    };
    render("Se [x](a.md#s5).\n\n![Karta](karta.png)\n", &resolve);
    assert_eq!(
        seen.into_inner(),
        vec![
            ("a.md#s5".to_string(), 3, false),
            ("karta.png".to_string(), 18, true)
        ]
    );
}
