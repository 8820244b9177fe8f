//! Swedish and Norwegian identifiers: each check takes what the user typed and returns the normalised
//! number or an [`IdError`] saying why it was refused (turned into words by `crate::messages`).
//!
//! Input is forgiving about spacing and separators (spaces, hyphens and dash look-alikes), strict about
//! everything else. Digits other than ASCII 0–9 (fullwidth, Arabic-Indic…) are refused with their own
//! message ([`IdProblem::NonAsciiDigit`]) rather than silently converted: a number pasted from an
//! unusual source is worth a second look, and the message tells the user exactly what to retype.

pub mod no;
pub mod se;

/// Which kind of number a check was reading when it failed; names the number in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// Swedish personnummer.
    Personnummer,
    /// Swedish samordningsnummer (day + 60).
    Samordningsnummer,
    /// Swedish organisationsnummer.
    Organisationsnummer,
    /// HSA-id (Swedish health-care directory id).
    HsaId,
    /// Norwegian fødselsnummer.
    Fodselsnummer,
    /// Norwegian D-number (day + 40).
    DNumber,
    /// Norwegian H-number (month + 40).
    HNumber,
    /// Norwegian FH number (felles hjelpenummer).
    FhNumber,
    /// Norwegian organisasjonsnummer.
    Organisasjonsnummer,
}

/// Why a number was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// A digit outside ASCII 0–9 (fullwidth, Arabic-Indic, …).
    NonAsciiDigit,
    /// A character that is neither a digit nor an accepted separator.
    InvalidCharacter(char),
    /// A separator (`-`, `+`) somewhere other than before the last four digits, or more than one.
    SeparatorPlace,
    /// The wrong number of digits: the accepted counts and the count typed.
    Length {
        /// The accepted digit counts.
        expected: &'static [usize],
        /// The digits typed.
        got: usize,
    },
    /// The date in the number does not exist (e.g. 31 February, month 13).
    DateDoesNotExist,
    /// The date in the number is after today.
    DateInFuture,
    /// The date in the number is more than 125 years ago.
    DateTooOld,
    /// `+` (100 years or older) given for someone younger than 100.
    PlusUnder100,
    /// The control digit(s) do not match.
    ControlDigit,
    /// A Swedish organisationsnummer's third digit is below 2.
    ThirdDigit,
    /// A 12-digit Swedish organisationsnummer that does not start with 16.
    OrgPrefix,
    /// An HSA-id not shaped `SE` + 10 digits + `-` + letters/digits.
    HsaFormat,
    /// An FH number whose first digit is not 8 or 9.
    FhFirstDigit,
}

/// A refused number: what kind it was read as, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {problem:?}")]
pub struct IdError {
    /// The kind of number.
    pub kind: IdKind,
    /// The reason.
    pub problem: IdProblem,
}

impl IdError {
    pub(crate) fn new(kind: IdKind, problem: IdProblem) -> Self {
        IdError { kind, problem }
    }
}

/// What the user typed, split into ASCII digits and the separators found between them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cleaned {
    /// The digits, ASCII only.
    pub digits: Vec<u8>,
    /// Each separator and the number of digits before it.
    pub separators: Vec<(usize, char)>,
}

/// Strips whitespace, maps dash look-alikes to `-`, keeps `separators` and refuses anything else.
pub(crate) fn clean(input: &str, separators: &[char]) -> Result<Cleaned, IdProblem> {
    let mut digits = Vec::new();
    let mut found = Vec::new();
    for c in input.chars() {
        let c = match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => '-',
            c => c,
        };
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
        } else if c.is_whitespace() {
            continue;
        } else if c.is_numeric() {
            return Err(IdProblem::NonAsciiDigit);
        } else if separators.contains(&c) {
            found.push((digits.len(), c));
        } else {
            return Err(IdProblem::InvalidCharacter(c));
        }
    }
    Ok(Cleaned {
        digits,
        separators: found,
    })
}

/// Luhn (mod 10) over the digits, the last one being the control digit.
pub(crate) fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The mod-11 control digit for `digits` with `weights`; `None` when the remainder leaves 10
/// (no valid control digit exists, so no such number is issued).
pub(crate) fn mod11_control(digits: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => u8::try_from(k).ok(),
    }
}

/// Digits as a string.
pub(crate) fn digit_string(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Two digits as a number.
pub(crate) fn two(digits: &[u8], at: usize) -> i8 {
    let tens = digits.get(at).copied().unwrap_or(0);
    let ones = digits.get(at + 1).copied().unwrap_or(0);
    (tens * 10 + ones) as i8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_spaces_and_maps_dashes() {
        let c = clean(" 1212\u{2013}12 ", &['-']).expect("clean");
        assert_eq!(c.digits, vec![1, 2, 1, 2, 1, 2]);
        assert_eq!(c.separators, vec![(4, '-')]);
    }

    #[test]
    fn clean_refuses_other_digits_and_letters() {
        assert_eq!(clean("１２", &[]), Err(IdProblem::NonAsciiDigit));
        assert_eq!(
            clean("\u{0661}\u{0662}", &[]),
            Err(IdProblem::NonAsciiDigit)
        );
        assert_eq!(clean("12a", &[]), Err(IdProblem::InvalidCharacter('a')));
    }

    #[test]
    fn luhn_and_mod11() {
        assert!(luhn_ok(&[8, 1, 1, 2, 1, 8, 9, 8, 7, 6]));
        assert!(!luhn_ok(&[8, 1, 1, 2, 1, 8, 9, 8, 7, 5]));
        assert_eq!(
            mod11_control(&[9, 7, 4, 7, 6, 0, 6, 7], &[3, 2, 7, 6, 5, 4, 3, 2]),
            Some(3)
        );
    }
}
