//! The local server: [`router`] over hyper's HTTP/1 on a listener, with the [`ServerLimits`]: a deadline
//! for each request head (from connecting, or from the previous answer on a kept-alive connection) and
//! for each body, a cap on connections in all and per client address, and a graceful stop (stop
//! accepting, let requests in flight finish within the grace period, then return).

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

use super::response::plain;
use super::router;
use crate::policy::ServerLimits;
use crate::state::AppState;

/// The answer to a request whose body did not arrive within the body timeout.
pub const BODY_TIMEOUT_ANSWER: &str = "The request body did not arrive in time.\n";

/// Serves [`router`] on `listener` with the default [`ServerLimits`] until the future is dropped, with
/// each client's address known to the rate limit.
pub async fn serve_local(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    serve_local_with(
        listener,
        state,
        ServerLimits::default(),
        std::future::pending(),
    )
    .await
}

/// Serves [`router`] on `listener` within `limits` until `shutdown` completes; then stops accepting,
/// lets the requests in flight finish (at most [`ServerLimits::shutdown_grace`]) and returns.
pub async fn serve_local_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = router(state);
    let admission = Arc::new(Admission::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait a little.
                tracing::error!(%error, "could not accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(slot) = admission.admit(peer.ip(), &limits) else {
            drop(stream);
            continue;
        };
        let connection = Connection {
            router: router.clone(),
            peer,
            limits,
            stop: stop_rx.clone(),
        };
        connections.spawn(async move {
            connection.serve(stream).await;
            drop(slot);
        });
    }
    drop(listener);
    let in_flight = connections.len();
    tracing::info!(
        connections = in_flight,
        "stopping: no new connections, finishing requests in flight"
    );
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "grace period over: closing the connections still open"
        );
        connections.shutdown().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Open connections, in all and per client address.
#[derive(Default)]
struct Admission {
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
    refused: AtomicU64,
}

impl Admission {
    /// A slot for a connection from `client`, or `None` when a cap is reached.
    fn admit(self: &Arc<Self>, client: IpAddr, limits: &ServerLimits) -> Option<Slot> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (total, per_client) = &mut *open;
        let mine = per_client.get(&client).copied().unwrap_or(0);
        if *total >= limits.max_connections || mine >= limits.max_connections_per_client {
            let refused = self.refused.fetch_add(1, Ordering::Relaxed) + 1;
            if refused.is_power_of_two() {
                tracing::warn!(
                    refused,
                    open = *total,
                    from_this_client = mine,
                    "connection refused: too many open connections"
                );
            }
            return None;
        }
        *total += 1;
        per_client.insert(client, mine + 1);
        Some(Slot {
            admission: Arc::clone(self),
            client,
        })
    }
}

/// One admitted connection; gives its place back when dropped.
struct Slot {
    admission: Arc<Admission>,
    client: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .admission
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (total, per_client) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(mine) = per_client.get_mut(&self.client) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                per_client.remove(&self.client);
            }
        }
    }
}

/// Where a connection stands, for its deadlines: requests being answered, since when it waits for the
/// next head, and whether it has answered one already.
#[derive(Clone, Copy, Debug)]
struct Activity {
    busy: usize,
    since: Instant,
    answered: bool,
}

/// Counts one request as busy until dropped (when its answer is ready).
struct Busy(Arc<watch::Sender<Activity>>);

impl Busy {
    fn start(activity: &Arc<watch::Sender<Activity>>) -> Busy {
        activity.send_modify(|a| a.busy += 1);
        Busy(Arc::clone(activity))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.send_modify(|a| {
            a.busy -= 1;
            a.since = Instant::now();
            a.answered = true;
        });
    }
}

/// What serving one connection needs.
struct Connection {
    router: Router,
    peer: SocketAddr,
    limits: ServerLimits,
    stop: watch::Receiver<bool>,
}

impl Connection {
    async fn serve(self, stream: tokio::net::TcpStream) {
        let Connection {
            router,
            peer,
            limits,
            mut stop,
        } = self;
        let (activity, watching) = watch::channel(Activity {
            busy: 0,
            since: Instant::now(),
            answered: false,
        });
        let activity = Arc::new(activity);
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let busy = Busy::start(&activity);
            answer(router.clone(), peer, limits.body_timeout, request, busy)
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        // The head deadline is kept here ([`quiet_too_long`]), also between kept-alive requests.
        builder.header_read_timeout(None);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(connection);
        let quiet = quiet_too_long(watching.clone(), limits);
        tokio::pin!(quiet);
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            waited = &mut quiet => {
                tracing::debug!(waited, "closing a quiet connection");
                return;
            }
            _ = stop.wait_for(|stop| *stop) => {}
        }
        let now = *watching.borrow();
        if now.busy == 0 && !now.answered {
            return; // nothing asked yet: close at once
        }
        connection.as_mut().graceful_shutdown();
        tokio::select! {
            _ = connection => {}
            _ = quiet => {}
        }
    }
}

/// Completes when the connection has waited too long for a request head: the header timeout before the
/// first request, the idle timeout after an answer. Never while a request is being answered.
async fn quiet_too_long(
    mut watching: watch::Receiver<Activity>,
    limits: ServerLimits,
) -> &'static str {
    loop {
        let now = *watching.borrow_and_update();
        if now.busy > 0 {
            if watching.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
            continue;
        }
        let (limit, what) = match now.answered {
            false => (limits.header_timeout, "header"),
            true => (limits.idle_timeout, "idle"),
        };
        tokio::select! {
            () = tokio::time::sleep_until(now.since + limit) => return what,
            changed = watching.changed() => if changed.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Runs the router on one request whose body must arrive within `body_timeout`.
async fn answer(
    router: Router,
    peer: SocketAddr,
    body_timeout: Duration,
    request: Request<Incoming>,
    busy: Busy,
) -> Result<Response<Body>, Infallible> {
    let expired = Arc::new(AtomicBool::new(false));
    let (mut head, body) = request.into_parts();
    head.extensions.insert(ConnectInfo(peer));
    let body = Body::new(TimedBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep(body_timeout)),
        expired: Arc::clone(&expired),
    });
    let response = match router.oneshot(Request::from_parts(head, body)).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    drop(busy);
    if expired.load(Ordering::Relaxed) {
        tracing::info!(client = %peer.ip(), "request body timed out");
        let mut late = plain(StatusCode::REQUEST_TIMEOUT, BODY_TIMEOUT_ANSWER);
        late.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        return Ok(late);
    }
    Ok(response)
}

/// A request body that fails once its deadline has passed.
struct TimedBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
}

/// The error a [`TimedBody`] ends with.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyTimedOut;

impl HttpBody for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.expired.store(true, Ordering::Relaxed);
                Poll::Ready(Some(Err(BodyTimedOut.into())))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
