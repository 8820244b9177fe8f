//! The site configuration, `site/site.yaml`, read once into a typed struct.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::ContentError;
use crate::model::Lang;
use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: String,
    default_lang: String,
    #[serde(default)]
    review_every_months: Option<u32>,
    #[serde(default)]
    search: Option<bool>,
}

/// Checked site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Absolute URL the site is published at, without a trailing slash.
    pub base_url: String,
    /// Language of pages whose sections set none.
    #[serde(skip)]
    pub default_lang: Lang,
    /// How often a page's facts are to be checked, in months (`review_every_months`, default 12); a
    /// page may set its own.
    #[serde(skip)]
    pub review_every_months: u32,
    /// Build the search index (`search`, default true); without it the search pages show the
    /// site's index only.
    #[serde(skip)]
    pub search: bool,
}

/// The review interval when `site/site.yaml` sets none.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// Reads and checks `site/site.yaml`.
pub fn load(root: &Path) -> Result<Config, Vec<ContentError>> {
    let shown = Path::new("site/site.yaml");
    let text = fs::read_to_string(root.join(shown)).map_err(|e| {
        vec![
            ContentError::new(
                shown,
                1,
                1,
                format!("cannot read the site configuration: {e}"),
            )
            .help("create site/site.yaml with `base_url` and `default_lang`"),
        ]
    })?;
    let raw: RawConfig = yaml::parse(&text, shown, 1).map_err(|e| vec![e])?;
    let default_lang = Lang::parse(&raw.default_lang)
        .map_err(|m| vec![ContentError::new(shown, 1, 1, m).help("use one of: sv, nb, en")])?;
    let base_url = raw.base_url.trim_end_matches('/').to_string();
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        return Err(vec![
            ContentError::new(
                shown,
                1,
                1,
                format!("`base_url` `{base_url}` is not an absolute http(s) address"),
            )
            .help("write the address the site is published at, e.g. https://guide.example"),
        ]);
    }
    let review_every_months = raw.review_every_months.unwrap_or(DEFAULT_REVIEW_MONTHS);
    if !(1..=60).contains(&review_every_months) {
        return Err(vec![
            ContentError::new(
                shown,
                1,
                1,
                format!("`review_every_months: {review_every_months}` is not 1 to 60 months"),
            )
            .help("write how many months may pass between two reviews of a page, e.g. 12"),
        ]);
    }
    Ok(Config {
        base_url,
        default_lang,
        review_every_months,
        search: raw.search.unwrap_or(true),
    })
}
