//! Scans into the store: collect instances concurrently with the real connector, assess
//! each snapshot, and write each scan in one transaction.
//!
//! A scan is begun in the store before collection starts, so a process killed while
//! collecting or writing leaves a `running` scan that the next start marks `failed`
//! (`Store::recover`); the previous assessment stays the latest.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;
use sspm_connectors::m365::{Progress, M365};
use sspm_engine::{AssessOptions, Catalog, Evaluator, LoadedSnapshot};
use sspm_model::{Assessment, Score, Snapshot};
use sspm_store::{ScanId, ScanRecord, ScanTimings, Store};

use crate::connect::{bars, collect_with, futures_join, write_snapshot};

/// One instance to scan: its connector, or why none could be made (no credential …).
pub struct Target {
    /// The instance as the connectors see it.
    pub instance: sspm_connectors::Instance,
    /// Its connector.
    pub connector: Result<Arc<M365>>,
}

/// How one instance's scan ended.
pub struct Scanned {
    /// The instance.
    pub instance: String,
    /// The stored scan, or why it failed (the scan is stored as `failed` with that reason).
    pub outcome: Result<ScanRecord>,
}

/// Makes the target of a stored instance: its connector with its credential.
pub async fn target(store: &Store, stored: &sspm_store::Instance) -> Result<Target> {
    let instance = crate::stored::connector_instance(stored)?;
    let connector = match crate::stored::credential(store, &instance).await {
        Ok(credential) => M365::with_credential(&instance, credential)
            .map(Arc::new)
            .map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    Ok(Target {
        instance,
        connector,
    })
}

/// Where a running scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Begun, waiting for its turn.
    Queued,
    /// Calling the vendor's APIs.
    Collecting,
    /// Evaluating the checks.
    Assessing,
    /// Writing the scan to the store.
    Writing,
}

/// The progress of a running scan.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanProgress {
    /// Where it is.
    pub phase: Phase,
    /// API calls planned so far (grows as pages are discovered).
    pub calls_planned: u64,
    /// API calls done.
    pub calls_done: u64,
    /// API calls that failed.
    pub calls_failed: u64,
}

/// A running scan's phase and its connector's call counters.
type Live = (Phase, Option<Arc<Progress>>);

/// The progress of the scans this process runs, by scan id (`sspm serve`).
#[derive(Default)]
pub struct ProgressBoard {
    live: Mutex<HashMap<ScanId, Live>>,
}

impl ProgressBoard {
    fn set(&self, scan: ScanId, phase: Phase, calls: Option<Arc<Progress>>) {
        if let Ok(mut live) = self.live.lock() {
            let entry = live.entry(scan).or_insert((phase, None));
            entry.0 = phase;
            if calls.is_some() {
                entry.1 = calls;
            }
        }
    }

    fn remove(&self, scan: ScanId) {
        if let Ok(mut live) = self.live.lock() {
            live.remove(&scan);
        }
    }

    /// The progress of `scan`, if this process is running it.
    pub fn get(&self, scan: ScanId) -> Option<ScanProgress> {
        let live = self.live.lock().ok()?;
        let (phase, calls) = live.get(&scan)?;
        let count = |f: fn(&Progress) -> u64| calls.as_deref().map(f).unwrap_or(0);
        Some(ScanProgress {
            phase: *phase,
            calls_planned: count(|p| p.planned.load(Ordering::Relaxed)),
            calls_done: count(|p| p.done.load(Ordering::Relaxed)),
            calls_failed: count(|p| p.failed.load(Ordering::Relaxed)),
        })
    }
}

/// Scans `targets` concurrently and writes each scan to the store. Instances whose
/// recommendations are off are collected and stored without results.
pub async fn scan_all(
    store: &Store,
    catalog: &Catalog,
    targets: Vec<Target>,
    save_snapshots: Option<&Path>,
) -> Result<Vec<Scanned>> {
    let begun = begin_all(store, &targets).await?;
    run_begun(store, catalog, targets, begun, save_snapshots, None).await
}

/// Begins a scan of each target in the store (status `running`), in order.
pub async fn begin_all(store: &Store, targets: &[Target]) -> Result<Vec<ScanId>> {
    let mut begun: Vec<ScanId> = Vec::with_capacity(targets.len());
    for target in targets {
        begun.push(store.begin_scan(&target.instance.name).await?);
    }
    Ok(begun)
}

/// Runs scans begun with [`begin_all`] (`begun[i]` is the scan of `targets[i]`),
/// reporting their progress on `board` when given.
pub async fn run_begun(
    store: &Store,
    catalog: &Catalog,
    targets: Vec<Target>,
    begun: Vec<ScanId>,
    save_snapshots: Option<&Path>,
    board: Option<&ProgressBoard>,
) -> Result<Vec<Scanned>> {
    let phase = |scan: ScanId, phase: Phase, calls: Option<Arc<Progress>>| {
        if let Some(board) = board {
            board.set(scan, phase, calls);
        }
    };
    for (target, scan) in targets.iter().zip(&begun) {
        let calls = target.connector.as_ref().ok().map(|c| c.progress());
        phase(*scan, Phase::Collecting, calls);
    }
    let bars = bars();
    let collections = futures_join(targets.iter().map(|target| {
        let bars = &bars;
        async move {
            let started = Instant::now();
            let snapshot = match &target.connector {
                Ok(connector) => collect_with(Arc::clone(connector), &target.instance, bars).await,
                Err(e) => Err(anyhow::anyhow!("{e:#}")),
            };
            (snapshot, started.elapsed())
        }
    }))
    .await;
    let evaluator = Evaluator::new(catalog, AssessOptions::default())?;
    let keys = catalog.resource_keys();
    let mut out = Vec::with_capacity(targets.len());
    for ((target, scan), (snapshot, collect_time)) in targets.iter().zip(begun).zip(collections) {
        let name = &target.instance.name;
        let outcome = match snapshot {
            Err(e) => Err(e),
            Ok(raw) => {
                if let Some(dir) = save_snapshots {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    write_snapshot(&raw, &dir.join(format!("{name}.json")))?;
                }
                let text = raw.to_json();
                drop(raw);
                phase(scan, Phase::Assessing, None);
                let assess_started = Instant::now();
                match assess(&evaluator, &keys, &target.instance, &text) {
                    Err(e) => Err(e),
                    Ok((snapshot, assessment)) => {
                        phase(scan, Phase::Writing, None);
                        let timings = ScanTimings {
                            collect: Some(collect_time),
                            assess: Some(assess_started.elapsed()),
                        };
                        store
                            .complete_scan(scan, &snapshot, &assessment, timings)
                            .await
                            .map_err(anyhow::Error::from)
                    }
                }
            }
        };
        let outcome = match outcome {
            Ok(record) => Ok(record),
            Err(e) => {
                let reason = format!("{e:#}");
                store.fail_scan(scan, &reason).await?;
                Err(e)
            }
        };
        if let Some(board) = board {
            board.remove(scan);
        }
        out.push(Scanned {
            instance: name.clone(),
            outcome,
        });
    }
    Ok(out)
}

/// Parses a collected snapshot and assesses it (no results when recommendations are off).
fn assess(
    evaluator: &Evaluator<'_>,
    keys: &std::collections::BTreeSet<String>,
    instance: &sspm_connectors::Instance,
    text: &str,
) -> Result<(Snapshot, Assessment)> {
    let snapshot: Snapshot = serde_json::from_str(text)
        .with_context(|| format!("instance `{}`: the collected snapshot", instance.name))?;
    let assessment = if instance.recommendations {
        let loaded = LoadedSnapshot::from_json_keeping(&instance.name, text, Some(keys))?;
        evaluator.assess(&loaded)?
    } else {
        Assessment {
            app: snapshot.app.clone(),
            instance: snapshot.instance.clone(),
            tenant: snapshot.tenant.clone(),
            collected_at: snapshot.collected_at.clone(),
            assessed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            score: Score::empty(),
            planned_score: None,
            results: Vec::new(),
        }
    };
    Ok((snapshot, assessment))
}

/// One line per scan on stderr; the error when every scan failed, or a summary error when
/// some did (after the results of the others are printed by the caller).
pub fn summarize(scanned: &[Scanned]) -> Option<anyhow::Error> {
    let mut failed = Vec::new();
    for s in scanned {
        match &s.outcome {
            Ok(r) => eprintln!(
                "{}: scan {} {} ({} results, {} failed calls)",
                s.instance, r.id, r.status, r.counts.results, r.counts.failures
            ),
            Err(e) => {
                eprintln!("{}: scan failed: {e:#}", s.instance);
                failed.push(s.instance.clone());
            }
        }
    }
    (!failed.is_empty()).then(|| {
        anyhow::anyhow!(
            "the scan of {} failed (see above); `sspm scans` lists scans and their errors",
            failed.join(", ")
        )
    })
}
