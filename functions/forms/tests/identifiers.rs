//! Identifier checks: generated valid numbers are accepted, any single changed digit is refused,
//! and the edge cases (separators, 10/12 digits, `+`, samordningsnummer days, non-ASCII digits,
//! whitespace, empty) give the pinned messages.

use guidepost_forms::Date;
use guidepost_forms::Lang;
use guidepost_forms::identifiers::{IdError, IdKind, IdProblem, no, se};
use guidepost_forms::messages::identifier_message;
use proptest::prelude::*;

fn today() -> Date {
    Date::constant(2026, 11, 22)
}

fn luhn_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let x = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            if x > 9 { x - 9 } else { x }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn mod11(digits: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(&d, &w)| u32::from(d) * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

fn text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Replaces the `nth` ASCII digit of `s` by another digit (`bump` 1–9 added mod 10).
fn change_digit(s: &str, nth: usize, bump: u8) -> String {
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if let Some(d) = c.to_digit(10) {
                seen += 1;
                if seen - 1 == nth {
                    return char::from(b'0' + ((d as u8 + bump) % 10));
                }
            }
            c
        })
        .collect()
}

/// A valid Swedish person number: (12-digit form, 10-digit form with the right separator).
fn swedish(year: i16, month: i8, day: i8, serial: u16, coordination: bool) -> (String, String) {
    let shown_day = if coordination { day + 60 } else { day };
    let yy = (year % 100) as u8;
    let mut ten = vec![
        yy / 10,
        yy % 10,
        month as u8 / 10,
        month as u8 % 10,
        shown_day as u8 / 10,
        shown_day as u8 % 10,
    ];
    ten.extend([
        (serial / 100) as u8,
        (serial / 10 % 10) as u8,
        (serial % 10) as u8,
    ]);
    ten.push(luhn_digit(&ten));
    let birth = Date::constant(year, month, day);
    let over_100 = today().year() - year > 100
        || (today().year() - year == 100 && (today().month(), today().day()) >= (month, day));
    let sep = if over_100 { '+' } else { '-' };
    let century = year / 100;
    let _ = birth;
    let long = format!("{century}{}-{}", text(&ten[..6]), text(&ten[6..]));
    let short = format!("{}{sep}{}", text(&ten[..6]), text(&ten[6..]));
    (long, short)
}

fn message(e: &IdError, lang: Lang) -> String {
    identifier_message(e, lang)
}

proptest! {
    #[test]
    fn swedish_person_numbers_round_trip(year in 1902i16..=2025, month in 1i8..=12, day in 1i8..=28,
                                         serial in 1u16..=999, coordination: bool) {
        let (long, short) = swedish(year, month, day, serial, coordination);
        let id = se::person_id(&long, today()).expect("12 digits");
        prop_assert_eq!(&id.normalised, &long);
        prop_assert_eq!(id.coordination, coordination);
        prop_assert_eq!(se::person_id(&short, today()).expect("10 digits").normalised, long.clone());
        prop_assert_eq!(se::person_id(&long.replace('-', ""), today()).expect("no separator").normalised, long);
    }

    #[test]
    fn swedish_person_numbers_refuse_any_changed_digit(year in 1902i16..=2025, month in 1i8..=12,
            day in 1i8..=28, serial in 0u16..=999, coordination: bool, nth in 0usize..12, bump in 1u8..=9) {
        let (long, short) = swedish(year, month, day, serial, coordination);
        prop_assert!(se::person_id(&change_digit(&long, nth, bump), today()).is_err());
        prop_assert!(se::person_id(&change_digit(&short, nth % 10, bump), today()).is_err());
    }

    #[test]
    fn swedish_org_numbers(first in 1u8..=9, second in 0u8..=9, third in 2u8..=9,
                           rest in proptest::array::uniform6(0u8..=9), nth in 0usize..10, bump in 1u8..=9) {
        let mut digits = vec![first, second, third];
        digits.extend(rest);
        digits.push(luhn_digit(&digits));
        let orgnr = format!("{}-{}", text(&digits[..6]), text(&digits[6..]));
        prop_assert_eq!(se::organisationsnummer(&orgnr).expect("valid"), orgnr.clone());
        prop_assert_eq!(se::organisationsnummer(&format!("16{}", text(&digits))).expect("16 prefix"), orgnr.clone());
        prop_assert!(se::organisationsnummer(&change_digit(&orgnr, nth, bump)).is_err());
        let hsa = format!("SE{}-X1", text(&digits));
        prop_assert_eq!(se::hsa_id(&hsa.to_lowercase()).expect("hsa"), hsa.clone());
        prop_assert!(se::hsa_id(&change_digit(&hsa, nth, bump)).is_err());
    }

    #[test]
    fn norwegian_person_numbers(year in 1900i16..=2039, month in 1i8..=12, day in 1i8..=28,
                                serial in 0u16..=499, kind in 0u8..3, nth in 0usize..11, bump in 1u8..=9) {
        prop_assume!(year <= 2025);
        let individual = if year >= 2000 { serial + 500 } else { serial };
        let (d, m) = match kind { 1 => (day + 40, month), 2 => (day, month + 40), _ => (day, month) };
        let yy = (year % 100) as u8;
        let mut digits = vec![d as u8 / 10, d as u8 % 10, m as u8 / 10, m as u8 % 10, yy / 10, yy % 10,
                              (individual / 100) as u8, (individual / 10 % 10) as u8, (individual % 10) as u8];
        let k1 = mod11(&digits, &[3, 7, 6, 1, 8, 9, 4, 5, 2]);
        prop_assume!(k1.is_some());
        digits.push(k1.unwrap_or_default());
        let k2 = mod11(&digits, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
        prop_assume!(k2.is_some());
        digits.push(k2.unwrap_or_default());
        let fnr = text(&digits);
        let id = no::fodselsnummer(&format!("{} {}", &fnr[..6], &fnr[6..])).expect("valid");
        prop_assert_eq!(&id.normalised, &fnr);
        prop_assert_eq!(id.birth_date, Date::constant(year, month, day));
        let expected_kind = match kind { 1 => IdKind::DNumber, 2 => IdKind::HNumber, _ => IdKind::Fodselsnummer };
        prop_assert_eq!(id.kind, expected_kind);
        prop_assert!(no::fodselsnummer(&change_digit(&fnr, nth, bump)).is_err());
    }

    #[test]
    fn fh_numbers(first in 8u8..=9, rest in proptest::array::uniform8(0u8..=9), nth in 0usize..11, bump in 1u8..=9) {
        let mut digits = vec![first];
        digits.extend(rest);
        let k1 = mod11(&digits, &[3, 7, 6, 1, 8, 9, 4, 5, 2]);
        prop_assume!(k1.is_some());
        digits.push(k1.unwrap_or_default());
        let k2 = mod11(&digits, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
        prop_assume!(k2.is_some());
        digits.push(k2.unwrap_or_default());
        let fh = text(&digits);
        prop_assert_eq!(no::fh_number(&fh).expect("valid"), fh.clone());
        prop_assert!(no::fh_number(&change_digit(&fh, nth, bump)).is_err());
    }

    #[test]
    fn norwegian_org_numbers(eight in proptest::array::uniform8(0u8..=9), nth in 0usize..9, bump in 1u8..=9) {
        let control = mod11(&eight, &[3, 2, 7, 6, 5, 4, 3, 2]);
        prop_assume!(control.is_some());
        let mut digits = eight.to_vec();
        digits.push(control.unwrap_or_default());
        let orgnr = text(&digits);
        let spaced = format!("{} {} {}", &orgnr[..3], &orgnr[3..6], &orgnr[6..]);
        prop_assert_eq!(no::organisasjonsnummer(&spaced).expect("valid"), orgnr.clone());
        prop_assert!(no::organisasjonsnummer(&change_digit(&orgnr, nth, bump)).is_err());
    }
}

#[test]
fn only_the_documented_layouts_are_accepted() {
    for typed in [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        " 811218-9876 ",
        "811218\u{2013}9876",
    ] {
        assert_eq!(
            se::person_id(typed, today()).expect(typed).normalised,
            "19811218-9876",
            "{typed}"
        );
    }
    for typed in [
        " 811218 - 9876 ",
        "\t19811218 9876\n",
        "931216 - 5856",
        "8112-18-9876",
        "-8112189876",
        "81.12.18-9876",
        "811218--9876",
        "19811218+9876",
    ] {
        let e = se::person_id(typed, today()).expect_err(typed);
        assert_eq!(e.problem, IdProblem::Layout, "{typed}");
    }
    let fnr = "01019012480";
    assert!(no::fodselsnummer(fnr).is_ok());
    assert!(no::fodselsnummer("010190 12480").is_ok());
    for typed in [
        "-02036568294",
        "02.03.65 68294",
        "0101 9012480",
        "010190-12480",
    ] {
        let e = no::fodselsnummer(typed).expect_err(typed);
        assert_eq!(e.problem, IdProblem::Layout, "{typed}");
    }
    assert_eq!(
        no::fh_number("8 1234567890").map_err(|e| e.problem),
        Err(IdProblem::Layout)
    );
    assert_eq!(
        no::organisasjonsnummer("974 760 673").as_deref(),
        Ok("974760673")
    );
    for typed in ["974.760.673", "974-760-673", "9747 60673"] {
        let e = no::organisasjonsnummer(typed).expect_err(typed);
        assert_eq!(e.problem, IdProblem::Layout, "{typed}");
    }
    for typed in [
        "56667-92063",
        "556036 0793",
        "5560-36-0793",
        "16 5560360793",
    ] {
        let e = se::organisationsnummer(typed).expect_err(typed);
        assert_eq!(e.problem, IdProblem::Layout, "{typed}");
    }
    assert!(
        se::hsa_id("SE2321000016 -1234").is_err(),
        "no space inside an HSA-id"
    );
}

#[test]
fn control_characters_inside_a_number_are_refused_not_stripped() {
    for c in [
        '\u{0}', '\u{1B}', '\u{7F}', '\u{200B}', '\u{202E}', '\u{FEFF}',
    ] {
        let typed = format!("811218{c}-9876");
        let e = se::person_id(&typed, today()).expect_err(&typed);
        assert_eq!(e.problem, IdProblem::InvalidCharacter(c));
        let shown = format!("U+{:04X}", u32::from(c));
        assert!(
            message(&e, Lang::Sv).contains(&shown),
            "{}",
            message(&e, Lang::Sv)
        );
        assert!(!message(&e, Lang::Sv).contains(c));
        let typed = format!("0101901248{c}0");
        assert!(no::fodselsnummer(&typed).is_err(), "{typed:?}");
    }
}

#[test]
fn the_swedish_birth_number_000_is_refused() {
    let mut digits: Vec<u8> = "811218000".bytes().map(|b| b - b'0').collect();
    digits.push(luhn_digit(&digits));
    let number = text(&digits);
    let e = se::person_id(&number, today()).expect_err(&number);
    assert_eq!(e.problem, IdProblem::SerialZero);
    assert_eq!(
        message(&e, Lang::En),
        "The three digits before the control digit of the personal identity number cannot be 000; check what you typed"
    );
}

#[test]
fn plus_means_a_hundred_or_more() {
    assert_eq!(
        se::person_id("121212+1212", today())
            .expect("plus")
            .normalised,
        "19121212-1212"
    );
    assert_eq!(
        se::person_id("121212-1212", today())
            .expect("minus")
            .normalised,
        "20121212-1212"
    );
    let e = se::person_id("20121212+1212", today()).expect_err("no plus in 12 digits");
    assert_eq!(e.problem, IdProblem::Layout);
    let e = IdError {
        kind: IdKind::Personnummer,
        problem: IdProblem::PlusUnder100,
    };
    assert_eq!(
        message(&e, Lang::Sv),
        "Plustecknet används bara för den som har fyllt 100 år; skriv bindestreck"
    );
}

#[test]
fn samordningsnummer_days_61_to_91() {
    for (day, ok) in [(60, false), (61, true), (91, true), (92, false)] {
        let shown = format!("{day:02}");
        let mut digits: Vec<u8> = format!("7001{shown}239")
            .bytes()
            .map(|b| b - b'0')
            .collect();
        digits.push(luhn_digit(&digits));
        let number = text(&digits);
        let result = se::person_id(&number, today());
        assert_eq!(result.is_ok(), ok, "day {day}: {result:?}");
    }
    let e = se::person_id("700192-2399", today()).expect_err("day 92");
    assert_eq!(message(&e, Lang::Sv), "Datumet i personnumret finns inte");
    assert!(se::samordningsnummer("701063-2391", today()).is_ok());
    let e = se::samordningsnummer("811218-9876", today()).expect_err("not coordination");
    assert_eq!(
        message(&e, Lang::Sv),
        "Datumet i samordningsnumret finns inte"
    );
}

#[test]
fn non_ascii_digits_are_refused_with_a_reason() {
    for typed in [
        "８１１２１８-９８７６",
        "\u{0668}\u{0661}\u{0661}\u{0662}\u{0661}\u{0668}-\u{0669}\u{0668}\u{0667}\u{0666}",
    ] {
        let e = se::person_id(typed, today()).expect_err(typed);
        assert_eq!(e.problem, IdProblem::NonAsciiDigit);
    }
    let e = se::person_id("８１１２１８-９８７６", today()).expect_err("fullwidth");
    assert_eq!(
        message(&e, Lang::Sv),
        "Skriv personnumret med siffrorna 0–9; andra sorters siffror går inte att läsa"
    );
    assert_eq!(
        message(&e, Lang::En),
        "Write the personal identity number with the digits 0–9; other kinds of digits cannot be read"
    );
    let e = no::fodselsnummer("０１０１９０１２３４５").expect_err("fullwidth");
    assert_eq!(
        message(&e, Lang::Nb),
        "Skriv fødselsnummeret med sifrene 0–9; andre slags sifre kan ikke leses"
    );
}

#[test]
fn swedish_messages_are_pinned() {
    let cases = [
        (
            "",
            "Personnumret ska ha 10 eller 12 siffror, du har skrivit 0",
        ),
        (
            "81121898",
            "Personnumret ska ha 10 eller 12 siffror, du har skrivit 8",
        ),
        (
            "811218-9875",
            "Kontrollsiffran i personnumret stämmer inte; kontrollera att du har skrivit rätt",
        ),
        ("811318-9876", "Datumet i personnumret finns inte"),
        (
            "20271212-1212",
            "Datumet i personnumret har inte inträffat än",
        ),
        (
            "18991212-1212",
            "Datumet i personnumret ligger mer än 125 år bakåt i tiden",
        ),
        (
            "8112-18-9876",
            "Skriv personnumret som ÅÅMMDD-NNNN, ÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN (plustecken i stället för bindestreck för den som har fyllt 100 år)",
        ),
        (
            "811218/9876",
            "Personnumret får bara innehålla siffror och bindestreck, inte ”/”",
        ),
    ];
    for (typed, expected) in cases {
        let e = se::person_id(typed, today()).expect_err(typed);
        assert_eq!(message(&e, Lang::Sv), expected, "{typed}");
    }
    let org = [
        (
            "556036-0792",
            "Kontrollsiffran i organisationsnumret stämmer inte; kontrollera att du har skrivit rätt",
        ),
        (
            "551036-0793",
            "Den tredje siffran i organisationsnumret ska vara 2 eller högre",
        ),
        (
            "125560360793",
            "Med 12 siffror ska organisationsnumret börja med 16",
        ),
        (
            "55603607",
            "Organisationsnumret ska ha 10 siffror, du har skrivit 8",
        ),
    ];
    for (typed, expected) in org {
        let e = se::organisationsnummer(typed).expect_err(typed);
        assert_eq!(message(&e, Lang::Sv), expected, "{typed}");
    }
    let e = se::hsa_id("SE2321000016").expect_err("no suffix");
    assert_eq!(
        message(&e, Lang::Sv),
        "Skriv HSA-id:t som SE, organisationsnumret, bindestreck och ett tillägg, till exempel SE2321000016-1234"
    );
    let e = se::hsa_id("SE2321000017-1234").expect_err("luhn");
    assert_eq!(
        message(&e, Lang::Sv),
        "Kontrollsiffran i HSA-id:t stämmer inte; kontrollera att du har skrivit rätt"
    );
}

#[test]
fn norwegian_messages_are_pinned() {
    let e = no::fodselsnummer("0101901234").expect_err("ten digits");
    assert_eq!(
        message(&e, Lang::Nb),
        "Fødselsnummeret skal ha 11 sifre, du har skrevet 10"
    );
    assert_eq!(
        message(&e, Lang::En),
        "The national identity number must have 11 digits; you entered 10"
    );
    let e = no::fodselsnummer("32019012345").expect_err("day 32");
    assert_eq!(
        message(&e, Lang::Nb),
        "Datoen i fødselsnummeret finnes ikke"
    );
    let e = no::fodselsnummer("72019012345").expect_err("D day 32");
    assert_eq!(message(&e, Lang::Nb), "Datoen i D-nummeret finnes ikke");
    let e = no::fh_number("71234567890").expect_err("first digit");
    assert_eq!(
        message(&e, Lang::Nb),
        "FH-nummeret begynner alltid med 8 eller 9"
    );
    let e = no::organisasjonsnummer("974760672").expect_err("control");
    assert_eq!(
        message(&e, Lang::Nb),
        "Kontrollsifferet i organisasjonsnummeret stemmer ikke; sjekk at du har skrevet riktig"
    );
    assert_eq!(
        message(&e, Lang::En),
        "The control digit of the organisation number does not match; check what you typed"
    );
    assert_eq!(
        message(&e, Lang::Sv),
        "Kontrollsiffran i organisasjonsnummeret stämmer inte; kontrollera att du har skrivit rätt"
    );
    let e = no::organisasjonsnummer("974.760.673").expect_err("dots");
    assert_eq!(
        message(&e, Lang::Nb),
        "Skriv organisasjonsnummeret som NNNNNNNNN eller NNN NNN NNN"
    );
}
