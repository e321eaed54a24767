//! Applying recommendation states (risk accepted, mitigated, planned) to an assessment.
//!
//! The engine measures; a person decides. [`apply`] puts the decisions in effect on a
//! measured assessment, as docs/design.md scores them:
//! - `risk_accepted`: 0 points, still possible;
//! - `mitigated_third_party`, `mitigated_alternate`: full points;
//! - `planned`: as measured, and the *planned score* counts it as full.
//!
//! A state changes the points of results that are scored (`pass`, `fail`) and brings a
//! `manual` result into the score (a person is the only one who can say it is done or
//! accepted). `error` and `not_applicable` results stay out of the score: nothing was
//! measured. Applying twice gives the same result: points start again from the measured
//! status.

use std::collections::HashMap;

use sspm_model::{AppliedState, Assessment, CheckResult, RecommendationState, Score};

use crate::scoring;

/// Puts `states` (by check id) in effect on `assessment`: sets each result's `state` and
/// points, re-ranks, and sets `score` and `planned_score`. Results without an entry go
/// back to their measured points.
pub fn apply(assessment: &mut Assessment, states: &HashMap<String, AppliedState>) {
    for result in &mut assessment.results {
        result.state = states
            .get(&result.id)
            .filter(|s| s.state != RecommendationState::Default)
            .cloned();
        result.points = scoring::result_points(result);
        if let Some(points) = result
            .state
            .as_ref()
            .and_then(|s| s.state.points(result.max_points))
        {
            if result.is_scored() {
                result.points = points;
            }
        }
    }
    scoring::rank(&mut assessment.results);
    assessment.score = scoring::score_of(&assessment.results);
    assessment.planned_score = Some(planned_score(&assessment.results));
}

/// The score if every `planned` recommendation were done.
pub fn planned_score(results: &[CheckResult]) -> Score {
    let (achieved, possible) =
        results
            .iter()
            .filter(|r| r.is_scored())
            .fold((0.0, 0.0), |(a, p), r| {
                let planned = r
                    .state
                    .as_ref()
                    .is_some_and(|s| s.state == RecommendationState::Planned);
                let points = if planned { r.max_points } else { r.points };
                (a + points, p + r.max_points)
            });
    Score::new(achieved, possible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sspm_model::{Effort, Scoring, Severity, Status};

    fn result(
        id: &str,
        status: Status,
        scoring: Scoring,
        c: Option<u64>,
        t: Option<u64>,
    ) -> CheckResult {
        let mut r = CheckResult {
            id: id.into(),
            title: id.into(),
            severity: Severity::High,
            status,
            points: 0.0,
            max_points: 10.0,
            compliant: c,
            total: t,
            offenders: vec![],
            reason: String::new(),
            benchmarks: vec![],
            initiatives: vec![],
            scoring,
            user_impact: Effort::Low,
            implementation_cost: Effort::Low,
            rank: 0,
            state: None,
        };
        r.points = scoring::result_points(&r);
        r
    }

    fn state(s: RecommendationState) -> AppliedState {
        AppliedState {
            state: s,
            reason: "why".into(),
            set_by: "alice".into(),
            set_at: "2026-11-27T10:00:00Z".into(),
            until: None,
        }
    }

    fn assessment() -> Assessment {
        let results = vec![
            result("pass", Status::Pass, Scoring::Binary, None, None),
            result("fail", Status::Fail, Scoring::Binary, None, None),
            result(
                "half",
                Status::Fail,
                Scoring::Proportional,
                Some(5),
                Some(10),
            ),
            result("manual", Status::Manual, Scoring::Binary, None, None),
            result("error", Status::Error, Scoring::Binary, None, None),
        ];
        Assessment {
            app: "m365".into(),
            instance: "i".into(),
            tenant: "t".into(),
            collected_at: String::new(),
            assessed_at: String::new(),
            score: scoring::score_of(&results),
            planned_score: None,
            results,
        }
    }

    fn states(list: &[(&str, RecommendationState)]) -> HashMap<String, AppliedState> {
        list.iter()
            .map(|(id, s)| (id.to_string(), state(*s)))
            .collect()
    }

    #[test]
    fn no_states_keep_the_measured_score_and_planned_equals_it() {
        let mut a = assessment();
        let measured = a.score;
        apply(&mut a, &HashMap::new());
        assert_eq!(a.score, measured);
        assert_eq!(a.score, Score::new(15.0, 30.0));
        assert_eq!(a.planned_score, Some(measured));
    }

    #[test]
    fn risk_accepted_is_zero_points_still_possible() {
        let mut a = assessment();
        apply(
            &mut a,
            &states(&[
                ("pass", RecommendationState::RiskAccepted),
                ("half", RecommendationState::RiskAccepted),
            ]),
        );
        assert_eq!(a.score, Score::new(0.0, 30.0));
        let pass = a.results.iter().find(|r| r.id == "pass").map(|r| r.points);
        assert_eq!(pass, Some(0.0));
    }

    #[test]
    fn mitigated_is_full_points_and_brings_manual_into_the_score() {
        let mut a = assessment();
        apply(
            &mut a,
            &states(&[
                ("fail", RecommendationState::MitigatedThirdParty),
                ("manual", RecommendationState::MitigatedAlternate),
                ("error", RecommendationState::MitigatedAlternate),
            ]),
        );
        // pass 10 + fail 10 (mitigated) + half 5 + manual 10 (mitigated); error stays out.
        assert_eq!(a.score, Score::new(35.0, 40.0));
        let error = a.results.iter().find(|r| r.id == "error");
        assert_eq!(error.map(|r| (r.points, r.is_scored())), Some((0.0, false)));
        assert!(
            error.is_some_and(|r| r.state.is_some()),
            "the state is still shown"
        );
    }

    #[test]
    fn planned_counts_in_the_planned_score_only() {
        let mut a = assessment();
        apply(
            &mut a,
            &states(&[
                ("fail", RecommendationState::Planned),
                ("half", RecommendationState::Planned),
            ]),
        );
        assert_eq!(a.score, Score::new(15.0, 30.0));
        assert_eq!(a.planned_score, Some(Score::new(30.0, 30.0)));
    }

    #[test]
    fn applying_again_starts_from_the_measured_points() {
        let mut a = assessment();
        apply(
            &mut a,
            &states(&[("fail", RecommendationState::MitigatedAlternate)]),
        );
        assert_eq!(a.score, Score::new(25.0, 30.0));
        apply(&mut a, &HashMap::new());
        assert_eq!(a.score, Score::new(15.0, 30.0));
        assert!(a.results.iter().all(|r| r.state.is_none()));
    }

    #[test]
    fn ranking_follows_the_points_after_states() {
        let mut a = assessment();
        apply(&mut a, &HashMap::new());
        assert_eq!(a.results[0].id, "fail");
        apply(
            &mut a,
            &states(&[("fail", RecommendationState::MitigatedAlternate)]),
        );
        assert_eq!(a.results[0].id, "half");
        assert_eq!(
            a.results.iter().map(|r| r.rank).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
    }
}
