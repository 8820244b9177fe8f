//! Swedish and Norwegian identifiers: each check takes what the user typed and returns the normalised
//! number or an [`IdError`] saying why it was refused (turned into words by `crate::messages`).
//!
//! Input is read strictly: only the layouts docs/forms.md lists are accepted (each check names its own,
//! e.g. `YYMMDD-NNNN`), so a separator may stand only where a layout has one. Dash look-alikes (en dash,
//! minus sign) count as a hyphen and any kind of space as a space; nothing is stripped. Digits other than
//! ASCII 0–9 (fullwidth, Arabic-Indic…) are refused with their own message ([`IdProblem::NonAsciiDigit`])
//! rather than silently converted: a number pasted from an unusual source is worth a second look, and
//! the message tells the user exactly what to retype.

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
    /// The digits and separators are not in one of the layouts accepted for this kind of number.
    Layout,
    /// A Swedish birth number (the three digits before the control digit) of `000`, never issued.
    SerialZero,
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

/// What the user typed, read as ASCII digits and its shape: `d` for each digit, the separators as
/// typed (`-` for any dash, ` ` for any space), e.g. `dddddd-dddd`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Read {
    /// The digits, ASCII only.
    pub digits: Vec<u8>,
    /// The layout typed.
    pub shape: String,
}

impl Read {
    /// Whether the shape is one of `layouts`.
    pub fn fits(&self, layouts: &[&str]) -> bool {
        layouts.contains(&self.shape.as_str())
    }
}

/// Reads `input` (outer spaces trimmed): digits, dashes, `+`, `.` and spaces go into the shape; any
/// other character is refused. Whether the shape is acceptable is the caller's check.
pub(crate) fn read(input: &str) -> Result<Read, IdProblem> {
    let mut digits = Vec::new();
    let mut shape = String::new();
    for c in input.trim().chars() {
        let c = match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
            shape.push('d');
        } else if c.is_numeric() {
            return Err(IdProblem::NonAsciiDigit);
        } else if matches!(c, '-' | '+' | '.' | ' ') {
            shape.push(c);
        } else {
            return Err(IdProblem::InvalidCharacter(c));
        }
    }
    Ok(Read { digits, shape })
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
    fn read_keeps_the_shape_and_maps_dashes_and_spaces() {
        let r = read(" 1212\u{2013}12\u{a0}3 ").expect("read");
        assert_eq!(r.digits, vec![1, 2, 1, 2, 1, 2, 3]);
        assert_eq!(r.shape, "dddd-dd d");
        assert!(r.fits(&["dddd-dd d"]) && !r.fits(&["ddddddd"]));
    }

    #[test]
    fn read_refuses_other_digits_letters_and_controls() {
        assert_eq!(read("１２"), Err(IdProblem::NonAsciiDigit));
        assert_eq!(read("\u{0661}\u{0662}"), Err(IdProblem::NonAsciiDigit));
        assert_eq!(read("12a"), Err(IdProblem::InvalidCharacter('a')));
        assert_eq!(read("12\u{0}34"), Err(IdProblem::InvalidCharacter('\u{0}')));
        assert_eq!(read("12\u{7f}"), Err(IdProblem::InvalidCharacter('\u{7f}')));
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
