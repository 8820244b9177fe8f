//! Signed links: a token names one action on one account (and, for a desk's confirmation, the
//! request), the account's link generation and an expiry, and carries an HMAC-SHA-256 over all of it
//! with the deployment's key (the one place `hmac` is used). A token says nothing secret: the account
//! id is a reference, the rest is numbers.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The smallest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// The signing key (`GUIDEPOST_ACCOUNT_KEY`); its Debug output hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

impl LinkKey {
    /// A key from its bytes; `None` when shorter than [`MIN_KEY_BYTES`].
    pub fn new(bytes: Vec<u8>) -> Option<LinkKey> {
        (bytes.len() >= MIN_KEY_BYTES).then_some(LinkKey(bytes))
    }

    /// A random key (the dev server's, kept beside its register).
    pub fn random() -> LinkKey {
        let mut bytes = vec![0u8; MIN_KEY_BYTES];
        // Without a random source there can be no links; a zero key would be guessable, so fail loudly.
        getrandom::fill(&mut bytes).expect("the system's random source");
        LinkKey(bytes)
    }

    /// The key's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(payload.as_bytes());
        mac
    }
}

/// What a link lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The desk confirms a new account or a requested change.
    Confirm,
    /// The contact person asks for an extension (from a reminder).
    Extend,
    /// The contact person asks to end the account (from a reminder).
    End,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Extend => "extend",
            Action::End => "end",
        }
    }

    fn parse(text: &str) -> Option<Action> {
        match text {
            "confirm" => Some(Action::Confirm),
            "extend" => Some(Action::Extend),
            "end" => Some(Action::End),
            _ => None,
        }
    }
}

/// What a token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// The action.
    pub action: Action,
    /// The account id.
    pub account: String,
    /// For [`Action::Confirm`]: the reference of the request confirmed (the account id for a new one).
    pub subject: String,
    /// The account's link generation when the link was made.
    pub generation: u32,
    /// Unix seconds after which the link no longer works.
    pub expires: i64,
}

/// Why a token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token, or its signature does not match (changed or made up).
    #[error("the link is not valid")]
    Invalid,
    /// Its time has passed.
    #[error("the link has expired")]
    Expired,
    /// A valid token for another action than the page it was used on.
    #[error("the link is for something else")]
    WrongAction,
}

fn plain(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 64
        && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The token for `claims`: `v1.action.account.subject.generation.expires.signature`.
pub fn sign(key: &LinkKey, claims: &Claims) -> String {
    let payload = format!(
        "v1.{}.{}.{}.{}.{}",
        claims.action.as_str(),
        claims.account,
        claims.subject,
        claims.generation,
        claims.expires
    );
    let signature = hex(&key.mac(&payload).finalize().into_bytes());
    format!("{payload}.{signature}")
}

/// Checks `token` (signature first, in constant time, then the expiry at `now` and the action).
pub fn verify(
    key: &LinkKey,
    token: &str,
    expected: Action,
    now: i64,
) -> Result<Claims, TokenError> {
    if token.len() > 400 {
        return Err(TokenError::Invalid);
    }
    let (payload, signature) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
    let signature = unhex(signature).ok_or(TokenError::Invalid)?;
    key.mac(payload)
        .verify_slice(&signature)
        .map_err(|_| TokenError::Invalid)?;
    let parts: Vec<&str> = payload.split('.').collect();
    let [version, action, account, subject, generation, expires] = parts[..] else {
        return Err(TokenError::Invalid);
    };
    let action = Action::parse(action).ok_or(TokenError::Invalid)?;
    if version != "v1" || !plain(account) || !plain(subject) {
        return Err(TokenError::Invalid);
    }
    let claims = Claims {
        action,
        account: account.to_owned(),
        subject: subject.to_owned(),
        generation: generation.parse().map_err(|_| TokenError::Invalid)?,
        expires: expires.parse().map_err(|_| TokenError::Invalid)?,
    };
    if claims.expires < now {
        return Err(TokenError::Expired);
    }
    if claims.action != expected {
        return Err(TokenError::WrongAction);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> LinkKey {
        LinkKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).expect("key")
    }

    fn claims() -> Claims {
        Claims {
            action: Action::Extend,
            account: "GP-7K4M-9QXD".into(),
            subject: "GP-7K4M-9QXD".into(),
            generation: 3,
            expires: 2_000_000_000,
        }
    }

    #[test]
    fn a_signed_token_verifies_and_says_what_it_was_made_with() {
        let token = sign(&key(), &claims());
        assert!(token.starts_with("v1.extend.GP-7K4M-9QXD.GP-7K4M-9QXD.3.2000000000."));
        assert_eq!(
            verify(&key(), &token, Action::Extend, 1_900_000_000),
            Ok(claims())
        );
    }

    #[test]
    fn changed_expired_misused_and_foreign_tokens_are_refused() {
        let token = sign(&key(), &claims());
        let raised = token.replace(".3.", ".4.");
        assert_eq!(
            verify(&key(), &raised, Action::Extend, 0),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            verify(&key(), &token, Action::Extend, 2_000_000_001),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify(&key(), &token, Action::End, 0),
            Err(TokenError::WrongAction)
        );
        let other = LinkKey::new(vec![7; 32]).expect("key");
        assert_eq!(
            verify(&other, &token, Action::Extend, 0),
            Err(TokenError::Invalid)
        );
        for junk in [
            "",
            ".",
            "v1",
            "a.b.c.d.e.f.g",
            &"x".repeat(500),
            "v1.extend.a.b.1.2.zz",
        ] {
            assert_eq!(
                verify(&key(), junk, Action::Extend, 0),
                Err(TokenError::Invalid),
                "{junk}"
            );
        }
        assert!(LinkKey::new(vec![1; 31]).is_none());
        assert_eq!(format!("{:?}", key()), "LinkKey(…)");
    }
}
