//! The commands that read sspm's memory: `score`, `diff`, `recommendations`,
//! `show --instance`, `scans`, `audit`, and `state` (which writes decisions).

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sspm_engine::drift::{self, Drift, DriftSide};
use sspm_engine::Catalog;
use sspm_model::{RecommendationState, Score, Status};
use sspm_store::{DailyScore, ScanId, ScanRecord, StateChange, Store};

use crate::cli::{self, ReportFormat};
use crate::commands::{load_catalog, print, report};
use crate::stored::{self, runtime, Selection};
use crate::Outcome;

/// `87.5% (35 / 40)` or `–` when nothing is possible.
fn pct(score: &Score) -> String {
    match score.percent {
        Some(p) => format!("{p:.1}% ({} / {})", score.achieved, score.possible),
        None => "–".to_string(),
    }
}

fn json<T: Serialize>(value: &T) -> Result<()> {
    print(&(serde_json::to_string_pretty(value)? + "\n"))
}

/// A time as `2026-11-27 03:00`.
fn short(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

// ---------------------------------------------------------------------------------- score

#[derive(Serialize)]
struct InstanceScore {
    instance: String,
    app: String,
    recommendations: bool,
    score: Option<Score>,
    planned_score: Option<Score>,
    last_scan: Option<ScanRecord>,
    history: Vec<sspm_store::DailyScore>,
}

#[derive(Serialize)]
struct ScoreReport {
    score: Score,
    planned_score: Score,
    apps: Vec<sspm_model::AppScore>,
    instances: Vec<InstanceScore>,
    /// Overall score per day: each instance's latest point on or before the day.
    history: Vec<(NaiveDate, Score)>,
}

pub fn score(args: cli::ScoreArgs) -> Result<Outcome> {
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let report = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let selection = Selection {
            instances: args.instance.clone(),
            app: args.app.clone(),
        };
        let doc = stored::latest_document(&store, &catalog, &initiatives, &selection).await?;
        let mut instances = Vec::new();
        for instance in store.instances().await? {
            if (!args.instance.is_empty() && !args.instance.contains(&instance.name))
                || args.app.as_ref().is_some_and(|a| a != &instance.app)
            {
                continue;
            }
            let assessment = doc.assessments.iter().find(|a| a.instance == instance.name);
            let last_scan = store
                .scans(Some(&instance.name), 1)
                .await?
                .into_iter()
                .next();
            let history = match args.history {
                Some(days) if instance.recommendations => {
                    store.score_history(&instance.name, days).await?
                }
                _ => Vec::new(),
            };
            instances.push(InstanceScore {
                instance: instance.name.clone(),
                app: instance.app.clone(),
                recommendations: instance.recommendations,
                score: assessment.map(|a| a.score),
                planned_score: assessment.and_then(|a| a.planned_score),
                last_scan,
                history,
            });
        }
        Ok::<_, anyhow::Error>(ScoreReport {
            score: doc.score,
            planned_score: doc.planned_score.unwrap_or(doc.score),
            apps: doc.apps,
            history: args
                .history
                .map(|days| {
                    let histories: Vec<&[DailyScore]> =
                        instances.iter().map(|i| i.history.as_slice()).collect();
                    overall_history(&histories, days)
                })
                .unwrap_or_default(),
            instances,
        })
    })?;
    match args.format {
        ReportFormat::Json => json(&report)?,
        ReportFormat::Table => print(&score_table(&report, args.history))?,
    }
    Ok(Outcome::Ok)
}

/// The overall score per day over `days`: each instance's latest point on or before it.
/// The overall score on each of the last `days` days: the sum of each instance's latest
/// point on or before the day (days before any point are left out).
pub(crate) fn overall_history(histories: &[&[DailyScore]], days: u32) -> Vec<(NaiveDate, Score)> {
    let today = Utc::now().date_naive();
    let mut out = Vec::new();
    for back in (0..days).rev() {
        let Some(day) = today.checked_sub_days(chrono::Days::new(u64::from(back))) else {
            continue;
        };
        let points: Vec<Score> = histories
            .iter()
            .filter_map(|history| history.iter().rev().find(|p| p.day <= day).map(|p| p.score))
            .collect();
        if !points.is_empty() {
            out.push((day, Score::sum(&points)));
        }
    }
    out
}

/// `▁▃▅█` for a series of percentages.
fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(p) => BARS[((p / 100.0 * 7.0).round() as usize).min(7)],
            None => ' ',
        })
        .collect()
}

fn score_table(r: &ScoreReport, history: Option<u32>) -> String {
    let mut out = format!("Secure score   {}", pct(&r.score));
    if r.planned_score != r.score {
        out.push_str(&format!("   planned {}", pct(&r.planned_score)));
    }
    out.push_str("\n\n");
    out.push_str(&format!(
        "{:<24} {:<6} {:<26} {:<26} {}\n",
        "INSTANCE", "APP", "SCORE", "PLANNED", "LAST SCAN"
    ));
    for i in &r.instances {
        let score = match (&i.score, i.recommendations) {
            (_, false) => "recommendations off".to_string(),
            (Some(s), true) => pct(s),
            (None, true) => "not scanned yet".to_string(),
        };
        let planned = i.planned_score.as_ref().map(pct).unwrap_or_default();
        let last = i
            .last_scan
            .as_ref()
            .map(|s| format!("{} {} (scan {})", short(&s.started_at), s.status, s.id))
            .unwrap_or_else(|| "never".into());
        out.push_str(&format!(
            "{:<24} {:<6} {:<26} {:<26} {}\n",
            i.instance, i.app, score, planned, last
        ));
    }
    if let Some(days) = history {
        out.push_str(&format!(
            "\nTrend over {days} days (one bar per day with a scan):\n"
        ));
        for i in r.instances.iter().filter(|i| !i.history.is_empty()) {
            let values: Vec<Option<f64>> = i.history.iter().map(|p| p.score.percent).collect();
            let first = i
                .history
                .first()
                .map(|p| p.day.to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "  {:<24} {} {}  since {first}\n",
                i.instance,
                sparkline(&values),
                i.history.last().map(|p| pct(&p.score)).unwrap_or_default(),
            ));
        }
        if r.history.is_empty() {
            out.push_str("  no completed scans in that period\n");
        } else {
            out.push_str(&format!("\n{:<12} {}\n", "DAY", "OVERALL"));
            for (day, score) in &r.history {
                out.push_str(&format!("{:<12} {}\n", day.to_string(), pct(score)));
            }
        }
    }
    out
}

// ----------------------------------------------------------------------------------- diff

/// A scan given as an id or a date (`YYYY-MM-DD`: the last completed scan of that day).
async fn resolve_scan(
    store: &Store,
    instance: &str,
    spec: &str,
    completed: &[ScanRecord],
) -> Result<ScanId> {
    if let Ok(id) = spec.parse::<i64>() {
        let scan = store.scan(ScanId(id)).await?.with_context(|| {
            format!("no scan {id}; `sspm scans --instance {instance}` lists them")
        })?;
        if scan.instance != instance {
            bail!(
                "scan {id} is of instance `{}`, not `{instance}`",
                scan.instance
            );
        }
        if !scan.status.is_complete() {
            bail!(
                "scan {id} is {}: it has no results{}",
                scan.status,
                scan.error.map(|e| format!(" ({e})")).unwrap_or_default()
            );
        }
        return Ok(scan.id);
    }
    let day = NaiveDate::parse_from_str(spec, "%Y-%m-%d")
        .with_context(|| format!("`{spec}` is neither a scan id nor a date (YYYY-MM-DD)"))?;
    completed
        .iter()
        .find(|s| s.started_at.date_naive() <= day)
        .map(|s| s.id)
        .with_context(|| format!("instance `{instance}` has no completed scan on or before {day}"))
}

pub fn diff(args: cli::DiffArgs) -> Result<Outcome> {
    let catalog = Catalog::load(&args.catalog.policies.dirs)?;
    let drifts = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let instances: Vec<String> = match &args.instance {
            Some(name) => {
                if store.instance(name).await?.is_none() {
                    bail!(
                        "no instance `{name}` in the store; known: {}",
                        stored::names(&store.instances().await?)
                    );
                }
                vec![name.clone()]
            }
            None => store.instances().await?.into_iter().map(|i| i.name).collect(),
        };
        let mut drifts = Vec::new();
        for instance in instances {
            let (from, to) = match scan_pair(
                &store,
                &instance,
                args.from.as_deref(),
                args.to.as_deref(),
            )
            .await?
            {
                ScanPair::Found(from, to) => (from, to),
                _ if args.instance.is_none() => continue,
                ScanPair::NoCompletedScan => {
                    bail!("instance `{instance}` has no completed scan yet; run `sspm scan`")
                }
                ScanPair::OneCompletedScan => bail!(
                    "instance `{instance}` has one completed scan only; diff needs two (run `sspm scan` again)"
                ),
            };
            drifts.push(diff_scans(&store, &catalog, from, to).await?);
        }
        Ok::<_, anyhow::Error>(drifts)
    })?;
    match args.format {
        ReportFormat::Json => json(&drifts)?,
        ReportFormat::Table => {
            if drifts.is_empty() {
                print("No instance has two completed scans yet.\n")?;
            }
            for (i, d) in drifts.iter().enumerate() {
                if i > 0 {
                    print("\n")?;
                }
                print(&drift_text(d))?;
            }
        }
    }
    Ok(Outcome::Ok)
}

/// The two scans a diff of one instance compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanPair {
    /// From, to.
    Found(ScanId, ScanId),
    /// The instance has no completed scan (and neither side was given).
    NoCompletedScan,
    /// The instance has one completed scan only (and `from` was not given).
    OneCompletedScan,
}

/// The scans to compare on `instance`: `to` (a scan id or a date; by default the latest
/// completed scan) and `from` (by default the completed scan before `to`).
pub async fn scan_pair(
    store: &Store,
    instance: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<ScanPair> {
    let completed: Vec<ScanRecord> = store
        .scans(Some(instance), u32::MAX)
        .await?
        .into_iter()
        .filter(|s| s.status.is_complete())
        .collect();
    let to = match to {
        Some(spec) => resolve_scan(store, instance, spec, &completed).await?,
        None => match completed.first() {
            Some(s) => s.id,
            None => return Ok(ScanPair::NoCompletedScan),
        },
    };
    let from = match from {
        Some(spec) => resolve_scan(store, instance, spec, &completed).await?,
        None => match completed.iter().find(|s| s.id < to) {
            Some(s) => s.id,
            None => return Ok(ScanPair::OneCompletedScan),
        },
    };
    Ok(ScanPair::Found(from, to))
}

/// The drift between two stored scans (measured results: states are people's decisions,
/// not changes in the tenant). Snapshots are read only when some recommendation changed.
pub async fn diff_scans(
    store: &Store,
    catalog: &Catalog,
    from: ScanId,
    to: ScanId,
) -> Result<Drift> {
    let load = |id: ScanId| async move {
        store
            .scan_assessment(id)
            .await?
            .with_context(|| format!("scan {id} has no assessment"))
    };
    let (a, b) = (load(from).await?, load(to).await?);
    let label = |s: &ScanRecord| format!("{} scan {} ({})", s.instance, s.id, short(&s.started_at));
    fn side<'a>(s: &'a sspm_store::StoredAssessment, label: String) -> DriftSide<'a> {
        DriftSide {
            label,
            score: s.assessment.score,
            results: &s.assessment.results,
            snapshot: None,
        }
    }
    let (la, lb) = (label(&a.scan), label(&b.scan));
    let drift = drift::drift(catalog, &side(&a, la.clone()), &side(&b, lb.clone()));
    if drift.changes.is_empty() {
        return Ok(drift);
    }
    let (sa, sb) = (
        store.scan_snapshot(from).await?,
        store.scan_snapshot(to).await?,
    );
    Ok(drift::drift(
        catalog,
        &DriftSide {
            snapshot: sa.as_ref(),
            ..side(&a, la)
        },
        &DriftSide {
            snapshot: sb.as_ref(),
            ..side(&b, lb)
        },
    ))
}

/// Value changes shown per snapshot key in the table output.
const TEXT_CHANGES_PER_KEY: usize = 8;

fn value_text(v: &Option<serde_json::Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 100 {
                format!("{}…", text.chars().take(100).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn drift_text(d: &Drift) -> String {
    let mut out = format!("{} → {}\n", d.from, d.to);
    out.push_str(&format!(
        "Score {} → {} ({:+} points{})\n",
        pct(&d.score_from),
        pct(&d.score_to),
        d.points_delta,
        d.percent_delta
            .map(|p| format!(", {p:+.1} percentage points"))
            .unwrap_or_default()
    ));
    if d.changes.is_empty() {
        out.push_str("No recommendation changed.\n");
        return out;
    }
    let mut by_kind: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for c in &d.changes {
        by_kind.entry(c.kind).or_default().push(c);
    }
    for (kind, changes) in by_kind {
        out.push_str(&format!(
            "\n{} ({}):\n",
            kind.as_str().replace('_', " "),
            changes.len()
        ));
        for c in changes {
            let status = |s: Option<Status>| s.map_or("-", Status::as_str);
            out.push_str(&format!(
                "  {} [{}] {} → {}, {} → {} points  {}\n",
                c.id,
                c.severity.as_str(),
                status(c.status_from),
                status(c.status_to),
                c.points_from,
                c.points_to,
                c.title
            ));
            out.push_str(&format!("    ↳ {}\n", c.reason));
            for key in &c.config {
                out.push_str(&format!("    {}\n", key.key));
                for v in key.changes.iter().take(TEXT_CHANGES_PER_KEY) {
                    let object = v
                        .object
                        .as_deref()
                        .map(|o| format!(" ({o})"))
                        .unwrap_or_default();
                    let path = if v.path.is_empty() {
                        "(whole value)"
                    } else {
                        &v.path
                    };
                    out.push_str(&format!(
                        "      {path}{object}: {} → {}\n",
                        value_text(&v.from),
                        value_text(&v.to)
                    ));
                }
                let more = key.omitted + key.changes.len().saturating_sub(TEXT_CHANGES_PER_KEY);
                if more > 0 {
                    out.push_str(&format!(
                        "      … and {more} more changes (--format json lists up to {} per key)\n",
                        drift::MAX_CHANGES_PER_KEY
                    ));
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------------ recommendations

pub fn recommendations(args: cli::RecommendationsArgs) -> Result<Outcome> {
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    if let Some(id) = &args.initiative {
        if !initiatives.items().iter().any(|i| &i.id == id) {
            bail!(
                "no initiative `{id}`; known: {}",
                initiatives
                    .items()
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let mut doc = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let selection = Selection {
            instances: args.instance.clone(),
            app: args.app.clone(),
        };
        let doc = stored::latest_document(&store, &catalog, &initiatives, &selection).await?;
        Ok::<_, anyhow::Error>(doc)
    })?;
    if doc.assessments.is_empty() {
        bail!(
            "no completed scan in the store for that selection: run `sspm scan` (or `sspm demo`)"
        );
    }
    for a in &mut doc.assessments {
        a.results.retain(|r| {
            (args.status.is_empty() || args.status.contains(&r.status))
                && args.severity.is_none_or(|s| r.severity >= s)
                && args
                    .initiative
                    .as_ref()
                    .is_none_or(|i| r.initiatives.contains(i))
        });
    }
    report(&doc, &catalog, args.format, args.color, None)
}

// -------------------------------------------------------------------- show CHECK --instance

/// The latest result of `check` on `instance`, as text under the check's detail.
pub fn show_instance(store: Option<&str>, check: &str, instance: &str) -> Result<String> {
    runtime()?.block_on(async {
        let store = stored::open(store, None).await?;
        if store.instance(instance).await?.is_none() {
            bail!(
                "no instance `{instance}` in the store; known: {}",
                stored::names(&store.instances().await?)
            );
        }
        let Some(latest) = store.latest_assessment(instance).await? else {
            bail!("instance `{instance}` has no completed scan yet; run `sspm scan --instance {instance}`");
        };
        let scan = latest.scan.clone();
        let assessment = stored::with_states(&store, latest, Utc::now()).await?;
        let Some(r) = assessment.results.iter().find(|r| r.id == check) else {
            bail!("scan {} of `{instance}` has no result for {check} (a check of another app?)", scan.id);
        };
        let mut out = format!(
            "\nOn {instance} (scan {}, {}):\n  Status   {}\n  Points   {} of {}\n  Rank     {} of {}\n",
            scan.id,
            short(&scan.started_at),
            r.status,
            r.points,
            r.max_points,
            r.rank,
            assessment.results.len()
        );
        if let (Some(c), Some(t)) = (r.compliant, r.total) {
            out.push_str(&format!("  Compliant {c} of {t}\n"));
        }
        if let Some(s) = &r.state {
            out.push_str(&format!(
                "  State    {} (by {} on {}{}): {}\n",
                s.state,
                s.set_by,
                s.set_at,
                s.until.as_deref().map(|u| format!(", until {u}")).unwrap_or_default(),
                s.reason
            ));
        }
        out.push_str(&format!("  Reason   {}\n", r.reason));
        if !r.offenders.is_empty() {
            out.push_str(&format!("  Offenders ({}):\n", r.offenders.len()));
            for o in &r.offenders {
                out.push_str(&format!("    - {} {} ({})\n", o.kind, o.name, o.id));
            }
        }
        Ok(out)
    })
}

// ---------------------------------------------------------------------------------- scans

pub fn scans(args: cli::ScansArgs) -> Result<Outcome> {
    let scans = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        Ok::<_, anyhow::Error>(store.scans(args.instance.as_deref(), args.limit).await?)
    })?;
    match args.format {
        ReportFormat::Json => json(&scans)?,
        ReportFormat::Table => {
            let mut out = format!(
                "{:>6}  {:<20} {:<10} {:<17} {:<22} {:>7} {:>9}  {}\n",
                "SCAN", "INSTANCE", "STATUS", "STARTED", "SCORE", "FAILING", "DURATION", "ERROR"
            );
            for s in &scans {
                let duration = s
                    .finished_at
                    .map(|f| {
                        format!(
                            "{:.1} s",
                            (f - s.started_at).num_milliseconds() as f64 / 1000.0
                        )
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{:>6}  {:<20} {:<10} {:<17} {:<22} {:>7} {:>9}  {}\n",
                    s.id.to_string(),
                    s.instance,
                    s.status.as_str(),
                    short(&s.started_at),
                    s.score.as_ref().map(pct).unwrap_or_default(),
                    s.counts.failed,
                    duration,
                    s.error.as_deref().unwrap_or("")
                ));
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

// ---------------------------------------------------------------------------------- audit

pub fn audit(args: cli::AuditArgs) -> Result<Outcome> {
    let entries = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        Ok::<_, anyhow::Error>(
            store
                .audit_log(args.instance.as_deref(), args.limit)
                .await?,
        )
    })?;
    match args.format {
        ReportFormat::Json => json(&entries)?,
        ReportFormat::Table => {
            let mut out = String::new();
            for e in &entries {
                out.push_str(&format!(
                    "{}  {:<28} {:<18} {}  {}\n",
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.actor,
                    e.action,
                    e.target,
                    e.details
                ));
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

// ---------------------------------------------------------------------------------- state

/// `--until`: a date (through that day, UTC) or an RFC 3339 time, in the future.
pub fn parse_until(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let until = if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        day.succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .with_context(|| format!("--until {text}: the day after it is out of range"))?
    } else {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .with_context(|| {
                format!("--until `{text}` is neither a date (2027-01-31) nor an RFC 3339 time (2027-01-31T18:00:00Z)")
            })?
    };
    if until <= now {
        bail!("--until {text} is in the past; a state must apply for some time");
    }
    Ok(until)
}

pub fn state_set(args: cli::StateSetArgs) -> Result<Outcome> {
    let catalog = Catalog::load(&[])?;
    let now = Utc::now();
    let until = args
        .until
        .as_deref()
        .map(|u| parse_until(u, now))
        .transpose()?;
    let reason = args.reason.clone().unwrap_or_default();
    if args.state != RecommendationState::Default && reason.trim().is_empty() {
        bail!(
            "--reason is required to set {}: say why (it goes to the audit log)",
            args.state
        );
    }
    let text = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        check_target(&store, &catalog, &args.instance, &args.check).await?;
        let change = StateChange {
            state: args.state,
            reason,
            until,
            set_by: stored::actor(),
        };
        store
            .set_state(&args.instance, &args.check, &change)
            .await?;
        score_line(&store, &args.instance).await
    })?;
    let what = match args.state {
        RecommendationState::Default => {
            format!("{} on {}: state cleared", args.check, args.instance)
        }
        s => format!(
            "{} on {}: {s}{}",
            args.check,
            args.instance,
            until
                .map(|u| format!(" until {}", u.to_rfc3339()))
                .unwrap_or_default()
        ),
    };
    print(&format!("{what}\n{text}"))?;
    Ok(Outcome::Ok)
}

pub fn state_clear(args: cli::StateClearArgs) -> Result<Outcome> {
    state_set(cli::StateSetArgs {
        check: args.check,
        instance: args.instance,
        state: RecommendationState::Default,
        reason: Some("cleared".into()),
        until: None,
        store: args.store,
    })
}

/// The instance exists and the check is one of its app's.
async fn check_target(store: &Store, catalog: &Catalog, instance: &str, check: &str) -> Result<()> {
    let Some(stored) = store.instance(instance).await? else {
        bail!(
            "no instance `{instance}` in the store; known: {}",
            stored::names(&store.instances().await?)
        );
    };
    match catalog.get(check) {
        Some(c) if c.meta.app() == stored.app => Ok(()),
        Some(c) => bail!(
            "{check} is a check of {}, but `{instance}` is a {} instance",
            c.meta.app(),
            stored.app
        ),
        None => bail!(
            "no check with id `{check}`; `sspm checks --app {}` lists them",
            stored.app
        ),
    }
}

/// `Score now 41.2% (…), planned 55.0% (…)` for the instance's latest assessment.
async fn score_line(store: &Store, instance: &str) -> Result<String> {
    let Some(latest) = store.latest_assessment(instance).await? else {
        return Ok("The state applies from the instance's first scan.\n".into());
    };
    let a = stored::with_states(store, latest, Utc::now()).await?;
    Ok(format!(
        "Score of {instance} now {}, planned {}\n",
        pct(&a.score),
        a.planned_score.as_ref().map(pct).unwrap_or_default()
    ))
}

pub fn state_list(args: cli::StateListArgs) -> Result<Outcome> {
    let states = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        Ok::<_, anyhow::Error>(store.states(args.instance.as_deref()).await?)
    })?;
    match args.format {
        ReportFormat::Json => json(&states)?,
        ReportFormat::Table => {
            let now = Utc::now();
            let mut out = String::new();
            for s in &states {
                out.push_str(&format!(
                    "{:<20} {:<50} {:<22} {:<8} {} by {} on {}{}\n",
                    s.instance,
                    s.check_id,
                    s.state.as_str(),
                    if s.in_effect(now) {
                        "active"
                    } else {
                        "expired"
                    },
                    s.reason,
                    s.set_by,
                    short(&s.set_at),
                    s.until
                        .map(|u| format!(", until {}", short(&u)))
                        .unwrap_or_default()
                ));
            }
            if states.is_empty() {
                out.push_str("No recommendation states set.\n");
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_is_a_future_date_through_that_day_or_a_time() {
        let now = "2026-11-27T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            parse_until("2027-01-31", now).unwrap().to_rfc3339(),
            "2027-02-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_until("2026-11-27T18:00:00+01:00", now)
                .unwrap()
                .to_rfc3339(),
            "2026-11-27T17:00:00+00:00"
        );
        let past = parse_until("2026-11-26", now).unwrap_err().to_string();
        assert!(past.contains("in the past"), "{past}");
        let bad = parse_until("next week", now).unwrap_err().to_string();
        assert!(bad.contains("neither a date"), "{bad}");
    }

    #[test]
    fn sparkline_maps_percentages_to_bars() {
        assert_eq!(
            sparkline(&[Some(0.0), Some(50.0), Some(100.0), None]),
            "▁▅█ "
        );
    }

    #[test]
    fn overall_history_carries_each_instance_forward() {
        let today = Utc::now().date_naive();
        let yesterday = today.pred_opt().unwrap();
        let point = |d: NaiveDate, a: f64| sspm_store::DailyScore {
            day: d,
            score: Score::new(a, 10.0),
            scan: ScanId(1),
        };
        let a = vec![point(yesterday, 5.0)];
        let b = vec![point(yesterday, 1.0), point(today, 9.0)];
        let h = overall_history(&[&a, &b], 3);
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!(h[0], (yesterday, Score::new(6.0, 20.0)));
        assert_eq!(h[1], (today, Score::new(14.0, 20.0)));
    }
}
