//! What the simulator did, for tests to compare with what a client saw.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

/// Counters of a [`super::SimServer`] since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Requests received (token, Graph, Exchange, unknown), dropped ones included.
    pub requests: u64,
    /// Requests per path (without query string), e.g. `/v1.0/users`.
    pub per_path: BTreeMap<String, u64>,
    /// `InvokeCommand` calls per cmdlet name as sent.
    pub per_cmdlet: BTreeMap<String, u64>,
    /// `429` responses sent by `throttle_every`.
    pub throttled: u64,
    /// `503` responses sent by `fail_rate`.
    pub unavailable: u64,
    /// Connections closed without a response by `reset_every`.
    pub resets: u64,
    /// `200` responses whose body was cut short by `truncate_every`.
    pub truncated: u64,
    /// `403` responses sent for `forbidden` paths.
    pub forbidden: u64,
    /// Access tokens issued.
    pub tokens_issued: u64,
    /// Token requests refused (4xx).
    pub token_rejections: u64,
}

/// The live counters, shared by every connection.
#[derive(Debug, Default)]
pub(crate) struct Counters(Mutex<SimStats>);

impl Counters {
    /// Change the counters under the lock.
    pub(crate) fn update(&self, f: impl FnOnce(&mut SimStats)) {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// A copy of the counters.
    pub(crate) fn snapshot(&self) -> SimStats {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
