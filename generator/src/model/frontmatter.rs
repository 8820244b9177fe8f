//! Raw front matter as written (unknown keys rejected) and its checked form.

use std::path::Path;

use serde::Deserialize;

use crate::error::ContentError;
use crate::model::{Date, Lang};
use crate::yaml::{self, Spanned};

/// Front matter exactly as an editor writes it; every key is documented in docs/content.md.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: String,
    description: Option<String>,
    weight: Option<i64>,
    draft: Option<bool>,
    lang: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
    aliases: Option<Vec<Spanned<String>>>,
    updated: Option<Spanned<String>>,
    reviewed: Option<Spanned<String>>,
    editor: Option<String>,
    reviewer: Option<String>,
    template: Option<Spanned<String>>,
    toc: Option<bool>,
    form: Option<Spanned<String>>,
    menu: Option<bool>,
    review_every_months: Option<Spanned<u32>>,
    notices: Option<bool>,
    published: Option<Spanned<String>>,
    expires: Option<Spanned<String>>,
}

/// Checked front matter: every value has its type and its format verified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FrontMatter {
    /// The page's title.
    pub title: String,
    /// One-sentence summary.
    pub description: Option<String>,
    /// Sort key within the section.
    pub weight: i64,
    /// Left out of the build unless drafts are asked for.
    pub draft: bool,
    /// Set here, not inherited.
    pub lang: Option<Lang>,
    /// Replaces the last part of the URL, with its line and column for errors.
    pub slug: Option<(String, usize, usize)>,
    /// Old URLs that redirect here, normalised to `/a/b/`.
    pub aliases: Vec<(String, usize)>,
    /// Last change of the text.
    pub updated: Option<Date>,
    /// Last check of the facts.
    pub reviewed: Option<Date>,
    /// Who is responsible for the page.
    pub editor: Option<String>,
    /// Who checked the facts.
    pub reviewer: Option<String>,
    /// Another template, with its line for errors.
    pub template: Option<(String, usize, usize)>,
    /// Show a table of contents.
    pub toc: bool,
    /// A form id, with its line for errors.
    pub form: Option<(String, usize, usize)>,
    /// Listed in menus and section listings (default true).
    pub menu: bool,
    /// This page's own review interval in months, replacing the site's.
    pub review_every_months: Option<u32>,
    /// Where `updated` and `reviewed` are written (line, column), for errors about them.
    pub dates_at: [Option<(usize, usize)>; 2],
    /// On a section's `_index.md`: its pages are dated notices (newest first, with a feed).
    pub notices: bool,
    /// A notice's date.
    pub published: Option<Date>,
    /// The day after which a notice is no longer shown on the home page or in the feed.
    pub expires: Option<Date>,
}

/// Parses and checks a page's front matter; `line` is the file line the YAML starts on.
pub fn parse(text: &str, file: &Path, line: usize) -> Result<FrontMatter, Vec<ContentError>> {
    let raw: RawFrontMatter = yaml::parse(text, file, line).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let at = |s: &Spanned<String>| yaml::line_of(s, line);
    let lang = raw.lang.as_ref().and_then(|l| {
        Lang::parse(&l.value)
            .map_err(|m| errors.push(err(file, at(l), m, "use one of: sv, nb, en")))
            .ok()
    });
    let mut date = |d: &Option<Spanned<String>>, key: &str| {
        d.as_ref().and_then(|d| {
            Date::parse(&d.value)
                .map_err(|m| {
                    errors.push(err(
                        file,
                        at(d),
                        format!("`{key}`: {m}"),
                        "write the date as YYYY-MM-DD, e.g. 2026-11-01",
                    ))
                })
                .ok()
        })
    };
    let updated = date(&raw.updated, "updated");
    let reviewed = date(&raw.reviewed, "reviewed");
    let published = date(&raw.published, "published");
    let expires = date(&raw.expires, "expires");
    let slug = raw.slug.as_ref().and_then(|s| {
        check_slug(&s.value)
            .map(|v| {
                let (l, c) = at(s);
                (v, l, c)
            })
            .map_err(|m| errors.push(err(file, at(s), m, "use lower-case a-z, digits and `-`")))
            .ok()
    });
    let mut aliases = Vec::new();
    for a in raw.aliases.iter().flatten() {
        match normalise_alias(&a.value) {
            Ok(url) => aliases.push((url, at(a).0)),
            Err(m) => errors.push(err(
                file,
                at(a),
                m,
                "write the old address as a path, e.g. /gammal/adress/",
            )),
        }
    }
    if let Some(months) = &raw.review_every_months
        && !(1..=60).contains(&months.value)
    {
        errors.push(err(
            file,
            yaml::line_of(months, line),
            format!(
                "`review_every_months: {}` is not 1 to 60 months",
                months.value
            ),
            "write how many months may pass between two reviews of this page, e.g. 6",
        ));
    }
    if raw.title.trim().is_empty() {
        errors.push(err(
            file,
            (line, 1),
            "`title` is empty".into(),
            "give the page a title",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let spanned = |s: Option<Spanned<String>>| {
        s.map(|s| {
            let (l, c) = yaml::line_of(&s, line);
            (s.value, l, c)
        })
    };
    Ok(FrontMatter {
        title: raw.title.trim().to_string(),
        description: raw.description.map(|d| d.trim().to_string()),
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        lang,
        slug,
        aliases,
        updated,
        reviewed,
        editor: raw.editor,
        reviewer: raw.reviewer,
        template: spanned(raw.template),
        toc: raw.toc.unwrap_or(false),
        form: spanned(raw.form),
        menu: raw.menu.unwrap_or(true),
        review_every_months: raw.review_every_months.map(|m| m.value),
        notices: raw.notices.unwrap_or(false),
        published,
        expires,
        dates_at: [
            raw.updated.as_ref().map(|d| yaml::line_of(d, line)),
            raw.reviewed.as_ref().map(|d| yaml::line_of(d, line)),
        ],
    })
}

fn err(file: &Path, (line, col): (usize, usize), message: String, help: &str) -> ContentError {
    ContentError::new(file, line, col, message).help(help)
}

/// A slug is one URL segment of lower-case ASCII letters, digits and `-`.
pub fn check_slug(slug: &str) -> Result<String, String> {
    let ok = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(slug.to_string())
    } else {
        Err(format!("`slug` `{slug}` is not a valid address part"))
    }
}

fn normalise_alias(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim().trim_matches('/');
    let ok = !trimmed.is_empty()
        && !trimmed
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c));
    if ok {
        Ok(format!("/{trimmed}/"))
    } else {
        Err(format!("alias `{alias}` is not a valid address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse(text, Path::new("content/a.md"), 2)
            .expect_err("must fail")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_full_front_matter_is_checked_and_positioned() {
        let meta = parse(
            "title: ' Priser '\nlang: nb\nslug: pris\naliases: [gammal/pris]\nupdated: 2026-11-01\nform: bestall\ntemplate: wide.html\nmenu: false\n",
            Path::new("content/a.md"),
            2,
        )
        .expect("valid");
        assert_eq!(meta.title, "Priser");
        assert_eq!(meta.lang, Some(Lang::Nb));
        assert_eq!(meta.slug.as_ref().map(|(s, _, _)| s.as_str()), Some("pris"));
        assert_eq!(meta.aliases, [("/gammal/pris/".to_string(), 5)]);
        assert_eq!(
            meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2026-11-01")
        );
        assert_eq!(meta.form, Some(("bestall".to_string(), 7, 7)));
        assert_eq!(meta.template, Some(("wide.html".to_string(), 8, 11)));
        assert!(!meta.menu && !meta.draft && !meta.toc);
        assert_eq!(meta.weight, 0);
    }

    #[test]
    fn bad_values_are_all_reported_with_help() {
        assert_eq!(
            errors(
                "title: ' '\nlang: no\nslug: Stora Bokstäver\naliases: ['../x']\nreviewed: 2026-02-30\n"
            ),
            [
                "content/a.md:3:7: unsupported language `no`: Norwegian pages use `nb` (bokmål)\n   help: use one of: sv, nb, en",
                "content/a.md:6:11: `reviewed`: `2026-02-30` is not a real date\n   help: write the date as YYYY-MM-DD, e.g. 2026-11-01",
                "content/a.md:4:7: `slug` `Stora Bokstäver` is not a valid address part\n   help: use lower-case a-z, digits and `-`",
                "content/a.md:5:11: alias `../x` is not a valid address\n   help: write the old address as a path, e.g. /gammal/adress/",
                "content/a.md:2:1: `title` is empty\n   help: give the page a title",
            ]
        );
    }

    #[test]
    fn slugs_are_one_lower_case_segment() {
        assert_eq!(check_slug("s-5"), Ok("s-5".into()));
        assert_eq!(
            check_slug("a/b"),
            Err("`slug` `a/b` is not a valid address part".into())
        );
    }
}
