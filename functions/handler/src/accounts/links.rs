//! The register's links: what a link lets its holder do ([`Action`]), made into a URL under the
//! form function's path (`{public_url}{action_prefix}_accounts/{confirm|extend|end}?t=…`, a path no
//! form id can take), and every way a link can fail ([`LinkProblem`]), each with its page text and
//! status.

use guidepost_forms::{Date, Lang};
use jiff::tz::TimeZone;

use super::record::Refusal;
use super::texts::texts;
use super::token::{Action, Claims, LinkKey, TokenError, sign};
use crate::settings::Settings;

/// The path segment under the action prefix.
pub const ACCOUNTS_SEGMENT: &str = "_accounts";

/// How long a desk's confirmation link works, in days.
pub const CONFIRM_LINK_DAYS: i64 = 60;

/// Why a link cannot be used; each has a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Changed, made up or cut short (400).
    Invalid,
    /// Its time has passed (410).
    Expired,
    /// Used already, or replaced by a newer one (409).
    Used,
    /// The account is ended or removed (409).
    Closed,
    /// No such account or request (404).
    Unknown,
    /// The register could not be read or written (503).
    Unavailable,
}

impl LinkProblem {
    /// The HTTP status.
    pub fn status(self) -> u16 {
        match self {
            LinkProblem::Invalid => 400,
            LinkProblem::Expired => 410,
            LinkProblem::Used | LinkProblem::Closed => 409,
            LinkProblem::Unknown => 404,
            LinkProblem::Unavailable => 503,
        }
    }

    /// Heading and explanation in `lang`.
    pub fn words(self, lang: Lang) -> (&'static str, &'static str) {
        let t = texts(lang);
        match self {
            LinkProblem::Invalid => t.invalid,
            LinkProblem::Expired => t.expired,
            LinkProblem::Used => t.used,
            LinkProblem::Closed => t.closed,
            LinkProblem::Unknown => t.unknown,
            LinkProblem::Unavailable => t.unavailable,
        }
    }

    /// The word for the log.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkProblem::Invalid => "link_invalid",
            LinkProblem::Expired => "link_expired",
            LinkProblem::Used => "link_used",
            LinkProblem::Closed => "account_closed",
            LinkProblem::Unknown => "account_unknown",
            LinkProblem::Unavailable => "register_unavailable",
        }
    }
}

impl From<TokenError> for LinkProblem {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::Invalid | TokenError::WrongAction => LinkProblem::Invalid,
            TokenError::Expired => LinkProblem::Expired,
        }
    }
}

impl From<Refusal> for LinkProblem {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Used => LinkProblem::Used,
            Refusal::Closed => LinkProblem::Closed,
            Refusal::Unknown => LinkProblem::Unknown,
        }
    }
}

/// The end of `date` in `zone`, in Unix seconds (when a reminder's links stop working).
pub fn end_of_day(date: Date, zone: &TimeZone) -> i64 {
    date.tomorrow()
        .ok()
        .and_then(|next| next.to_zoned(zone.clone()).ok())
        .map_or(i64::MAX, |z| z.timestamp().as_second())
}

/// Makes links: the key and where they point.
pub struct Links<'a> {
    /// The signing key.
    pub key: &'a LinkKey,
    /// The settings (public address, action prefix).
    pub settings: &'a Settings,
}

impl Links<'_> {
    /// The URL that does `claims`.
    pub fn url(&self, claims: &Claims) -> String {
        let page = match claims.action {
            Action::Confirm => "confirm",
            Action::Extend => "extend",
            Action::End => "end",
        };
        format!(
            "{}{}{ACCOUNTS_SEGMENT}/{page}?t={}",
            self.settings.accounts.public_url,
            self.settings.action_prefix,
            sign(self.key, claims)
        )
    }

    /// The desk's link to confirm `subject` (the account itself, or a request about it).
    pub fn confirm(&self, account: &str, subject: &str, generation: u32, now: i64) -> String {
        self.url(&Claims {
            action: Action::Confirm,
            account: account.to_owned(),
            subject: subject.to_owned(),
            generation,
            expires: now + CONFIRM_LINK_DAYS * 24 * 3600,
        })
    }

    /// A reminder's extend or end link, working until the end date is over.
    pub fn from_reminder(
        &self,
        action: Action,
        account: &str,
        generation: u32,
        expires: i64,
    ) -> String {
        self.url(&Claims {
            action,
            account: account.to_owned(),
            subject: account.to_owned(),
            generation,
            expires,
        })
    }
}
