//! Desk addresses: a file (`GUIDEPOST_DESKS`, YAML or JSON: desk key → address or list of addresses) read
//! once at start into a [`DeskBook`]. Recipients come only from here, never from submitted data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The bundled example (reserved `.example` domains only): chosen explicitly by the dev server
/// ([`crate::config::Config::development`]), never a fallback for unset desk variables.
pub const EXAMPLE_DESKS: &str = include_str!("../desks.example.json");

/// Desk key → checked addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeskBook(BTreeMap<String, Vec<String>>);

/// Why the desk file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The desk file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a map of desk key → address(es).
    #[error("{path}: {message}")]
    Syntax {
        /// The desk file (or `desks.example.json`).
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// An entry is not a plain address, or a desk has none.
    #[error("{path}: desk `{desk}`: {problem}")]
    Address {
        /// The desk file.
        path: PathBuf,
        /// The desk key.
        desk: String,
        /// What is wrong.
        problem: String,
    },
    /// A deployment's desk file names desks the content does not list.
    #[error("the desk override ({source_name}) names desk(s) the site's content/desks.yaml does not list: {}; it may only change the addresses of the listed desks ({})", .unknown.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "), .known.join(", "))]
    UnknownOverride {
        /// Which variable the override came from.
        source_name: &'static str,
        /// The keys not in the content.
        unknown: Vec<String>,
        /// The keys the content lists.
        known: Vec<String>,
    },
    /// Forms name desks the file does not have.
    #[error("no address for desk(s) {}: add them to the desk file (GUIDEPOST_DESKS)", .0.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "))]
    Missing(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Addresses {
    One(String),
    Many(Vec<String>),
    /// The content's shape (`content/desks.yaml`, exported as `forms/desks.json`).
    Named {
        #[allow(dead_code)]
        name: String,
        addresses: Box<Addresses>,
    },
}

impl Addresses {
    fn into_list(self) -> Vec<String> {
        match self {
            Addresses::One(one) => vec![one],
            Addresses::Many(many) => many,
            Addresses::Named { addresses, .. } => addresses.into_list(),
        }
    }
}

impl DeskBook {
    /// Reads `path` (`.yaml`/`.yml` as YAML, anything else as JSON).
    pub fn load(path: &Path) -> Result<DeskBook, DeskError> {
        let text = std::fs::read_to_string(path).map_err(|source| DeskError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        DeskBook::parse(&text, yaml, path)
    }

    /// The bundled example ([`EXAMPLE_DESKS`]).
    pub fn example() -> Result<DeskBook, DeskError> {
        DeskBook::parse(
            EXAMPLE_DESKS,
            false,
            Path::new("functions/handler/desks.example.json"),
        )
    }

    /// Parses desk-file text; `path` is only for messages.
    pub fn parse(text: &str, yaml: bool, path: &Path) -> Result<DeskBook, DeskError> {
        let syntax = |message: String| DeskError::Syntax {
            path: path.to_path_buf(),
            message,
        };
        let raw: BTreeMap<String, Addresses> = if yaml {
            serde_saphyr::from_str(text).map_err(|e| syntax(e.to_string()))?
        } else {
            serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?
        };
        let mut book = BTreeMap::new();
        for (desk, addresses) in raw {
            let addresses = addresses.into_list();
            let problem = |problem: String| DeskError::Address {
                path: path.to_path_buf(),
                desk: desk.clone(),
                problem,
            };
            if addresses.is_empty() {
                return Err(problem("no address".into()));
            }
            if let Some(bad) = addresses.iter().find(|a| !is_plain_address(a)) {
                return Err(problem(format!("`{bad}` is not an e-mail address")));
            }
            book.insert(desk, addresses);
        }
        Ok(DeskBook(book))
    }

    /// The content's desks with `over`'s addresses in place of theirs; `over` may name only desks the
    /// content lists.
    pub fn overridden_by(
        self,
        over: DeskBook,
        source_name: &'static str,
    ) -> Result<DeskBook, DeskError> {
        let unknown: Vec<String> = over
            .0
            .keys()
            .filter(|k| !self.0.contains_key(*k))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(DeskError::UnknownOverride {
                source_name,
                unknown,
                known: self.0.keys().cloned().collect(),
            });
        }
        let mut merged = self.0;
        merged.extend(over.0);
        Ok(DeskBook(merged))
    }

    /// The addresses of `desk`.
    pub fn addresses(&self, desk: &str) -> Option<&[String]> {
        self.0.get(desk).map(Vec::as_slice)
    }

    /// Fails naming every desk key in `needed` that has no address.
    pub fn check_covers<'a>(
        &self,
        needed: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), DeskError> {
        let mut missing: Vec<String> = needed
            .into_iter()
            .filter(|d| !self.0.contains_key(*d))
            .map(str::to_owned)
            .collect();
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(DeskError::Missing(missing))
        }
    }
}

/// `local@domain`: one `@`, a dot in the domain, no spaces, controls, quotes, commas or angle brackets
/// (the forms crate's check, shared with `guidepost check`).
pub fn is_plain_address(address: &str) -> bool {
    guidepost_forms::is_plain_address(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_uses_reserved_domains_only() {
        let book = DeskBook::example().expect("example parses");
        assert!(!book.0.is_empty());
        for addresses in book.0.values() {
            assert!(
                addresses.iter().all(|a| a.ends_with(".example")),
                "{addresses:?}"
            );
        }
    }

    #[test]
    fn yaml_and_json_give_the_same_book() {
        let yaml =
            "natverk: natverk@desk.example\nsupport:\n  - a@desk.example\n  - b@desk.example\n";
        let json = r#"{"natverk": "natverk@desk.example", "support": ["a@desk.example", "b@desk.example"]}"#;
        let from_yaml = DeskBook::parse(yaml, true, Path::new("d.yaml")).expect("yaml");
        let from_json = DeskBook::parse(json, false, Path::new("d.json")).expect("json");
        assert_eq!(from_yaml, from_json);
        assert_eq!(
            from_yaml.addresses("support"),
            Some(&["a@desk.example".to_owned(), "b@desk.example".to_owned()][..])
        );
    }

    #[test]
    fn bad_files_are_refused_with_the_desk_named() {
        let err = DeskBook::parse(
            r#"{"natverk": ["x@desk.example", "Evil\r\nBcc: y@z.example"]}"#,
            false,
            Path::new("d.json"),
        )
        .expect_err("bad address");
        assert_eq!(
            err.to_string(),
            "d.json: desk `natverk`: `Evil\r\nBcc: y@z.example` is not an e-mail address"
        );
        let err =
            DeskBook::parse(r#"{"natverk": []}"#, false, Path::new("d.json")).expect_err("empty");
        assert_eq!(err.to_string(), "d.json: desk `natverk`: no address");
        assert!(matches!(
            DeskBook::parse("[1]", false, Path::new("d.json")),
            Err(DeskError::Syntax { .. })
        ));
    }

    #[test]
    fn coverage_names_every_missing_desk_once() {
        let book = DeskBook::parse(r#"{"a": "a@desk.example"}"#, false, Path::new("d.json"))
            .expect("book");
        assert!(book.check_covers(["a"]).is_ok());
        let err = book
            .check_covers(["c", "a", "b", "c"])
            .expect_err("missing");
        assert_eq!(
            err.to_string(),
            "no address for desk(s) `b`, `c`: add them to the desk file (GUIDEPOST_DESKS)"
        );
    }
}
