//! The service desks forms send to, as content (`content/desks.yaml`): desk key → a name and one or
//! more addresses. Checked here with `file:line:col` ([`check_desks`]); forms may only route to a desk
//! listed; the build exports the list as `forms/desks.json` for the form function, where a deployment
//! may override the addresses per desk.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{DefinitionError, FormSource};
use crate::yaml;

/// One desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    /// What editors and the desk mail call it.
    pub name: String,
    /// Where its mail goes.
    pub addresses: Vec<String>,
}

/// Desk key → desk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desks(pub BTreeMap<String, Desk>);

impl Desks {
    /// Whether `key` is listed.
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// `forms/desks.json`: deterministic.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesk {
    name: String,
    addresses: Spanned<OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `local@domain`: one `@`, a dot in the domain, no spaces, controls, quotes, commas or angle brackets.
pub fn is_plain_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let clean = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\@".contains(c))
    };
    clean(local)
        && clean(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// Checks `content/desks.yaml`: every key `a-z`, `0-9`, `-`; a name; at least one plain address.
pub fn check_desks(source: &FormSource) -> Result<Desks, Vec<DefinitionError>> {
    let raw: BTreeMap<String, Spanned<RawDesk>> = yaml::parse(&source.text, 1)
        .map_err(|e| vec![DefinitionError::from_yaml(&source.path, e)])?;
    let mut errors = Vec::new();
    let mut desks = BTreeMap::new();
    let at = |path: &Path, location, message: String| DefinitionError::at(path, location, message);
    for (key, desk) in raw {
        let plain = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !plain {
            let message = format!("desk key `{key}` may use only a-z, 0-9 and -");
            errors.push(at(&source.path, desk.referenced, message));
            continue;
        }
        let addresses = match desk.value.addresses.value {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        };
        let location = desk.value.addresses.referenced;
        if addresses.is_empty() {
            let message = format!("desk `{}` has no address: list at least one", key);
            errors.push(at(&source.path, location, message));
        }
        for bad in addresses.iter().filter(|a| !is_plain_address(a)) {
            let message = format!(
                "desk `{}`: `{bad}` is not an e-mail address (write it as name@domain, without a name or <>)",
                key
            );
            errors.push(at(&source.path, location, message));
        }
        desks.insert(
            key,
            Desk {
                name: desk.value.name.trim().to_owned(),
                addresses,
            },
        );
    }
    if errors.is_empty() {
        Ok(Desks(desks))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> FormSource {
        FormSource {
            path: "content/desks.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn desks_are_checked_with_their_positions() {
        let good = check_desks(&source(
            "accounts:\n  name: IT-support\n  addresses: it@region.example\nnetwork:\n  name: Nät\n  addresses: [a@region.example, b@region.example]\n",
        ))
        .expect("good");
        assert_eq!(good.0["accounts"].addresses, ["it@region.example"]);
        assert_eq!(good.0["network"].addresses.len(), 2);
        let errors = check_desks(&source(
            "Accounts:\n  name: X\n  addresses: [a@b.example]\nnetwork:\n  name: Nät\n  addresses: [Nät <n@region.example>]\n",
        ))
        .expect_err("bad");
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "content/desks.yaml:2:3: desk key `Accounts` may use only a-z, 0-9 and -",
                "content/desks.yaml:6:14: desk `network`: `Nät <n@region.example>` is not an e-mail address (write it as name@domain, without a name or <>)",
            ]
        );
        let unknown =
            check_desks(&source("a:\n  name: A\n  adresses: [a@b.example]\n")).expect_err("typo");
        assert!(
            unknown[0]
                .to_string()
                .starts_with("content/desks.yaml:3:3: unknown key `adresses`"),
            "{}",
            unknown[0]
        );
    }
}
