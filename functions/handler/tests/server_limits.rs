//! The local server's limits over a real loopback socket, with short timeouts: silent and half-sent
//! heads, a trickled body and an idle kept-alive connection are closed; connections over the per-client
//! cap are refused; a graceful stop lets a request in flight finish.

mod common;

use std::time::{Duration, Instant};

use common::*;
use guidepost_handler::policy::ServerLimits;
use guidepost_handler::serve_local_with;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn short() -> ServerLimits {
    ServerLimits {
        header_timeout: Duration::from_millis(500),
        body_timeout: Duration::from_millis(700),
        idle_timeout: Duration::from_millis(600),
        max_connections: 50,
        max_connections_per_client: 4,
        shutdown_grace: Duration::from_secs(5),
    }
}

async fn start(
    limits: ServerLimits,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
    World,
) {
    let world = World::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_local_with(
        listener,
        world.state.clone(),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    (addr, stop, server, world)
}

/// Reads until the server closes the connection (bounded); returns what came and how long it took.
async fn until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server kept the connection open for 5 s");
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

fn kontakt_body() -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kontakt_valid())
        .finish()
}

#[tokio::test]
async fn silent_and_half_sent_heads_are_closed_after_the_header_timeout() {
    let (addr, _stop, _server, _world) = start(short()).await;
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    let mut half = TcpStream::connect(addr).await.expect("connect");
    half.write_all(b"POST /forms/kontakt HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    for stream in [&mut silent, &mut half] {
        let (_, took) = until_closed(stream).await;
        assert!(took < Duration::from_secs(2), "closed after {took:?}");
    }
}

#[tokio::test]
async fn a_trickled_body_gets_408_and_nothing_is_accepted() {
    let (addr, _stop, _server, world) = start(short()).await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = kontakt_body();
    let head = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let started = Instant::now();
    // One byte every 300 ms: each gap is shorter than every timeout, the whole is not.
    for byte in body.as_bytes().iter().take(6) {
        if stream.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (answer, _) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("The request body did not arrive in time."),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    assert!(world.spooled().is_empty());
    assert!(world.transport.sent().is_empty());
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let (addr, _stop, _server, _world) = start(short()).await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let (answer, took) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn connections_over_the_per_client_cap_are_refused_and_places_come_back() {
    let (addr, _stop, _server, _world) = start(short()).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut fifth = TcpStream::connect(addr).await.expect("connect");
    let (_, took) = until_closed(&mut fifth).await;
    assert!(
        took < Duration::from_millis(300),
        "refused at once, not after a timeout: {took:?}"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = TcpStream::connect(addr).await.expect("connect");
    again
        .write_all(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let (answer, _) = until_closed(&mut again).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}

#[tokio::test]
async fn a_graceful_stop_finishes_the_request_in_flight() {
    let (addr, stop, server, world) = start(short()).await;
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let body = kontakt_body();
    let (first, rest) = body.split_at(10);
    let head = format!(
        "POST /forms/kontakt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = stop.send(());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no new connections"
    );
    stream.write_all(rest.as_bytes()).await.expect("rest");
    let (answer, _) = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert_eq!(world.transport.sent().len(), 2);
    let ended = tokio::time::timeout(Duration::from_secs(3), server).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "{ended:?}");
}
