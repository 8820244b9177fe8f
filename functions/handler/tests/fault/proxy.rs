//! A fault-injecting HTTP proxy on loopback, in front of the local SES server. One request per
//! connection; per request it either forwards (with `Connection: close`) or injects a fault: a reset
//! connection, 429 `TooManyRequestsException`, 400 `Throttling`, 500, 503, or a delay. A delayed request
//! is forwarded only if the client is still waiting when the delay ends, so a client that timed out and
//! will retry never has its first attempt delivered behind its back. The fault rate is set from outside
//! and can change at any time; the choice of fault is a seeded pseudo-random sequence.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy did with requests, by kind.
#[derive(Debug, Default)]
pub struct Stats {
    pub forwarded: AtomicU64,
    pub reset: AtomicU64,
    pub throttled_429: AtomicU64,
    pub throttling_400: AtomicU64,
    pub error_500: AtomicU64,
    pub unavailable_503: AtomicU64,
    pub slow_abandoned: AtomicU64,
    pub slow_forwarded: AtomicU64,
}

impl Stats {
    /// One line: `forwarded=… reset=… …`.
    pub fn summary(&self) -> String {
        let n = |a: &AtomicU64| a.load(Ordering::SeqCst);
        format!(
            "forwarded={} reset={} 429={} 400-throttling={} 500={} 503={} slow-abandoned={} slow-forwarded={}",
            n(&self.forwarded),
            n(&self.reset),
            n(&self.throttled_429),
            n(&self.throttling_400),
            n(&self.error_500),
            n(&self.unavailable_503),
            n(&self.slow_abandoned),
            n(&self.slow_forwarded)
        )
    }
}

/// The running proxy.
pub struct Proxy {
    pub addr: SocketAddr,
    pub stats: Arc<Stats>,
    /// Faults per thousand requests.
    rate: Arc<AtomicU32>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Shared {
    upstream: SocketAddr,
    stats: Arc<Stats>,
    rate: Arc<AtomicU32>,
    rng: Arc<Mutex<u64>>,
    slow: Duration,
}

impl Proxy {
    /// Starts a proxy to `upstream` on a free loopback port; `slow` is the long delay (longer than the
    /// client's attempt timeout).
    pub async fn start(upstream: SocketAddr, slow: Duration, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let stats = Arc::new(Stats::default());
        let rate = Arc::new(AtomicU32::new(0));
        let shared = Shared {
            upstream,
            stats: Arc::clone(&stats),
            rate: Arc::clone(&rate),
            rng: Arc::new(Mutex::new(seed | 1)),
            slow,
        };
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move { shared.handle(client).await });
            }
        });
        Proxy {
            addr,
            stats,
            rate,
            task,
        }
    }

    /// Sets how many requests in a thousand get a fault.
    pub fn set_fault_rate(&self, per_thousand: u32) {
        self.rate.store(per_thousand.min(1000), Ordering::SeqCst);
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn next(&self) -> u64 {
        let mut state = self.rng.lock().expect("rng");
        // xorshift64*
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    async fn handle(&self, mut client: TcpStream) {
        let Some(request) = read_request(&mut client).await else {
            return;
        };
        let faulty = self.next() % 1000 < u64::from(self.rate.load(Ordering::SeqCst));
        let fault = if faulty { self.next() % 7 } else { 99 };
        let stats = &self.stats;
        let answer = |status: &str, code: &str| {
            let body = format!("{{\"message\":\"injected {code}\"}}");
            format!(
                "HTTP/1.1 {status}\r\nx-amzn-ErrorType: {code}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        };
        let canned = match fault {
            0 => {
                stats.reset.fetch_add(1, Ordering::SeqCst);
                // Linger zero: the connection is reset, not closed (dropping does not block).
                #[allow(deprecated)]
                let _ = client.set_linger(Some(Duration::ZERO));
                return;
            }
            1 => Some((
                &stats.throttled_429,
                answer("429 Too Many Requests", "TooManyRequestsException"),
            )),
            2 => Some((
                &stats.throttling_400,
                answer("400 Bad Request", "Throttling"),
            )),
            3 => Some((
                &stats.error_500,
                answer("500 Internal Server Error", "InternalFailure"),
            )),
            4 => Some((
                &stats.unavailable_503,
                answer("503 Service Unavailable", "ServiceUnavailable"),
            )),
            _ => None,
        };
        if let Some((counter, text)) = canned {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = client.write_all(text.as_bytes()).await;
            return;
        }
        let delay = match fault {
            5 => Some(self.slow),
            6 => Some(self.slow / 16),
            _ => None,
        };
        if let Some(delay) = delay {
            let mut probe = [0u8; 1];
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                // The client gave up (or sent more, which a waiting client does not): do not forward.
                _ = client.read(&mut probe) => {
                    stats.slow_abandoned.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
            stats.slow_forwarded.fetch_add(1, Ordering::SeqCst);
        } else {
            stats.forwarded.fetch_add(1, Ordering::SeqCst);
        }
        if let Some(response) = forward(self.upstream, &request).await {
            let _ = client.write_all(&response).await;
        }
    }
}

/// Reads one request (head and `Content-Length` body), rewriting it to `Connection: close`.
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = tokio::time::timeout(Duration::from_secs(10), client.read(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = tokio::time::timeout(Duration::from_secs(10), client.read(&mut buf))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let lines: Vec<&str> = head
        .trim_end()
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut request = format!("{}\r\nConnection: close\r\n\r\n", lines.join("\r\n")).into_bytes();
    request.extend_from_slice(&data[head_end..head_end + length]);
    Some(request)
}

/// Sends `request` upstream and returns the whole response (the upstream closes the connection).
async fn forward(upstream: SocketAddr, request: &[u8]) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(upstream).await.ok()?;
    stream.write_all(request).await.ok()?;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut response))
        .await
        .ok()?
        .ok()?;
    // Tell the client too that this connection ends here, so it is not reused.
    if let Some(line_end) = response.windows(2).position(|w| w == b"\r\n") {
        response.splice(
            line_end + 2..line_end + 2,
            b"Connection: close\r\n".iter().copied(),
        );
    }
    Some(response)
}
