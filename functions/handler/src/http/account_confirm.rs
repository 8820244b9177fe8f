//! The desk's confirmation under `{action prefix}_accounts/confirm`: GET shows what a confirm link is
//! for (a new account, an extension or an ending) with the end date to correct; POST checks the date and
//! records the confirmation against the version read.

use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use guidepost_forms::Date;

use super::account_pages::{message, question};
use super::accounts::{frame, load, now_in, page, path, posted, problem, token_from};
use crate::accounts::record::{Change, ChangeKind};
use crate::accounts::texts::{fill, texts};
use crate::accounts::token::Claims;
use crate::accounts::{Account, Action, LinkProblem};
use crate::state::{AppState, Parts};

/// What a confirmation link confirms.
enum Subject {
    New,
    Change(Change),
}

/// What a confirmation link is for, if it can still be used.
fn subject_of(claims: &Claims, account: &Account) -> Result<Subject, LinkProblem> {
    if claims.subject == account.id {
        return match account.state {
            crate::accounts::State::Ordered if account.generation == claims.generation => {
                Ok(Subject::New)
            }
            _ => Err(LinkProblem::Used),
        };
    }
    match account
        .changes
        .iter()
        .find(|c| c.reference == claims.subject)
    {
        Some(change) if change.confirmed => Err(LinkProblem::Used),
        Some(change) => Ok(Subject::Change(change.clone())),
        None => Err(LinkProblem::Unknown),
    }
}

fn confirm_form(
    parts: &Parts,
    account: &Account,
    subject: &Subject,
    token: &str,
    date: Option<(&str, Option<&str>)>,
) -> String {
    let t = texts(account.lang);
    let (template, reference, end) = match subject {
        Subject::New => (t.confirm_new, account.id.as_str(), account.end_date),
        Subject::Change(Change {
            reference,
            kind: ChangeKind::Extend { end_date },
            ..
        }) => (t.confirm_extend, reference.as_str(), *end_date),
        Subject::Change(Change {
            reference,
            kind: ChangeKind::End,
            ..
        }) => (t.confirm_end, reference.as_str(), account.end_date),
    };
    let end_text = end.to_string();
    let text = fill(
        template,
        &[
            ("name", &account.person_name),
            ("account", &account.id),
            ("end", &end_text),
            ("reference", reference),
        ],
    );
    let wants_date = !matches!(
        subject,
        Subject::Change(Change {
            kind: ChangeKind::End,
            ..
        })
    );
    let date = match (wants_date, date) {
        (false, _) => None,
        (true, Some(given)) => Some(given),
        (true, None) => Some((end_text.as_str(), None)),
    };
    question(
        account.lang,
        t.confirm_title,
        &text,
        &path(parts, "confirm"),
        token,
        date,
        t.confirm_button,
    )
}

/// `GET …/_accounts/confirm?t=…`: what is to be confirmed, with the end date to correct.
pub async fn confirm_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let parts = &*state.inner;
    let token = token_from(query.as_deref());
    let (_, claims, account) = match load(parts, &token, Action::Confirm, false).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let subject = match subject_of(&claims, &account) {
        Ok(subject) => subject,
        Err(p) => return problem(parts, Some(&account), p),
    };
    let html = confirm_form(parts, &account, &subject, &token, None);
    page(
        parts,
        frame(parts, Some(&account)),
        StatusCode::OK,
        texts(account.lang).confirm_title,
        &html,
    )
}

/// `POST …/_accounts/confirm`: confirms, with the end date given.
pub async fn confirm_post(State(state): State<AppState>, request: Request) -> Response {
    let parts = &*state.inner;
    let input = match posted(parts, request).await {
        Ok(input) => input,
        Err(answer) => return answer,
    };
    let token = input.all("t").next().unwrap_or_default().to_owned();
    let (accounts, claims, account) = match load(parts, &token, Action::Confirm, false).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let subject = match subject_of(&claims, &account) {
        Ok(subject) => subject,
        Err(p) => return problem(parts, Some(&account), p),
    };
    let t = texts(account.lang);
    let today = now_in(parts, &account).date();
    let given = input
        .all("end_date")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let wants_date = !matches!(
        subject,
        Subject::Change(Change {
            kind: ChangeKind::End,
            ..
        })
    );
    let date = if wants_date {
        let error = match given.parse::<Date>() {
            Ok(date) if given.len() == 10 && date >= today => None,
            Ok(date) if given.len() == 10 && date < today => Some(t.past_date),
            _ => Some(t.bad_date),
        };
        if let Some(error) = error {
            let html = confirm_form(
                parts,
                &account,
                &subject,
                &token,
                Some((&given, Some(error))),
            );
            return page(
                parts,
                frame(parts, Some(&account)),
                StatusCode::UNPROCESSABLE_ENTITY,
                t.confirm_title,
                &html,
            );
        }
        given.parse::<Date>().ok()
    } else {
        None
    };
    let retention = i64::from(parts.settings.accounts.retention_days);
    let generation = claims.generation;
    let result = accounts
        .register
        .update(&account.id, |a| {
            let done = match &subject {
                Subject::New => a
                    .confirm_new(generation, date.unwrap_or(a.end_date), today)
                    .map(|()| None),
                Subject::Change(change) => a
                    .confirm_change(&change.reference, date, today, retention)
                    .map(Some),
            };
            let write = done.is_ok();
            ((done, a.end_date), write)
        })
        .await;
    let (done, end) = match result {
        Ok(Some(answer)) => answer,
        Ok(None) => return problem(parts, Some(&account), LinkProblem::Unknown),
        Err(_) => return problem(parts, Some(&account), LinkProblem::Unavailable),
    };
    let template = match done {
        Err(refusal) => return problem(parts, Some(&account), refusal.into()),
        Ok(None) => t.confirmed_new,
        Ok(Some(ChangeKind::Extend { .. })) => t.confirmed_extend,
        Ok(Some(ChangeKind::End)) => t.confirmed_end,
    };
    tracing::info!(target: "guidepost::accounts", account = %account.id, outcome = "confirmed", "account link");
    let text = fill(
        template,
        &[("name", &account.person_name), ("end", &end.to_string())],
    );
    page(
        parts,
        frame(parts, Some(&account)),
        StatusCode::OK,
        t.confirm_title,
        &message(t.confirm_title, &[&text], false),
    )
}
