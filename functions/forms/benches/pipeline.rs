//! What the form function does for one request, in process, on the largest form (`network-order`, 24
//! fields): parse the urlencoded body → validate → route → compose the desk mail and the receipt → MIME.
//!
//! `cargo bench -p guidepost-forms --bench pipeline` prints, first, the latency distribution of the whole
//! pipeline over many single runs (p50/p90/p99/max: the target is p99 ≤ 1 ms), then Criterion's estimates
//! per stage. `-- --quick` shortens both (for a smoke run). BENCHMARKS.md at the repository root has the results.

#![allow(missing_docs, clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use guidepost_forms::{
    Date, Email, Envelope, Form, FormSet, RawInput, Submission, compose_desk_email, compose_receipt,
};

const FORM: &str = "network-order";

/// Everything one request needs that the function holds from its start.
struct Fixture {
    forms: FormSet,
    body: Vec<u8>,
    today: Date,
    desk: Vec<String>,
}

impl Fixture {
    fn new() -> Fixture {
        let forms = common::real_forms();
        let form = forms.get(FORM).expect("the network-order form exists");
        let body = urlencode(&common::valid_input(form, &[]));
        Fixture {
            forms,
            body,
            today: common::today(),
            desk: vec!["natverk@example.org".to_string()],
        }
    }

    fn form(&self) -> &Form {
        self.forms.get(FORM).expect("the network-order form exists")
    }

    fn envelope(&self) -> Envelope<'_> {
        Envelope {
            reference: "GP-7K4M-9QXD",
            submitted_at: "2026-11-22 14:05 CET",
            from: "Guidepost <formular@guidepost.example>",
            desk_to: &self.desk,
        }
    }

    /// The whole pipeline once; returns the MIME bytes so nothing is optimised away.
    fn run(&self) -> usize {
        let form = self.form();
        let raw = parse_urlencoded(&self.body);
        let submission = form.validate(&raw, self.today).expect("valid input");
        let desk = form.route(&submission);
        let (desk_mail, receipt) = compose(form, &submission, &self.envelope());
        desk.len() + mime(&desk_mail).len() + receipt.as_ref().map_or(0, |r| mime(r).len())
    }
}

fn compose(form: &Form, submission: &Submission, envelope: &Envelope) -> (Email, Option<Email>) {
    (
        compose_desk_email(form, submission, envelope),
        compose_receipt(form, submission, envelope),
    )
}

fn mime(email: &Email) -> String {
    email.to_mime(
        "<gp-7k4m-9qxd.desk@guidepost.example>",
        "Sun, 22 Nov 2026 14:05:00 +0100",
    )
}

/// The body a browser sends: `name=value&…`, percent-encoded.
fn urlencode(input: &RawInput) -> Vec<u8> {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_string(),
                b => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    input
        .0
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// The same decoding as guidepost-handler's `parse::parse_urlencoded` (which lives in the handler crate,
/// whose default features pull the AWS SDK): `+` is a space, `%XX` a byte, strict UTF-8.
fn parse_urlencoded(body: &[u8]) -> RawInput {
    let decode = |raw: &[u8]| {
        let mut bytes = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
            match raw.get(i..i + 3) {
                Some([b'%', hi, lo]) if hex(*hi).is_some() && hex(*lo).is_some() => {
                    bytes.push(hex(*hi).unwrap() << 4 | hex(*lo).unwrap());
                    i += 3;
                }
                _ => {
                    bytes.push(if raw[i] == b'+' { b' ' } else { raw[i] });
                    i += 1;
                }
            }
        }
        String::from_utf8(bytes).expect("UTF-8")
    };
    RawInput(
        body.split(|b| *b == b'&')
            .filter(|p| !p.is_empty())
            .map(|part| match part.iter().position(|b| *b == b'=') {
                Some(eq) => (decode(&part[..eq]), decode(&part[eq + 1..])),
                None => (decode(part), String::new()),
            })
            .collect(),
    )
}

/// Runs the pipeline `runs` times one by one and prints the latency distribution.
fn latency(fixture: &Fixture, runs: usize) {
    for _ in 0..runs / 10 {
        black_box(fixture.run()); // warm the caches and the allocator
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(fixture.run());
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{FORM}: parse+validate+route+compose+MIME, {runs} runs, {} fields, {} body bytes: \
         p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        fixture.form().fields().count(),
        fixture.body.len(),
        us(at(0.50)),
        us(at(0.90)),
        us(at(0.99)),
        us(*times.last().expect("at least one run")),
    );
}

fn stages(c: &mut Criterion, fixture: &Fixture) {
    let form = fixture.form();
    let raw = parse_urlencoded(&fixture.body);
    let submission = form.validate(&raw, fixture.today).expect("valid input");
    let envelope = fixture.envelope();
    let (desk_mail, _) = compose(form, &submission, &envelope);
    let mut group = c.benchmark_group(FORM);
    group.bench_function("parse", |b| {
        b.iter(|| parse_urlencoded(black_box(&fixture.body)))
    });
    group.bench_function("validate", |b| {
        b.iter(|| form.validate(black_box(&raw), fixture.today))
    });
    group.bench_function("route", |b| {
        b.iter(|| form.route(black_box(&submission)).len())
    });
    group.bench_function("compose", |b| {
        b.iter(|| compose(form, black_box(&submission), &envelope))
    });
    group.bench_function("to_mime", |b| b.iter(|| mime(black_box(&desk_mail))));
    group.bench_function("pipeline", |b| b.iter(|| fixture.run()));
    group.finish();
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let fixture = Fixture::new();
    latency(&fixture, if quick { 2_000 } else { 20_000 });
    let mut c = Criterion::default().configure_from_args();
    stages(&mut c, &fixture);
    c.final_summary();
}
