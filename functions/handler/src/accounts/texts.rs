//! Every word the register's mails and pages use, in Swedish, Norwegian bokmål and English, with
//! `{name}`-style slots filled by [`fill`]. One table, so a language is never half done.

use guidepost_forms::Lang;

/// The texts of one language.
pub(crate) struct Texts {
    pub(crate) desk_new: &'static str,
    pub(crate) desk_extend: &'static str,
    pub(crate) reminder_subject: &'static str,
    pub(crate) reminder_body: &'static str,
    pub(crate) reminder_late: &'static str,
    pub(crate) reminder_extend: &'static str,
    pub(crate) reminder_end: &'static str,
    pub(crate) reminder_nothing: &'static str,
    pub(crate) removal_subject: &'static str,
    pub(crate) removal_body: &'static str,
    pub(crate) unconfirmed_subject: &'static str,
    pub(crate) unconfirmed_body: &'static str,
    pub(crate) end_subject: &'static str,
    pub(crate) end_body: &'static str,
    pub(crate) confirm_title: &'static str,
    pub(crate) confirm_new: &'static str,
    pub(crate) confirm_extend: &'static str,
    pub(crate) confirm_end: &'static str,
    pub(crate) end_date_label: &'static str,
    pub(crate) end_date_hint: &'static str,
    pub(crate) confirm_button: &'static str,
    pub(crate) confirmed_new: &'static str,
    pub(crate) confirmed_extend: &'static str,
    pub(crate) confirmed_end: &'static str,
    pub(crate) end_title: &'static str,
    pub(crate) end_text: &'static str,
    pub(crate) end_button: &'static str,
    pub(crate) end_sent: &'static str,
    pub(crate) bad_date: &'static str,
    pub(crate) past_date: &'static str,
    pub(crate) invalid: (&'static str, &'static str),
    pub(crate) expired: (&'static str, &'static str),
    pub(crate) used: (&'static str, &'static str),
    pub(crate) closed: (&'static str, &'static str),
    pub(crate) unknown: (&'static str, &'static str),
    pub(crate) unavailable: (&'static str, &'static str),
}

const SV: Texts = Texts {
    desk_new: "Påminnelser om slutdatumet skickas först när du har bekräftat att kontot är upplagt. Bekräfta här (du kan rätta slutdatumet):",
    desk_extend: "Det här är en förlängning av konto {account}. Bekräfta här när förlängningen är gjord, så räknas påminnelserna från det nya slutdatumet:",
    reminder_subject: "Påminnelse: kontot för {name} upphör {end} – {account}",
    reminder_body: "Kontot för {name} (referens {account}) gäller till och med {end}, alltså {days} dagar till.",
    reminder_late: "Påminnelsen skulle ha skickats {due} och kommer alltså sent.",
    reminder_extend: "Ska kontot gälla längre? Förläng det här:",
    reminder_end: "Behövs det inte längre? Avsluta det här:",
    reminder_nothing: "Gör du ingenting tas kontot bort på slutdatumet. Länkarna gäller bara det här kontot och slutar fungera efter slutdatumet.",
    removal_subject: "Ta bort konto: {name} – {account}",
    removal_body: "Slutdatumet {end} för kontot för {name} (referens {account}) har kommit, och ingen har förlängt eller avslutat kontot. Ta bort kontot och dess behörigheter.",
    unconfirmed_subject: "Obekräftat konto – {account}",
    unconfirmed_body: "Kontot för {name} (referens {account}) beställdes {ordered} men är ännu inte bekräftat, så inga påminnelser skickas. Bekräfta här när kontot är upplagt:",
    end_subject: "Avsluta konto: {name} – {reference}",
    end_body: "Kontaktpersonen {contact} ber att kontot för {name} (referens {account}, slutdatum {end}) avslutas. Begäran har referens {reference}. Bekräfta här när kontot är avslutat:",
    confirm_title: "Bekräfta konto",
    confirm_new: "Kontot för {name} (referens {account}) är beställt med slutdatum {end}. Bekräfta att det är upplagt. Har det fått ett annat slutdatum, rätta datumet först.",
    confirm_extend: "Kontot för {name} (referens {account}) ska förlängas till {end} enligt beställning {reference}. Bekräfta när förlängningen är gjord. Blev slutdatumet ett annat, rätta det först.",
    confirm_end: "Kontot för {name} (referens {account}) ska avslutas enligt begäran {reference}. Bekräfta när kontot är avslutat.",
    end_date_label: "Slutdatum",
    end_date_hint: "Skriv datumet som ÅÅÅÅ-MM-DD.",
    confirm_button: "Bekräfta",
    confirmed_new: "Kontot för {name} är bekräftat med slutdatum {end}. Påminnelserna skickas inför slutdatumet.",
    confirmed_extend: "Förlängningen är bekräftad. Kontot för {name} gäller nu till och med {end}, och påminnelserna räknas från det datumet.",
    confirmed_end: "Avslutet är bekräftat. Inga fler påminnelser skickas om kontot för {name}.",
    end_title: "Avsluta kontot?",
    end_text: "Kontot för {name} (referens {account}) gäller till och med {end}. Tryck på knappen för att be servicedesken avsluta det. Ingenting händer förrän du trycker.",
    end_button: "Avsluta kontot",
    end_sent: "Begäran är skickad till servicedesken med referens {reference}. När kontot är avslutat skickas inga fler påminnelser.",
    bad_date: "Skriv slutdatumet som ÅÅÅÅ-MM-DD, till exempel 2027-03-31.",
    past_date: "Slutdatumet får inte ha passerat.",
    invalid: (
        "Länken fungerar inte",
        "Länken är ändrad eller ofullständig. Öppna den igen från e-postmeddelandet, eller kontakta servicedesken.",
    ),
    expired: (
        "Länken har gått ut",
        "Länken gäller inte längre. Kontakta servicedesken om kontot behöver ändras.",
    ),
    used: (
        "Länken är redan använd",
        "Det som länken gällde är redan gjort, eller så har en nyare länk ersatt den. Kontakta servicedesken om något ändå är fel.",
    ),
    closed: (
        "Kontot är avslutat",
        "Kontot är redan avslutat eller borttaget. Behövs det igen, gör en ny beställning.",
    ),
    unknown: (
        "Kontot finns inte",
        "Det finns inget konto som länken gäller. Kontakta servicedesken.",
    ),
    unavailable: (
        "Det gick inte just nu",
        "Registret gick inte att nå. Försök igen om en stund.",
    ),
};

const NB: Texts = Texts {
    desk_new: "Påminnelser om sluttdatoen sendes først når du har bekreftet at kontoen er opprettet. Bekreft her (du kan rette sluttdatoen):",
    desk_extend: "Dette er en forlengelse av konto {account}. Bekreft her når forlengelsen er gjort, så regnes påminnelsene fra den nye sluttdatoen:",
    reminder_subject: "Påminnelse: kontoen for {name} utløper {end} – {account}",
    reminder_body: "Kontoen for {name} (referanse {account}) gjelder til og med {end}, altså {days} dager til.",
    reminder_late: "Påminnelsen skulle vært sendt {due} og kommer altså sent.",
    reminder_extend: "Skal kontoen gjelde lenger? Forleng den her:",
    reminder_end: "Trengs den ikke lenger? Avslutt den her:",
    reminder_nothing: "Gjør du ingenting, slettes kontoen på sluttdatoen. Lenkene gjelder bare denne kontoen og slutter å virke etter sluttdatoen.",
    removal_subject: "Slett konto: {name} – {account}",
    removal_body: "Sluttdatoen {end} for kontoen til {name} (referanse {account}) er nådd, og ingen har forlenget eller avsluttet kontoen. Slett kontoen og tilgangene.",
    unconfirmed_subject: "Ubekreftet konto – {account}",
    unconfirmed_body: "Kontoen for {name} (referanse {account}) ble bestilt {ordered}, men er ikke bekreftet ennå, så ingen påminnelser sendes. Bekreft her når kontoen er opprettet:",
    end_subject: "Avslutt konto: {name} – {reference}",
    end_body: "Kontaktpersonen {contact} ber om at kontoen for {name} (referanse {account}, sluttdato {end}) avsluttes. Forespørselen har referanse {reference}. Bekreft her når kontoen er avsluttet:",
    confirm_title: "Bekreft konto",
    confirm_new: "Kontoen for {name} (referanse {account}) er bestilt med sluttdato {end}. Bekreft at den er opprettet. Har den fått en annen sluttdato, rett datoen først.",
    confirm_extend: "Kontoen for {name} (referanse {account}) skal forlenges til {end} etter bestilling {reference}. Bekreft når forlengelsen er gjort. Ble sluttdatoen en annen, rett den først.",
    confirm_end: "Kontoen for {name} (referanse {account}) skal avsluttes etter forespørsel {reference}. Bekreft når kontoen er avsluttet.",
    end_date_label: "Sluttdato",
    end_date_hint: "Skriv datoen som ÅÅÅÅ-MM-DD.",
    confirm_button: "Bekreft",
    confirmed_new: "Kontoen for {name} er bekreftet med sluttdato {end}. Påminnelsene sendes før sluttdatoen.",
    confirmed_extend: "Forlengelsen er bekreftet. Kontoen for {name} gjelder nå til og med {end}, og påminnelsene regnes fra den datoen.",
    confirmed_end: "Avslutningen er bekreftet. Ingen flere påminnelser sendes om kontoen for {name}.",
    end_title: "Avslutte kontoen?",
    end_text: "Kontoen for {name} (referanse {account}) gjelder til og med {end}. Trykk på knappen for å be brukerstøtten avslutte den. Ingenting skjer før du trykker.",
    end_button: "Avslutt kontoen",
    end_sent: "Forespørselen er sendt til brukerstøtten med referanse {reference}. Når kontoen er avsluttet, sendes ingen flere påminnelser.",
    bad_date: "Skriv sluttdatoen som ÅÅÅÅ-MM-DD, for eksempel 2027-03-31.",
    past_date: "Sluttdatoen kan ikke ha passert.",
    invalid: (
        "Lenken virker ikke",
        "Lenken er endret eller ufullstendig. Åpne den på nytt fra e-posten, eller kontakt brukerstøtten.",
    ),
    expired: (
        "Lenken er utløpt",
        "Lenken gjelder ikke lenger. Kontakt brukerstøtten hvis kontoen må endres.",
    ),
    used: (
        "Lenken er allerede brukt",
        "Det lenken gjaldt er allerede gjort, eller en nyere lenke har erstattet den. Kontakt brukerstøtten hvis noe likevel er feil.",
    ),
    closed: (
        "Kontoen er avsluttet",
        "Kontoen er allerede avsluttet eller slettet. Trengs den igjen, send en ny bestilling.",
    ),
    unknown: (
        "Kontoen finnes ikke",
        "Det finnes ingen konto som lenken gjelder. Kontakt brukerstøtten.",
    ),
    unavailable: (
        "Det gikk ikke akkurat nå",
        "Registeret kunne ikke nås. Prøv igjen om litt.",
    ),
};

const EN: Texts = Texts {
    desk_new: "Reminders about the end date are only sent once you have confirmed the account is set up. Confirm here (you can correct the end date):",
    desk_extend: "This extends account {account}. Confirm here once the extension is done, and the reminders will count from the new end date:",
    reminder_subject: "Reminder: the account for {name} ends on {end} – {account}",
    reminder_body: "The account for {name} (reference {account}) is valid until {end} inclusive, {days} more days.",
    reminder_late: "This reminder was due on {due} and comes late.",
    reminder_extend: "Should the account last longer? Extend it here:",
    reminder_end: "No longer needed? End it here:",
    reminder_nothing: "If you do nothing, the account is removed on its end date. The links are for this account only and stop working after the end date.",
    removal_subject: "Remove account: {name} – {account}",
    removal_body: "The end date {end} of the account for {name} (reference {account}) has come, and nobody extended or ended it. Remove the account and its permissions.",
    unconfirmed_subject: "Unconfirmed account – {account}",
    unconfirmed_body: "The account for {name} (reference {account}) was ordered on {ordered} but is not confirmed yet, so no reminders are sent. Confirm here once the account is set up:",
    end_subject: "End account: {name} – {reference}",
    end_body: "The contact person {contact} asks for the account for {name} (reference {account}, end date {end}) to be ended. The request has reference {reference}. Confirm here once the account is ended:",
    confirm_title: "Confirm account",
    confirm_new: "The account for {name} (reference {account}) was ordered with end date {end}. Confirm it is set up. If it was given another end date, correct the date first.",
    confirm_extend: "The account for {name} (reference {account}) is to be extended to {end} by order {reference}. Confirm once the extension is done. If the end date became another, correct it first.",
    confirm_end: "The account for {name} (reference {account}) is to be ended by request {reference}. Confirm once the account is ended.",
    end_date_label: "End date",
    end_date_hint: "Write the date as YYYY-MM-DD.",
    confirm_button: "Confirm",
    confirmed_new: "The account for {name} is confirmed with end date {end}. Reminders will be sent before the end date.",
    confirmed_extend: "The extension is confirmed. The account for {name} is now valid until {end}, and the reminders count from that date.",
    confirmed_end: "The ending is confirmed. No more reminders are sent about the account for {name}.",
    end_title: "End the account?",
    end_text: "The account for {name} (reference {account}) is valid until {end}. Press the button to ask the service desk to end it. Nothing happens until you press it.",
    end_button: "End the account",
    end_sent: "The request went to the service desk with reference {reference}. Once the account is ended, no more reminders are sent.",
    bad_date: "Write the end date as YYYY-MM-DD, for example 2027-03-31.",
    past_date: "The end date cannot be in the past.",
    invalid: (
        "The link does not work",
        "The link was changed or is incomplete. Open it again from the e-mail, or contact the service desk.",
    ),
    expired: (
        "The link has expired",
        "The link is no longer valid. Contact the service desk if the account needs changing.",
    ),
    used: (
        "The link was used already",
        "What the link was for is done already, or a newer link replaced it. Contact the service desk if something is still wrong.",
    ),
    closed: (
        "The account is closed",
        "The account was ended or removed already. If it is needed again, send a new order.",
    ),
    unknown: (
        "No such account",
        "There is no account this link is for. Contact the service desk.",
    ),
    unavailable: (
        "Not possible right now",
        "The register could not be reached. Try again in a while.",
    ),
};

/// The texts of `lang`.
pub(crate) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Sv => &SV,
        Lang::Nb => &NB,
        Lang::En => &EN,
    }
}

/// `template` with each `{key}` replaced by its value.
pub(crate) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in slots {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}
