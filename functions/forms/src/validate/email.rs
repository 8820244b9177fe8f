//! An e-mail address as typed → the address the mail service can send to, or the [`Problem`] with it.
//! Accepted: a plain local part (ASCII letters, digits, `. _ - + '`, no dot first, last or twice in a
//! row) and a domain name with at least one dot whose labels are letters, digits and inner hyphens once
//! an internationalised name is converted to its ASCII (punycode) form, which is what is kept. Refused:
//! quoted local parts, non-ASCII local parts (SES does not send SMTPUTF8), encoded-word look-alikes
//! (`=?…?=`), address literals (`[127.0.0.1]`), single-label hosts (`localhost`) and numeric top labels.

use crate::messages::Problem;

/// The longest address accepted (RFC 5321 path limit).
const EMAIL_MAX: usize = 254;
/// The longest local part (RFC 5321).
const LOCAL_MAX: usize = 64;
/// The longest domain name in ASCII form.
const DOMAIN_MAX: usize = 253;

/// Checks `text` (already trimmed) and returns `local@ascii-domain`.
pub(super) fn email(text: &str) -> Result<String, Problem> {
    if text.len() > EMAIL_MAX || text.contains(char::is_whitespace) {
        return Err(Problem::Email);
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err(Problem::Email);
    };
    if local.is_empty() || domain.is_empty() || local.contains('@') {
        return Err(Problem::Email);
    }
    if !local_ok(local) {
        return Err(Problem::EmailLocalPart);
    }
    let domain = ascii_domain(domain).ok_or(Problem::EmailDomain)?;
    let address = format!("{local}@{domain}");
    if address.len() > EMAIL_MAX {
        return Err(Problem::Email);
    }
    Ok(address)
}

fn local_ok(local: &str) -> bool {
    local.len() <= LOCAL_MAX
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '\''))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

/// The domain in ASCII form (IDNA/UTS 46, lower case), when it is a name with at least two labels.
fn ascii_domain(domain: &str) -> Option<String> {
    if domain.starts_with('[') {
        return None;
    }
    let ascii = idna::domain_to_ascii_cow(domain.as_bytes(), idna::AsciiDenyList::URL)
        .ok()?
        .into_owned();
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let top_is_name = labels
        .last()
        .is_some_and(|top| top.bytes().any(|b| b.is_ascii_alphabetic()));
    let fine = ascii.len() <= DOMAIN_MAX
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && top_is_name;
    fine.then_some(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_international_addresses_are_accepted() {
        assert_eq!(
            email("Ann.B+x@Example.COM"),
            Ok("Ann.B+x@example.com".into())
        );
        assert_eq!(
            email("a@räksmörgås.se"),
            Ok("a@xn--rksmrgs-5wao1o.se".into())
        );
        assert_eq!(email("o'brien@example.ie"), Ok("o'brien@example.ie".into()));
    }

    #[test]
    fn what_the_mail_service_refuses_is_refused() {
        for (typed, problem) in [
            (".a@b.com", Problem::EmailLocalPart),
            ("a.@b.com", Problem::EmailLocalPart),
            ("a..b@c.com", Problem::EmailLocalPart),
            ("=?x?=@b.com", Problem::EmailLocalPart),
            ("åsa@b.com", Problem::EmailLocalPart),
            ("\"a b\"@c.com", Problem::Email),
            ("a@[127.0.0.1]", Problem::EmailDomain),
            ("a@localhost", Problem::EmailDomain),
            ("a@1.2.3.4", Problem::EmailDomain),
            ("a@-b.com", Problem::EmailDomain),
            ("a@b..com", Problem::EmailDomain),
            ("a@b_c.com", Problem::EmailDomain),
            ("a@", Problem::Email),
            ("@b.com", Problem::Email),
            ("ab.com", Problem::Email),
        ] {
            assert_eq!(email(typed), Err(problem), "{typed}");
        }
    }
}
