//! The receipt page a post without JavaScript lands on: the form's own page with the reference and the
//! form's "what happens next" where the form was; nothing else is echoed, and a bad address is a clear
//! 404 in the form's language.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::*;

fn get(path: &str) -> Request<Body> {
    Request::builder()
        .method("GET")
        .uri(path)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn a_post_without_javascript_lands_on_the_forms_page_showing_the_reference_and_what_happens_next()
 {
    let world = World::new();
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.header("location").to_owned();
    let reference = reference_in_receipt(&location, "kontakt");

    let page = world.send(get(&location)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(page.header("cache-control"), "no-store");
    let html = &page.body;
    assert!(
        html.contains("<title>Skickat: Kontakta oss – Region</title>"),
        "{html}"
    );
    assert!(
        html.contains("<header>SITE HEADER</header>"),
        "the site's own page: {html}"
    );
    assert!(html.contains("<footer>SITE FOOTER</footer>"), "{html}");
    assert!(
        !html.contains("PLACEHOLDER FORM"),
        "the form gives way to the receipt: {html}"
    );
    assert!(
        html.contains("<div class=\"receipt\" id=\"receipt\" tabindex=\"-1\">"),
        "{html}"
    );
    assert!(
        html.contains("<h2>Tack! Vi har tagit emot det du skickade in.</h2>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<p>Ange referensen om du kontaktar oss om ärendet: <strong class=\"reference\">{reference}</strong></p>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<h3>Det här händer nu</h3>\n<p>Vi svarar inom två arbetsdagar.</p>"),
        "{html}"
    );
    for typed in ["Åsa", "asa@example.com"] {
        assert!(
            !html.contains(typed),
            "nothing the sender typed is shown: {typed}"
        );
    }
}

#[tokio::test]
async fn a_form_without_a_built_page_gets_a_minimal_page_in_its_language() {
    let world = World::new();
    let page = world
        .send(get("/forms/kontakt-nb/receipt?ref=GP-7K4M-9QXD"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = &page.body;
    assert!(html.contains("<html lang=\"nb\">"), "{html}");
    assert!(html.contains("<title>Sendt: "), "{html}");
    assert!(
        html.contains("<h2>Takk! Vi har mottatt det du sendte inn.</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<strong class=\"reference\">GP-7K4M-9QXD</strong>"),
        "{html}"
    );
    assert!(
        html.contains("<h3>Dette skjer nå</h3>\n<p>Vi svarer innen to virkedager.</p>"),
        "{html}"
    );
}

#[tokio::test]
async fn an_edited_or_missing_reference_is_a_404_in_the_forms_language_and_is_not_echoed() {
    let world = World::new();
    for query in [
        "",
        "?ref=",
        "?ref=GP-7K4M-9QX0",
        "?ref=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "?ref=GP-7K4M-9QXD%0D%0ASet-Cookie:x",
        "?ref=GP-7K4M-9QXD&ref=GP-AAAA-CCCC",
        "?ref=%FF%FE",
        "?other=1",
    ] {
        let page = world
            .send(get(&format!("/forms/kontakt/receipt{query}")))
            .await;
        assert_eq!(page.status, 404, "{query}");
        assert!(
            page.body.contains("<title>Kvittot finns inte</title>"),
            "{query}: {}",
            page.body
        );
        assert!(
            page.body.contains(
                "Adressen saknar en giltig referens. Har du skickat formuläret står referensen i mottagningsbeviset."
            ),
            "{query}: {}",
            page.body
        );
        assert!(!page.body.contains("<script"), "{query}");
        assert!(!page.body.contains("Set-Cookie"), "{query}");
    }
    let nb = world.send(get("/forms/kontakt-nb/receipt?ref=nope")).await;
    assert_eq!(nb.status, 404);
    assert!(
        nb.body.contains("Adressen mangler en gyldig referanse."),
        "{}",
        nb.body
    );
}

#[tokio::test]
async fn an_unknown_form_has_no_receipt_page_and_other_methods_are_refused() {
    let world = World::new();
    let page = world
        .send(get("/forms/nope/receipt?ref=GP-7K4M-9QXD"))
        .await;
    assert_eq!(page.status, 404);
    assert_eq!(page.body, "No such form.\n");
    let post = world
        .send(form_post(
            "/forms/kontakt/receipt?ref=GP-7K4M-9QXD",
            &kontakt_valid(),
        ))
        .await;
    assert_eq!(post.status, 405);
}
