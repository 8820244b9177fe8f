//! guidepost: content → model → render → output.
