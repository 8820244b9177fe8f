//! The DynamoDB register against a local moto server: writes only against the version read (a repeat
//! create, a stale update or delete conflict; a missing delete is fine), listings sorted across Scan
//! pages, the item layout with `expires_at` as a number, a restart (a new process built from the
//! settings) that sees the records, the typed register on top, and two concurrent updates that both
//! land.
//!
//! Without `moto_server` the tests print SKIPPED and pass, unless `GUIDEPOST_REQUIRE_MOTO` is set.
#![cfg(feature = "aws")]

#[path = "e2e_forms/moto.rs"]
#[allow(dead_code)]
mod moto;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use guidepost_forms::Lang;
use guidepost_handler::accounts::store::BoxFuture;
use guidepost_handler::accounts::{
    Account, DynamoStore, NewAccount, Register, RegisterError, RegisterStore, State, Stored,
};
use jiff::civil::date;
use moto::{Moto, Start};

const REGION: &str = "eu-north-1";
const TABLE: &str = "register";
/// One item as DynamoDB returns it.
type Item = HashMap<String, AttributeValue>;
/// Set in the child process of the restart test: the moto endpoint to read from.
const CHILD_ENDPOINT: &str = "GUIDEPOST_TEST_DYNAMO_CHILD_ENDPOINT";

fn dynamo_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .http_client(guidepost_handler::aws::http_client())
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "dynamo-test"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// A client on moto with the register's table (hash key `id`, time to live on `expires_at`).
async fn table(moto: &Moto) -> aws_sdk_dynamodb::Client {
    let client = dynamo_client(&moto.endpoint());
    let id = AttributeDefinition::builder()
        .attribute_name("id")
        .attribute_type(ScalarAttributeType::S)
        .build()
        .expect("attribute");
    let key = KeySchemaElement::builder()
        .attribute_name("id")
        .key_type(KeyType::Hash)
        .build()
        .expect("key");
    client
        .create_table()
        .table_name(TABLE)
        .attribute_definitions(id)
        .key_schema(key)
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");
    let ttl = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name("expires_at")
        .build()
        .expect("ttl");
    client
        .update_time_to_live()
        .table_name(TABLE)
        .time_to_live_specification(ttl)
        .send()
        .await
        .expect("UpdateTimeToLive");
    client
}

async fn start() -> Option<Moto> {
    match Moto::start().await {
        Start::Running(moto) => Some(moto),
        Start::Skip(why) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{why}");
            None
        }
    }
}

async fn store() -> Option<(Moto, aws_sdk_dynamodb::Client, DynamoStore)> {
    let moto = start().await?;
    let client = table(&moto).await;
    let store = DynamoStore::new(client.clone(), TABLE);
    Some((moto, client, store))
}

fn account(id: &str) -> Account {
    Account::ordered(NewAccount {
        id: id.to_owned(),
        form: "extern-konto".to_owned(),
        lang: Lang::Sv,
        desk: "servicedesk".to_owned(),
        person_name: "Eva Exempelsson".to_owned(),
        contact_email: "kontakt@example.se".to_owned(),
        external_email: None,
        end_date: date(2026, 6, 30),
        ordered_on: date(2026, 1, 15),
    })
}

fn ids(all: &[Stored]) -> Vec<&str> {
    all.iter().map(|s| s.id.as_str()).collect()
}

/// Writes `json` under `id` against `expected`, with no expiry.
async fn put(
    store: &impl RegisterStore,
    id: &str,
    json: &str,
    expected: Option<u64>,
) -> Result<u64, RegisterError> {
    store
        .put(id, json.as_bytes().to_vec(), expected, None)
        .await
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(result: Result<T, RegisterError>, id: &str) {
    let conflict = matches!(&result, Err(RegisterError::Conflict(c)) if c == id);
    assert!(conflict, "expected a conflict on {id}: {result:?}");
}

/// The item under `id` as DynamoDB holds it.
async fn raw_item(client: &aws_sdk_dynamodb::Client, id: &str) -> Item {
    let key = AttributeValue::S(id.to_owned());
    let got = client.get_item().table_name(TABLE).key("id", key);
    let got = got.consistent_read(true).send().await.expect("GetItem");
    got.item().cloned().expect("an item")
}

#[tokio::test]
async fn writes_succeed_only_against_the_version_read() {
    let Some((_moto, _client, store)) = store().await else {
        return;
    };
    let id = "GP-AAAA-CCCC";
    assert_eq!(store.get(id).await.expect("get"), None);
    assert_eq!(
        put(&store, id, r#"{"n":1}"#, None).await.expect("create"),
        1
    );
    let got = store.get(id).await.expect("get").expect("there");
    assert_eq!((got.id.as_str(), got.version), (id, 1));
    assert_eq!(got.bytes, br#"{"n":1}"#);
    assert_conflict(put(&store, id, r#"{"n":9}"#, None).await, id);
    assert_eq!(
        put(&store, id, r#"{"n":2}"#, Some(1))
            .await
            .expect("update"),
        2
    );
    assert_conflict(put(&store, id, r#"{"n":9}"#, Some(1)).await, id);
    let got = store.get(id).await.expect("get").expect("there");
    assert_eq!((got.version, got.bytes), (2, br#"{"n":2}"#.to_vec()));
    assert_conflict(
        put(&store, "GP-NONE-XXXX", "{}", Some(1)).await,
        "GP-NONE-XXXX",
    );

    assert_conflict(store.delete(id, 1).await, id);
    assert!(store.get(id).await.expect("get").is_some());
    store.delete(id, 2).await.expect("delete");
    assert_eq!(store.get(id).await.expect("get"), None);
    store.delete(id, 2).await.expect("a missing id is fine");
    store.delete("GP-NONE-XXXX", 7).await.expect("never there");

    let bad = put(&store, "../x", "{}", None).await;
    assert!(matches!(bad, Err(RegisterError::BadId(_))), "{bad:?}");
    let not_json = put(&store, "GP-JSON-XXXX", "not json", None).await;
    let is_json_error = matches!(not_json, Err(RegisterError::Json { .. }));
    assert!(is_json_error, "{not_json:?}");
}

#[tokio::test]
async fn the_list_is_sorted_by_id_across_scan_pages() {
    let Some((_moto, client, store)) = store().await else {
        return;
    };
    let store = store.with_scan_page(2);
    let mut written = Vec::new();
    for n in [5, 0, 6, 3, 1, 4, 2] {
        let id = format!("GP-LIST-000{n}");
        put(&store, &id, &format!(r#"{{"n":{n}}}"#), None)
            .await
            .expect("put");
        written.push(id);
    }
    put(&store, "GP-LIST-0003", r#"{"n":33}"#, Some(1))
        .await
        .expect("update");
    let first = client.scan().table_name(TABLE).limit(2).send().await;
    let more = first.expect("Scan").last_evaluated_key().is_some();
    assert!(more, "one page of 2 does not hold 7 items");

    let all = store.list().await.expect("list");
    written.sort();
    assert_eq!(
        ids(&all),
        written.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(
        (all[3].version, &all[3].bytes),
        (2, &br#"{"n":33}"#.to_vec())
    );
    for stored in &all {
        store
            .delete(&stored.id, stored.version)
            .await
            .expect("delete");
    }
    assert!(store.list().await.expect("list").is_empty());
}

#[tokio::test]
async fn the_item_keeps_the_documented_layout_with_expires_at_as_a_number() {
    let Some((_moto, client, store)) = store().await else {
        return;
    };
    let id = "GP-TTL0-AAAA";
    let record = r#"{"name":"Åsa"}"#;
    let expiring = store.put(id, record.as_bytes().to_vec(), None, Some(1_900_000_000));
    expiring.await.expect("put");
    let item = raw_item(&client, id).await;
    let mut names: Vec<_> = item.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["expires_at", "id", "record", "version"]);
    assert_eq!(item["id"], AttributeValue::S(id.to_owned()));
    assert_eq!(item["version"], AttributeValue::N("1".to_owned()));
    assert_eq!(item["record"], AttributeValue::S(record.to_owned()));
    assert_eq!(
        item["expires_at"],
        AttributeValue::N("1900000000".to_owned())
    );

    put(&store, id, record, Some(1)).await.expect("update");
    let item = raw_item(&client, id).await;
    let cleared = !item.contains_key("expires_at");
    assert!(cleared, "a write without an expiry clears it: {item:?}");
    assert_eq!(item["version"], AttributeValue::N("2".to_owned()));
}

/// A restart: the records written here are read by a new process whose store is built by
/// `DynamoStore::from_settings` with credentials from the environment, as the function builds it.
#[tokio::test]
async fn a_store_built_anew_from_the_settings_sees_the_records() {
    if let Ok(endpoint) = std::env::var(CHILD_ENDPOINT) {
        let store = DynamoStore::from_settings(REGION, Some(&endpoint), TABLE).await;
        let all = store.list().await.expect("list after the restart");
        assert_eq!(ids(&all), ["GP-KEEP-0001", "GP-KEEP-0002"]);
        assert_eq!(
            (all[1].version, all[1].bytes.as_slice()),
            (2, b"[]".as_slice())
        );
        assert_conflict(
            put(&store, "GP-KEEP-0002", "{}", Some(1)).await,
            "GP-KEEP-0002",
        );
        return;
    }
    let Some((moto, client, store)) = store().await else {
        return;
    };
    put(&store, "GP-KEEP-0002", "{}", None).await.expect("put");
    put(&store, "GP-KEEP-0002", "[]", Some(1))
        .await
        .expect("update");
    put(&store, "GP-KEEP-0001", "{}", None).await.expect("put");
    drop(store);
    let fresh = DynamoStore::new(client, TABLE);
    let all = fresh.list().await.expect("list");
    assert_eq!(ids(&all), ["GP-KEEP-0001", "GP-KEEP-0002"]);

    let exe = std::env::current_exe().expect("the test binary");
    let child = std::process::Command::new(exe)
        .args([
            "a_store_built_anew_from_the_settings_sees_the_records",
            "--exact",
        ])
        .env(CHILD_ENDPOINT, moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run the restarted process");
    let stdout = String::from_utf8_lossy(&child.stdout);
    let stderr = String::from_utf8_lossy(&child.stderr);
    let passed = child.status.success() && stdout.contains("1 passed");
    assert!(passed, "{stdout}\n{stderr}");
}

#[tokio::test]
async fn the_typed_register_creates_and_updates_accounts_in_the_table() {
    let Some((_moto, client, store)) = store().await else {
        return;
    };
    let register = Register::new(Arc::new(store));
    let id = "GP-TYPE-0001";
    let ordered = account(id);
    assert!(register.create(&ordered).await.expect("create"));
    let repeat = register.create(&ordered).await.expect("a repeat");
    assert!(!repeat, "a repeat is not created again");
    let got = register.get(id).await.expect("get");
    assert_eq!(got, Some((ordered, 1)));

    let today = date(2026, 1, 20);
    let confirm = |a: &mut Account| (a.confirm_new(0, date(2026, 7, 31), today), true);
    let confirmed = register.update(id, confirm).await.expect("update");
    assert_eq!(confirmed, Some(Ok(())));
    let close = |a: &mut Account| (a.close(State::Ended, today, 30), true);
    assert_eq!(register.update(id, close).await.expect("update"), Some(()));
    let (got, version) = register.get(id).await.expect("get").expect("there");
    let seen = (got.state, got.end_date, got.generation, version);
    assert_eq!(seen, (State::Ended, date(2026, 7, 31), 1, 3));
    let expires = got.delete_after.expect("a closed account expires");
    let item = raw_item(&client, id).await;
    assert_eq!(item["expires_at"], AttributeValue::N(expires.to_string()));

    let none = register.update("GP-NONE-0001", |_| ((), true)).await;
    assert_eq!(none.expect("update"), None);
    assert_eq!(register.list().await.expect("list"), [(got, 3)]);
}

/// The inner store, but the first two reads wait for each other (so both updates read the same
/// version before either writes), and conflicts are counted.
struct Racing {
    inner: DynamoStore,
    both_read: tokio::sync::Barrier,
    reads: AtomicUsize,
    conflicts: AtomicUsize,
}

impl RegisterStore for Racing {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<Stored>, RegisterError>> {
        Box::pin(async move {
            let found = self.inner.get(id).await;
            if self.reads.fetch_add(1, Ordering::SeqCst) < 2 {
                self.both_read.wait().await;
            }
            found
        })
    }

    fn put<'a>(
        &'a self,
        id: &'a str,
        bytes: Vec<u8>,
        expected: Option<u64>,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<u64, RegisterError>> {
        Box::pin(async move {
            let put = self.inner.put(id, bytes, expected, expires_at).await;
            if matches!(put, Err(RegisterError::Conflict(_))) {
                self.conflicts.fetch_add(1, Ordering::SeqCst);
            }
            put
        })
    }

    fn delete<'a>(
        &'a self,
        id: &'a str,
        expected: u64,
    ) -> BoxFuture<'a, Result<(), RegisterError>> {
        self.inner.delete(id, expected)
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<Stored>, RegisterError>> {
        self.inner.list()
    }
}

#[tokio::test]
async fn two_concurrent_updates_of_one_account_both_land() {
    let Some((_moto, _client, store)) = store().await else {
        return;
    };
    let racing = Arc::new(Racing {
        inner: store,
        both_read: tokio::sync::Barrier::new(2),
        reads: AtomicUsize::new(0),
        conflicts: AtomicUsize::new(0),
    });
    let register = Register::new(racing.clone());
    let id = "GP-RACE-0001";
    assert!(register.create(&account(id)).await.expect("create"));
    let bump = |name: &'static str| {
        let register = register.clone();
        async move {
            let change = move |a: &mut Account| {
                a.generation += 1;
                a.person_name.push_str(name);
                ((), true)
            };
            register.update(id, change).await
        }
    };
    let (a, b) = tokio::join!(bump(" A"), bump(" B"));
    assert_eq!((a.expect("a"), b.expect("b")), (Some(()), Some(())));
    let conflicts = racing.conflicts.load(Ordering::SeqCst);
    assert_eq!(
        conflicts, 1,
        "the two writes raced, and one was tried again"
    );
    let (got, version) = register.get(id).await.expect("get").expect("there");
    assert_eq!((got.generation, version), (2, 3), "neither update was lost");
    let name = got.person_name;
    assert!(name.contains(" A") && name.contains(" B"), "{name}");
}

#[tokio::test]
async fn a_service_failure_names_the_call_and_never_the_record() {
    let Some(moto) = start().await else { return };
    let store = DynamoStore::new(dynamo_client(&moto.endpoint()), "no-such-table");
    let failed = put(
        &store,
        "GP-FAIL-0001",
        r#"{"name":"Eva Exempelsson"}"#,
        None,
    )
    .await;
    let Err(RegisterError::Service(detail)) = failed else {
        panic!("expected a service error, got {failed:?}");
    };
    let named = detail.starts_with("PutItem GP-FAIL-0001: ResourceNotFoundException");
    assert!(named, "{detail}");
    assert!(!detail.contains("Exempelsson"), "{detail}");
    let listed = store.list().await;
    let named =
        matches!(&listed, Err(RegisterError::Service(d)) if d.starts_with("Scan no-such-table: "));
    assert!(named, "{listed:?}");
}
