//! Norwegian identifiers (Skatteetaten; Norsk Helsenett; Brønnøysundregistrene): fødselsnummer,
//! D-number (day + 40), H-number (month + 40), FH number, organisasjonsnummer.

use jiff::civil::Date;

use super::{IdError, IdKind, IdProblem, digit_string, mod11_control, read, two};

/// Weights of the first control digit (k1) of an 11-digit person number.
const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
/// Weights of the second control digit (k2).
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/// Weights of the organisasjonsnummer control digit.
const ORG_WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// The layouts of a fødselsnummer, D-number or H-number (`d` a digit): `DDMMYYNNNNN`, or a space
/// between the date and the individual number, `DDMMYY NNNNN`.
pub const PERSON_LAYOUTS: [&str; 2] = ["ddddddddddd", "dddddd ddddd"];

/// The layout of an FH number: eleven digits in a row.
pub const FH_LAYOUTS: [&str; 1] = ["ddddddddddd"];

/// The layouts of an organisasjonsnummer: `NNNNNNNNN`, or in groups of three, `NNN NNN NNN`.
pub const ORG_LAYOUTS: [&str; 2] = ["ddddddddd", "ddd ddd ddd"];

/// A checked Norwegian person number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NorwegianPersonId {
    /// The 11 digits, no separators.
    pub normalised: String,
    /// Which kind it is: fødselsnummer, D-number or H-number.
    pub kind: IdKind,
    /// The date of birth the number encodes.
    pub birth_date: Date,
}

/// A fødselsnummer, D-number or H-number in one of the [`PERSON_LAYOUTS`]: 11 digits, a real date of birth (D: day − 40,
/// H: month − 40) whose century follows from the individual number, and both control digits.
pub fn fodselsnummer(input: &str) -> Result<NorwegianPersonId, IdError> {
    let digits = eleven(input, IdKind::Fodselsnummer, &PERSON_LAYOUTS)?;
    let (mut day, mut month) = (two(&digits, 0), two(&digits, 2));
    let kind = if day > 40 {
        day -= 40;
        IdKind::DNumber
    } else if month > 40 {
        month -= 40;
        IdKind::HNumber
    } else {
        IdKind::Fodselsnummer
    };
    let fail = |problem| IdError::new(kind, problem);
    let yy = two(&digits, 4);
    let individual = u16::from(digits[6]) * 100 + u16::from(two(&digits, 7) as u8);
    let year = century(yy, individual).ok_or(fail(IdProblem::DateDoesNotExist))?;
    let birth_date = Date::new(year, month, day).map_err(|_| fail(IdProblem::DateDoesNotExist))?;
    check_controls(&digits).map_err(fail)?;
    Ok(NorwegianPersonId {
        normalised: digit_string(&digits),
        kind,
        birth_date,
    })
}

/// An FH number (felles hjelpenummer): 11 digits, first digit 8 or 9, two mod-11 control digits.
pub fn fh_number(input: &str) -> Result<String, IdError> {
    let fail = |problem| IdError::new(IdKind::FhNumber, problem);
    let digits = eleven(input, IdKind::FhNumber, &FH_LAYOUTS)?;
    if digits[0] != 8 && digits[0] != 9 {
        return Err(fail(IdProblem::FhFirstDigit));
    }
    check_controls(&digits).map_err(fail)?;
    Ok(digit_string(&digits))
}

/// An organisasjonsnummer in one of the [`ORG_LAYOUTS`]: 9 digits, mod-11 control digit with weights
/// 3, 2, 7, 6, 5, 4, 3, 2.
pub fn organisasjonsnummer(input: &str) -> Result<String, IdError> {
    let fail = |problem| IdError::new(IdKind::Organisasjonsnummer, problem);
    let typed = read(input).map_err(fail)?;
    let digits = typed.digits.clone();
    if digits.len() != 9 {
        return Err(fail(IdProblem::Length {
            expected: &[9],
            got: digits.len(),
        }));
    }
    if !typed.fits(&ORG_LAYOUTS) {
        return Err(fail(IdProblem::Layout));
    }
    if mod11_control(&digits[..8], &ORG_WEIGHTS) != Some(digits[8]) {
        return Err(fail(IdProblem::ControlDigit));
    }
    Ok(digit_string(&digits))
}

/// Masks the individual number and control digits: `010190*****`.
pub fn mask(normalised: &str) -> String {
    let head: String = normalised.chars().take(6).collect();
    format!("{head}*****")
}

/// The 11 digits of a person or FH number typed in one of `layouts`.
fn eleven(input: &str, kind: IdKind, layouts: &[&str]) -> Result<[u8; 11], IdError> {
    let fail = |problem| IdError::new(kind, problem);
    let typed = read(input).map_err(fail)?;
    let digits = <[u8; 11]>::try_from(typed.digits.as_slice()).map_err(|_| {
        fail(IdProblem::Length {
            expected: &[11],
            got: typed.digits.len(),
        })
    })?;
    if !typed.fits(layouts) {
        return Err(fail(IdProblem::Layout));
    }
    Ok(digits)
}

/// Both control digits: k1 over digits 1–9, k2 over digits 1–10. A remainder that would give 10
/// means no such number exists.
fn check_controls(digits: &[u8; 11]) -> Result<(), IdProblem> {
    let k1 = mod11_control(&digits[..9], &K1_WEIGHTS);
    let k2 = mod11_control(&digits[..10], &K2_WEIGHTS);
    if k1 == Some(digits[9]) && k2 == Some(digits[10]) {
        Ok(())
    } else {
        Err(IdProblem::ControlDigit)
    }
}

/// The year of birth from the two-digit year and the individual number (Skatteetaten's ranges).
fn century(yy: i8, individual: u16) -> Option<i16> {
    let yy = i16::from(yy);
    match individual {
        0..=499 => Some(1900 + yy),
        500..=749 if yy >= 54 => Some(1800 + yy),
        500..=999 if yy <= 39 => Some(2000 + yy),
        900..=999 if yy >= 40 => Some(1900 + yy),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid number starting with these eight digits: the first ninth digit that admits both controls.
    fn with_controls(eight: [u8; 8]) -> String {
        (0..=9)
            .find_map(|last| {
                let mut digits = eight.to_vec();
                digits.push(last);
                digits.push(mod11_control(&digits, &K1_WEIGHTS)?);
                digits.push(mod11_control(&digits, &K2_WEIGHTS)?);
                Some(digit_string(&digits))
            })
            .unwrap_or_default()
    }

    #[test]
    fn known_numbers() {
        let fnr = with_controls([0, 1, 0, 1, 9, 0, 1, 2]);
        let id = fodselsnummer(&fnr).expect("valid");
        assert_eq!(id.kind, IdKind::Fodselsnummer);
        assert_eq!(id.birth_date, Date::constant(1990, 1, 1));
        let d = with_controls([4, 1, 0, 1, 9, 0, 1, 2]);
        assert_eq!(fodselsnummer(&d).expect("valid").kind, IdKind::DNumber);
        let h = with_controls([0, 1, 4, 1, 9, 0, 1, 2]);
        assert_eq!(fodselsnummer(&h).expect("valid").kind, IdKind::HNumber);
        assert_eq!(
            organisasjonsnummer("974 760 673").expect("valid"),
            "974760673"
        );
        assert_eq!(mask("01019012345"), "010190*****");
    }
}
