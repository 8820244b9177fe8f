//! UI strings per language, in one place: buttons, headings, markers, e-mail wording.

use crate::model::Lang;

/// One string in the three languages.
struct Tr {
    sv: &'static str,
    nb: &'static str,
    en: &'static str,
}

impl Tr {
    fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Sv => self.sv,
            Lang::Nb => self.nb,
            Lang::En => self.en,
        }
    }
}

macro_rules! ui {
    ($($(#[$doc:meta])* $name:ident: $sv:literal, $nb:literal, $en:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(lang: Lang) -> &'static str {
                Tr { sv: $sv, nb: $nb, en: $en }.get(lang)
            }
        )*
    };
}

ui! {
    /// The submit button.
    submit: "Skicka beställningen", "Send bestillingen", "Send";
    /// Before the page title while a form shows errors.
    title_error_prefix: "Fel: ", "Feil: ", "Error: ";
    /// Before the page title on the page that shows the receipt.
    title_sent_prefix: "Skickat: ", "Sendt: ", "Sent: ";
    /// The error summary's heading.
    error_summary_heading: "Det finns fel i formuläret", "Det er feil i skjemaet", "There is a problem";
    /// Marks an optional field.
    optional: "(valfritt)", "(valgfritt)", "(optional)";
    /// Yes.
    yes: "Ja", "Ja", "Yes";
    /// No.
    no: "Nej", "Nei", "No";
    /// The empty first entry of a drop-down.
    choose: "Välj…", "Velg…", "Choose…";
    /// The label of a capacity's unit.
    unit: "Enhet", "Enhet", "Unit";
    /// The label of a capacity's number.
    amount: "Värde", "Verdi", "Amount";
    /// The honeypot's label, for people who see it despite the hiding.
    honeypot: "Lämna det här fältet tomt", "La dette feltet stå tomt", "Leave this field empty";
    /// Before the character limit of a long text.
    chars_before: "Du kan skriva högst", "Du kan skrive høyst", "You can enter up to";
    /// After the character limit of a long text.
    chars_after: "tecken.", "tegn.", "characters.";
    /// The date format hint.
    date_hint: "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-03-15.", "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2027-03-15.", "Write the date as YYYY-MM-DD, for example 2027-03-15.";
    /// The heading of the privacy notice before the submit button.
    privacy_heading: "Så behandlar vi dina personuppgifter", "Slik behandler vi personopplysningene dine", "How we handle your personal data";
    /// Who is responsible for the data.
    privacy_controller: "Personuppgiftsansvarig", "Behandlingsansvarlig", "Controller";
    /// Why the data is collected.
    privacy_purpose: "Ändamål", "Formål", "Purpose";
    /// The legal basis.
    privacy_legal_basis: "Rättslig grund", "Rettslig grunnlag", "Legal basis";
    /// How long the data is kept.
    privacy_retention: "Så länge sparas uppgifterna", "Så lenge lagres opplysningene", "How long we keep it";
    /// The submitter's rights.
    privacy_rights: "Dina rättigheter", "Rettighetene dine", "Your rights";
    /// Whom to ask.
    privacy_contact: "Frågor om personuppgifter", "Spørsmål om personvern", "Questions about your data";
    /// The link to the full privacy text.
    privacy_more: "Läs mer om hur vi behandlar personuppgifter", "Les mer om hvordan vi behandler personopplysninger", "Read more about how we handle personal data";
    /// "Reference" in e-mails.
    reference: "Referens", "Referanse", "Reference";
    /// "Submitted" in e-mails.
    submitted: "Inskickat", "Sendt inn", "Submitted";
    /// A field left empty, in e-mails.
    not_answered: "(inte ifyllt)", "(ikke fylt ut)", "(not answered)";
    /// The desk e-mail's first line.
    desk_intro: "Nytt ärende från formuläret", "Ny sak fra skjemaet", "New submission from the form";
    /// The receipt's subject prefix.
    receipt_subject: "Mottagningsbevis", "Kvittering", "Receipt";
    /// The receipt's opening.
    receipt_thanks: "Tack! Vi har tagit emot det du skickade in.", "Takk! Vi har mottatt det du sendte inn.", "Thank you. We have received your submission.";
    /// Before the reference in the receipt.
    receipt_reference: "Ange referensen om du kontaktar oss om ärendet:", "Oppgi referansen hvis du kontakter oss om saken:", "Quote this reference if you contact us about it:";
    /// The receipt's "what happens next" heading.
    next_heading: "Det här händer nu", "Dette skjer nå", "What happens next";
    /// The heading of the receipt's list of questions answered.
    answered_heading: "Du svarade på de här frågorna", "Du svarte på disse spørsmålene", "You answered these questions";
    /// Under the receipt's list: why the answers themselves are not in it.
    answers_not_repeated: "Svaren upprepas inte i det här meddelandet, så att ingen annan kan använda formuläret för att skicka text i vårt namn.", "Svarene gjentas ikke i denne meldingen, slik at ingen andre kan bruke skjemaet til å sende tekst i vårt navn.", "Your answers are not repeated in this message, so that no one else can use the form to send text in our name.";
}
