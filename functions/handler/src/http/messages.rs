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
    /// A browser posted from a site not allowed to use the form (403).
    WrongOrigin,
    /// A receipt address without a reference of the right shape (404).
    NoReference,
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
            (WrongOrigin, Sv) => "Formuläret kan bara skickas från organisationens egen webbplats.",
            (WrongOrigin, Nb) => "Skjemaet kan bare sendes fra organisasjonens eget nettsted.",
            (WrongOrigin, En) => "The form can only be sent from the organisation's own website.",
            (NoReference, Sv) => {
                "Adressen saknar en giltig referens. Har du skickat formuläret står referensen i mottagningsbeviset."
            }
            (NoReference, Nb) => {
                "Adressen mangler en gyldig referanse. Har du sendt skjemaet, står referansen i kvitteringen."
            }
            (NoReference, En) => {
                "This address does not hold a valid reference. If you sent the form, the reference is in your receipt."
            }
        }
    }
}

/// The 429 text: too many submissions from one client, and how long to wait, the same number of seconds
/// as the `Retry-After` header.
pub fn too_many(retry_after_secs: u64, lang: Lang) -> String {
    let n = retry_after_secs;
    match (lang, n) {
        (Lang::Sv, 1) => {
            "Många formulär har skickats härifrån på kort tid. Vänta en sekund och försök igen."
                .into()
        }
        (Lang::Sv, _) => format!(
            "Många formulär har skickats härifrån på kort tid. Vänta {n} sekunder och försök igen."
        ),
        (Lang::Nb, 1) => {
            "Mange skjemaer er sendt herfra på kort tid. Vent ett sekund og prøv igjen.".into()
        }
        (Lang::Nb, _) => {
            format!("Mange skjemaer er sendt herfra på kort tid. Vent {n} sekunder og prøv igjen.")
        }
        (Lang::En, 1) => {
            "Many forms have been sent from here in a short time. Wait a second and try again."
                .into()
        }
        (Lang::En, _) => format!(
            "Many forms have been sent from here in a short time. Wait {n} seconds and try again."
        ),
    }
}

/// The title of a short problem page, in the page's language.
pub fn status_title(status: u16, lang: Lang) -> &'static str {
    use Lang::{En, Nb, Sv};
    match (status, lang) {
        (400, Sv) => "Formuläret kunde inte läsas",
        (400, Nb) => "Skjemaet kunne ikke leses",
        (400, En) => "The form could not be read",
        (403, Sv) => "Formuläret kan inte skickas härifrån",
        (403, Nb) => "Skjemaet kan ikke sendes herfra",
        (403, En) => "The form cannot be sent from here",
        (404, Sv) => "Kvittot finns inte",
        (404, Nb) => "Kvitteringen finnes ikke",
        (404, En) => "No such receipt",
        (413, Sv) => "Formuläret är för stort",
        (413, Nb) => "Skjemaet er for stort",
        (413, En) => "The form is too large",
        (429, Sv) => "För många formulär på kort tid",
        (429, Nb) => "For mange skjemaer på kort tid",
        (429, En) => "Too many forms in a short time",
        (_, Sv) => "Formuläret kunde inte tas emot",
        (_, Nb) => "Skjemaet kunne ikke tas imot",
        (_, En) => "The form could not be received",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_in_seconds_like_retry_after() {
        assert_eq!(
            too_many(6, Lang::Sv),
            "Många formulär har skickats härifrån på kort tid. Vänta 6 sekunder och försök igen."
        );
        assert_eq!(
            too_many(6, Lang::Nb),
            "Mange skjemaer er sendt herfra på kort tid. Vent 6 sekunder og prøv igjen."
        );
        assert_eq!(
            too_many(6, Lang::En),
            "Many forms have been sent from here in a short time. Wait 6 seconds and try again."
        );
        assert_eq!(
            too_many(1, Lang::Sv),
            "Många formulär har skickats härifrån på kort tid. Vänta en sekund och försök igen."
        );
        assert_eq!(
            too_many(1, Lang::Nb),
            "Mange skjemaer er sendt herfra på kort tid. Vent ett sekund og prøv igjen."
        );
        assert_eq!(
            too_many(1, Lang::En),
            "Many forms have been sent from here in a short time. Wait a second and try again."
        );
    }

    #[test]
    fn page_titles_are_in_the_pages_language() {
        let titles: Vec<&str> = [400, 403, 413, 429, 500, 503]
            .into_iter()
            .flat_map(|s| [Lang::Sv, Lang::Nb, Lang::En].map(|l| status_title(s, l)))
            .collect();
        assert_eq!(
            titles,
            [
                "Formuläret kunde inte läsas",
                "Skjemaet kunne ikke leses",
                "The form could not be read",
                "Formuläret kan inte skickas härifrån",
                "Skjemaet kan ikke sendes herfra",
                "The form cannot be sent from here",
                "Formuläret är för stort",
                "Skjemaet er for stort",
                "The form is too large",
                "För många formulär på kort tid",
                "For mange skjemaer på kort tid",
                "Too many forms in a short time",
                "Formuläret kunde inte tas emot",
                "Skjemaet kunne ikke tas imot",
                "The form could not be received",
                "Formuläret kunde inte tas emot",
                "Skjemaet kunne ikke tas imot",
                "The form could not be received",
            ]
        );
    }
}
