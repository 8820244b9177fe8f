//! Every message a user can see about what they typed, in the form's language, made from typed
//! problems ([`Problem`], [`IdError`]) in this one place. Pinned by tests.

use crate::identifiers::{IdError, IdKind, IdProblem};
use crate::model::{ChoiceStyle, Date, Field, FieldKind, Lang};

/// Why a field's answer was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed in a required field.
    Required,
    /// Nothing chosen in a required radio, select or yes/no.
    RequiredChoice,
    /// Nothing ticked in required checkboxes.
    RequiredCheckbox,
    /// More characters than allowed.
    TooLong {
        /// The limit.
        max: u32,
        /// What was typed.
        got: usize,
    },
    /// Not an e-mail address (no `@`, nothing on one side of it, spaces, or too long).
    Email,
    /// The part before the `@` has characters or dots the mail service cannot send to.
    EmailLocalPart,
    /// The part after the `@` is not a domain name with a dot (an address literal, `localhost`, …).
    EmailDomain,
    /// A control or invisible formatting character (C0, DEL, C1, bidi control, zero-width, BOM, soft
    /// hyphen) inside the answer.
    HiddenCharacter(char),
    /// Not a phone number.
    Phone,
    /// Not a date as `YYYY-MM-DD`.
    DateFormat,
    /// A date that does not exist.
    DateDoesNotExist,
    /// A date before today.
    DateInPast,
    /// A date later than allowed; the latest allowed.
    DateTooFar(Date),
    /// A date not after the start date (the start field's label).
    DateOrder(String),
    /// A value that is none of the options.
    NotAnOption,
    /// A single-value field sent more than once.
    SentTwice,
    /// A capacity that is not a number.
    Number,
    /// A capacity without a known unit.
    Unit,
    /// A capacity outside the range allowed for the chosen option: the option's label, min and max.
    OutOfRange(String, String, String),
    /// A value not allowed with the chosen option: value label, option label, the allowed labels.
    NotAllowedWith(String, String, Vec<String>),
    /// A yes/no answered no where yes is needed.
    MustBeYes,
    /// A refused identity or organisation number.
    Identifier(IdError),
}

impl Problem {
    /// The "required" problem that fits a field of this kind: the one rule for which wording an
    /// empty required field gets (ticked boxes, a choice, or something to type).
    pub fn required_for(kind: &FieldKind) -> Problem {
        match kind {
            FieldKind::Choice {
                style: ChoiceStyle::Checkboxes,
                ..
            } => Problem::RequiredCheckbox,
            FieldKind::Choice { .. } | FieldKind::YesNo => Problem::RequiredChoice,
            _ => Problem::Required,
        }
    }
}

/// The message for `problem` on `field`: the editor's own `error:` text for an unanswered field when
/// the definition gives one, otherwise the default wording of [`message`].
pub fn field_message(problem: &Problem, field: &Field, lang: Lang) -> String {
    let unanswered = matches!(
        problem,
        Problem::Required | Problem::RequiredChoice | Problem::RequiredCheckbox
    );
    match &field.error {
        Some(text) if unanswered => text.clone(),
        _ => message(problem, &field.label, lang),
    }
}

/// A label quoted as each language quotes it, so a message never has to inflect it.
fn quoted(label: &str, lang: Lang) -> String {
    let label = label.trim();
    match lang {
        Lang::Sv => format!("”{label}”"),
        Lang::Nb => format!("«{label}»"),
        Lang::En => format!("“{label}”"),
    }
}

/// The message for `problem` on the field labelled `label`.
pub fn message(problem: &Problem, label: &str, lang: Lang) -> String {
    use Lang::{En, Nb, Sv};
    use Problem as P;
    let l = quoted(label, lang);
    let question = label.trim_end().ends_with('?');
    match (problem, lang) {
        (P::Required, Sv) => format!("Fyll i fältet {l}"),
        (P::Required, Nb) => format!("Fyll ut feltet {l}"),
        (P::Required, En) => format!("Fill in {l}"),
        (P::RequiredChoice, Sv) if question => format!("Svara på frågan {l}"),
        (P::RequiredChoice, Nb) if question => format!("Svar på spørsmålet {l}"),
        (P::RequiredChoice, En) if question => format!("Answer the question {l}"),
        (P::RequiredChoice, Sv) => format!("Välj ett alternativ under {l}"),
        (P::RequiredChoice, Nb) => format!("Velg et alternativ under {l}"),
        (P::RequiredChoice, En) => format!("Choose an option under {l}"),
        (P::RequiredCheckbox, Sv) => format!("Välj minst ett alternativ under {l}"),
        (P::RequiredCheckbox, Nb) => format!("Velg minst ett alternativ under {l}"),
        (P::RequiredCheckbox, En) => format!("Choose at least one option under {l}"),
        (P::TooLong { max, got }, lang) => too_long(*max, &got.to_string(), lang),
        (P::Email, Sv) => "Skriv e-postadressen i rätt format, till exempel namn@exempel.se".into(),
        (P::Email, Nb) => {
            "Skriv e-postadressen i riktig format, for eksempel navn@eksempel.no".into()
        }
        (P::Email, En) => {
            "Enter an email address in the correct format, like name@example.com".into()
        }
        (P::EmailLocalPart, Sv) => "Delen före @ kan bara innehålla bokstäverna a–z, siffror och tecknen . _ - + ' (ingen punkt först, sist eller två i rad)".into(),
        (P::EmailLocalPart, Nb) => "Delen foran @ kan bare inneholde bokstavene a–z, sifre og tegnene . _ - + ' (ikke punktum først, sist eller to etter hverandre)".into(),
        (P::EmailLocalPart, En) => "The part before @ can only contain the letters a–z, digits and the characters . _ - + ' (no dot first, last or two in a row)".into(),
        (P::EmailDomain, Sv) => "Delen efter @ ska vara ett domännamn med minst en punkt, till exempel exempel.se".into(),
        (P::EmailDomain, Nb) => "Delen etter @ må være et domenenavn med minst ett punktum, for eksempel eksempel.no".into(),
        (P::EmailDomain, En) => "The part after @ must be a domain name with at least one dot, like example.com".into(),
        (P::HiddenCharacter(c), Sv) => format!("Svaret innehåller ett osynligt tecken eller styrtecken ({}). Skriv in det igen för hand", code_point(*c)),
        (P::HiddenCharacter(c), Nb) => format!("Svaret inneholder et usynlig tegn eller kontrolltegn ({}). Skriv det inn på nytt for hånd", code_point(*c)),
        (P::HiddenCharacter(c), En) => format!("The answer contains an invisible or control character ({}). Type it again by hand", code_point(*c)),
        (P::Phone, Sv) => {
            "Skriv telefonnumret med siffror, till exempel 08-123 456 78 eller +46 8 123 456 78"
                .into()
        }
        (P::Phone, Nb) => {
            "Skriv telefonnummeret med sifre, for eksempel 22 33 44 55 eller +47 22 33 44 55".into()
        }
        (P::Phone, En) => "Enter the phone number in digits, like +46 8 123 456 78".into(),
        (P::DateFormat, Sv) => "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-03-15".into(),
        (P::DateFormat, Nb) => "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2027-03-15".into(),
        (P::DateFormat, En) => "Enter the date as YYYY-MM-DD, like 2027-03-15".into(),
        (P::DateDoesNotExist, Sv) => "Datumet finns inte".into(),
        (P::DateDoesNotExist, Nb) => "Datoen finnes ikke".into(),
        (P::DateDoesNotExist, En) => "The date does not exist".into(),
        (P::DateInPast, Sv) => "Datumet får inte ha passerat".into(),
        (P::DateInPast, Nb) => "Datoen kan ikke være tilbake i tid".into(),
        (P::DateInPast, En) => "The date must be today or in the future".into(),
        (P::DateTooFar(d), Sv) => format!("Datumet får vara senast {d}"),
        (P::DateTooFar(d), Nb) => format!("Datoen kan være senest {d}"),
        (P::DateTooFar(d), En) => format!("The date must be {d} or earlier"),
        (P::DateOrder(start), Sv) => {
            format!("Datumet ska vara senare än det i {}", quoted(start, lang))
        }
        (P::DateOrder(start), Nb) => {
            format!("Datoen må være senere enn den i {}", quoted(start, lang))
        }
        (P::DateOrder(start), En) => {
            format!("The date must be after the one in {}", quoted(start, lang))
        }
        (P::Identifier(e), lang) => identifier_message(e, lang),
        _ => choice_message(problem, lang),
    }
}

/// The too-long message with `got` standing for the count typed: a number on the server, the
/// placeholder `{got}` in the browser's copy.
pub fn too_long(max: u32, got: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("Texten får vara högst {max} tecken, nu är den {got}"),
        Lang::Nb => format!("Teksten kan ha høyst {max} tegn, nå har den {got}"),
        Lang::En => format!("The text must be {max} characters or fewer; it has {got}"),
    }
}

/// Messages about choices, capacities and rules across fields.
fn choice_message(problem: &Problem, lang: Lang) -> String {
    use Lang::{En, Nb, Sv};
    use Problem as P;
    match (problem, lang) {
        (P::NotAnOption, Sv) => "Välj ett av alternativen".into(),
        (P::NotAnOption, Nb) => "Velg et av alternativene".into(),
        (P::NotAnOption, En) => "Select one of the options".into(),
        (P::SentTwice, Sv) => "Fältet skickades mer än en gång; fyll i det igen".into(),
        (P::SentTwice, Nb) => "Feltet ble sendt mer enn én gang; fyll det ut på nytt".into(),
        (P::SentTwice, En) => "The field was sent more than once; fill it in again".into(),
        (P::Number, Sv) => "Skriv ett tal med siffror, till exempel 100 eller 2,5".into(),
        (P::Number, Nb) => "Skriv et tall med sifre, for eksempel 100 eller 2,5".into(),
        (P::Number, En) => "Enter a number in digits, like 100 or 2.5".into(),
        (P::Unit, Sv) => "Välj enhet: kbit/s, Mbit/s eller Gbit/s".into(),
        (P::Unit, Nb) => "Velg enhet: kbit/s, Mbit/s eller Gbit/s".into(),
        (P::Unit, En) => "Select a unit: kbit/s, Mbit/s or Gbit/s".into(),
        (P::OutOfRange(o, min, max), Sv) => {
            format!("För {o} ska kapaciteten vara mellan {min} och {max}")
        }
        (P::OutOfRange(o, min, max), Nb) => {
            format!("For {o} må kapasiteten være mellom {min} og {max}")
        }
        (P::OutOfRange(o, min, max), En) => {
            format!("For {o} the capacity must be between {min} and {max}")
        }
        (P::NotAllowedWith(v, o, ok), Sv) if ok.is_empty() => {
            format!("{v} går inte att välja med {o}. Lämna frågan obesvarad")
        }
        (P::NotAllowedWith(v, o, ok), Nb) if ok.is_empty() => {
            format!("{v} kan ikke velges med {o}. La spørsmålet stå ubesvart")
        }
        (P::NotAllowedWith(v, o, ok), En) if ok.is_empty() => {
            format!("{v} cannot be chosen with {o}. Leave the question unanswered")
        }
        (P::NotAllowedWith(v, o, ok), Sv) => format!(
            "{v} går inte att välja med {o}. Välj något av: {}",
            ok.join(", ")
        ),
        (P::NotAllowedWith(v, o, ok), Nb) => {
            format!("{v} kan ikke velges med {o}. Velg en av: {}", ok.join(", "))
        }
        (P::NotAllowedWith(v, o, ok), En) => format!(
            "{v} cannot be chosen with {o}. Choose one of: {}",
            ok.join(", ")
        ),
        (P::MustBeYes, Sv) => "Du behöver svara ja för att kunna skicka".into(),
        (P::MustBeYes, Nb) => "Du må svare ja for å kunne sende".into(),
        (P::MustBeYes, En) => "You need to answer yes to send the form".into(),
        _ => String::new(),
    }
}

/// The number's name in definite form, lower case ("personnumret").
fn kind_name(kind: IdKind, lang: Lang) -> &'static str {
    use IdKind as K;
    match (kind, lang) {
        (K::Personnummer, Lang::Sv) => "personnumret",
        (K::Samordningsnummer, Lang::Sv) => "samordningsnumret",
        (K::Organisationsnummer, Lang::Sv) => "organisationsnumret",
        (K::HsaId, Lang::Sv) => "HSA-id:t",
        (K::Fodselsnummer, Lang::Sv) => "fødselsnummeret",
        (K::DNumber, Lang::Sv) => "D-numret",
        (K::HNumber, Lang::Sv) => "H-numret",
        (K::FhNumber, Lang::Sv) => "FH-numret",
        (K::Organisasjonsnummer, Lang::Sv) => "organisasjonsnummeret",
        (K::Personnummer, Lang::Nb) => "personnummeret",
        (K::Samordningsnummer, Lang::Nb) => "samordningsnummeret",
        (K::Organisationsnummer | K::Organisasjonsnummer, Lang::Nb) => "organisasjonsnummeret",
        (K::HsaId, Lang::Nb) => "HSA-id-en",
        (K::Fodselsnummer, Lang::Nb) => "fødselsnummeret",
        (K::DNumber, Lang::Nb) => "D-nummeret",
        (K::HNumber, Lang::Nb) => "H-nummeret",
        (K::FhNumber, Lang::Nb) => "FH-nummeret",
        (K::Personnummer, Lang::En) => "the personal identity number",
        (K::Samordningsnummer, Lang::En) => "the coordination number",
        (K::Organisationsnummer | K::Organisasjonsnummer, Lang::En) => "the organisation number",
        (K::HsaId, Lang::En) => "the HSA-id",
        (K::Fodselsnummer, Lang::En) => "the national identity number",
        (K::DNumber, Lang::En) => "the D number",
        (K::HNumber, Lang::En) => "the H number",
        (K::FhNumber, Lang::En) => "the FH number",
    }
}

/// `U+200B`: how a character that cannot be seen is named in a message.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A character as quoted in a message: itself when it can be seen, else its code point.
fn shown(c: char) -> String {
    if c.is_whitespace() || c.is_control() || crate::hidden::is_hidden(c) {
        code_point(c)
    } else {
        c.to_string()
    }
}

/// The accepted layouts of a kind of number, as a user reads them.
fn layouts(kind: IdKind, lang: Lang) -> &'static str {
    use IdKind as K;
    match (kind, lang) {
        (K::Personnummer | K::Samordningsnummer, Lang::Sv) => {
            "ÅÅMMDD-NNNN, ÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN (plustecken i stället för bindestreck för den som har fyllt 100 år)"
        }
        (K::Personnummer | K::Samordningsnummer, Lang::Nb) => {
            "ÅÅMMDD-NNNN, ÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN (plusstegn i stedet for bindestrek for den som har fylt 100 år)"
        }
        (K::Personnummer | K::Samordningsnummer, Lang::En) => {
            "YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN or YYYYMMDDNNNN (a plus sign instead of the hyphen for people aged 100 or over)"
        }
        (K::Organisationsnummer, Lang::Sv) => {
            "NNNNNN-NNNN eller NNNNNNNNNN, med 16 först om du vill"
        }
        (K::Organisationsnummer, Lang::Nb) => "NNNNNN-NNNN eller NNNNNNNNNN, gjerne med 16 først",
        (K::Organisationsnummer, Lang::En) => "NNNNNN-NNNN or NNNNNNNNNN, optionally with 16 first",
        (K::Fodselsnummer | K::DNumber | K::HNumber, Lang::Sv) => "DDMMÅÅNNNNN eller DDMMÅÅ NNNNN",
        (K::Fodselsnummer | K::DNumber | K::HNumber, Lang::Nb) => "DDMMÅÅNNNNN eller DDMMÅÅ NNNNN",
        (K::Fodselsnummer | K::DNumber | K::HNumber, Lang::En) => "DDMMYYNNNNN or DDMMYY NNNNN",
        (K::FhNumber, Lang::Sv) => "elva siffror i följd",
        (K::FhNumber, Lang::Nb) => "elleve sifre etter hverandre",
        (K::FhNumber, Lang::En) => "eleven digits in a row",
        (K::Organisasjonsnummer, Lang::Sv) => "NNNNNNNNN eller NNN NNN NNN",
        (K::Organisasjonsnummer, Lang::Nb) => "NNNNNNNNN eller NNN NNN NNN",
        (K::Organisasjonsnummer, Lang::En) => "NNNNNNNNN or NNN NNN NNN",
        (K::HsaId, Lang::Sv) => {
            "SE, organisationsnumret, bindestreck och ett tillägg, till exempel SE2321000016-1234"
        }
        (K::HsaId, Lang::Nb) => {
            "SE, organisasjonsnummeret, bindestrek og et tillegg, for eksempel SE2321000016-1234"
        }
        (K::HsaId, Lang::En) => {
            "SE, the organisation number, a hyphen and a suffix, like SE2321000016-1234"
        }
    }
}

/// Upper-cases the first letter.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `10 eller 12`, `10 or 12`.
fn counts(expected: &[usize], lang: Lang) -> String {
    let or = if lang == Lang::En { " or " } else { " eller " };
    expected
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(or)
}

/// The message for a refused identifier.
pub fn identifier_message(e: &IdError, lang: Lang) -> String {
    use IdProblem as P;
    use Lang::{En, Nb, Sv};
    let n = kind_name(e.kind, lang);
    let cap = capital(n);
    match (&e.problem, lang) {
        (P::NonAsciiDigit, Sv) => format!("Skriv {n} med siffrorna 0–9; andra sorters siffror går inte att läsa"),
        (P::NonAsciiDigit, Nb) => format!("Skriv {n} med sifrene 0–9; andre slags sifre kan ikke leses"),
        (P::NonAsciiDigit, En) => format!("Write {n} with the digits 0–9; other kinds of digits cannot be read"),
        (P::InvalidCharacter(c), Sv) => format!("{cap} får bara innehålla siffror och bindestreck, inte ”{}”", shown(*c)),
        (P::InvalidCharacter(c), Nb) => format!("{cap} kan bare inneholde sifre og bindestrek, ikke «{}»", shown(*c)),
        (P::InvalidCharacter(c), En) => format!("{cap} can only contain digits and hyphens, not “{}”", shown(*c)),
        (P::Layout, Sv) => format!("Skriv {n} som {}", layouts(e.kind, lang)),
        (P::Layout, Nb) => format!("Skriv {n} som {}", layouts(e.kind, lang)),
        (P::Layout, En) => format!("Write {n} as {}", layouts(e.kind, lang)),
        (P::SerialZero, Sv) => format!("De tre siffrorna före kontrollsiffran i {n} kan inte vara 000; kontrollera att du har skrivit rätt"),
        (P::SerialZero, Nb) => format!("De tre sifrene foran kontrollsifferet i {n} kan ikke være 000; sjekk at du har skrevet riktig"),
        (P::SerialZero, En) => format!("The three digits before the control digit of {n} cannot be 000; check what you typed"),
        (P::Length { expected, got }, Sv) => format!("{cap} ska ha {} siffror, du har skrivit {got}", counts(expected, lang)),
        (P::Length { expected, got }, Nb) => format!("{cap} skal ha {} sifre, du har skrevet {got}", counts(expected, lang)),
        (P::Length { expected, got }, En) => format!("{cap} must have {} digits; you entered {got}", counts(expected, lang)),
        (P::DateDoesNotExist, Sv) => format!("Datumet i {n} finns inte"),
        (P::DateDoesNotExist, Nb) => format!("Datoen i {n} finnes ikke"),
        (P::DateDoesNotExist, En) => format!("The date in {n} does not exist"),
        (P::DateInFuture, Sv) => format!("Datumet i {n} har inte inträffat än"),
        (P::DateInFuture, Nb) => format!("Datoen i {n} har ikke kommet ennå"),
        (P::DateInFuture, En) => format!("The date in {n} is in the future"),
        (P::DateTooOld, Sv) => format!("Datumet i {n} ligger mer än 125 år bakåt i tiden"),
        (P::DateTooOld, Nb) => format!("Datoen i {n} ligger mer enn 125 år tilbake i tid"),
        (P::DateTooOld, En) => format!("The date in {n} is more than 125 years ago"),
        (P::PlusUnder100, Sv) => "Plustecknet används bara för den som har fyllt 100 år; skriv bindestreck".into(),
        (P::PlusUnder100, Nb) => "Plusstegnet brukes bare for den som har fylt 100 år; skriv bindestrek".into(),
        (P::PlusUnder100, En) => "The plus sign is only for people aged 100 or over; use a hyphen".into(),
        (P::ControlDigit, Sv) => format!("Kontrollsiffran i {n} stämmer inte; kontrollera att du har skrivit rätt"),
        (P::ControlDigit, Nb) => format!("Kontrollsifferet i {n} stemmer ikke; sjekk at du har skrevet riktig"),
        (P::ControlDigit, En) => format!("The control digit of {n} does not match; check what you typed"),
        (P::ThirdDigit, Sv) => format!("Den tredje siffran i {n} ska vara 2 eller högre"),
        (P::ThirdDigit, Nb) => format!("Det tredje sifferet i {n} skal være 2 eller høyere"),
        (P::ThirdDigit, En) => format!("The third digit of {n} must be 2 or higher"),
        (P::OrgPrefix, Sv) => format!("Med 12 siffror ska {n} börja med 16"),
        (P::OrgPrefix, Nb) => format!("Med 12 sifre skal {n} begynne med 16"),
        (P::OrgPrefix, En) => format!("With 12 digits, {n} must start with 16"),
        (P::HsaFormat, Sv) => "Skriv HSA-id:t som SE, organisationsnumret, bindestreck och ett tillägg, till exempel SE2321000016-1234".into(),
        (P::HsaFormat, Nb) => "Skriv HSA-id-en som SE, organisasjonsnummeret, bindestrek og et tillegg, for eksempel SE2321000016-1234".into(),
        (P::HsaFormat, En) => "Write the HSA-id as SE, the organisation number, a hyphen and a suffix, like SE2321000016-1234".into(),
        (P::FhFirstDigit, Sv) => format!("{cap} börjar alltid med 8 eller 9"),
        (P::FhFirstDigit, Nb) => format!("{cap} begynner alltid med 8 eller 9"),
        (P::FhFirstDigit, En) => format!("{cap} always starts with 8 or 9"),
    }
}
