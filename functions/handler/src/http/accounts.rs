//! The account register's pages under `{action prefix}_accounts/`: `confirm` (the desk confirms a new
//! account or a request, GET shows it, POST does it: [`super::account_confirm`]), `extend` (GET: the account form pre-filled, its
//! post goes through the ordinary pipeline) and `end` (GET asks, POST sends the request to the desk).
//! A link that cannot be used gets its own page and a 4xx, in the account's language; nothing that
//! changes the register happens on a GET.

use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use guidepost_forms::{ACCOUNT_TOKEN_FIELD, FieldErrors, Form, RawInput, render_form};
use jiff::Zoned;

use super::account_pages::{message, question};
use super::intake;
use super::response::{html_page, plain};
use crate::accounts::links::ACCOUNTS_SEGMENT;
use crate::accounts::record::{Change, ChangeKind};
use crate::accounts::texts::{fill, texts};
use crate::accounts::token::{Claims, verify};
use crate::accounts::{Account, Accounts, Action, LinkProblem, Links, mail};
use crate::pipeline::parse::parse_urlencoded;
use crate::remind::{Handed, send_once};
use crate::state::{AppState, Parts};

pub(super) fn token_from(query: Option<&str>) -> String {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "t")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub(super) fn path(parts: &Parts, page: &str) -> String {
    format!("{}{ACCOUNTS_SEGMENT}/{page}", parts.settings.action_prefix)
}

/// The form whose page frames the answer: the account's, else the first account form.
pub(super) fn frame<'a>(parts: &'a Parts, account: Option<&Account>) -> Option<&'a Form> {
    account
        .and_then(|a| parts.forms.get(&a.form))
        .or_else(|| parts.forms.iter().find(|f| f.account.is_some()))
}

pub(super) fn page(
    parts: &Parts,
    form: Option<&Form>,
    status: StatusCode,
    heading: &str,
    html: &str,
) -> Response {
    match form {
        Some(form) => html_page(
            status,
            parts.pages.page_with(form, html, &format!("{heading}: ")),
        ),
        None => plain(status, format!("{heading}\n")),
    }
}

pub(super) fn problem(parts: &Parts, account: Option<&Account>, problem: LinkProblem) -> Response {
    let form = frame(parts, account);
    let lang = form.map_or(guidepost_forms::Lang::Sv, |f| f.lang);
    let (heading, text) = problem.words(lang);
    tracing::info!(target: "guidepost::accounts", outcome = problem.as_str(), "account link");
    let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::BAD_REQUEST);
    page(
        parts,
        form,
        status,
        heading,
        &message(heading, &[text], true),
    )
}

pub(super) fn now_in(parts: &Parts, account: &Account) -> Zoned {
    (parts.clock)().to_zoned(parts.settings.time_zones.get(account.lang).clone())
}

/// Checks the token and loads its account, which must be open; with `unused`, the link must be of the
/// account's current generation too. Any failure is the page to answer with.
pub(super) async fn load<'a>(
    parts: &'a Parts,
    token: &str,
    action: Action,
    unused: bool,
) -> Result<(&'a Accounts, Claims, Account), Response> {
    let Some(accounts) = &parts.accounts else {
        return Err(plain(StatusCode::NOT_FOUND, "Not found.\n"));
    };
    let now = (parts.clock)().as_second();
    let claims =
        verify(&accounts.key, token, action, now).map_err(|e| problem(parts, None, e.into()))?;
    let account = match accounts.register.get(&claims.account).await {
        Ok(Some((account, _))) => account,
        Ok(None) => return Err(problem(parts, None, LinkProblem::Unknown)),
        Err(_) => return Err(problem(parts, None, LinkProblem::Unavailable)),
    };
    if !account.is_open() {
        return Err(problem(parts, Some(&account), LinkProblem::Closed));
    }
    if unused && claims.generation != account.generation {
        return Err(problem(parts, Some(&account), LinkProblem::Used));
    }
    Ok((accounts, claims, account))
}

/// The posted fields, or the answer to give instead.
pub(super) async fn posted(parts: &Parts, request: Request) -> Result<RawInput, Response> {
    match intake::admit(parts, request).await {
        Ok((_, body)) => {
            parse_urlencoded(&body).map_err(|_| problem(parts, None, LinkProblem::Invalid))
        }
        Err(_) => Err(problem(parts, None, LinkProblem::Invalid)),
    }
}

/// `GET …/_accounts/extend?t=…`: the account form, pre-filled for an extension.
pub async fn extend_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let parts = &*state.inner;
    let token = token_from(query.as_deref());
    let (_, _, account) = match load(parts, &token, Action::Extend, true).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(form) = parts.forms.get(&account.form) else {
        return problem(parts, Some(&account), LinkProblem::Unknown);
    };
    let Some(spec) = &form.account else {
        return problem(parts, Some(&account), LinkProblem::Unknown);
    };
    let mut values = vec![
        (spec.action.clone(), "extend".to_owned()),
        (spec.person_name.clone(), account.person_name.clone()),
        (spec.contact_email.clone(), account.contact_email.clone()),
        (spec.end_date.clone(), account.end_date.to_string()),
        (ACCOUNT_TOKEN_FIELD.to_owned(), token.clone()),
    ];
    if let (Some(field), Some(address)) = (&spec.external_email, &account.external_email) {
        values.push((field.clone(), address.clone()));
    }
    let html = render_form(
        form,
        &RawInput(values),
        &FieldErrors::default(),
        &parts.settings.action(&form.id),
    );
    html_page(StatusCode::OK, parts.pages.page_with(form, &html, ""))
}

/// `GET …/_accounts/end?t=…`: asks whether to end the account.
pub async fn end_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let parts = &*state.inner;
    let token = token_from(query.as_deref());
    let (_, _, account) = match load(parts, &token, Action::End, true).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let t = texts(account.lang);
    let end = account.end_date.to_string();
    let text = fill(
        t.end_text,
        &[
            ("name", &account.person_name),
            ("account", &account.id),
            ("end", &end),
        ],
    );
    let html = question(
        account.lang,
        t.end_title,
        &text,
        &path(parts, "end"),
        &token,
        None,
        t.end_button,
    );
    page(
        parts,
        frame(parts, Some(&account)),
        StatusCode::OK,
        t.end_title,
        &html,
    )
}

/// `POST …/_accounts/end`: sends the request to end the account to the desk (once per link).
pub async fn end_post(State(state): State<AppState>, request: Request) -> Response {
    let parts = &*state.inner;
    let input = match posted(parts, request).await {
        Ok(input) => input,
        Err(answer) => return answer,
    };
    let token = input.all("t").next().unwrap_or_default().to_owned();
    let (accounts, claims, account) = match load(parts, &token, Action::End, true).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(desk_to) = parts.desks.addresses(&account.desk).map(<[String]>::to_vec) else {
        return problem(parts, Some(&account), LinkProblem::Unavailable);
    };
    let now = now_in(parts, &account);
    let reference = format!("{}-E{}", account.id, claims.generation);
    let links = Links {
        key: &accounts.key,
        settings: &parts.settings,
    };
    let confirm = links.confirm(&account.id, &reference, 0, now.timestamp().as_second());
    let mail = mail::end_request(
        &account,
        &reference,
        &confirm,
        desk_to,
        &parts.settings.sender,
        &now,
    );
    match send_once(parts, &account.form, &reference, mail, &now).await {
        Ok(Handed::Before) => return problem(parts, Some(&account), LinkProblem::Used),
        Ok(_) => {}
        Err(error) => {
            tracing::error!(target: "guidepost::accounts", account = %account.id, %error, "end request not spooled");
            return problem(parts, Some(&account), LinkProblem::Unavailable);
        }
    }
    let change = Change {
        reference: reference.clone(),
        kind: ChangeKind::End,
        confirmed: false,
    };
    let generation = claims.generation;
    let recorded = accounts
        .register
        .update(&account.id, |a| {
            let result = a.request(generation, change.clone());
            let write = result.is_ok();
            (result, write)
        })
        .await;
    if !matches!(recorded, Ok(Some(Ok(())))) {
        tracing::error!(target: "guidepost::accounts", account = %account.id, "end request sent but not recorded");
    }
    tracing::info!(target: "guidepost::accounts", account = %account.id, reference = %reference, outcome = "end_requested", "account link");
    let t = texts(account.lang);
    let text = fill(t.end_sent, &[("reference", &reference)]);
    page(
        parts,
        frame(parts, Some(&account)),
        StatusCode::OK,
        t.end_title,
        &message(t.end_title, &[&text], false),
    )
}
