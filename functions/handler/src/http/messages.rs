//! The handler's own words to the client, per form language (the forms crate owns the field messages).

use guidepost_forms::Lang;

/// A message the handler itself shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// The body could not be read (not UTF-8, not a JSON object).
    Unreadable,
    /// A JSON field held an object or a nested array.
    NotText,
    /// The body is over the size limit.
    TooLarge,
    /// The submission could not be stored: nothing was sent, try again.
    TryAgainLater,
    /// Too many submissions from one client in a short time (429).
    TooMany,
    /// A browser posted from a site not allowed to use the form (403).
    WrongOrigin,
}

impl Message {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        use Lang::{En, Nb, Sv};
        use Message::*;
        match (self, lang) {
            (Unreadable, Sv) => {
                "Formuläret kunde inte läsas. Gå tillbaka till formuläret och försök igen."
            }
            (Unreadable, Nb) => "Skjemaet kunne ikke leses. Gå tilbake til skjemaet og prøv igjen.",
            (Unreadable, En) => "The form could not be read. Go back to the form and try again.",
            (NotText, Sv) => "Värdet måste vara text.",
            (NotText, Nb) => "Verdien må være tekst.",
            (NotText, En) => "The value must be text.",
            (TooLarge, Sv) => "Formuläret är för stort. Korta ner texten och försök igen.",
            (TooLarge, Nb) => "Skjemaet er for stort. Gjør teksten kortere og prøv igjen.",
            (TooLarge, En) => "The form is too large. Shorten the text and try again.",
            (TryAgainLater, Sv) => {
                "Formuläret kunde inte tas emot just nu och har inte skickats. Försök igen om en stund."
            }
            (TryAgainLater, Nb) => {
                "Skjemaet kunne ikke tas imot akkurat nå og er ikke sendt. Prøv igjen om litt."
            }
            (TryAgainLater, En) => {
                "The form could not be received just now and has not been sent. Please try again shortly."
            }
            (TooMany, Sv) => {
                "Många formulär har skickats härifrån på kort tid. Vänta en minut och försök igen."
            }
            (TooMany, Nb) => {
                "Mange skjemaer er sendt herfra på kort tid. Vent et minutt og prøv igjen."
            }
            (TooMany, En) => {
                "Many forms have been sent from here in a short time. Wait a minute and try again."
            }
            (WrongOrigin, Sv) => "Formuläret kan bara skickas från organisationens egen webbplats.",
            (WrongOrigin, Nb) => "Skjemaet kan bare sendes fra organisasjonens eget nettsted.",
            (WrongOrigin, En) => "The form can only be sent from the organisation's own website.",
        }
    }
}
