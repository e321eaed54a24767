//! Initiatives: named goals (e.g. *Identity Security*) made of weighted metrics, each metric
//! selecting recommendations by id, benchmark or tag.
//!
//! Definitions are TOML data (`initiatives/*.toml`, embedded; users may add directories):
//!
//! ```toml
//! id = "identity-security"
//! name = "Identity Security"
//! description = "…"
//!
//! [[metrics]]
//! id = "strong-authentication"
//! name = "Strong authentication for every user"
//! weight = 3
//! select = { ids = ["m365.entra.mfa_all_users"], benchmarks = ["cisa-scuba:MS.AAD.3.*"], tags = ["mfa"] }
//! ```
//!
//! A benchmark selector is `framework` (every control), `framework:id` (one control) or
//! `framework:prefix*`. A tag selector matches a check's `tags`, `threats` or `initiatives`.
//! A metric's score sums its recommendations' points over every assessment; an
//! initiative's percentage is the weighted mean of its scored metrics' percentages.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use sspm_model::{Assessment, CheckMeta, InitiativeScore, MetricScore, Score};

use crate::catalog::Catalog;
use crate::embedded;

/// An initiative definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    pub description: String,
    pub metrics: Vec<Metric>,
}

/// A weighted metric of an initiative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub weight: f64,
    pub select: Selector,
}

/// Which recommendations a metric covers; a check is selected when any entry matches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selector {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub benchmarks: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Selector {
    /// Whether the selector picks this check.
    pub fn matches(&self, meta: &CheckMeta) -> bool {
        self.ids.contains(&meta.id)
            || self.benchmarks.iter().any(|sel| {
                let (framework, control) = sel.split_once(':').unwrap_or((sel, "*"));
                meta.benchmarks.iter().any(|b| {
                    b.framework == framework
                        && match control.strip_suffix('*') {
                            Some(prefix) => b.id.starts_with(prefix),
                            None => b.id == control,
                        }
                })
            })
            || self.tags.iter().any(|t| {
                meta.tags.contains(t) || meta.threats.contains(t) || meta.initiatives.contains(t)
            })
    }
}

/// Why initiative definitions could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum InitiativeError {
    #[error("cannot read initiatives from {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("initiative {path} is invalid: {message}")]
    Invalid { path: String, message: String },
    #[error("duplicate initiative id `{id}` in {first} and {second}")]
    Duplicate {
        id: String,
        first: String,
        second: String,
    },
}

/// Every initiative definition, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Initiatives {
    items: Vec<Initiative>,
}

impl Initiatives {
    /// The shipped initiatives.
    pub fn builtin() -> Result<Self, InitiativeError> {
        Self::load(&[])
    }

    /// The shipped initiatives plus the `*.toml` files below the given directories; a user
    /// definition replaces a shipped one with the same id.
    pub fn load(dirs: &[PathBuf]) -> Result<Self, InitiativeError> {
        let mut by_id: BTreeMap<String, (String, Initiative)> = BTreeMap::new();
        let mut add = |path: String, text: &str, replace: bool| -> Result<(), InitiativeError> {
            let initiative = parse(&path, text)?;
            if let Some((first, _)) = by_id.get(&initiative.id) {
                if !replace {
                    return Err(InitiativeError::Duplicate {
                        id: initiative.id,
                        first: first.clone(),
                        second: path,
                    });
                }
            }
            by_id.insert(initiative.id.clone(), (path, initiative));
            Ok(())
        };
        for (rel, text) in embedded::INITIATIVE_FILES {
            add(format!("initiatives/{rel}"), text, false)?;
        }
        for dir in dirs {
            let paths = crate::files::with_extensions(dir, &["toml"]).map_err(|source| {
                InitiativeError::Read {
                    path: dir.to_path_buf(),
                    source,
                }
            })?;
            for path in paths {
                let text =
                    std::fs::read_to_string(&path).map_err(|source| InitiativeError::Read {
                        path: path.clone(),
                        source,
                    })?;
                add(path.display().to_string(), &text, true)?;
            }
        }
        Ok(Self {
            items: by_id.into_values().map(|(_, i)| i).collect(),
        })
    }

    /// The definitions, sorted by id.
    pub fn items(&self) -> &[Initiative] {
        &self.items
    }

    /// For each check id, the initiatives whose metrics select it.
    pub fn membership(&self, catalog: &Catalog) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for check in catalog.checks() {
            for initiative in &self.items {
                if initiative
                    .metrics
                    .iter()
                    .any(|m| m.select.matches(&check.meta))
                {
                    out.entry(check.meta.id.clone())
                        .or_default()
                        .push(initiative.id.clone());
                }
            }
        }
        out
    }

    /// Scores every initiative over the given assessments.
    pub fn score(&self, assessments: &[Assessment], catalog: &Catalog) -> Vec<InitiativeScore> {
        self.items
            .iter()
            .map(|initiative| {
                let metrics: Vec<MetricScore> = initiative
                    .metrics
                    .iter()
                    .map(|metric| {
                        let ids: Vec<String> = catalog
                            .checks()
                            .iter()
                            .filter(|c| metric.select.matches(&c.meta))
                            .map(|c| c.meta.id.clone())
                            .collect();
                        let score = crate::scoring::score_of(
                            assessments
                                .iter()
                                .flat_map(|a| a.results.iter())
                                .filter(|r| ids.binary_search(&r.id).is_ok()),
                        );
                        MetricScore {
                            id: metric.id.clone(),
                            name: metric.name.clone(),
                            weight: metric.weight,
                            score,
                            recommendations: ids,
                        }
                    })
                    .collect();
                InitiativeScore {
                    id: initiative.id.clone(),
                    name: initiative.name.clone(),
                    percent: weighted_percent(&metrics),
                    metrics,
                }
            })
            .collect()
    }
}

/// Weighted mean of the scored metrics' percentages; `None` when no metric is scored.
fn weighted_percent(metrics: &[MetricScore]) -> Option<f64> {
    let (sum, weights) = metrics
        .iter()
        .filter_map(|m| m.score.percent.map(|p| (p * m.weight, m.weight)))
        .fold((0.0, 0.0), |(s, w), (ps, pw)| (s + ps, w + pw));
    (weights > 0.0).then(|| Score::new(sum / weights, 100.0).achieved)
}

fn parse(path: &str, text: &str) -> Result<Initiative, InitiativeError> {
    let invalid = |message: String| InitiativeError::Invalid {
        path: path.to_string(),
        message,
    };
    let initiative: Initiative = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    if initiative.metrics.is_empty() {
        return Err(invalid("field `metrics` is empty".into()));
    }
    for m in &initiative.metrics {
        if !(m.weight.is_finite() && m.weight > 0.0) {
            return Err(invalid(format!(
                "metric `{}`: field `weight` must be a positive number",
                m.id
            )));
        }
        if m.select.ids.is_empty() && m.select.benchmarks.is_empty() && m.select.tags.is_empty() {
            return Err(invalid(format!(
                "metric `{}`: field `select` selects nothing; give `ids`, `benchmarks` or `tags`",
                m.id
            )));
        }
    }
    Ok(initiative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sspm_model::{Benchmark, Effort, Scoring, Severity};

    fn meta() -> CheckMeta {
        CheckMeta {
            id: "m365.entra.x".into(),
            title: "x".into(),
            description: "d".into(),
            rationale: "r".into(),
            severity: Severity::High,
            max_points: 5.0,
            scoring: Scoring::Binary,
            needs: vec!["graph:/v1.0/x".into()],
            benchmarks: vec![Benchmark {
                framework: "cisa-scuba".into(),
                id: "MS.AAD.3.2v2".into(),
            }],
            initiatives: vec!["zero-trust".into()],
            tags: vec!["mfa".into()],
            threats: vec!["password-spray".into()],
            user_impact: Effort::Low,
            implementation_cost: Effort::Low,
            implementation: vec!["do".into()],
            references: vec![],
        }
    }

    #[test]
    fn selectors_match_ids_benchmarks_and_tags() {
        let m = meta();
        let sel = |ids: &[&str], b: &[&str], t: &[&str]| Selector {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            benchmarks: b.iter().map(|s| s.to_string()).collect(),
            tags: t.iter().map(|s| s.to_string()).collect(),
        };
        assert!(sel(&["m365.entra.x"], &[], &[]).matches(&m));
        assert!(!sel(&["m365.entra.y"], &[], &[]).matches(&m));
        assert!(sel(&[], &["cisa-scuba"], &[]).matches(&m));
        assert!(sel(&[], &["cisa-scuba:MS.AAD.3.*"], &[]).matches(&m));
        assert!(sel(&[], &["cisa-scuba:MS.AAD.3.2v2"], &[]).matches(&m));
        assert!(!sel(&[], &["cisa-scuba:MS.AAD.1.*"], &[]).matches(&m));
        assert!(!sel(&[], &["cis-m365-v6"], &[]).matches(&m));
        assert!(sel(&[], &[], &["mfa"]).matches(&m));
        assert!(sel(&[], &[], &["password-spray"]).matches(&m));
        assert!(sel(&[], &[], &["zero-trust"]).matches(&m));
        assert!(!sel(&[], &[], &["dlp"]).matches(&m));
    }

    #[test]
    fn weighted_mean_skips_unscored_metrics() {
        let metric = |w: f64, a: f64, p: f64| MetricScore {
            id: "m".into(),
            name: "m".into(),
            weight: w,
            score: Score::new(a, p),
            recommendations: vec![],
        };
        assert_eq!(
            weighted_percent(&[metric(3.0, 10.0, 10.0), metric(1.0, 0.0, 10.0)]),
            Some(75.0)
        );
        assert_eq!(
            weighted_percent(&[metric(3.0, 10.0, 10.0), metric(5.0, 0.0, 0.0)]),
            Some(100.0)
        );
        assert_eq!(weighted_percent(&[metric(1.0, 0.0, 0.0)]), None);
    }

    #[test]
    fn rejects_bad_definitions_naming_the_file() {
        let err = parse("i.toml", "id = \"x\"\nname = \"X\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("i.toml") && err.contains("description"),
            "{err}"
        );
        let err = parse(
            "i.toml",
            "id='x'\nname='X'\ndescription='d'\n[[metrics]]\nid='m'\nname='M'\nweight=0\nselect={ids=['a']}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("weight"), "{err}");
    }

    #[test]
    fn checks_name_only_shipped_initiatives_and_every_check_counts_somewhere() {
        let all = Initiatives::builtin().unwrap();
        let catalog = Catalog::builtin().unwrap();
        let ids: Vec<&str> = all.items().iter().map(|i| i.id.as_str()).collect();
        let membership = all.membership(&catalog);
        for check in catalog.checks() {
            for i in &check.meta.initiatives {
                assert!(
                    ids.contains(&i.as_str()),
                    "{} names unknown initiative {i}",
                    check.meta.id
                );
            }
            assert!(
                membership.contains_key(&check.meta.id),
                "{} is in no initiative",
                check.meta.id
            );
        }
    }

    #[test]
    fn shipped_initiatives_load() {
        let all = Initiatives::builtin().unwrap();
        let ids: Vec<_> = all.items().iter().map(|i| i.id.as_str()).collect();
        for id in [
            "saas-security",
            "cis-m365",
            "ransomware-protection",
            "identity-security",
            "business-email-compromise",
            "zero-trust",
        ] {
            assert!(ids.contains(&id), "missing initiative {id}: {ids:?}");
        }
    }
}
