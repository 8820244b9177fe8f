//! Hardening: a spool fault after the mail service took the messages never resends them and fails the
//! pass; temporary files a crash left are swept; spool and mail files are private.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::*;
use guidepost_handler::redeliver_once;
use guidepost_handler::transport::{
    EmlFolder, MessageKind, OutgoingMessage, RecordingTransport, Transport,
};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn an_unwritable_delivered_shelf_never_resends_and_fails_the_pass() {
    let world = World::with_settings(RecordingTransport::failing(), quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(world.spooled().len(), 1);
    // `delivered` becomes a file, not a folder: no marker can be written there.
    std::fs::write(world.spool_dir.join("delivered"), b"not a folder").expect("write");
    world.transport.set_failing(false);
    let report = redeliver_once(&world.state).await;
    assert!(report.errors >= 1, "the fault is counted: {report:?}");
    assert_eq!(
        world.transport.sent().len(),
        2,
        "desk mail and receipt, once"
    );
    assert_eq!(world.spooled().len(), 1, "the entry could not be moved");
    for pass in 2..=3 {
        let report = redeliver_once(&world.state).await;
        assert!(
            report.errors >= 1,
            "pass {pass} reports the fault: {report:?}"
        );
        assert_eq!(report.delivered, 0);
        assert_eq!(
            world.transport.sent().len(),
            2,
            "pass {pass} sent nothing again"
        );
    }
    // Once the shelf is fixed, the next pass finishes without sending.
    std::fs::remove_file(world.spool_dir.join("delivered")).expect("rm");
    let report = redeliver_once(&world.state).await;
    assert_eq!((report.delivered, report.errors), (1, 0), "{report:?}");
    assert_eq!(world.transport.sent().len(), 2);
    assert!(world.spooled().is_empty());
}

#[tokio::test]
async fn stale_temporary_files_are_swept_and_counted() {
    let mut settings = quick_settings();
    settings.redelivery.min_age = Duration::from_secs(120);
    let world = World::with_settings(RecordingTransport::failing(), settings);
    let pending = world.pending_dir();
    std::fs::create_dir_all(&pending).expect("mkdir");
    let stale = pending.join(".tmp-00112233");
    let fresh = pending.join(".tmp-44556677");
    std::fs::write(&stale, "19121212-1212 Åsa Öberg").expect("write");
    std::fs::write(&fresh, "in flight").expect("write");
    let old = std::time::SystemTime::now() - Duration::from_secs(600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .and_then(|f| f.set_modified(old))
        .expect("age the file");
    let report = redeliver_once(&world.state).await;
    assert_eq!(report.temp_removed, 1, "{report:?}");
    assert!(!stale.exists(), "the stale temp file is gone");
    assert!(fresh.exists(), "a write in flight is left alone");
}

#[tokio::test]
async fn spool_and_mail_files_are_private() {
    let world = World::with_settings(RecordingTransport::failing(), quick_settings());
    let answer = world
        .send(form_post("/forms/kontakt", &kontakt_valid()))
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let entry = world.pending_dir().join(&world.spooled()[0]);
    assert_eq!(mode(&entry), 0o600);
    assert_eq!(mode(&world.pending_dir()), 0o700);
    assert_eq!(mode(&world.spool_dir), 0o700);

    let temp = tempfile::tempdir().expect("tempdir");
    let mail = temp.path().join("mail");
    let folder = EmlFolder::new(&mail);
    let message = OutgoingMessage {
        reference: "GP-AAAA-CCCC".into(),
        kind: MessageKind::Desk,
        from: "formular@guidepost.example".into(),
        to: vec!["natverk@desk.example".into()],
        raw: "Subject: x\r\n\r\nbody\r\n".into(),
    };
    folder.send(&message).await.expect("send");
    folder.send(&message).await.expect("send again");
    let other = OutgoingMessage {
        raw: "Subject: y\r\n\r\nother\r\n".into(),
        ..message.clone()
    };
    folder.send(&other).await.expect("send another");
    assert_eq!(mode(&mail), 0o700);
    assert_eq!(
        spooled_in(&mail),
        vec!["GP-AAAA-CCCC-desk-2.eml", "GP-AAAA-CCCC-desk.eml"],
        "the same message once, another beside it, no temp file left"
    );
    assert_eq!(mode(&mail.join("GP-AAAA-CCCC-desk.eml")), 0o600);
    assert_eq!(
        std::fs::read_to_string(mail.join("GP-AAAA-CCCC-desk.eml")).expect("read"),
        message.raw
    );
}
