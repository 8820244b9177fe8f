//! User-interface strings per language from `site/i18n/<lang>.yaml`, checked to have the same keys.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::error::ContentError;
use crate::model::Lang;
use crate::yaml;

/// Strings for every language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    by_lang: BTreeMap<Lang, BTreeMap<String, String>>,
}

impl Strings {
    /// The strings of one language.
    pub fn get(&self, lang: Lang) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.by_lang.get(&lang).unwrap_or(&EMPTY)
    }
}

/// Loads `site/i18n/{sv,nb,en}.yaml`; a missing file or a key missing in one language is an error.
pub fn load(root: &Path) -> Result<Strings, Vec<ContentError>> {
    let mut by_lang = BTreeMap::new();
    let mut errors = Vec::new();
    for lang in Lang::ALL {
        let shown = Path::new("site/i18n").join(format!("{lang}.yaml"));
        let text = match fs::read_to_string(root.join(&shown)) {
            Ok(t) => t,
            Err(e) => {
                errors.push(
                    ContentError::new(
                        &shown,
                        1,
                        1,
                        format!("cannot read the strings for `{lang}`: {e}"),
                    )
                    .help("copy site/i18n/en.yaml and translate it"),
                );
                continue;
            }
        };
        match yaml::parse::<BTreeMap<String, String>>(&text, &shown, 1) {
            Ok(map) => {
                by_lang.insert(lang, map);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        let all_keys: std::collections::BTreeSet<&String> =
            by_lang.values().flat_map(|m| m.keys()).collect();
        for (lang, map) in &by_lang {
            for key in all_keys.iter().filter(|k| !map.contains_key(**k)) {
                let shown = Path::new("site/i18n").join(format!("{lang}.yaml"));
                errors.push(
                    ContentError::new(&shown, 1, 1, format!("the string `{key}` is missing"))
                        .help("every language file needs the same keys"),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(Strings { by_lang })
    } else {
        Err(errors)
    }
}
