//! Capacities (rates): the units a user can pick, parsing "2,5" + "Mbit/s" or "8 Mbit/s" into bit/s,
//! and writing a rate back in the form's language. Decimal units: 1 Mbit/s = 1000 kbit/s.

use crate::model::Lang;

/// The units offered beside a capacity field, smallest first.
pub const UNITS: [RateUnit; 3] = [RateUnit::Kbps, RateUnit::Mbps, RateUnit::Gbps];

/// A rate unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    /// kbit/s.
    Kbps,
    /// Mbit/s.
    Mbps,
    /// Gbit/s.
    Gbps,
}

impl RateUnit {
    /// The symbol shown and sent (`Mbit/s`).
    pub fn symbol(self) -> &'static str {
        match self {
            RateUnit::Kbps => "kbit/s",
            RateUnit::Mbps => "Mbit/s",
            RateUnit::Gbps => "Gbit/s",
        }
    }

    /// Bits per second in one unit.
    pub fn factor(self) -> u64 {
        match self {
            RateUnit::Kbps => 1_000,
            RateUnit::Mbps => 1_000_000,
            RateUnit::Gbps => 1_000_000_000,
        }
    }

    /// Reads a unit symbol (`Mbit/s`, also `mbps`), ignoring case and surrounding space.
    pub fn parse(text: &str) -> Option<RateUnit> {
        let lower = text.trim().to_ascii_lowercase();
        UNITS.into_iter().find(|u| {
            let symbol = u.symbol().to_ascii_lowercase();
            lower == symbol || lower == symbol.replace("it/s", "ps")
        })
    }
}

/// Reads a non-negative decimal number (`,` or `.` as decimal mark, at most 6 decimals) and a unit
/// into bit/s. `None` for anything else.
pub fn to_bps(number: &str, unit: RateUnit) -> Option<u64> {
    let number = number.trim();
    let (whole, fraction) = match number.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || fraction.len() > 6 {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let scale = 10u64.pow(u32::try_from(fraction.len()).ok()?);
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let bps = u128::from(whole) * u128::from(unit.factor())
        + u128::from(fraction) * u128::from(unit.factor()) / u128::from(scale);
    u64::try_from(bps).ok()
}

/// Reads a rate written as text, e.g. `8 Mbit/s` or `20 Gbit/s`.
pub fn parse_rate(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_alphabetic())?;
    let unit = RateUnit::parse(&text[split..])?;
    to_bps(&text[..split], unit)
}

/// Writes a rate in the largest unit that keeps it at 1 or more: `2,5 Mbit/s` (sv, nb), `2.5 Mbit/s` (en).
pub fn format_rate(bps: u64, lang: Lang) -> String {
    let unit = UNITS
        .into_iter()
        .rev()
        .find(|u| bps >= u.factor())
        .unwrap_or(RateUnit::Kbps);
    let whole = bps / unit.factor();
    let rest = bps % unit.factor();
    let mark = if lang == Lang::En { "." } else { "," };
    if rest == 0 {
        return format!("{whole} {}", unit.symbol());
    }
    let width = unit.factor().ilog10() as usize;
    let fraction = format!("{rest:0width$}");
    format!(
        "{whole}{mark}{} {}",
        fraction.trim_end_matches('0'),
        unit.symbol()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_rate("8 Mbit/s"), Some(8_000_000));
        assert_eq!(parse_rate("20 Gbit/s"), Some(20_000_000_000));
        assert_eq!(to_bps("2,5", RateUnit::Mbps), Some(2_500_000));
        assert_eq!(to_bps("-1", RateUnit::Mbps), None);
        assert_eq!(to_bps("1e3", RateUnit::Mbps), None);
        assert_eq!(format_rate(2_500_000, Lang::Sv), "2,5 Mbit/s");
        assert_eq!(format_rate(2_500_000, Lang::En), "2.5 Mbit/s");
        assert_eq!(format_rate(20_000_000_000, Lang::Nb), "20 Gbit/s");
        assert_eq!(format_rate(512, Lang::Sv), "0,512 kbit/s");
        assert_eq!(RateUnit::parse("mbps"), Some(RateUnit::Mbps));
    }
}
