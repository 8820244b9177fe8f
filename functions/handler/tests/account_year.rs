//! A year of the account register, day by day, with an injected clock: a few hundred accounts ordered
//! on random days, confirmed (or left unconfirmed), some extended, some ended; the daily reminder run
//! skipped on random days and run twice on others. Checked against a model of the rules: every
//! reminder sent exactly once on the first run on or after its day (marked late when after), none
//! once an account is ended, every removal notice exactly once, every unconfirmed notice once.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use guidepost_forms::{Date, Lang, load_forms};
use guidepost_handler::accounts::{
    Account, Accounts, Change, ChangeKind, LinkKey, NewAccount, Register,
};
use guidepost_handler::desks::DeskBook;
use guidepost_handler::pages::FormPages;
use guidepost_handler::remind::remind_once;
use guidepost_handler::spool::MemorySpool;
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings};
use jiff::tz::TimeZone;

/// xorshift64*: deterministic, seeded.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn day(start: Date, n: i64) -> Date {
    start.checked_add(jiff::Span::new().days(n)).expect("date")
}

/// The model of one account: what happens to it on which day.
#[derive(Debug, Clone)]
struct Plan {
    id: String,
    ordered: i64,
    end: i64,
    external: bool,
    confirm: Option<i64>,
    /// (request day, confirm day, new end) for an extension.
    extend: Option<(i64, i64, i64)>,
    /// (request day, confirm day) for an ending.
    end_request: Option<(i64, i64)>,
}

const DAYS: i64 = 365;
const STEPS: [(i64, bool); 3] = [(90, false), (30, false), (7, true)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_reminders_sends_each_exactly_once_and_nothing_after_an_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let forms = load_forms(&root).expect("the example forms load");
    let spec = forms
        .get("external-account")
        .and_then(|f| f.account.clone())
        .expect("account form");
    let steps: Vec<(i64, bool)> = spec
        .reminders
        .iter()
        .map(|s| (i64::from(s.days_before), s.external))
        .collect();
    assert_eq!(
        steps, STEPS,
        "the schedule comes from content/data/gavleborg_reminders.yaml"
    );

    let start: Date = "2027-01-01".parse().expect("date");
    let zone = TimeZone::get("Europe/Stockholm").expect("zone");
    let seconds = Arc::new(AtomicI64::new(0));
    let clock_seconds = Arc::clone(&seconds);
    let clock: guidepost_handler::clock::Clock = Arc::new(move || {
        jiff::Timestamp::from_second(clock_seconds.load(Ordering::SeqCst)).expect("timestamp")
    });
    let transport = RecordingTransport::new();
    let register = Register::in_memory();
    let state = AppState::new(
        forms.clone(),
        DeskBook::example().expect("desks"),
        FormPages::none(),
        Arc::new(transport.clone()),
        Arc::new(MemorySpool::with_clock(Arc::clone(&clock))),
        Settings::development().expect("settings"),
    )
    .expect("state")
    .with_accounts(Accounts {
        register: register.clone(),
        key: LinkKey::new(vec![42; 32]).expect("key"),
    })
    .with_clock(Arc::clone(&clock));

    let mut rng = Rng(0x5eed_2027);
    let mut plans = Vec::new();
    for n in 0..300 {
        let ordered = rng.below(300) as i64;
        let end = ordered + 10 + rng.below(200) as i64;
        let confirm = (!rng.chance(8)).then(|| ordered + rng.below(12) as i64);
        let mut plan = Plan {
            id: format!("GP-SIM-{n:04}"),
            ordered,
            end,
            external: rng.chance(60),
            confirm,
            extend: None,
            end_request: None,
        };
        if let Some(confirmed) = confirm {
            let span = (end - confirmed).max(1);
            let on = confirmed + 1 + rng.below(span as u64) as i64;
            if on < end {
                match rng.below(100) {
                    0..15 => {
                        plan.extend = Some((
                            on,
                            on + rng.below(4) as i64,
                            end + 30 + rng.below(90) as i64,
                        ))
                    }
                    15..25 => plan.end_request = Some((on, on + rng.below(4) as i64)),
                    _ => {}
                }
            }
        }
        plans.push(plan);
    }
    let skipped: BTreeSet<i64> = (0..DAYS + 220)
        .filter(|d| d % 2 == 1 && rng.chance(15))
        .collect();
    let twice: BTreeSet<i64> = (0..DAYS + 220).filter(|_| rng.chance(10)).collect();

    // Run the year (and the months after, until every account has ended).
    let mut sent_on: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for d in 0..DAYS + 220 {
        let today = day(start, d);
        let noon = today.at(6, 0, 0, 0).to_zoned(zone.clone()).expect("zoned");
        seconds.store(noon.timestamp().as_second(), Ordering::SeqCst);
        for plan in &plans {
            events_of_the_day(&register, plan, d, start).await;
        }
        if skipped.contains(&d) {
            continue;
        }
        let runs = if twice.contains(&d) { 2 } else { 1 };
        for _ in 0..runs {
            let report = remind_once(&state, None).await;
            assert_eq!(report.errors, 0, "day {today}: {report:?}");
        }
        for message in transport.take_sent() {
            let text = String::from_utf8_lossy(message.raw.as_bytes()).into_owned();
            sent_on
                .entry(message.reference.clone())
                .or_default()
                .push((d, text));
        }
    }

    // The model: what should have been sent, on which day.
    let runs_from = |from: i64| (from..).find(|d| !skipped.contains(d)).expect("a run");
    let mut expected: BTreeMap<String, (i64, bool)> = BTreeMap::new();
    for plan in &plans {
        let Some(confirmed) = plan.confirm else {
            if plan.ordered + 7 < DAYS + 220 {
                expected.insert(
                    format!("{}-unconfirmed", plan.id),
                    (runs_from(plan.ordered + 7), false),
                );
            }
            continue;
        };
        if confirmed - plan.ordered >= 7 {
            let on = runs_from(plan.ordered + 7);
            if on < confirmed {
                expected.insert(format!("{}-unconfirmed", plan.id), (on, false));
            }
        }
        let mut epochs = vec![(confirmed, plan.end)];
        let mut closed = None;
        if let Some((_, confirm_day, new_end)) = plan.extend {
            epochs.push((confirm_day, new_end));
        }
        if let Some((_, confirm_day)) = plan.end_request {
            closed = Some(confirm_day);
        }
        for (i, (from, end)) in epochs.iter().enumerate() {
            let until = epochs
                .get(i + 1)
                .map(|(f, _)| *f)
                .or(closed)
                .unwrap_or(i64::MAX);
            for (days, _) in STEPS {
                let due = end - days;
                if due < *from {
                    continue;
                }
                let on = runs_from(due);
                if on < until && on < *end {
                    expected.insert(
                        format!("{}-r{days}-{}", plan.id, compact(day(start, *end))),
                        (on, on > due),
                    );
                }
            }
            if i + 1 == epochs.len() && closed.is_none() {
                let on = runs_from(*end);
                expected.insert(
                    format!("{}-removal-{}", plan.id, compact(day(start, *end))),
                    (on, false),
                );
            }
        }
    }

    let mut actual: BTreeMap<String, (i64, bool)> = BTreeMap::new();
    for (key, sends) in &sent_on {
        assert_eq!(sends.len(), 1, "{key} was sent {} times", sends.len());
        let (on, text) = &sends[0];
        actual.insert(
            key.clone(),
            (*on, text.contains("kommer allts") && key.contains("-r")),
        );
    }
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, v)| actual.get(*k) != Some(v))
        .take(5)
        .collect();
    let extra: Vec<_> = actual
        .iter()
        .filter(|(k, _)| !expected.contains_key(*k))
        .take(5)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "expected but not sent (or on another day): {missing:?}\nsent but not expected: {extra:?}"
    );
    let reminders = actual.keys().filter(|k| k.contains("-r")).count();
    let late = actual.iter().filter(|(_, (_, late))| *late).count();
    let removals = actual.keys().filter(|k| k.contains("-removal-")).count();
    eprintln!(
        "simulated: {reminders} reminders ({late} late), {removals} removals, {} unconfirmed",
        actual
            .keys()
            .filter(|k| k.ends_with("-unconfirmed"))
            .count()
    );
    assert!(
        reminders > 300 && late > 10 && removals > 100,
        "a real year: {reminders} reminders, {late} late, {removals} removals"
    );

    // The last reminder goes to the external person too, the others only to the contact person.
    for plan in plans.iter().filter(|p| p.confirm.is_some()) {
        for (key, sends) in sent_on
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{}-r", plan.id)))
        {
            let to_external = sends[0]
                .1
                .contains(&format!("{}@extern.example", plan.id.to_lowercase()));
            assert_eq!(to_external, key.contains("-r7-") && plan.external, "{key}");
        }
    }
    // Closed records are deleted after the retention (90 days): by the end only recent ones remain.
    let left = register.list().await.expect("list");
    assert!(left.iter().all(|(a, _)| {
        a.is_open()
            || a.closed_on
                .is_some_and(|c| c >= day(start, DAYS + 220 - 91))
    }));
}

fn compact(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// What the orderer, the desk and the contact person do on day `d` (before the day's run).
async fn events_of_the_day(register: &Register, plan: &Plan, d: i64, start: Date) {
    let today = day(start, d);
    if d == plan.ordered {
        let account = Account::ordered(NewAccount {
            id: plan.id.clone(),
            form: "external-account".into(),
            lang: Lang::Sv,
            desk: "accounts".into(),
            person_name: format!("Person {}", plan.id),
            contact_email: "kontakt@region.example".into(),
            external_email: plan
                .external
                .then(|| format!("{}@extern.example", plan.id.to_lowercase())),
            end_date: day(start, plan.end),
            ordered_on: today,
        });
        assert!(register.create(&account).await.expect("create"));
    }
    let update = |edit: Box<dyn Fn(&mut Account) + Send + Sync>| async move {
        register
            .update(&plan.id, |a| {
                edit(a);
                ((), true)
            })
            .await
            .expect("update");
    };
    if plan.confirm == Some(d) {
        update(Box::new(move |a| {
            a.confirm_new(a.generation, a.end_date, today)
                .expect("confirm")
        }))
        .await;
    }
    if let Some((asked, confirmed, new_end)) = plan.extend {
        let end_date = day(start, new_end);
        if asked == d {
            let reference = format!("{}-X", plan.id);
            update(Box::new(move |a| {
                let change = Change {
                    reference: reference.clone(),
                    kind: ChangeKind::Extend { end_date },
                    confirmed: false,
                };
                a.request(a.generation, change).expect("extension asked");
            }))
            .await;
        }
        if confirmed == d {
            let reference = format!("{}-X", plan.id);
            update(Box::new(move |a| {
                a.confirm_change(&reference, Some(end_date), today, 90)
                    .expect("extension confirmed");
            }))
            .await;
        }
    }
    if let Some((asked, confirmed)) = plan.end_request {
        let reference = format!("{}-E", plan.id);
        if asked == d {
            let reference = reference.clone();
            update(Box::new(move |a| {
                let change = Change {
                    reference: reference.clone(),
                    kind: ChangeKind::End,
                    confirmed: false,
                };
                a.request(a.generation, change).expect("ending asked");
            }))
            .await;
        }
        if confirmed == d {
            update(Box::new(move |a| {
                a.confirm_change(&reference, None, today, 90)
                    .expect("ending confirmed");
            }))
            .await;
        }
    }
}
