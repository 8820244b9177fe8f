//! The one place Tera is used: loads `site/templates/`, renders a view, and turns Tera's errors into
//! `file:line:col` errors that also name the content file being rendered.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::error::ContentError;

/// The loaded templates and their sources (kept to find error positions).
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, String>,
}

/// Templates every site must have.
pub const REQUIRED: [&str; 6] = [
    "base.html",
    "page.html",
    "section.html",
    "home.html",
    "404.html",
    "partials/section_nav.html",
];

const DIR: &str = "site/templates";

/// The built-in alias (redirect) page.
pub const ALIAS: &str = "guidepost/alias.html";
/// The built-in sitemap.
pub const SITEMAP: &str = "guidepost/sitemap.xml";
/// The built-in robots.txt.
pub const ROBOTS: &str = "guidepost/robots.txt";
/// The built-in Atom feed of a notices section.
pub const FEED: &str = "guidepost/feed.xml";

/// Templates compiled into the generator, by name; a site cannot override them.
const BUILTIN: [(&str, &str); 4] = [
    (ALIAS, include_str!("builtin/alias.html")),
    (SITEMAP, include_str!("builtin/sitemap.xml")),
    (ROBOTS, include_str!("builtin/robots.txt")),
    (FEED, include_str!("builtin/feed.xml")),
];

impl Templates {
    /// Loads every `.html` file below `root/site/templates`.
    pub fn load(root: &Path) -> Result<Templates, Vec<ContentError>> {
        let dir = root.join(DIR);
        let mut sources = BTreeMap::new();
        let mut errors = Vec::new();
        for entry in WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            match fs::read_to_string(path) {
                Ok(text) => {
                    sources.insert(name, text);
                }
                Err(e) => errors.push(ContentError::new(
                    &shown(&name),
                    1,
                    1,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
        for name in REQUIRED.iter().filter(|n| !sources.contains_key(**n)) {
            errors.push(
                ContentError::new(&shown(name), 1, 1, "the template is missing").help(
                    "every site needs base.html, page.html, section.html, home.html, 404.html and partials/section_nav.html",
                ),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape);
        let all = sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .chain(BUILTIN);
        if let Err(e) = tera.add_raw_templates(all) {
            return Err(vec![parse_error(&e, &sources)]);
        }
        Ok(Templates { tera, sources })
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name` with `view`; errors name the template position and `content_file`.
    pub fn render<V: Serialize>(
        &self,
        name: &str,
        view: &V,
        content_file: &Path,
    ) -> Result<String, ContentError> {
        let bytes = self.render_bytes(name, view, content_file, Vec::new())?;
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()))
    }

    /// As [`Templates::render`], into `out` (appended to), as bytes: a page goes to its file as is,
    /// so the text needs no second pass to check it is UTF-8 (Tera writes only `str`s).
    pub fn render_bytes<V: Serialize>(
        &self,
        name: &str,
        view: &V,
        content_file: &Path,
        mut out: Vec<u8>,
    ) -> Result<Vec<u8>, ContentError> {
        let context = Context::from_serialize(view).map_err(|e| {
            ContentError::new(
                content_file,
                1,
                1,
                format!("cannot prepare the page for {name}: {}", chain(&e)),
            )
        })?;
        self.tera
            .render_to(name, &context, &mut out)
            .map_err(|e| self.render_error(name, &e, content_file))?;
        Ok(out)
    }

    fn render_error(&self, name: &str, e: &tera::Error, content_file: &Path) -> ContentError {
        let detail = chain(e);
        let variable = between(&detail, "Variable `", "` not found");
        let (template, line, col) =
            variable
                .and_then(|v| self.locate(name, v))
                .unwrap_or_else(|| {
                    (
                        innermost_template(&detail).unwrap_or(name).to_string(),
                        1,
                        1,
                    )
                });
        let message = match variable {
            Some(v) => format!(
                "unknown variable `{v}` (while rendering {})",
                content_file.display()
            ),
            None => format!("{detail} (while rendering {})", content_file.display()),
        };
        ContentError::new(&shown(&template), line, col, message)
            .help("check the variable's name against the view documented in docs/templates.md")
    }

    /// Finds the first use of `variable` inside a tag, in `name` first, then in the other templates.
    fn locate(&self, name: &str, variable: &str) -> Option<(String, usize, usize)> {
        let order = std::iter::once(name).chain(
            self.sources
                .keys()
                .map(String::as_str)
                .filter(|n| *n != name),
        );
        for template in order {
            let text = self.sources.get(template)?;
            for (offset, _) in text.match_indices(variable) {
                let before = &text[..offset];
                let in_tag = before
                    .rfind("{{")
                    .into_iter()
                    .chain(before.rfind("{%"))
                    .max()
                    > before
                        .rfind("}}")
                        .into_iter()
                        .chain(before.rfind("%}"))
                        .max();
                if in_tag {
                    let (line, col) = crate::error::line_col(text, offset);
                    return Some((template.to_string(), line, col));
                }
            }
        }
        None
    }
}

/// Escapes `& < > " '` (Tera's default also escapes `/`, which makes URLs unreadable in the source).
fn escape(text: &str) -> String {
    crate::render::escape(text)
}

fn shown(name: &str) -> PathBuf {
    Path::new(DIR).join(name)
}

/// Tera's message with its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn innermost_template(detail: &str) -> Option<&str> {
    let idx = detail.rfind("rendering '")? + "rendering '".len();
    detail[idx..].split('\'').next()
}

/// A syntax error: Tera's message carries ` --> line:col` and names the template.
fn parse_error(e: &tera::Error, sources: &BTreeMap<String, String>) -> ContentError {
    let detail = chain(e);
    let name = between(&detail, "Failed to parse '", "'")
        .or_else(|| between(&detail, "template '", "'"))
        .filter(|n| sources.contains_key(*n))
        .unwrap_or("base.html");
    let (line, col) = between(&detail, "--> ", "\n")
        .and_then(|pos| pos.trim().split_once(':'))
        .and_then(|(l, c)| Some((l.parse().ok()?, c.trim().parse().ok()?)))
        .unwrap_or((1, 1));
    let summary: String = detail
        .lines()
        .filter(|l| l.trim_start().starts_with('='))
        .map(|l| l.trim().trim_start_matches("= "))
        .collect::<Vec<_>>()
        .join("; ");
    let message = if summary.is_empty() {
        detail.lines().next().unwrap_or("").to_string()
    } else {
        summary
    };
    ContentError::new(
        &shown(name),
        line,
        col,
        format!("template syntax error: {message}"),
    )
    .help("fix the Tera syntax at this position (see https://keats.github.io/tera/docs/)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site folder holding `templates` (name, text) below `site/templates/`.
    fn site(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in templates {
            let path = dir.path().join(DIR).join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        }
        dir
    }

    fn required_but(skip: &str, replace: Option<(&str, &str)>) -> Vec<(&'static str, String)> {
        REQUIRED
            .iter()
            .filter(|n| **n != skip)
            .map(|n| {
                let text = match replace {
                    Some((r, t)) if r == *n => t.to_string(),
                    _ => n.to_string(),
                };
                (*n, text)
            })
            .collect()
    }

    fn load(templates: &[(&str, String)]) -> Result<Templates, Vec<ContentError>> {
        let pairs: Vec<(&str, &str)> = templates.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Templates::load(site(&pairs).path())
    }

    #[test]
    fn a_missing_required_template_is_named() {
        let Err(errors) = load(&required_but("404.html", None)) else {
            panic!("must fail")
        };
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "site/templates/404.html:1:1: the template is missing\n   help: every site needs base.html, page.html, section.html, home.html, 404.html and partials/section_nav.html"
            ]
        );
    }

    #[test]
    fn a_syntax_error_names_template_line_and_column() {
        let Err(errors) = load(&required_but(
            "",
            Some(("page.html", "a\n<h1>{{ x }</h1>\n")),
        )) else {
            panic!("must fail")
        };
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(
            (e.file.as_path(), e.line, e.column),
            (Path::new("site/templates/page.html"), 2, 10)
        );
        assert!(
            e.message.starts_with("template syntax error: expected"),
            "{}",
            e.message
        );
    }

    #[test]
    fn built_in_templates_escape_and_cannot_be_named_by_pages() {
        let templates = load(&required_but("", None)).expect("loads");
        assert!(templates.has("page.html") && !templates.has(ALIAS));
        #[derive(Serialize)]
        struct View<'a> {
            base_url: &'a str,
        }
        let robots = templates
            .render(
                ROBOTS,
                &View {
                    base_url: "https://x",
                },
                Path::new("robots.txt"),
            )
            .expect("renders");
        assert_eq!(
            robots,
            "User-agent: *\nAllow: /\n\nSitemap: https://x/sitemap.xml\n"
        );
    }

    #[test]
    fn an_unknown_variable_names_its_use_and_the_content_file() {
        let templates = load(&required_but(
            "",
            Some(("page.html", "<p>\n  {{ page.subtitle }}</p>")),
        ))
        .expect("loads");
        let e = templates
            .render(
                "page.html",
                &serde_json::json!({}),
                Path::new("content/a.md"),
            )
            .expect_err("unknown variable");
        assert_eq!(
            e.to_string(),
            "site/templates/page.html:2:6: unknown variable `page.subtitle` (while rendering content/a.md)\n   help: check the variable's name against the view documented in docs/templates.md"
        );
    }
}
