//! guidepost-forms: form definitions, identifier checks, validation, routing and e-mail composition.
//! Pure library shared by the generator and the form function: no AWS, no HTTP.

pub mod identifiers;
