//! The local server's limits: how long a client may take to send a request head, a body, or the next
//! request on a kept-alive connection, how many connections are served at once (in all and per client
//! address), and how long a graceful stop waits for requests in flight. Read by [`crate::config`], used
//! by the local server in [`crate::http`]; Lambda has its own limits in front of the function.

use std::time::Duration;

/// Limits of the standalone HTTP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// From accepting a connection to a complete request head (`GUIDEPOST_HEADER_TIMEOUT_SECS`, 10).
    pub header_timeout: Duration,
    /// From a complete head to the end of the body (`GUIDEPOST_BODY_TIMEOUT_SECS`, 20).
    pub body_timeout: Duration,
    /// From the end of one answer to the next complete request head on the same connection
    /// (`GUIDEPOST_IDLE_TIMEOUT_SECS`, 30).
    pub idle_timeout: Duration,
    /// Connections served at once (`GUIDEPOST_MAX_CONNECTIONS`, 256); more are closed on arrival.
    pub max_connections: usize,
    /// Connections served at once for one client address (`GUIDEPOST_MAX_CONNECTIONS_PER_CLIENT`, 16).
    pub max_connections_per_client: usize,
    /// After SIGTERM or ctrl-c, how long requests in flight may take to finish
    /// (`GUIDEPOST_SHUTDOWN_GRACE_SECS`, 30).
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(30),
            max_connections: 256,
            max_connections_per_client: 16,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}
