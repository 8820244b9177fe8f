//! The one place pulldown-cmark is configured: Markdown → HTML with heading ids, a table of contents and
//! rewritten links, split into [`Part`]s at the shortcodes (which the render stage fills in).

mod call;
mod images;
mod raw;

use std::collections::{BTreeMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

pub use images::IMAGE_HELP;
use images::{ALT_HELP, Alt, alt_text};

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

/// One piece of a rendered body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Rendered Markdown.
    Markup {
        /// The HTML.
        html: String,
        /// It holds raw HTML the editor wrote, so it must be sanitised (every raw element of a part
        /// closes within it: a shortcode inside an open element is an error).
        raw_html: bool,
    },
    /// A paragraph that held only a shortcode call.
    Shortcode(Shortcode),
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body, in order.
    pub parts: Vec<Part>,
    /// Problems, in body order.
    pub errors: Vec<BodyError>,
    /// The headings, with their ids (the same as [`headings`] finds).
    pub headings: Vec<Heading>,
}

/// A problem in a body: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    /// Byte offset in the body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// The help of a link that does not resolve.
pub const LINK_HELP: &str = "link to an existing file by its path relative to this page, e.g. ../natverk/servicenivaer.md#s5";

/// The help for a link to a heading that does not exist.
pub const HEADING_HELP: &str = "link to one of the headings listed, or give the heading you mean that id with {#id} after its text";

/// The help of a shortcode that cannot be used.
pub const SHORTCODE_HELP: &str = "write {{ table(data=\"name\") }} on a line of its own, with the name of a file in content/data/";

impl Rendered {
    fn error(&mut self, offset: usize, message: String, help: &'static str) {
        self.errors.push(BodyError {
            offset,
            message,
            help,
        });
    }
}

/// Builds the parts: Markdown events until a shortcode, then the shortcode, and so on.
#[derive(Default)]
struct Parts<'a> {
    out: Rendered,
    events: Vec<Event<'a>>,
    raw_html: bool,
    /// The raw elements still open, outermost first.
    open: Vec<String>,
    /// How far into the source the events so far reach, and where the unflushed ones begin: what the
    /// next part's HTML is sized from, so it is not regrown as it is written.
    read: usize,
    flushed: usize,
}

impl<'a> Parts<'a> {
    fn flush(&mut self) {
        if self.events.is_empty() {
            return;
        }
        let source = self.read.saturating_sub(self.flushed);
        self.flushed = self.read;
        let mut html = String::with_capacity(source + source / 4 + 64);
        html::push_html(&mut html, self.events.drain(..));
        self.out.parts.push(Part::Markup {
            html,
            raw_html: std::mem::take(&mut self.raw_html),
        });
    }

    fn raw(&mut self, html: &str) {
        self.raw_html = true;
        raw::track(&mut self.open, html);
    }

    fn shortcode(&mut self, shortcode: Shortcode) {
        if let Some(element) = self.open.first() {
            let message = format!(
                "a shortcode cannot stand inside the raw HTML element <{element}>, which is still open \
                 here: close </{element}> before the shortcode, or move the shortcode out of it"
            );
            self.out.error(shortcode.offset, message, SHORTCODE_HELP);
            return;
        }
        self.flush();
        self.out.parts.push(Part::Shortcode(shortcode));
    }
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

/// A link or image destination as written, for `render`'s `resolve`.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'d> {
    /// The destination as written.
    pub dest: &'d str,
    /// Where the link or image starts in the body.
    pub offset: usize,
    /// An image's source, not a link.
    pub image: bool,
}

/// A heading being read: its level, attributes, the id written as `{#id}`, its text and its events.
type OpenHeading<'a> = (
    HeadingLevel,
    Vec<CowStr<'a>>,
    Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    Option<CowStr<'a>>,
    String,
    Vec<Event<'a>>,
);

/// Renders `body` in one pass, giving each heading the id [`headings`] gives it (a heading's events
/// are held until it ends, when its text is known). `resolve` gets each link and image destination
/// and returns `Ok(Some(url))` to rewrite it, `Ok(None)` to keep it, or `Err(message)`.
pub fn render(
    body: &str,
    resolve: &dyn Fn(Destination) -> Result<Option<String>, String>,
) -> Rendered {
    let mut parts = Parts {
        // About one event for every dozen bytes of prose.
        events: Vec::with_capacity(body.len() / 12 + 16),
        ..Parts::default()
    };
    let mut ids = HashSet::new();
    let mut heading: Option<(usize, OpenHeading)> = None;
    let mut last_heading: Option<CowStr> = None;
    let mut paragraph: Option<(usize, Vec<Event>)> = None;
    // An image being read: where it starts, its address as written, its alt text and its events.
    let mut image: Option<(usize, String, String, Vec<Event>)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        parts.read = parts.read.max(range.end);
        // A heading's text, as `headings` reads it (alt texts of images in it included).
        if let (Some((_, (.., text, _))), Event::Text(t) | Event::Code(t)) = (&mut heading, &event)
        {
            text.push_str(t);
        }
        let event = match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let written = dest_url.to_string();
                let dest_url = match resolve(Destination {
                    dest: &dest_url,
                    offset: range.start,
                    image: true,
                }) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(message) => {
                        let message = message.replacen("the link ", "the image ", 1);
                        parts.out.error(range.start, message, IMAGE_HELP);
                        dest_url
                    }
                };
                image = Some((range.start, written, String::new(), Vec::new()));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                id: written,
            }) => {
                heading = Some((
                    range.start,
                    (level, classes, attrs, written, String::new(), Vec::new()),
                ));
                continue;
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let Some((start, (level, classes, attrs, written, text, held))) = heading.take()
                else {
                    continue;
                };
                let id = unique_id(
                    &mut ids,
                    written
                        .as_deref()
                        .map_or_else(|| slugify(&text), str::to_string),
                );
                // An id written as `{#id}` that an earlier heading already has would be renamed
                // silently, and links to it would land on the other heading.
                if let Some(written) = &written
                    && written.as_ref() != id
                {
                    let earlier = parts
                        .out
                        .headings
                        .iter()
                        .find(|h| h.id == written.as_ref())
                        .map_or_else(String::new, |h| format!(" (“{}”)", h.text));
                    parts.out.error(
                        start,
                        format!("the heading id `{{#{written}}}` is already used by an earlier heading{earlier} on this page"),
                        "give this heading another id: ids are what links to a heading point at, so each must be unique on its page",
                    );
                }
                parts.out.headings.push(Heading {
                    level: level_number(level),
                    id: id.clone(),
                    text: text.trim().to_string(),
                });
                let id = CowStr::from(id);
                last_heading = Some(id.clone());
                parts.events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id),
                    classes,
                    attrs,
                }));
                parts.events.extend(held);
                Event::End(TagEnd::Heading(level))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if link_type != LinkType::Email => {
                let dest_url = match resolve(Destination {
                    dest: &dest_url,
                    offset: range.start,
                    image: false,
                }) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(message) => {
                        parts.out.error(range.start, message, LINK_HELP);
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
                parts.events.push(Event::Html(CowStr::from(table_region(
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
                parts.events.push(Event::End(TagEnd::Table));
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
                parts.raw(&h);
                Event::Html(h)
            }
            other => other,
        };
        // An image's alt text is its inner text: held until the image ends, then checked.
        let events = match (&mut image, event) {
            (Some(_), Event::End(TagEnd::Image)) => {
                let (start, written, alt, held) = image.take().unwrap_or_default();
                let mut out = match alt_text(&alt) {
                    Alt::Missing => {
                        parts.out.error(
                            start,
                            format!("the image `{written}` has no alt text"),
                            ALT_HELP,
                        );
                        held
                    }
                    // Decorative: an empty alt, so screen readers skip it.
                    Alt::Decorative => held
                        .into_iter()
                        .filter(|e| !matches!(e, Event::Text(_) | Event::Code(_)))
                        .collect(),
                    Alt::Given => held,
                };
                out.push(Event::End(TagEnd::Image));
                out
            }
            (Some((_, _, alt, held)), e) => {
                if let Event::Text(t) | Event::Code(t) = &e {
                    alt.push_str(t);
                }
                held.push(e);
                continue;
            }
            (None, e) => vec![e],
        };
        for event in events {
            // A heading's events wait for its id (headings hold no paragraphs).
            if let Some((_, (.., held))) = &mut heading {
                held.push(event);
                continue;
            }
            // Buffer paragraphs: one that holds only a shortcode becomes a shortcode part.
            match (&mut paragraph, event) {
                (None, Event::Start(Tag::Paragraph)) => paragraph = Some((range.start, Vec::new())),
                (Some(_), Event::End(TagEnd::Paragraph)) => {
                    let (start, inner) = paragraph.take().unwrap_or_default();
                    flush_paragraph(start, inner, &mut parts);
                }
                (Some((_, inner)), e) => inner.push(e),
                (None, e) => parts.events.push(e),
            }
        }
    }
    parts.flush();
    parts.out
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

fn flush_paragraph<'a>(start: usize, inner: Vec<Event<'a>>, parts: &mut Parts<'a>) {
    let all_text = inner.iter().all(|e| matches!(e, Event::Text(_)));
    if all_text {
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(&**t),
                _ => None,
            })
            .collect();
        if let Some(parsed) = call::parse_shortcode(text.trim()) {
            match parsed {
                Ok((name, args)) => parts.shortcode(Shortcode {
                    name,
                    args,
                    offset: start,
                }),
                Err(message) => parts.out.error(start, message, SHORTCODE_HELP),
            }
            return;
        }
    }
    parts.events.push(Event::Start(Tag::Paragraph));
    parts.events.extend(inner);
    parts.events.push(Event::End(TagEnd::Paragraph));
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

pub use crate::slug::slugify;

#[cfg(test)]
mod tests;
