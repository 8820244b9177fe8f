//! An accepted order of an account form → the register: a new order is recorded as *ordered* (and its
//! desk mail gets the confirmation link); an extension sent from a reminder's link (the hidden
//! `gp_account` field) is checked before anything is accepted, then recorded as a request on the
//! account (its desk mail gets the link that confirms it). Other actions are ordinary orders.

use guidepost_forms::{ACCOUNT_TOKEN_FIELD, AccountSpec, Date, Form, RawInput, Submission, Value};

use super::links::{LinkProblem, Links};
use super::mail::DeskNote;
use super::record::{Account, Change, ChangeKind, NewAccount};
use super::store::Register;
use super::texts::{fill, texts};
use super::token::{Action, Claims, LinkKey, verify};
use crate::settings::Settings;

/// The register and the key, when the deployment has them.
#[derive(Clone, Debug)]
pub struct Accounts {
    /// Where accounts are kept.
    pub register: Register,
    /// What signs the links.
    pub key: LinkKey,
}

/// What an accepted order will do to the register.
#[derive(Clone, Debug)]
pub enum Intent {
    /// Record a new account.
    New,
    /// Record a request to extend this account (the link's claims, checked).
    Extend(Claims),
}

fn text(submission: &Submission, name: &str) -> Option<String> {
    match submission.get(name) {
        Some(Value::Text(text)) => Some(text.clone()),
        _ => None,
    }
}

fn date(submission: &Submission, name: &str) -> Option<Date> {
    match submission.get(name) {
        Some(Value::Date(date)) => Some(*date),
        _ => None,
    }
}

fn action(submission: &Submission, spec: &AccountSpec) -> Option<String> {
    match submission.get(&spec.action) {
        Some(Value::Choices(values)) => values.first().cloned(),
        _ => None,
    }
}

impl Accounts {
    /// What the order `submission` of `form` will do; an extension's link is checked here (against
    /// the register too: the account must be open and the link unused).
    pub async fn intent(
        &self,
        form: &Form,
        submission: &Submission,
        input: &RawInput,
        now: i64,
    ) -> Result<Option<Intent>, LinkProblem> {
        let Some(spec) = &form.account else {
            return Ok(None);
        };
        let token = input.all(ACCOUNT_TOKEN_FIELD).next();
        match (action(submission, spec).as_deref(), token) {
            (Some("order"), _) => Ok(Some(Intent::New)),
            (Some("extend"), Some(token)) => {
                let claims = verify(&self.key, token, Action::Extend, now)?;
                let Some((account, _)) = self
                    .register
                    .get(&claims.account)
                    .await
                    .map_err(|_| LinkProblem::Unavailable)?
                else {
                    return Err(LinkProblem::Unknown);
                };
                if !account.is_open() {
                    return Err(LinkProblem::Closed);
                }
                if account.generation != claims.generation || account.form != form.id {
                    return Err(LinkProblem::Used);
                }
                Ok(Some(Intent::Extend(claims)))
            }
            _ => Ok(None),
        }
    }

    /// The note for the desk mail of the order accepted as `reference`.
    pub fn desk_note(
        &self,
        form: &Form,
        intent: &Intent,
        reference: &str,
        settings: &Settings,
        now: i64,
    ) -> DeskNote {
        let links = Links {
            key: &self.key,
            settings,
        };
        let t = texts(form.lang);
        match intent {
            Intent::New => DeskNote {
                text: t.desk_new.to_owned(),
                link: links.confirm(reference, reference, 0, now),
            },
            Intent::Extend(claims) => DeskNote {
                text: fill(t.desk_extend, &[("account", &claims.account)]),
                link: links.confirm(&claims.account, reference, 0, now),
            },
        }
    }

    /// Records the accepted order: a new account, or the extension request on its account.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        &self,
        form: &Form,
        submission: &Submission,
        intent: &Intent,
        reference: &str,
        desk: &str,
        today: Date,
    ) -> Result<(), String> {
        let Some(spec) = &form.account else {
            return Ok(());
        };
        let Some(end_date) = date(submission, &spec.end_date) else {
            return Err("the order has no end date".into());
        };
        match intent {
            Intent::New => {
                let account = Account::ordered(NewAccount {
                    id: reference.to_owned(),
                    form: form.id.clone(),
                    lang: form.lang,
                    desk: desk.to_owned(),
                    person_name: text(submission, &spec.person_name).unwrap_or_default(),
                    contact_email: text(submission, &spec.contact_email).unwrap_or_default(),
                    external_email: spec
                        .external_email
                        .as_ref()
                        .and_then(|f| text(submission, f)),
                    end_date,
                    ordered_on: today,
                });
                self.register
                    .create(&account)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Intent::Extend(claims) => {
                let change = Change {
                    reference: reference.to_owned(),
                    kind: ChangeKind::Extend { end_date },
                    confirmed: false,
                };
                let generation = claims.generation;
                match self
                    .register
                    .update(&claims.account, |account| {
                        let result = account.request(generation, change.clone());
                        let write = result.is_ok();
                        (result, write)
                    })
                    .await
                {
                    Ok(Some(Ok(()))) => Ok(()),
                    Ok(Some(Err(refusal))) => {
                        Err(format!("the extension was not recorded: {refusal:?}"))
                    }
                    Ok(None) => Err("the account vanished".into()),
                    Err(e) => Err(e.to_string()),
                }
            }
        }
    }
}
