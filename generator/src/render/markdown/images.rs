//! Images in a body: what an image's alt text says (a description, nothing, or the word for a
//! decorative image) and the help for an image that is missing or undescribed.

/// What an image's alt text says.
pub(super) enum Alt {
    /// None: an error.
    Missing,
    /// `decorative` (or `dekorativ`, `dekorativt`, `dekorasjon`): shown with an empty alt.
    Decorative,
    /// A description.
    Given,
}

pub(super) fn alt_text(alt: &str) -> Alt {
    match alt.trim().to_lowercase().as_str() {
        "" => Alt::Missing,
        "decorative" | "dekorativ" | "dekorativt" | "dekorasjon" => Alt::Decorative,
        _ => Alt::Given,
    }
}

/// The help for an image file that is not there.
pub const IMAGE_HELP: &str = "put the image file next to the page (or where the path says) and check the spelling of its name";

/// The help for an image without alt text.
pub(super) const ALT_HELP: &str = "write what the image shows between the brackets, ![like this](file.png); for an image that only decorates, write ![decorative](file.png)";
