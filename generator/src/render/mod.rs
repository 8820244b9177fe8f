//! Pure apart from reading nothing: the model → every output file's bytes (pages, tables, aliases,
//! sitemap, robots.txt, 404), collecting every error.

pub mod i18n;
mod links;
pub mod markdown;
mod nav;
mod sanitize;
mod site_files;
pub mod templates;
pub mod views;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{ContentError, line_col};
use crate::model::Site;
use i18n::Strings;
use links::LinkIndex;
use markdown::Heading;
use templates::Templates;
use views::{ChildView, LinkView, PageContext, PageView, SiteView};

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// `a/b/index.html`.
    pub path: PathBuf,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Everything rendering needs besides the model.
pub struct Theme<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Loaded templates.
    pub templates: &'a Templates,
    /// User-interface strings.
    pub strings: &'a Strings,
    /// Paths of published content assets, relative to `content/`.
    pub assets: HashSet<PathBuf>,
    /// Paths of the files copied from `site/static/`, relative to the output root.
    pub static_files: HashSet<PathBuf>,
    /// Renders the form with the given id into HTML, or says why it cannot.
    pub form: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// `f(0..len)` on every core, results in order.
fn par_map<T: Send>(len: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    let chunk = len.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..len)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || (start..(start + chunk).min(len)).map(f).collect::<Vec<T>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The site-wide files [`render`] writes besides pages and aliases; a link may point at them.
const SITE_FILES: [&str; 3] = ["404.html", "sitemap.xml", "robots.txt"];

/// Renders every page, then the site-wide files.
pub fn render(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, Vec<ContentError>> {
    let headings: Vec<Vec<Heading>> = par_map(site.pages.len(), |i| {
        markdown::headings(&site.pages[i].body)
    });
    let anchors = headings
        .iter()
        .map(|hs| hs.iter().map(|h| h.id.as_str()).collect())
        .collect();
    let published = theme
        .assets
        .iter()
        .chain(&theme.static_files)
        .cloned()
        .chain(SITE_FILES.iter().map(PathBuf::from))
        .collect();
    let index = LinkIndex::new(site, anchors, published);
    let navs = nav::SectionNavs::render(site, theme)?;
    let results = par_map(site.pages.len(), |i| {
        render_page(site, i, &headings[i], &index, &navs, theme)
    });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    match site_files::render(site, theme) {
        Ok(mut f) => files.append(&mut f),
        Err(mut e) => errors.append(&mut e),
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn render_page(
    site: &Site,
    i: usize,
    headings: &[Heading],
    index: &LinkIndex,
    navs: &nav::SectionNavs,
    theme: &Theme,
) -> Result<OutputFile, Vec<ContentError>> {
    let page = &site.pages[i];
    let at = |offset: usize, message: String| {
        let (line, col) = line_col(&page.body, offset);
        ContentError::new(&page.path, page.body_line + line - 1, col, message)
    };
    let resolve = |dest: &str| index.resolve(i, &page.rel, dest);
    let rendered = markdown::render(&page.body, headings, &resolve);
    let mut errors: Vec<ContentError> = rendered.errors.iter().map(|(o, m)| {
        at(*o, m.clone()).help("link to an existing file by its path relative to this page, e.g. ../natverk/servicenivaer.md#s5")
    }).collect();
    let mut content = if rendered.has_raw_html {
        sanitize::sanitize(&rendered.html)
    } else {
        rendered.html
    };
    for (n, sc) in rendered.shortcodes.iter().enumerate() {
        match shortcode(site, sc, theme, &page.path) {
            Ok(html) => content = content.replacen(&markdown::placeholder(n), &html, 1),
            Err(message) => {
                errors.push(at(sc.offset, message).help(
                    "write {{ table(data=\"name\") }} with the name of a file in content/data/",
                ))
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
    let nav = navs.for_page(site, i);
    let context = page_context(site, i, headings, (content, form, nav), theme);
    let html = theme
        .templates
        .render(&template, &context, &page.path)
        .map_err(|e| vec![e])?;
    Ok(OutputFile {
        path: output_path(&page.url),
        bytes: html.into_bytes(),
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

fn shortcode(
    site: &Site,
    sc: &markdown::Shortcode,
    theme: &Theme,
    file: &Path,
) -> Result<String, String> {
    if sc.name != "table" {
        return Err(format!("unknown shortcode `{}` (expected: table)", sc.name));
    }
    if let Some(extra) = sc
        .args
        .keys()
        .find(|k| !["data", "columns", "caption"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown argument `{extra}` for table (expected: data, columns, caption)"
        ));
    }
    let name = sc
        .args
        .get("data")
        .ok_or("the table shortcode needs data=\"name\"")?;
    let data = site
        .data
        .get(name)
        .ok_or_else(|| format!("there is no data file content/data/{name}.yaml"))?;
    let columns: Vec<&str> = sc
        .args
        .get("columns")
        .map(|c| c.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if let Some(bad) = columns
        .iter()
        .find(|c| !data.columns.iter().any(|d| d.key == **c))
    {
        return Err(format!("the data file {name} has no column `{bad}`"));
    }
    let view = views::table(
        name,
        data,
        &columns,
        sc.args.get("caption").map(String::as_str),
    );
    #[derive(serde::Serialize)]
    struct Ctx<'a> {
        table: views::TableView<'a>,
    }
    theme
        .templates
        .render("shortcodes/table.html", &Ctx { table: view }, file)
        .map_err(|e| e.to_string())
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
            editor: page.meta.editor.as_deref(),
            reviewer: page.meta.reviewer.as_deref(),
            is_section: page.is_section,
            has_form: form.is_some(),
            form: form.unwrap_or_default(),
        },
        breadcrumbs,
        nav: nav.unwrap_or_default(),
        children,
        t: theme.strings.get(page.lang),
        site: SiteView {
            base_url: &theme.config.base_url,
        },
        data: &site.data,
    }
}

/// `/a/b/` → `a/b/index.html`.
pub(crate) fn output_path(url: &str) -> PathBuf {
    Path::new(url.trim_start_matches('/')).join("index.html")
}

/// Escapes text for HTML and XML (`& < > " '`): the forms library's escaper, so both crates agree.
pub use guidepost_forms::escape;
