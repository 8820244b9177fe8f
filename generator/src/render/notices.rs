//! Notices: the pages of a section whose `_index.md` says `notices: true` (planned maintenance,
//! incidents, changes), each with a `published:` date and maybe `expires:`. The model lists them newest
//! first; here: an Atom feed per notices section (`<section>/feed.xml`, in its language), the newest
//! notices still in force for the home page, and which feed a page belongs to.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::ContentError;
use crate::model::{Date, Site};
use crate::render::templates::FEED;
use crate::render::{OutputFile, Theme};

/// How many notices the home page shows.
pub const ON_HOME: usize = 3;

/// A notice as a template sees it.
#[derive(Debug, Serialize, Clone)]
pub struct NoticeView<'a> {
    /// Title.
    pub title: &'a str,
    /// Address.
    pub url: &'a str,
    /// Summary.
    pub description: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// `YYYY-MM-DD`, if it has an end.
    pub expires: Option<String>,
    /// Its language (`sv`, `nb`, `en`).
    pub lang: &'a str,
}

/// Whether page `i` is a notice still in force on `today`.
fn in_force(site: &Site, i: usize, today: Date) -> bool {
    let page = &site.pages[i];
    let in_notices = page.parent.is_some_and(|p| site.pages[p].meta.notices);
    in_notices
        && !page.is_section
        && page.meta.published.is_some_and(|p| p <= today)
        && page.meta.expires.is_none_or(|e| e >= today)
}

fn view(site: &Site, i: usize) -> NoticeView<'_> {
    let page = &site.pages[i];
    NoticeView {
        title: &page.meta.title,
        url: &page.url,
        description: page.meta.description.as_deref(),
        published: page
            .meta
            .published
            .map(|d| d.to_string())
            .unwrap_or_default(),
        expires: page.meta.expires.map(|d| d.to_string()),
        lang: page.lang.code(),
    }
}

/// The newest notices in force on `today`, across the site, at most [`ON_HOME`].
pub fn latest(site: &Site, today: Date) -> Vec<NoticeView<'_>> {
    let mut notices: Vec<usize> = (0..site.pages.len())
        .filter(|&i| in_force(site, i, today))
        .collect();
    notices.sort_by(|&a, &b| {
        (site.pages[b].meta.published, &site.pages[a].url)
            .cmp(&(site.pages[a].meta.published, &site.pages[b].url))
    });
    notices
        .into_iter()
        .take(ON_HOME)
        .map(|i| view(site, i))
        .collect()
}

/// The feed of the notices section page `i` is (or is in), as a site path.
pub fn feed_of(site: &Site, i: usize) -> Option<String> {
    let page = &site.pages[i];
    let section = if page.is_section && page.meta.notices {
        Some(i)
    } else {
        page.parent.filter(|&p| site.pages[p].meta.notices)
    };
    section.map(|s| format!("{}feed.xml", site.pages[s].url))
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: &'a str,
    lang: &'a str,
    base_url: &'a str,
    url: &'a str,
    updated: String,
    entries: Vec<NoticeView<'a>>,
}

/// One Atom feed per notices section, with the notices in force on the day of the build.
pub fn feeds(site: &Site, theme: &Theme) -> Result<Vec<OutputFile>, ContentError> {
    let mut files = Vec::new();
    for (s, section) in site.pages.iter().enumerate() {
        if !(section.is_section && section.meta.notices) {
            continue;
        }
        let entries: Vec<NoticeView> = section
            .children
            .iter()
            .filter(|&&c| in_force(site, c, theme.today))
            .map(|&c| view(site, c))
            .collect();
        let updated = entries
            .first()
            .map(|e| e.published.clone())
            .or_else(|| section.meta.updated.map(|d| d.to_string()))
            .unwrap_or_else(|| theme.today.to_string());
        let feed = FeedView {
            title: &section.meta.title,
            lang: section.lang.code(),
            base_url: &theme.config.base_url,
            url: &section.url,
            updated,
            entries,
        };
        let text = theme.templates.render(FEED, &feed, Path::new(FEED))?;
        let path = PathBuf::from(site.pages[s].url.trim_start_matches('/')).join("feed.xml");
        files.push(OutputFile {
            path,
            bytes: text.into_bytes(),
        });
    }
    Ok(files)
}
