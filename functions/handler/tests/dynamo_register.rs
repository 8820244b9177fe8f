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
    Account, DynamoStore, Register, RegisterError, RegisterStore, State, Stored,
};
use jiff::civil::date;
use moto::{Moto, Start};

const REGION: &str = "eu-north-1";
const TABLE: &str = "register";
/// Set in the child process of the restart test: the moto endpoint to read from.
const CHILD_ENDPOINT: &str = "GUIDEPOST_TEST_DYNAMO_CHILD_ENDPOINT";

fn dynamo_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
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
    Account {
        id: id.to_owned(),
        form: "extern-konto".to_owned(),
        lang: Lang::Sv,
        person_name: "Eva Exempelsson".to_owned(),
        contact_email: "kontakt@example.se".to_owned(),
        external_email: None,
        end_date: date(2026, 6, 30),
        state: State::Ordered,
        ordered_on: date(2026, 1, 15),
        generation: 0,
        reminders_from: None,
        reminders: Vec::new(),
        changes: Vec::new(),
        unconfirmed_reported: false,
        removal_sent: None,
        closed_on: None,
        delete_after: None,
    }
}

fn ids(all: &[Stored]) -> Vec<&str> {
    all.iter().map(|s| s.id.as_str()).collect()
}

#[tokio::test]
async fn writes_succeed_only_against_the_version_read() {
    let Some((_moto, _client, store)) = store().await else {
        return;
    };
    let id = "GP-AAAA-CCCC";
    assert_eq!(store.get(id).await.expect("get"), None);
    assert_eq!(
        store
            .put(id, br#"{"n":1}"#.to_vec(), None, None)
            .await
            .expect("create"),
        1
    );
    let got = store.get(id).await.expect("get").expect("there");
    assert_eq!((got.id.as_str(), got.version), (id, 1));
    assert_eq!(got.bytes, br#"{"n":1}"#);
    let again = store.put(id, br#"{"n":9}"#.to_vec(), None, None).await;
    assert!(
        matches!(&again, Err(RegisterError::Conflict(c)) if c == id),
        "{again:?}"
    );
    assert_eq!(
        store
            .put(id, br#"{"n":2}"#.to_vec(), Some(1), None)
            .await
            .expect("update"),
        2
    );
    let stale = store.put(id, br#"{"n":9}"#.to_vec(), Some(1), None).await;
    assert!(
        matches!(stale, Err(RegisterError::Conflict(_))),
        "{stale:?}"
    );
    let got = store.get(id).await.expect("get").expect("there");
    assert_eq!(
        (got.version, got.bytes.as_slice()),
        (2, br#"{"n":2}"#.as_slice())
    );
    let missing = store
        .put("GP-NONE-XXXX", b"{}".to_vec(), Some(1), None)
        .await;
    assert!(
        matches!(missing, Err(RegisterError::Conflict(_))),
        "{missing:?}"
    );

    let stale = store.delete(id, 1).await;
    assert!(
        matches!(stale, Err(RegisterError::Conflict(_))),
        "{stale:?}"
    );
    assert!(store.get(id).await.expect("get").is_some());
    store.delete(id, 2).await.expect("delete");
    assert_eq!(store.get(id).await.expect("get"), None);
    store.delete(id, 2).await.expect("a missing id is fine");
    store.delete("GP-NONE-XXXX", 7).await.expect("never there");

    let bad = store.put("../x", b"{}".to_vec(), None, None).await;
    assert!(matches!(bad, Err(RegisterError::BadId(_))), "{bad:?}");
    let not_json = store
        .put("GP-JSON-XXXX", b"not json".to_vec(), None, None)
        .await;
    assert!(
        matches!(not_json, Err(RegisterError::Json { .. })),
        "{not_json:?}"
    );
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
        store
            .put(&id, format!(r#"{{"n":{n}}}"#).into_bytes(), None, None)
            .await
            .expect("put");
        written.push(id);
    }
    store
        .put("GP-LIST-0003", br#"{"n":33}"#.to_vec(), Some(1), None)
        .await
        .expect("update");
    let first = client
        .scan()
        .table_name(TABLE)
        .limit(2)
        .send()
        .await
        .expect("Scan");
    assert!(
        first.last_evaluated_key().is_some(),
        "one page of 2 does not hold 7 items"
    );

    let all = store.list().await.expect("list");
    written.sort();
    assert_eq!(
        ids(&all),
        written.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let three = &all[3];
    assert_eq!(
        (three.version, three.bytes.as_slice()),
        (2, br#"{"n":33}"#.as_slice())
    );
    let empty = DynamoStore::new(client, TABLE);
    for stored in &all {
        empty
            .delete(&stored.id, stored.version)
            .await
            .expect("delete");
    }
    assert!(empty.list().await.expect("list").is_empty());
}

#[tokio::test]
async fn the_item_keeps_the_documented_layout_with_expires_at_as_a_number() {
    let Some((_moto, client, store)) = store().await else {
        return;
    };
    let id = "GP-TTL0-AAAA";
    let record = r#"{"name":"Åsa"}"#;
    store
        .put(id, record.as_bytes().to_vec(), None, Some(1_900_000_000))
        .await
        .expect("put");
    let raw = |client: aws_sdk_dynamodb::Client| async move {
        let key = AttributeValue::S(id.to_owned());
        let got = client
            .get_item()
            .table_name(TABLE)
            .key("id", key)
            .send()
            .await;
        got.expect("GetItem").item().cloned().expect("an item")
    };
    let item = raw(client.clone()).await;
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

    store
        .put(id, record.as_bytes().to_vec(), Some(1), None)
        .await
        .expect("update");
    let item = raw(client).await;
    assert!(
        !item.contains_key("expires_at"),
        "a write without an expiry clears it"
    );
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
        assert_eq!(all[1].version, 2);
        let stale = store
            .put("GP-KEEP-0002", b"{}".to_vec(), Some(1), None)
            .await;
        assert!(
            matches!(stale, Err(RegisterError::Conflict(_))),
            "{stale:?}"
        );
        return;
    }
    let Some((moto, client, store)) = store().await else {
        return;
    };
    store
        .put("GP-KEEP-0002", b"{}".to_vec(), None, None)
        .await
        .expect("put");
    store
        .put("GP-KEEP-0002", b"[]".to_vec(), Some(1), None)
        .await
        .expect("update");
    store
        .put("GP-KEEP-0001", b"{}".to_vec(), None, None)
        .await
        .expect("put");
    drop(store);
    let fresh = DynamoStore::new(client, TABLE);
    assert_eq!(
        ids(&fresh.list().await.expect("list")),
        ["GP-KEEP-0001", "GP-KEEP-0002"]
    );

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
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
}

#[tokio::test]
async fn the_typed_register_creates_and_updates_accounts_in_the_table() {
    let Some((_moto, client, store)) = store().await else {
        return;
    };
    let register = Register::new(Arc::new(store));
    let ordered = account("GP-TYPE-0001");
    assert!(register.create(&ordered).await.expect("create"));
    assert!(
        !register.create(&ordered).await.expect("a repeat"),
        "a repeat is not created again"
    );
    let (got, version) = register
        .get("GP-TYPE-0001")
        .await
        .expect("get")
        .expect("there");
    assert_eq!((&got, version), (&ordered, 1));

    let today = date(2026, 1, 20);
    let confirmed = register
        .update("GP-TYPE-0001", |a| {
            (a.confirm_new(0, date(2026, 7, 31), today), true)
        })
        .await
        .expect("update");
    assert_eq!(confirmed, Some(Ok(())));
    let closed = register
        .update("GP-TYPE-0001", |a| (a.close(State::Ended, today, 30), true))
        .await
        .expect("update");
    assert_eq!(closed, Some(()));
    let (got, version) = register
        .get("GP-TYPE-0001")
        .await
        .expect("get")
        .expect("there");
    assert_eq!(
        (got.state, got.end_date, got.generation, version),
        (State::Ended, date(2026, 7, 31), 1, 3)
    );
    let expires = got.delete_after.expect("a closed account expires");
    let key = AttributeValue::S("GP-TYPE-0001".to_owned());
    let item = client
        .get_item()
        .table_name(TABLE)
        .key("id", key)
        .send()
        .await
        .expect("GetItem");
    let item = item.item().expect("an item");
    assert_eq!(item["expires_at"], AttributeValue::N(expires.to_string()));
    assert_eq!(
        register
            .update("GP-NONE-0001", |_| ((), true))
            .await
            .expect("update"),
        None
    );
    let listed = register.list().await.expect("list");
    assert_eq!(listed, [(got, 3)]);
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
    assert!(
        register
            .create(&account("GP-RACE-0001"))
            .await
            .expect("create")
    );
    let bump = |name: &'static str| {
        let register = register.clone();
        async move {
            register
                .update("GP-RACE-0001", move |a| {
                    a.generation += 1;
                    a.person_name.push_str(name);
                    ((), true)
                })
                .await
        }
    };
    let (a, b) = tokio::join!(bump(" A"), bump(" B"));
    assert_eq!((a.expect("a"), b.expect("b")), (Some(()), Some(())));
    assert_eq!(
        racing.conflicts.load(Ordering::SeqCst),
        1,
        "the two writes raced"
    );
    let (got, version) = register
        .get("GP-RACE-0001")
        .await
        .expect("get")
        .expect("there");
    assert_eq!((got.generation, version), (2, 3), "neither update was lost");
    assert!(
        got.person_name.contains(" A") && got.person_name.contains(" B"),
        "{}",
        got.person_name
    );
}

#[tokio::test]
async fn a_service_failure_names_the_call_and_never_the_record() {
    let Some(moto) = start().await else { return };
    let store = DynamoStore::new(dynamo_client(&moto.endpoint()), "no-such-table");
    let failed = store
        .put(
            "GP-FAIL-0001",
            br#"{"name":"Eva Exempelsson"}"#.to_vec(),
            None,
            None,
        )
        .await;
    let Err(RegisterError::Service(detail)) = failed else {
        panic!("expected a service error, got {failed:?}");
    };
    assert!(
        detail.starts_with("PutItem GP-FAIL-0001: ResourceNotFoundException"),
        "{detail}"
    );
    assert!(!detail.contains("Exempelsson"), "{detail}");
    let listed = store.list().await;
    assert!(
        matches!(&listed, Err(RegisterError::Service(d)) if d.starts_with("Scan no-such-table: ")),
        "{listed:?}"
    );
}
