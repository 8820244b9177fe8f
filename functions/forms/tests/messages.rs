//! Every user-facing validation message, in every language, pinned.

use guidepost_forms::Date;
use guidepost_forms::Lang;
use guidepost_forms::identifiers::{IdError, IdKind, IdProblem};
use guidepost_forms::messages::{Problem, message};

fn problems() -> Vec<Problem> {
    vec![
        Problem::Required,
        Problem::RequiredChoice,
        Problem::RequiredCheckbox,
        Problem::TooLong {
            max: 1024,
            got: 1030,
        },
        Problem::Email,
        Problem::Phone,
        Problem::DateFormat,
        Problem::DateDoesNotExist,
        Problem::DateInPast,
        Problem::DateTooFar(Date::constant(2028, 11, 22)),
        Problem::DateOrder("Startdatum".into()),
        Problem::NotAnOption,
        Problem::SentTwice,
        Problem::Number,
        Problem::Unit,
        Problem::OutOfRange("xDSL".into(), "8 Mbit/s".into(), "30 Mbit/s".into()),
        Problem::NotAllowedWith("S4".into(), "xDSL".into(), vec!["S1".into(), "S2".into()]),
        Problem::MustBeYes,
        Problem::Identifier(IdError {
            kind: IdKind::FhNumber,
            problem: IdProblem::FhFirstDigit,
        }),
    ]
}

fn all(label: &str, lang: Lang) -> Vec<String> {
    problems().iter().map(|p| message(p, label, lang)).collect()
}

#[test]
fn swedish() {
    assert_eq!(
        all("E-postadress", Lang::Sv),
        [
            "Fyll i fältet ”E-postadress”",
            "Välj ett alternativ under ”E-postadress”",
            "Välj minst ett alternativ under ”E-postadress”",
            "Texten får vara högst 1024 tecken, nu är den 1030",
            "Skriv e-postadressen i rätt format, till exempel namn@exempel.se",
            "Skriv telefonnumret med siffror, till exempel 08-123 456 78 eller +46 8 123 456 78",
            "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-03-15",
            "Datumet finns inte",
            "Datumet får inte ha passerat",
            "Datumet får vara senast 2028-11-22",
            "Datumet ska vara senare än det i ”Startdatum”",
            "Välj ett av alternativen",
            "Fältet skickades mer än en gång; fyll i det igen",
            "Skriv ett tal med siffror, till exempel 100 eller 2,5",
            "Välj enhet: kbit/s, Mbit/s eller Gbit/s",
            "För xDSL ska kapaciteten vara mellan 8 Mbit/s och 30 Mbit/s",
            "S4 går inte att välja med xDSL. Välj något av: S1, S2",
            "Du behöver svara ja för att kunna skicka",
            "FH-numret börjar alltid med 8 eller 9",
        ]
    );
    assert_eq!(
        message(&Problem::RequiredChoice, "Behöver ni rådgivning?", Lang::Sv),
        "Svara på frågan ”Behöver ni rådgivning?”"
    );
    assert_eq!(
        message(&Problem::Required, "HSA-id", Lang::Sv),
        "Fyll i fältet ”HSA-id”"
    );
}

#[test]
fn norwegian() {
    assert_eq!(
        all("Organisasjonsnummer", Lang::Nb),
        [
            "Fyll ut feltet «Organisasjonsnummer»",
            "Velg et alternativ under «Organisasjonsnummer»",
            "Velg minst ett alternativ under «Organisasjonsnummer»",
            "Teksten kan ha høyst 1024 tegn, nå har den 1030",
            "Skriv e-postadressen i riktig format, for eksempel navn@eksempel.no",
            "Skriv telefonnummeret med sifre, for eksempel 22 33 44 55 eller +47 22 33 44 55",
            "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2027-03-15",
            "Datoen finnes ikke",
            "Datoen kan ikke være tilbake i tid",
            "Datoen kan være senest 2028-11-22",
            "Datoen må være senere enn den i «Startdatum»",
            "Velg et av alternativene",
            "Feltet ble sendt mer enn én gang; fyll det ut på nytt",
            "Skriv et tall med sifre, for eksempel 100 eller 2,5",
            "Velg enhet: kbit/s, Mbit/s eller Gbit/s",
            "For xDSL må kapasiteten være mellom 8 Mbit/s og 30 Mbit/s",
            "S4 kan ikke velges med xDSL. Velg en av: S1, S2",
            "Du må svare ja for å kunne sende",
            "FH-nummeret begynner alltid med 8 eller 9",
        ]
    );
    assert_eq!(
        message(&Problem::RequiredChoice, "Er du kontaktperson?", Lang::Nb),
        "Svar på spørsmålet «Er du kontaktperson?»"
    );
}

#[test]
fn english() {
    assert_eq!(
        all("Email address", Lang::En),
        [
            "Fill in “Email address”",
            "Choose an option under “Email address”",
            "Choose at least one option under “Email address”",
            "The text must be 1024 characters or fewer; it has 1030",
            "Enter an email address in the correct format, like name@example.com",
            "Enter the phone number in digits, like +46 8 123 456 78",
            "Enter the date as YYYY-MM-DD, like 2027-03-15",
            "The date does not exist",
            "The date must be today or in the future",
            "The date must be 2028-11-22 or earlier",
            "The date must be after the one in “Startdatum”",
            "Select one of the options",
            "The field was sent more than once; fill it in again",
            "Enter a number in digits, like 100 or 2.5",
            "Select a unit: kbit/s, Mbit/s or Gbit/s",
            "For xDSL the capacity must be between 8 Mbit/s and 30 Mbit/s",
            "S4 cannot be chosen with xDSL. Choose one of: S1, S2",
            "You need to answer yes to send the form",
            "The FH number always starts with 8 or 9",
        ]
    );
}

#[test]
fn identifier_problems_in_every_language() {
    let problems = [
        IdProblem::InvalidCharacter('x'),
        IdProblem::Layout,
        IdProblem::Length {
            expected: &[10, 12],
            got: 9,
        },
        IdProblem::DateInFuture,
        IdProblem::DateTooOld,
        IdProblem::ThirdDigit,
        IdProblem::OrgPrefix,
        IdProblem::HsaFormat,
        IdProblem::ControlDigit,
    ];
    let render = |kind, lang| -> Vec<String> {
        problems
            .iter()
            .map(|p| {
                message(
                    &Problem::Identifier(IdError {
                        kind,
                        problem: p.clone(),
                    }),
                    "",
                    lang,
                )
            })
            .collect()
    };
    assert_eq!(
        render(IdKind::Personnummer, Lang::En),
        [
            "The personal identity number can only contain digits and hyphens, not “x”",
            "Write the personal identity number as YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN (a plus sign instead of the hyphen for people aged 100 or over)",
            "The personal identity number must have 10 or 12 digits; you entered 9",
            "The date in the personal identity number is in the future",
            "The date in the personal identity number is more than 125 years ago",
            "The third digit of the personal identity number must be 2 or higher",
            "With 12 digits, the personal identity number must start with 16",
            "Write the HSA-id as SE, the organisation number, a hyphen and a suffix, like SE2321000016-1234",
            "The control digit of the personal identity number does not match; check what you typed",
        ]
    );
    assert_eq!(
        render(IdKind::DNumber, Lang::Nb),
        [
            "D-nummeret kan bare inneholde sifre og bindestrek, ikke «x»",
            "Skriv D-nummeret som DDMMÅÅNNNNN eller DDMMÅÅ NNNNN",
            "D-nummeret skal ha 10 eller 12 sifre, du har skrevet 9",
            "Datoen i D-nummeret har ikke kommet ennå",
            "Datoen i D-nummeret ligger mer enn 125 år tilbake i tid",
            "Det tredje sifferet i D-nummeret skal være 2 eller høyere",
            "Med 12 sifre skal D-nummeret begynne med 16",
            "Skriv HSA-id-en som SE, organisasjonsnummeret, bindestrek og et tillegg, for eksempel SE2321000016-1234",
            "Kontrollsifferet i D-nummeret stemmer ikke; sjekk at du har skrevet riktig",
        ]
    );
    assert_eq!(
        render(IdKind::Samordningsnummer, Lang::Sv)[8],
        "Kontrollsiffran i samordningsnumret stämmer inte; kontrollera att du har skrivit rätt"
    );
}

/// The messages of the hardening: layouts per kind of number, serial 000, invisible characters named by
/// their code point (never echoed), and the two e-mail address refusals.
#[test]
fn layout_serial_hidden_and_address_messages_in_every_language() {
    let id = |kind, problem| Problem::Identifier(IdError { kind, problem });
    let all = |problem: &Problem| -> Vec<String> {
        [Lang::Sv, Lang::Nb, Lang::En]
            .into_iter()
            .map(|lang| message(problem, "E-post", lang))
            .collect()
    };
    assert_eq!(
        all(&id(IdKind::Personnummer, IdProblem::Layout)),
        [
            "Skriv personnumret som ÅÅMMDD-NNNN, ÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN (plustecken i stället för bindestreck för den som har fyllt 100 år)",
            "Skriv personnummeret som ÅÅMMDD-NNNN, ÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN (plusstegn i stedet for bindestrek for den som har fylt 100 år)",
            "Write the personal identity number as YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN (a plus sign instead of the hyphen for people aged 100 or over)",
        ]
    );
    assert_eq!(
        all(&id(IdKind::Organisationsnummer, IdProblem::Layout)),
        [
            "Skriv organisationsnumret som NNNNNN-NNNN eller NNNNNNNNNN, med 16 först om du vill",
            "Skriv organisasjonsnummeret som NNNNNN-NNNN eller NNNNNNNNNN, gjerne med 16 først",
            "Write the organisation number as NNNNNN-NNNN or NNNNNNNNNN, optionally with 16 first",
        ]
    );
    assert_eq!(
        all(&id(IdKind::Fodselsnummer, IdProblem::Layout)),
        [
            "Skriv fødselsnummeret som DDMMÅÅNNNNN eller DDMMÅÅ NNNNN",
            "Skriv fødselsnummeret som DDMMÅÅNNNNN eller DDMMÅÅ NNNNN",
            "Write the national identity number as DDMMYYNNNNN or DDMMYY NNNNN",
        ]
    );
    assert_eq!(
        all(&id(IdKind::FhNumber, IdProblem::Layout)),
        [
            "Skriv FH-numret som elva siffror i följd",
            "Skriv FH-nummeret som elleve sifre etter hverandre",
            "Write the FH number as eleven digits in a row",
        ]
    );
    assert_eq!(
        all(&id(IdKind::Organisasjonsnummer, IdProblem::Layout)),
        [
            "Skriv organisasjonsnummeret som NNNNNNNNN eller NNN NNN NNN",
            "Skriv organisasjonsnummeret som NNNNNNNNN eller NNN NNN NNN",
            "Write the organisation number as NNNNNNNNN or NNN NNN NNN",
        ]
    );
    assert_eq!(
        all(&id(IdKind::HsaId, IdProblem::Layout))[2],
        "Write the HSA-id as SE, the organisation number, a hyphen and a suffix, like SE2321000016-1234"
    );
    assert_eq!(
        all(&id(IdKind::Personnummer, IdProblem::SerialZero)),
        [
            "De tre siffrorna före kontrollsiffran i personnumret kan inte vara 000; kontrollera att du har skrivit rätt",
            "De tre sifrene foran kontrollsifferet i personnummeret kan ikke være 000; sjekk at du har skrevet riktig",
            "The three digits before the control digit of the personal identity number cannot be 000; check what you typed",
        ]
    );
    assert_eq!(
        all(&id(
            IdKind::Personnummer,
            IdProblem::InvalidCharacter('\u{202E}')
        ))[0],
        "Personnumret får bara innehålla siffror och bindestreck, inte ”U+202E”"
    );
    assert_eq!(
        all(&Problem::HiddenCharacter('\u{200B}')),
        [
            "Svaret innehåller ett osynligt tecken eller styrtecken (U+200B). Skriv in det igen för hand",
            "Svaret inneholder et usynlig tegn eller kontrolltegn (U+200B). Skriv det inn på nytt for hånd",
            "The answer contains an invisible or control character (U+200B). Type it again by hand",
        ]
    );
    assert_eq!(
        all(&Problem::EmailLocalPart),
        [
            "Delen före @ kan bara innehålla bokstäverna a–z, siffror och tecknen . _ - + ' (ingen punkt först, sist eller två i rad)",
            "Delen foran @ kan bare inneholde bokstavene a–z, sifre og tegnene . _ - + ' (ikke punktum først, sist eller to etter hverandre)",
            "The part before @ can only contain the letters a–z, digits and the characters . _ - + ' (no dot first, last or two in a row)",
        ]
    );
    assert_eq!(
        all(&Problem::EmailDomain),
        [
            "Delen efter @ ska vara ett domännamn med minst en punkt, till exempel exempel.se",
            "Delen etter @ må være et domenenavn med minst ett punktum, for eksempel eksempel.no",
            "The part after @ must be a domain name with at least one dot, like example.com",
        ]
    );
}
