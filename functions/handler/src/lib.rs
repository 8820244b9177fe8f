//! guidepost-handler: request → parse → validate → route → deliver → response.
