//! Swedish identifiers (Skatteverket SKV 704 and SKV 707; Bolagsverket): personnummer and
//! samordningsnummer, organisationsnummer, HSA-id. Each returns the normalised number or an `IdError`.

use jiff::civil::Date;

use super::{IdError, IdKind, IdProblem, digit_string, luhn_ok, read, two};

/// A checked Swedish personnummer or samordningsnummer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwedishPersonId {
    /// Twelve digits with a hyphen: `YYYYMMDD-NNNN` (samordningsnummer keep their day + 60).
    pub normalised: String,
    /// True for a samordningsnummer.
    pub coordination: bool,
    /// The date of birth (for a samordningsnummer, the day less 60).
    pub birth_date: Date,
}

/// The oldest age accepted, in years. Older dates are taken as typing mistakes: the control digit
/// does not cover the century of a 12-digit number, so `1999` mistyped as `1899` would otherwise pass.
const MAX_AGE_YEARS: i16 = 125;

/// The layouts of a personnummer or samordningsnummer (`d` a digit): `YYMMDD-NNNN`, `YYMMDD+NNNN`
/// (100 or older), `YYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`.
pub const PERSON_LAYOUTS: [&str; 5] = [
    "dddddd-dddd",
    "dddddd+dddd",
    "dddddddddd",
    "dddddddd-dddd",
    "dddddddddddd",
];

/// The layouts of an organisationsnummer: `NNNNNN-NNNN`, `NNNNNNNNNN`, and the same with `16` first.
pub const ORG_LAYOUTS: [&str; 4] = ["dddddd-dddd", "dddddddddd", "dddddddd-dddd", "dddddddddddd"];

/// A personnummer or a samordningsnummer in one of the [`PERSON_LAYOUTS`]: a real date (day + 60 for
/// samordningsnummer), not in the future nor more than 125 years back, a birth number other than `000`,
/// and a Luhn control digit. For 10 digits the century is the latest one that puts the date on or before
/// `today`, 100 years earlier with `+`.
pub fn person_id(input: &str, today: Date) -> Result<SwedishPersonId, IdError> {
    let fail = |problem| IdError::new(IdKind::Personnummer, problem);
    let typed = read(input).map_err(fail)?;
    let digits = &typed.digits;
    if digits.len() != 10 && digits.len() != 12 {
        return Err(fail(IdProblem::Length {
            expected: &[10, 12],
            got: digits.len(),
        }));
    }
    if !typed.fits(&PERSON_LAYOUTS) {
        return Err(fail(IdProblem::Layout));
    }
    let plus = typed.shape.contains('+');
    let short = &digits[digits.len() - 10..];
    let day_typed = two(short, 4);
    let coordination = (61..=91).contains(&day_typed);
    let kind = if coordination {
        IdKind::Samordningsnummer
    } else {
        IdKind::Personnummer
    };
    let fail = |problem| IdError::new(kind, problem);
    let month = two(short, 2);
    let day = if coordination {
        day_typed - 60
    } else {
        day_typed
    };
    let birth_date = if digits.len() == 12 {
        let year = i16::from(two(digits, 0)) * 100 + i16::from(two(digits, 2));
        Date::new(year, month, day).map_err(|_| fail(IdProblem::DateDoesNotExist))?
    } else {
        date_from_short(two(short, 0), month, day, plus, today)
            .ok_or(fail(IdProblem::DateDoesNotExist))?
    };
    check_age(birth_date, plus, today).map_err(fail)?;
    if short[6..9] == [0, 0, 0] {
        return Err(fail(IdProblem::SerialZero));
    }
    if !luhn_ok(short) {
        return Err(fail(IdProblem::ControlDigit));
    }
    let year = birth_date.year();
    let normalised = format!(
        "{year:04}{}-{}",
        digit_string(&short[2..6]),
        digit_string(&short[6..])
    );
    Ok(SwedishPersonId {
        normalised,
        coordination,
        birth_date,
    })
}

/// A personnummer only (a samordningsnummer is refused: its day does not exist).
pub fn personnummer(input: &str, today: Date) -> Result<SwedishPersonId, IdError> {
    let id = person_id(input, today)?;
    if id.coordination {
        return Err(IdError::new(
            IdKind::Personnummer,
            IdProblem::DateDoesNotExist,
        ));
    }
    Ok(id)
}

/// A samordningsnummer only (day 61–91).
pub fn samordningsnummer(input: &str, today: Date) -> Result<SwedishPersonId, IdError> {
    let id = person_id(input, today)?;
    if !id.coordination {
        return Err(IdError::new(
            IdKind::Samordningsnummer,
            IdProblem::DateDoesNotExist,
        ));
    }
    Ok(id)
}

/// The full date for a 10-digit number: the latest century that is not after `today`, less 100 years
/// with `+`. `None` when that date does not exist.
fn date_from_short(yy: i8, month: i8, day: i8, plus: bool, today: Date) -> Option<Date> {
    let this_year = today.year();
    let mut year = this_year - (this_year - i16::from(yy)).rem_euclid(100);
    let candidate = Date::new(year, month, day).ok()?;
    if candidate > today {
        year -= 100;
    }
    if plus {
        // Find the latest year with these two digits in which the person had turned 100 by today.
        while Date::new(year + 100, month, day).ok()? > today {
            year -= 100;
        }
    }
    Date::new(year, month, day).ok()
}

/// Refuses future dates, implausibly old ones, and `+` for someone under 100.
fn check_age(birth: Date, plus: bool, today: Date) -> Result<(), IdProblem> {
    if birth > today {
        return Err(IdProblem::DateInFuture);
    }
    let age = age_in_years(birth, today);
    if age > MAX_AGE_YEARS {
        return Err(IdProblem::DateTooOld);
    }
    if plus && age < 100 {
        return Err(IdProblem::PlusUnder100);
    }
    Ok(())
}

/// Whole years from `birth` to `today`.
pub(crate) fn age_in_years(birth: Date, today: Date) -> i16 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// An organisationsnummer in one of the [`ORG_LAYOUTS`]: 10 digits (or 12 starting with 16), third
/// digit 2 or more, Luhn. Normalised `NNNNNN-NNNN`.
pub fn organisationsnummer(input: &str) -> Result<String, IdError> {
    let fail = |problem| IdError::new(IdKind::Organisationsnummer, problem);
    let typed = read(input).map_err(fail)?;
    if matches!(typed.digits.len(), 10 | 12) && !typed.fits(&ORG_LAYOUTS) {
        return Err(fail(IdProblem::Layout));
    }
    let digits = match typed.digits.len() {
        10 => &typed.digits[..],
        12 if typed.digits.starts_with(&[1, 6]) => &typed.digits[2..],
        12 => return Err(fail(IdProblem::OrgPrefix)),
        got => {
            return Err(fail(IdProblem::Length {
                expected: &[10],
                got,
            }));
        }
    };
    check_org_digits(digits).map_err(fail)?;
    Ok(format!(
        "{}-{}",
        digit_string(&digits[..6]),
        digit_string(&digits[6..])
    ))
}

fn check_org_digits(digits: &[u8]) -> Result<(), IdProblem> {
    if digits.get(2).is_some_and(|&d| d < 2) {
        return Err(IdProblem::ThirdDigit);
    }
    if !luhn_ok(digits) {
        return Err(IdProblem::ControlDigit);
    }
    Ok(())
}

/// An HSA-id: `SE`, a 10-digit organisationsnummer (Luhn), `-`, then 1–18 letters or digits
/// (e.g. `SE2321000016-1234`), with no space inside; letters are upper-cased.
pub fn hsa_id(input: &str) -> Result<String, IdError> {
    let fail = |problem| IdError::new(IdKind::HsaId, problem);
    let compact = input.trim();
    if compact
        .chars()
        .any(|c| c.is_numeric() && !c.is_ascii_digit())
    {
        return Err(fail(IdProblem::NonAsciiDigit));
    }
    let upper = compact.to_ascii_uppercase();
    let rest = upper.strip_prefix("SE").ok_or(fail(IdProblem::HsaFormat))?;
    let (org, suffix) = rest.split_once('-').ok_or(fail(IdProblem::HsaFormat))?;
    let org_ok = org.len() == 10 && org.bytes().all(|b| b.is_ascii_digit());
    let suffix_ok =
        (1..=18).contains(&suffix.len()) && suffix.bytes().all(|b| b.is_ascii_alphanumeric());
    if !org_ok || !suffix_ok {
        return Err(fail(IdProblem::HsaFormat));
    }
    let digits: Vec<u8> = org.bytes().map(|b| b - b'0').collect();
    if !luhn_ok(&digits) {
        return Err(fail(IdProblem::ControlDigit));
    }
    Ok(upper)
}

/// Masks the last four digits of a normalised person id: `19121212-****`.
pub fn mask(normalised: &str) -> String {
    match normalised.split_once('-') {
        Some((date, _)) => format!("{date}-****"),
        None => "****".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::constant(2026, 11, 22)
    }

    #[test]
    fn skatteverket_examples() {
        let id = person_id("811218-9876", today()).expect("valid");
        assert_eq!(id.normalised, "19811218-9876");
        assert_eq!(
            person_id("19121212-1212", today())
                .expect("valid")
                .normalised,
            "19121212-1212"
        );
        assert_eq!(
            person_id("121212+1212", today()).expect("valid").normalised,
            "19121212-1212"
        );
        assert_eq!(
            person_id("121212-1212", today()).expect("valid").normalised,
            "20121212-1212"
        );
    }

    #[test]
    fn samordningsnummer_day_plus_60() {
        let id = person_id("701063-2391", today()).expect("valid");
        assert!(id.coordination);
        assert_eq!(id.normalised, "19701063-2391");
        assert_eq!(id.birth_date, Date::constant(1970, 10, 3));
        assert!(personnummer("701063-2391", today()).is_err());
        assert!(samordningsnummer("701063-2391", today()).is_ok());
    }

    #[test]
    fn orgnr_and_hsa() {
        assert_eq!(
            organisationsnummer("556036-0793").expect("valid"),
            "556036-0793"
        );
        assert_eq!(
            organisationsnummer("165560360793").expect("valid"),
            "556036-0793"
        );
        assert_eq!(
            organisationsnummer("16556036-0793").expect("valid"),
            "556036-0793"
        );
        assert_eq!(
            hsa_id("se2321000016-1234").expect("valid"),
            "SE2321000016-1234"
        );
        assert_eq!(mask("19121212-1212"), "19121212-****");
    }
}
