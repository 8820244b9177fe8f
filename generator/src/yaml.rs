//! The generator's side of YAML: the forms library's [`guidepost_forms::yaml`] (the one owner of the
//! parser and of its error wording), with its errors as [`ContentError`]s naming the file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::ContentError;

pub use guidepost_forms::yaml::{Spanned, line_of};

/// Parses `text` as YAML into `T`. `first_line` is the file line the text starts on (1 for a whole file,
/// 2 for front matter after the opening `---`), so errors point into the file, not into the block.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, ContentError> {
    guidepost_forms::yaml::parse(text, first_line)
        .map_err(|e| ContentError::new(file, e.line, e.column, e.message).help(e.help))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
    }

    #[test]
    fn errors_name_the_file_and_carry_the_help() {
        let err = parse::<Doc>("title: Hej\ntitel: x\n", Path::new("content/a.md"), 2)
            .expect_err("unknown key");
        assert_eq!(
            err.to_string(),
            "content/a.md:3:1: unknown key `titel` (did you mean `title`? expected one of: title)\n   \
             help: check the spelling of the key, or remove it; docs/content.md lists every key"
        );
    }
}
