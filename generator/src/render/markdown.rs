//! The one place pulldown-cmark is configured: Markdown → HTML with heading ids, a table of contents,
//! rewritten links and shortcode placeholders.

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// A heading of the body, with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The unique id used as `#fragment`.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A `{{ name(key="value") }}` line found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// The shortcode's name (`table`).
    pub name: String,
    /// Its arguments.
    pub args: BTreeMap<String, String>,
    /// Byte offset in the body, for errors.
    pub offset: usize,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML, with [`placeholder`]s where shortcodes go.
    pub html: String,
    /// Every shortcode in order; shortcode `i` is at `placeholder(i)`.
    pub shortcodes: Vec<Shortcode>,
    /// The body contains raw HTML, so the output must be sanitised.
    pub has_raw_html: bool,
    /// Problems: byte offset in the body and message.
    pub errors: Vec<(usize, String)>,
}

/// Marks where shortcode `i`'s output goes; made of private-use characters no editor types.
pub fn placeholder(i: usize) -> String {
    format!("\u{E000}gp-shortcode-{i}\u{E000}")
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The headings of a body, with the ids [`render`] gives them.
pub fn headings(body: &str) -> Vec<Heading> {
    let mut ids = HashSet::new();
    let mut out = Vec::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|i| i.to_string()),
                    String::new(),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = current.take() {
                    let id = unique_id(&mut ids, id.unwrap_or_else(|| slugify(&text)));
                    out.push(Heading {
                        level,
                        id,
                        text: text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Renders `body`, whose headings [`headings`] already found. `resolve` gets each link destination and returns `Ok(Some(url))` to rewrite it,
/// `Ok(None)` to keep it, or `Err(message)`.
pub fn render(
    body: &str,
    headings: &[Heading],
    resolve: &dyn Fn(&str) -> Result<Option<String>, String>,
) -> Rendered {
    let mut out = Rendered::default();
    let mut heading_index = 0;
    let mut last_heading: Option<CowStr> = None;
    let mut events: Vec<Event> = Vec::new();
    let mut paragraph: Option<(usize, Vec<Event>)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = headings
                    .get(heading_index)
                    .map(|h| CowStr::from(h.id.clone()));
                last_heading = id.clone();
                heading_index += 1;
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if link_type != LinkType::Email => {
                let dest_url = match resolve(&dest_url) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(message) => {
                        out.errors.push((range.start, message));
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Table(alignments)) => {
                // The same focusable scroll region as a data table, named by the heading above it, so a
                // wide table scrolls inside the page at 320 px instead of widening it.
                events.push(Event::Html(CowStr::from(table_region(
                    last_heading.as_deref(),
                ))));
                // Alignment would need inline styles, which the Content-Security-Policy forbids.
                Event::Start(Tag::Table(
                    alignments
                        .iter()
                        .map(|_| pulldown_cmark::Alignment::None)
                        .collect(),
                ))
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                Event::Html(CowStr::from("</div>\n"))
            }
            // A checkbox in running text would need a label; a glyph reads the same and stays out of the
            // accessibility tree (the list item's text says what to check).
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                "<span class=\"task-box\" aria-hidden=\"true\">☑</span> "
            } else {
                "<span class=\"task-box\" aria-hidden=\"true\">☐</span> "
            })),
            Event::Html(h) | Event::InlineHtml(h) => {
                out.has_raw_html = true;
                Event::Html(h)
            }
            other => other,
        };
        // Buffer paragraphs: one that holds only a shortcode becomes a placeholder.
        match (&mut paragraph, event) {
            (None, Event::Start(Tag::Paragraph)) => paragraph = Some((range.start, Vec::new())),
            (Some(_), Event::End(TagEnd::Paragraph)) => {
                let (start, inner) = paragraph.take().unwrap_or_default();
                flush_paragraph(start, inner, &mut events, &mut out);
            }
            (Some((_, inner)), e) => inner.push(e),
            (None, e) => events.push(e),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out
}

/// The opening tag of the scroll region around a Markdown table.
fn table_region(heading: Option<&str>) -> String {
    match heading {
        Some(id) => format!(
            "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"{}\" tabindex=\"0\">\n",
            super::escape(id)
        ),
        None => "<div class=\"table-scroll\" tabindex=\"0\">\n".to_string(),
    }
}

fn flush_paragraph<'a>(
    start: usize,
    inner: Vec<Event<'a>>,
    events: &mut Vec<Event<'a>>,
    out: &mut Rendered,
) {
    let all_text = inner.iter().all(|e| matches!(e, Event::Text(_)));
    if all_text {
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(&**t),
                _ => None,
            })
            .collect();
        if let Some(parsed) = parse_shortcode(text.trim()) {
            match parsed {
                Ok((name, args)) => {
                    events.push(Event::Html(CowStr::from(format!(
                        "{}\n",
                        placeholder(out.shortcodes.len())
                    ))));
                    out.shortcodes.push(Shortcode {
                        name,
                        args,
                        offset: start,
                    });
                }
                Err(message) => out.errors.push((start, message)),
            }
            return;
        }
    }
    events.push(Event::Start(Tag::Paragraph));
    events.extend(inner);
    events.push(Event::End(TagEnd::Paragraph));
}

/// A shortcode's name and arguments.
type ShortcodeCall = (String, BTreeMap<String, String>);

/// `{{ table(data="x", caption="y") }}` → `Some(Ok(("table", {data: x, caption: y})))`;
/// `None` when the text is not shaped like a shortcode at all.
fn parse_shortcode(text: &str) -> Option<Result<ShortcodeCall, String>> {
    let inner = text.strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let bad = || {
        Err(format!(
            "`{text}` is not a valid shortcode: write it as {{{{ name(key=\"value\") }}}}"
        ))
    };
    let Some((name, rest)) = inner.split_once('(') else {
        return Some(bad());
    };
    let Some(args_text) = rest.trim_end().strip_suffix(')') else {
        return Some(bad());
    };
    let mut args = BTreeMap::new();
    let mut rest = args_text.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            return Some(bad());
        };
        let Some(after) = after.trim_start().strip_prefix('"') else {
            return Some(bad());
        };
        let Some((value, after)) = after.split_once('"') else {
            return Some(bad());
        };
        args.insert(key.trim().to_string(), value.to_string());
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Some(Ok((name.trim().to_string(), args)))
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn unique_id(seen: &mut HashSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !seen.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// A heading's id from its text: lower-case ASCII, å/ä→a, ö/ø→o, æ→ae, other runs → `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'ö' | 'ø' | 'ó' | 'ô' => "o",
            'æ' => "ae",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' => "u",
            'í' | 'ï' => "i",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(mapped);
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: &str) -> Result<Option<String>, String> {
        Ok(None)
    }

    fn render_all(
        body: &str,
        resolve: &dyn Fn(&str) -> Result<Option<String>, String>,
    ) -> Rendered {
        render(body, &headings(body), resolve)
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
        let hs = headings(body);
        let r = render(body, &hs, &keep);
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
    fn shortcodes_become_placeholders() {
        let r = render_all(
            "Text\n\n{{ table(data=\"service_levels\", caption=\"S\") }}\n\nMore\n",
            &keep,
        );
        assert_eq!(r.shortcodes.len(), 1);
        assert_eq!(r.shortcodes[0].name, "table");
        assert_eq!(r.shortcodes[0].args["data"], "service_levels");
        assert_eq!(r.shortcodes[0].offset, 6);
        assert!(r.html.contains(&placeholder(0)) && !r.html.contains("{{"));
    }

    #[test]
    fn links_are_resolved_and_errors_carry_offsets() {
        let resolve = |d: &str| match d {
            "a.md" => Ok(Some("/a/".to_string())),
            "missing.md" => Err("no such page".to_string()),
            _ => Ok(None),
        };
        let r = render("[A](a.md) and\n[B](missing.md)\n", &[], &resolve);
        assert!(r.html.contains("href=\"/a/\""));
        assert_eq!(r.errors, vec![(14, "no such page".to_string())]);
    }
}
