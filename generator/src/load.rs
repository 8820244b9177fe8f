//! The front half every build shares: reads and checks the configuration, strings, templates, content,
//! data, forms and dates, collecting every error before failing; then the theme rendering needs.

use std::collections::HashSet;
use std::path::Path;

use crate::config::{self, Config};
use crate::content::{self, SourceAsset, Sources};
use crate::error::{ContentError, ErrorReport};
use crate::forms;
use crate::model::{self, Date, FrontMatter, Site};
use crate::output::{self, CopiedFile};
use crate::render::{self, i18n::Strings, templates::Templates};
use crate::review;
use guidepost_forms::Desks;

/// Everything a build renders from, checked.
pub struct Loaded {
    /// Site configuration.
    pub config: Config,
    /// User-interface strings.
    pub strings: Strings,
    /// Templates.
    pub templates: Templates,
    /// Content files published as they are.
    pub assets: Vec<SourceAsset>,
    /// `site/static/` files, copied to the output root.
    pub copies: Vec<CopiedFile>,
    /// The checked forms.
    pub forms: guidepost_forms::FormSet,
    /// The desks forms send to.
    pub desks: Desks,
    /// The content model.
    pub site: Site,
    /// The day of the build.
    pub today: Date,
    /// The sources the model was built from, when asked for (a rebuild that keeps them).
    pub sources: Option<Sources>,
}

/// How front matter is parsed: with a cache in front of [`model::parse_front_matter`], or (`None`)
/// every page's on every core.
pub type ParseFrontMatter<'a> =
    Option<&'a mut dyn FnMut(&content::SourcePage) -> Result<FrontMatter, Vec<ContentError>>>;

/// Loads and checks the site at `root`; `keep_sources` keeps a copy of what was read.
pub fn load(
    root: &Path,
    drafts: bool,
    keep_sources: bool,
    parse: ParseFrontMatter,
) -> Result<Loaded, ErrorReport> {
    let mut errors = Vec::new();
    let config = config::load(root).map_err(|e| errors.extend(e)).ok();
    let strings = render::i18n::load(root).map_err(|e| errors.extend(e)).ok();
    // Parsing the templates is one core's work: it goes on while the content is read on the others.
    let (templates, sources) = std::thread::scope(|scope| {
        let templates = scope.spawn(|| Templates::load(root));
        let sources = content::read(root);
        let templates = templates
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (templates, sources)
    });
    let templates = templates.map_err(|e| errors.extend(e)).ok();
    let sources = sources.map_err(|e| errors.extend(e)).ok();
    let default_lang = config.as_ref().map_or(model::Lang::En, |c| c.default_lang);
    let assets: Vec<SourceAsset> = sources
        .as_ref()
        .map(|s| s.assets.clone())
        .unwrap_or_default();
    let data_errors = errors.len();
    let data = sources
        .as_ref()
        .map(|s| model::data::check_all(&s.data, &mut errors));
    // Forms are checked against good data files only: a broken one is reported on its own.
    let forms = match (&sources, &data) {
        (Some(s), Some(d)) if errors.len() == data_errors => {
            forms::check(&s.forms, &s.privacy, d, s.desks.as_ref())
                .map_err(|e| errors.extend(e))
                .ok()
        }
        _ => None,
    };
    let kept = if keep_sources { sources.clone() } else { None };
    let site = sources.zip(data).and_then(|(s, d)| {
        match parse {
            Some(parse) => model::build_with(s, d, default_lang, drafts, parse),
            None => {
                // Parsed ahead in parallel; the model asks for them in the sources' order.
                let parsed =
                    crate::par::map(s.pages.len(), |i| model::parse_front_matter(&s.pages[i]));
                let mut parsed = parsed.into_iter();
                model::build_with(s, d, default_lang, drafts, &mut |src| {
                    parsed
                        .next()
                        .unwrap_or_else(|| model::parse_front_matter(src))
                })
            }
        }
        .map_err(|e| errors.extend(e))
        .ok()
    });
    let today = review::today().map_err(|e| errors.push(e)).ok();
    if let (Some(site), Some(today)) = (&site, today) {
        errors.extend(review::future_dates(site, today));
    }
    match (config, strings, templates, site, forms, today) {
        (
            Some(config),
            Some(strings),
            Some(templates),
            Some(site),
            Some((forms, desks)),
            Some(today),
        ) if errors.is_empty() => Ok(Loaded {
            config,
            strings,
            templates,
            assets,
            copies: output::static_files(root),
            forms,
            desks,
            site,
            today,
            sources: kept,
        }),
        _ => Err(ErrorReport::new(errors)),
    }
}

impl Loaded {
    /// The theme for rendering this site; `form` renders a form by id (see [`Loaded::form`]).
    pub fn theme<'a>(
        &'a self,
        form: &'a (dyn Fn(&str) -> Option<String> + Sync),
    ) -> render::Theme<'a> {
        render::Theme {
            config: &self.config,
            templates: &self.templates,
            strings: &self.strings,
            assets: self
                .assets
                .iter()
                .map(|a| a.rel.clone())
                .collect::<HashSet<_>>(),
            static_files: self.copies.iter().map(|c| c.to.clone()).collect(),
            form,
            today: self.today,
        }
    }

    /// The empty form with this id, as a page shows it.
    pub fn form(&self, id: &str) -> Option<String> {
        forms::render_empty(&self.forms, id)
    }

    /// Every file copied as it is: `site/static/` and the content's assets.
    pub fn all_copies(&self) -> Vec<CopiedFile> {
        let mut copies = self.copies.clone();
        copies.extend(self.assets.iter().map(|a| CopiedFile {
            from: a.from.clone(),
            to: a.rel.clone(),
        }));
        copies
    }
}
