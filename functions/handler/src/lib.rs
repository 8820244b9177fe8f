//! guidepost-handler: the form function. `POST /forms/{id}` runs through the layers top to bottom, each
//! importing only those below it:
//!
//! - [`runtime`] (Lambda or the local server; the redelivery role) and [`http`] (router, intake,
//!   responses, the log line) at the edge;
//! - [`pipeline`]: parse → screen → validate → compose → accept → deliver, returning typed
//!   [`outcome`] values;
//! - [`delivery`] (idempotency, accept, deliver, send with retries, redeliver) over the seams
//!   [`spool`] and [`transport`];
//! - at the bottom: [`state`] (built from [`config`] → [`settings`]), [`desks`], [`pages`], [`policy`],
//!   [`outcome`], [`clock`], [`metrics`].
//!
//! With `default-features = false` (no `aws` feature) the crate has the router, the `.eml` folder
//! transport and the local server, without the AWS SDK or lambda_http.

pub mod accounts;
#[cfg(feature = "aws")]
pub mod aws;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod desks;
pub mod http;
pub mod metrics;
pub mod outcome;
pub mod pages;
pub mod pipeline;
pub mod policy;
pub mod remind;
pub mod runtime;
pub mod settings;
pub mod spool;
pub mod state;
pub mod transport;

pub use config::Config;
pub use http::{router, serve_local, serve_local_with};
pub use runtime::redeliver_once;
pub use settings::Settings;
pub use state::{AppState, StartError};
