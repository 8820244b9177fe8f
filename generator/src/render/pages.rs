//! One page: the model's page `i` → its output file, the body rendered, the template picked and the
//! typed page view built; every error of the page collected.

use crate::error::{ContentError, line_col};
use crate::model::Site;
use crate::render::links::{self, LinkIndex};
use crate::render::markdown::{self, Heading, Part};
use crate::render::views::{self, ChildView, LinkView, PageContext, PageView, SiteView};

/// The template of the search page, the one that gets the site index.
pub(crate) const SEARCH_TEMPLATE: &str = "search.html";
use crate::render::{
    OutputFile, PageOutput, Theme, nav::Sidebars, notices, output_path, sanitize, shortcodes,
};

/// A link to a heading, checked once every page's headings are known: where on the page it is, the
/// destination as written, the page and id it points at, and whether it is an image's.
#[derive(Debug, Clone)]
pub struct Anchor {
    offset: usize,
    dest: String,
    page: usize,
    id: String,
    image: bool,
}

/// A page rendered: its output (or errors), its headings, and its links to headings still to check.
pub type Rendered = (
    Result<PageOutput, Vec<ContentError>>,
    Vec<Heading>,
    Vec<Anchor>,
);

/// Renders page `i`: its body (links checked, shortcodes expanded), form, sidebar (from `sidebars`,
/// which holds its section's) and template. Its links to headings are checked by [`check_anchors`].
pub fn render_page(
    site: &Site,
    i: usize,
    (index, sidebars): (&LinkIndex, &Sidebars),
    theme: &Theme,
) -> Rendered {
    let page = &site.pages[i];
    let links = std::cell::RefCell::new(Vec::new());
    let anchors = std::cell::RefCell::new(Vec::new());
    let resolve = |to: markdown::Destination| {
        if let Some(target) = index.target_page(&page.rel, to.dest) {
            links.borrow_mut().push(target);
        }
        let resolved = index.resolve(&page.rel, to.dest);
        if resolved.is_ok()
            && let Some((target, id)) = index.anchor_of(i, &page.rel, to.dest)
        {
            anchors.borrow_mut().push(Anchor {
                offset: to.offset,
                dest: to.dest.to_string(),
                page: target,
                id: id.to_string(),
                image: to.image,
            });
        }
        resolved
    };
    let mut rendered = markdown::render(&page.body, &resolve);
    let headings = std::mem::take(&mut rendered.headings);
    let result = page_output(
        site,
        i,
        rendered,
        &headings,
        (links.into_inner(), sidebars),
        theme,
    );
    (result, headings, anchors.into_inner())
}

/// Checks `anchors`, the links to headings on page `i`, against every page's `headings`.
pub fn check_anchors(
    site: &Site,
    i: usize,
    anchors: &[Anchor],
    headings: &[Vec<Heading>],
) -> Vec<ContentError> {
    anchors
        .iter()
        .filter_map(|a| {
            let ids = headings[a.page].iter().map(|h| h.id.as_str());
            let message = links::check_anchor(ids, &a.id, &a.dest).err()?;
            Some(match a.image {
                true => body_error(
                    site,
                    i,
                    a.offset,
                    message.replacen("the link ", "the image ", 1),
                )
                .help(markdown::IMAGE_HELP),
                false => body_error(site, i, a.offset, message).help(markdown::HEADING_HELP),
            })
        })
        .collect()
}

/// An error at byte `offset` of page `i`'s body.
fn body_error(site: &Site, i: usize, offset: usize, message: String) -> ContentError {
    let page = &site.pages[i];
    let (line, col) = line_col(&page.body, offset);
    ContentError::new(&page.path, page.body_line + line - 1, col, message)
}

/// The rest of page `i` once its body is rendered: shortcodes, form, template.
fn page_output(
    site: &Site,
    i: usize,
    rendered: markdown::Rendered,
    headings: &[Heading],
    (links, sidebars): (Vec<usize>, &Sidebars),
    theme: &Theme,
) -> Result<PageOutput, Vec<ContentError>> {
    let page = &site.pages[i];
    let at = |offset: usize, message: String| body_error(site, i, offset, message);
    let mut errors: Vec<ContentError> = rendered
        .errors
        .into_iter()
        .map(|e| at(e.offset, e.message).help(e.help))
        .collect();
    let mut content = String::new();
    // How often each data file was shown so far on this page, so each table gets its own id.
    let mut shown: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for part in rendered.parts {
        match part {
            Part::Markup { html, raw_html } if raw_html => {
                content.push_str(&sanitize::sanitize(&html))
            }
            // A page without shortcodes is one part: its HTML is the content as it is.
            Part::Markup { html, .. } if content.is_empty() => content = html,
            Part::Markup { html, .. } => content.push_str(&html),
            Part::Shortcode(sc) => {
                let name = sc.args.get("data").cloned().unwrap_or_default();
                let count = shown.entry(name).or_default();
                *count += 1;
                match shortcodes::render(site, &sc, theme, &page.path, *count) {
                    Ok(html) => content.push_str(&html),
                    Err((message, help)) => errors.push(at(sc.offset, message).help(help)),
                }
            }
        }
    }
    let form = match &page.meta.form {
        Some((id, line, col)) => match (theme.form)(id) {
            Some(html) => Some(html),
            None => {
                errors.push(
                    ContentError::new(&page.path, *line, *col, format!("there is no form `{id}`"))
                        .help("use the id of a file in content/forms/"),
                );
                None
            }
        },
        None => None,
    };
    let template = template_for(site, i, theme, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let nav = sidebars.of(site, i);
    let mut context = page_context(site, i, headings, (content, form, nav), theme);
    if template == SEARCH_TEMPLATE {
        context.site_index = views::site_index(site, site.pages[i].lang);
    }
    // Room for the page's own parts and the layout around them, so the buffer is not regrown.
    let room = context.page.content.len() + context.page.form.len() + context.nav.len() + 8192;
    let bytes = theme
        .templates
        .render_bytes(&template, &context, &page.path, Vec::with_capacity(room))
        .map_err(|e| vec![e])?;
    let mut links = links;
    links.sort_unstable();
    links.dedup();
    Ok(PageOutput {
        file: OutputFile {
            path: output_path(&page.url),
            bytes,
        },
        links,
    })
}

fn template_for(site: &Site, i: usize, theme: &Theme, errors: &mut Vec<ContentError>) -> String {
    let page = &site.pages[i];
    match &page.meta.template {
        Some((name, line, col)) => {
            if !theme.templates.has(name) {
                errors.push(
                    ContentError::new(
                        &page.path,
                        *line,
                        *col,
                        format!("there is no template `{name}` in site/templates/"),
                    )
                    .help(
                        "remove `template:` to use the normal layout, or name an existing template",
                    ),
                );
            }
            name.clone()
        }
        None if i == 0 && page.parent.is_none() => "home.html".into(),
        None if page.is_section => "section.html".into(),
        None => "page.html".into(),
    }
}

fn page_context<'a>(
    site: &'a Site,
    i: usize,
    headings: &'a [Heading],
    (content, form, nav): (String, Option<String>, Option<String>),
    theme: &'a Theme,
) -> PageContext<'a> {
    let page = &site.pages[i];
    let breadcrumbs = site
        .ancestors(i)
        .into_iter()
        .map(|a| LinkView {
            title: &site.pages[a].meta.title,
            url: &site.pages[a].url,
        })
        .collect();
    let children = page
        .children
        .iter()
        .map(|&c| {
            let p = &site.pages[c];
            ChildView {
                title: &p.meta.title,
                url: &p.url,
                description: p.meta.description.as_deref(),
                lang: (p.lang != page.lang).then(|| p.lang.code()),
                is_section: p.is_section,
                published: p.meta.published.map(|d| d.to_string()),
            }
        })
        .collect();
    PageContext {
        page: PageView {
            title: &page.meta.title,
            description: page.meta.description.as_deref(),
            lang: page.lang.code(),
            url: &page.url,
            permalink: format!("{}{}", theme.config.base_url, page.url),
            content,
            toc: if page.meta.toc {
                headings
                    .iter()
                    .filter(|h| (2..=3).contains(&h.level))
                    .collect()
            } else {
                Vec::new()
            },
            updated: page.meta.updated.map(|d| d.to_string()),
            reviewed: page.meta.reviewed.map(|d| d.to_string()),
            // The page's own editor, else its nearest section's in the same language (as `guidepost
            // report` counts them).
            editor: page.meta.editor.as_deref().or_else(|| {
                site.ancestors(i)
                    .iter()
                    .rev()
                    .filter(|&&a| site.pages[a].lang == page.lang)
                    .find_map(|&a| site.pages[a].meta.editor.as_deref())
            }),
            reviewer: page.meta.reviewer.as_deref(),
            is_section: page.is_section,
            has_form: form.is_some(),
            form: form.unwrap_or_default(),
            feed: notices::feed_of(site, i),
            published: page.meta.published.map(|d| d.to_string()),
            expires: page.meta.expires.map(|d| d.to_string()),
        },
        breadcrumbs,
        nav: nav.unwrap_or_default(),
        children,
        t: theme.strings.get(page.lang),
        site: SiteView {
            base_url: &theme.config.base_url,
        },
        data: &site.data,
        site_index: Vec::new(),
        notices: if i == 0 {
            notices::latest(site, theme.today)
        } else {
            Vec::new()
        },
    }
}
