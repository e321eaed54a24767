//! Points, ranking and score roll-ups (after Microsoft Secure Score).
//!
//! - `binary`: full points on `pass`, none on `fail`.
//! - `proportional`: `max_points × compliant / total`.
//! - `manual`, `not_applicable`, `error`: outside both achieved and possible points.
//! - Ranking: points still to gain, then severity, then user impact (lower first).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use sspm_model::score::round2;
use sspm_model::{AppScore, Assessment, CheckMeta, CheckResult, Score, Scoring, Status};

use crate::eval::Outcome;

/// Combines a check's metadata and its outcome into a result with points (rank unset).
pub fn to_result(meta: &CheckMeta, outcome: Outcome) -> CheckResult {
    let mut outcome = outcome;
    if meta.scoring == Scoring::Proportional
        && outcome.status.is_scored()
        && !matches!(outcome.total, Some(t) if t > 0)
    {
        outcome = Outcome::error(format!(
            "check {} is proportional but returned status `{}` without `compliant` and a positive `total`",
            meta.id, outcome.status
        ));
    }
    let points = points(meta, &outcome);
    let (compliant, total) = match meta.scoring {
        Scoring::Proportional => (outcome.compliant, outcome.total),
        Scoring::Binary => (None, None),
    };
    CheckResult {
        id: meta.id.clone(),
        title: meta.title.clone(),
        severity: meta.severity,
        status: outcome.status,
        points,
        max_points: meta.max_points,
        compliant,
        total,
        offenders: outcome.offenders,
        reason: outcome.reason,
        benchmarks: meta.benchmarks.clone(),
        initiatives: meta.initiatives.clone(),
        scoring: meta.scoring,
        user_impact: meta.user_impact,
        implementation_cost: meta.implementation_cost,
        rank: 0,
        state: None,
    }
}

/// Points achieved by an outcome.
pub fn points(meta: &CheckMeta, outcome: &Outcome) -> f64 {
    measured_points(
        outcome.status,
        meta.scoring,
        meta.max_points,
        outcome.compliant,
        outcome.total,
    )
}

/// Points a result achieves as measured (before any recommendation state).
pub fn result_points(r: &CheckResult) -> f64 {
    measured_points(r.status, r.scoring, r.max_points, r.compliant, r.total)
}

fn measured_points(
    status: Status,
    scoring: Scoring,
    max_points: f64,
    compliant: Option<u64>,
    total: Option<u64>,
) -> f64 {
    match (status, scoring) {
        (Status::Pass | Status::Fail, Scoring::Proportional) => match (compliant, total) {
            (Some(c), Some(t)) if t > 0 => round2(max_points * c as f64 / t as f64),
            _ => 0.0,
        },
        (Status::Pass, Scoring::Binary) => max_points,
        _ => 0.0,
    }
}

/// Sort key of a status when everything else ties: what needs attention first.
fn status_order(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Manual => 2,
        Status::Pass => 3,
        Status::NotApplicable => 4,
    }
}

/// The ranking order: more points to gain, higher severity, lower user impact first.
pub fn rank_order(a: &CheckResult, b: &CheckResult) -> Ordering {
    b.points_to_gain()
        .partial_cmp(&a.points_to_gain())
        .unwrap_or(Ordering::Equal)
        .then(b.severity.cmp(&a.severity))
        .then(a.user_impact.cmp(&b.user_impact))
        .then(status_order(a.status).cmp(&status_order(b.status)))
        .then(a.id.cmp(&b.id))
}

/// Sorts results by [`rank_order`] and numbers them from 1.
pub fn rank(results: &mut [CheckResult]) {
    results.sort_by(rank_order);
    for (i, r) in results.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

/// Score of a set of results: scored statuses only.
pub fn score_of<'a>(results: impl IntoIterator<Item = &'a CheckResult>) -> Score {
    let (achieved, possible) = results
        .into_iter()
        .filter(|r| r.is_scored())
        .fold((0.0, 0.0), |(a, p), r| (a + r.points, p + r.max_points));
    Score::new(achieved, possible)
}

/// Score per app, summed over its instances.
pub fn app_scores(assessments: &[Assessment]) -> Vec<AppScore> {
    let mut by_app: BTreeMap<&str, Vec<&Score>> = BTreeMap::new();
    for a in assessments {
        by_app.entry(&a.app).or_default().push(&a.score);
    }
    by_app
        .into_iter()
        .map(|(app, scores)| AppScore {
            app: app.to_string(),
            instances: scores.len(),
            score: Score::sum(scores),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sspm_model::{Effort, Severity};

    fn meta(id: &str, scoring: Scoring, max: f64, sev: Severity, impact: Effort) -> CheckMeta {
        CheckMeta {
            id: id.into(),
            title: id.into(),
            description: "d".into(),
            rationale: "r".into(),
            severity: sev,
            max_points: max,
            scoring,
            needs: vec!["x:/y".into()],
            benchmarks: vec![],
            initiatives: vec![],
            tags: vec![],
            threats: vec![],
            user_impact: impact,
            implementation_cost: Effort::Low,
            implementation: vec!["do".into()],
            references: vec![],
        }
    }

    fn outcome(status: Status, c: Option<u64>, t: Option<u64>) -> Outcome {
        Outcome {
            status,
            reason: String::new(),
            offenders: vec![],
            compliant: c,
            total: t,
        }
    }

    #[test]
    fn binary_points() {
        let m = meta("a.b", Scoring::Binary, 8.0, Severity::High, Effort::Low);
        assert_eq!(to_result(&m, outcome(Status::Pass, None, None)).points, 8.0);
        assert_eq!(to_result(&m, outcome(Status::Fail, None, None)).points, 0.0);
        // compliant/total are not reported for binary checks
        let r = to_result(&m, outcome(Status::Fail, Some(1), Some(2)));
        assert_eq!((r.compliant, r.total), (None, None));
    }

    #[test]
    fn proportional_points() {
        let m = meta(
            "a.b",
            Scoring::Proportional,
            10.0,
            Severity::High,
            Effort::Low,
        );
        let r = to_result(&m, outcome(Status::Fail, Some(50), Some(100)));
        assert_eq!(r.points, 5.0);
        assert_eq!((r.compliant, r.total), (Some(50), Some(100)));
        let r = to_result(&m, outcome(Status::Fail, Some(1), Some(3)));
        assert_eq!(r.points, 3.33);
        // scored without counts is an error, not a silent zero
        let r = to_result(&m, outcome(Status::Pass, None, None));
        assert_eq!(r.status, Status::Error);
    }

    #[test]
    fn unscored_statuses_are_outside_the_score() {
        let m = meta("a.b", Scoring::Binary, 8.0, Severity::High, Effort::Low);
        let results: Vec<_> = [
            Status::Pass,
            Status::Error,
            Status::Manual,
            Status::NotApplicable,
        ]
        .into_iter()
        .map(|s| to_result(&m, outcome(s, None, None)))
        .collect();
        let s = score_of(&results);
        assert_eq!((s.achieved, s.possible, s.percent), (8.0, 8.0, Some(100.0)));
        let none = score_of(&results[1..]);
        assert_eq!((none.possible, none.percent), (0.0, None));
    }

    #[test]
    fn ranks_by_gain_then_severity_then_impact() {
        let mk = |id, max, sev, impact, status| {
            to_result(
                &meta(id, Scoring::Binary, max, sev, impact),
                outcome(status, None, None),
            )
        };
        let mut results = vec![
            mk(
                "a.pass",
                10.0,
                Severity::Critical,
                Effort::Low,
                Status::Pass,
            ),
            mk(
                "a.small",
                3.0,
                Severity::Critical,
                Effort::Low,
                Status::Fail,
            ),
            mk("a.big", 9.0, Severity::Low, Effort::Low, Status::Fail),
            mk(
                "a.high_impact",
                3.0,
                Severity::Critical,
                Effort::High,
                Status::Fail,
            ),
            mk("a.medium", 3.0, Severity::Medium, Effort::Low, Status::Fail),
        ];
        rank(&mut results);
        let order: Vec<_> = results.iter().map(|r| (r.rank, r.id.as_str())).collect();
        assert_eq!(
            order,
            vec![
                (1, "a.big"),
                (2, "a.small"),
                (3, "a.high_impact"),
                (4, "a.medium"),
                (5, "a.pass")
            ]
        );
    }
}
