//! The S3 spool against a local moto server: conditional writes never overwrite (`If-None-Match: *` →
//! `Exists`), reads, listings per shelf with times, removals; and a whole submission accepted into S3,
//! delivered, and recognised again when repeated.
//!
//! Without `moto_server` the tests print SKIPPED and pass, unless `GUIDEPOST_REQUIRE_MOTO` is set.
#![cfg(feature = "aws")]

mod common;
#[path = "e2e_forms/moto.rs"]
#[allow(dead_code)]
mod moto;

use std::sync::Arc;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use common::*;
use guidepost_handler::spool::{DynSpool, S3Spool, Shelf, Spool, SpoolError};
use guidepost_handler::transport::RecordingTransport;
use guidepost_handler::{AppState, Settings};
use moto::{Moto, Start};

const REGION: &str = "eu-north-1";

fn s3_client(endpoint: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .http_client(guidepost_handler::aws::http_client())
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials_provider(Credentials::new("test", "test", None, None, "s3-test"))
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

async fn bucket(moto: &Moto, name: &str) -> aws_sdk_s3::Client {
    let client = s3_client(&moto.endpoint());
    let location = aws_sdk_s3::types::CreateBucketConfiguration::builder()
        .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuNorth1)
        .build();
    client
        .create_bucket()
        .bucket(name)
        .create_bucket_configuration(location)
        .send()
        .await
        .expect("CreateBucket");
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

#[tokio::test]
async fn the_s3_spool_never_overwrites_and_lists_per_shelf() {
    let Some(moto) = start().await else { return };
    let client = bucket(&moto, "spool-basics").await;
    let spool = S3Spool::with_client(client.clone(), "spool-basics", "spool/");
    spool
        .put_new(Shelf::Pending, "GP-AAAA-CCCC", b"first".to_vec())
        .await
        .expect("put");
    let again = spool
        .put_new(Shelf::Pending, "GP-AAAA-CCCC", b"second".to_vec())
        .await;
    assert!(matches!(again, Err(SpoolError::Exists(_))), "{again:?}");
    assert_eq!(
        spool
            .get(Shelf::Pending, "GP-AAAA-CCCC")
            .await
            .expect("get"),
        Some(b"first".to_vec())
    );
    assert_eq!(
        spool.get(Shelf::Sent, "GP-AAAA-CCCC").await.expect("get"),
        None
    );
    spool
        .put_new(Shelf::Sent, "GP-AAAA-CCCC.desk", b"{}".to_vec())
        .await
        .expect("put");
    let pending = spool.list(Shelf::Pending).await.expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].key, "GP-AAAA-CCCC");
    let age = jiff::Timestamp::now().duration_since(pending[0].modified);
    assert!(age.as_secs().abs() < 120, "{age:?}");
    let sent = spool.list(Shelf::Sent).await.expect("list");
    assert_eq!(sent[0].key, "GP-AAAA-CCCC.desk");
    let objects = client
        .list_objects_v2()
        .bucket("spool-basics")
        .send()
        .await
        .expect("list");
    let mut keys: Vec<_> = objects.contents().iter().filter_map(|o| o.key()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "spool/pending/GP-AAAA-CCCC.json",
            "spool/sent/GP-AAAA-CCCC.desk.json"
        ]
    );
    spool
        .remove(Shelf::Pending, "GP-AAAA-CCCC")
        .await
        .expect("remove");
    spool
        .remove(Shelf::Pending, "GP-AAAA-CCCC")
        .await
        .expect("twice");
    assert!(spool.list(Shelf::Pending).await.expect("list").is_empty());
    assert!(matches!(
        spool.put_new(Shelf::Pending, "../x", Vec::new()).await,
        Err(SpoolError::BadKey(_))
    ));
}

#[tokio::test]
async fn a_submission_is_spooled_in_s3_delivered_and_recognised_when_repeated() {
    let Some(moto) = start().await else { return };
    let client = bucket(&moto, "spool-flow").await;
    let spool = S3Spool::with_client(client, "spool-flow", "");
    let transport = RecordingTransport::failing();
    let state = AppState::new(
        fixture_forms(),
        desks(),
        guidepost_handler::pages::FormPages::none(),
        Arc::new(transport.clone()),
        Arc::new(spool.clone()),
        Settings {
            redelivery: guidepost_handler::policy::RedeliveryPolicy {
                min_age: std::time::Duration::ZERO,
                ..Default::default()
            },
            ..Settings::development().expect("development settings")
        },
    )
    .expect("state");
    let send = |state: &AppState| {
        let state = state.clone();
        async move {
            use tower::ServiceExt;
            let request = form_post("/forms/kontakt", &kontakt_valid());
            let response = guidepost_handler::router(state)
                .oneshot(request)
                .await
                .expect("ok");
            let location = response.headers()["location"]
                .to_str()
                .expect("ascii")
                .to_owned();
            location
                .rsplit("ref=")
                .next()
                .and_then(|r| r.split('#').next())
                .unwrap_or_default()
                .to_owned()
        }
    };
    let reference = send(&state).await;
    let pending = spool.list(Shelf::Pending).await.expect("list");
    assert_eq!(
        pending.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
        [reference.as_str()]
    );
    transport.set_failing(false);
    let report = guidepost_handler::redeliver_once(&state).await;
    assert_eq!((report.delivered, report.errors), (1, 0), "{report:?}");
    assert_eq!(transport.sent().len(), 2);
    let delivered = (&spool as &dyn DynSpool)
        .list_boxed(Shelf::Delivered)
        .await
        .expect("list");
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        send(&state).await,
        reference,
        "the repeat gets the same reference"
    );
    assert_eq!(transport.sent().len(), 2, "and sends nothing");
}
