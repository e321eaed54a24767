//! Which fault, if any, an API request gets (see [`super::SimOptions`]).

use std::sync::atomic::{AtomicU64, Ordering};

use super::SimOptions;
use crate::rng::Rng;

/// A fault decided before the request is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Close the connection without a response.
    Reset,
    /// `429` with `Retry-After`.
    Throttle,
    /// `503`.
    Unavailable,
}

/// The plan for one API request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The fault to answer with instead of handling the request.
    pub(crate) fault: Option<Fault>,
    /// Cut the body short if the response is a `200`.
    pub(crate) truncate: bool,
}

/// Numbers API requests and decides their faults.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    count: AtomicU64,
}

fn every(k: Option<u32>, n: u64) -> bool {
    matches!(k, Some(k) if k > 0 && n % u64::from(k) == 0)
}

/// Whether API request `n` draws a 503 (deterministic in `seed` and `n`).
pub(crate) fn draws_unavailable(seed: u64, n: u64, rate: f64) -> bool {
    if rate <= 0.0 {
        return false;
    }
    let x = Rng::stream(seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15), "sim-503").next_u64();
    ((x >> 11) as f64) / ((1u64 << 53) as f64) < rate
}

impl Faults {
    /// The plan of the next API request.
    pub(crate) fn next(&self, o: &SimOptions) -> Plan {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        plan(o, n)
    }
}

/// The plan of API request `n` (from 1).
pub(crate) fn plan(o: &SimOptions, n: u64) -> Plan {
    let fault = if every(o.reset_every, n) {
        Some(Fault::Reset)
    } else if every(o.throttle_every, n) {
        Some(Fault::Throttle)
    } else if draws_unavailable(o.seed, n, o.fail_rate) {
        Some(Fault::Unavailable)
    } else {
        None
    };
    Plan {
        fault,
        truncate: fault.is_none() && every(o.truncate_every, n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kth_request_and_precedence() {
        let o = SimOptions {
            reset_every: Some(6),
            throttle_every: Some(3),
            truncate_every: Some(2),
            ..SimOptions::default()
        };
        let faults: Vec<_> = (1..=6).map(|n| plan(&o, n)).collect();
        assert_eq!(
            faults[0],
            Plan {
                fault: None,
                truncate: false
            }
        );
        assert_eq!(
            faults[1],
            Plan {
                fault: None,
                truncate: true
            }
        );
        assert_eq!(faults[2].fault, Some(Fault::Throttle));
        assert!(faults[3].truncate);
        assert_eq!(
            faults[5],
            Plan {
                fault: Some(Fault::Reset),
                truncate: false
            }
        );
        assert!((1..100).all(|n| plan(&SimOptions::default(), n)
            == Plan {
                fault: None,
                truncate: false
            }));
    }

    #[test]
    fn unavailable_share_follows_the_rate_and_the_seed() {
        let hits = |seed, rate| {
            (1..=10_000)
                .filter(|n| draws_unavailable(seed, *n, rate))
                .count()
        };
        let a = hits(7, 0.1);
        assert!((850..=1150).contains(&a), "{a}");
        assert_eq!(a, hits(7, 0.1));
        assert_ne!(
            (1..=200)
                .map(|n| draws_unavailable(7, n, 0.5))
                .collect::<Vec<_>>(),
            (1..=200)
                .map(|n| draws_unavailable(8, n, 0.5))
                .collect::<Vec<_>>()
        );
        assert_eq!(hits(7, 0.0), 0);
        assert_eq!(hits(7, 1.0), 10_000);
    }
}
