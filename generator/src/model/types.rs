//! Small checked value types of the content model: languages (re-exported from the forms library) and
//! calendar dates.

use std::fmt;

/// A page language; the one type, owned by the forms library (forms carry a language too).
pub use guidepost_forms::Lang;

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u16>().ok());
        let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("`{s}` is not a real date"));
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl Date {
    /// The date from its parts, if it exists.
    pub fn from_parts(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month)
            && day >= 1
            && u16::from(day) <= days_in_month(year, u16::from(month)))
        .then_some(Date { year, month, day })
    }

    /// `months` later, on the same day or the month's last (31 January + 1 month = 28 or 29 February).
    pub fn plus_months(self, months: u32) -> Date {
        let index = u32::from(self.year) * 12 + u32::from(self.month) - 1 + months;
        let year = u16::try_from(index / 12).unwrap_or(u16::MAX);
        let month = (index % 12 + 1) as u8;
        let day = self.day.min(days_in_month(year, u16::from(month)) as u8);
        Date { year, month, day }
    }
}

fn days_in_month(year: u16, month: u16) -> u16 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
        assert_eq!(
            Date::parse("2026-02-29"),
            Err("`2026-02-29` is not a real date".into())
        );
        assert_eq!(Date::parse("1 nov"), Err("`1 nov` is not a date".into()));
    }

    #[test]
    fn norwegian_code_no_is_explained() {
        assert_eq!(
            Lang::parse("no"),
            Err("unsupported language `no`: Norwegian pages use `nb` (bokmål)".into())
        );
    }
}
