//! sspm's connectors.
//!
//! - [`http`]: the one HTTP stack (timeouts, retries with backoff and jitter,
//!   `Retry-After`, rate limits, bounded concurrency, gzip, tracing).
//! - [`config`]: `sspm.toml`, the instances and how to reach them.
//! - [`m365`]: Microsoft 365 (Graph and Exchange Online), app-only and read-only.

pub mod config;
pub mod http;
pub mod m365;
pub mod secret;

pub use config::{Config, ConfigError, Instance};
pub use secret::Secret;
