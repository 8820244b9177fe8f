//! Checks for Swedish and Norwegian identifiers (filled in by the identifiers work).
