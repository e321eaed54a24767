//! Achieved / possible points and their percentage.

use serde::{Deserialize, Serialize};

/// Points achieved out of points possible.
///
/// `percent` is 0–100, rounded to two decimals, and `None` (JSON `null`) when
/// nothing is possible — never a division by zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub achieved: f64,
    pub possible: f64,
    pub percent: Option<f64>,
}

impl Score {
    /// A score from raw sums.
    pub fn new(achieved: f64, possible: f64) -> Self {
        let achieved = round2(achieved);
        let possible = round2(possible);
        let percent = (possible > 0.0).then(|| round2(100.0 * achieved / possible));
        Self {
            achieved,
            possible,
            percent,
        }
    }

    /// The score of nothing: 0 of 0, percent `null`.
    pub fn empty() -> Self {
        Self::new(0.0, 0.0)
    }

    /// Sum of several scores.
    pub fn sum<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Self {
        let (a, p) = scores
            .into_iter()
            .fold((0.0, 0.0), |(a, p), s| (a + s.achieved, p + s.possible));
        Self::new(a, p)
    }
}

/// Rounds to two decimals, for stable output.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_null_when_nothing_is_possible() {
        let s = Score::new(0.0, 0.0);
        assert_eq!(s.percent, None);
        assert_eq!(
            serde_json::to_value(s).unwrap()["percent"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn percent_is_rounded() {
        assert_eq!(Score::new(1.0, 3.0).percent, Some(33.33));
        assert_eq!(Score::new(8.0, 8.0).percent, Some(100.0));
    }

    #[test]
    fn sums_scores() {
        let s = Score::sum(&[Score::new(1.0, 2.0), Score::new(3.0, 4.0)]);
        assert_eq!((s.achieved, s.possible, s.percent), (4.0, 6.0, Some(66.67)));
    }
}
