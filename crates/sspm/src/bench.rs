//! `sspm bench assess`: the assessment benchmark; `sspm bench collect` ([`collect`]):
//! the collection benchmark; `sspm bench store` ([`store`]): the store benchmark;
//! `sspm bench serve` ([`serve`]): the web server benchmark.
//!
//! The parent generates a large simulated Microsoft 365 snapshot into a file and runs
//! `sspm bench assess-run FILE` as a child per measured run, so that the child's peak
//! memory (`VmHWM`) covers reading, parsing and evaluating only.

mod collect;
mod serve;
mod store;

use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use sspm_engine::{AssessOptions, Catalog, Evaluator, LoadedSnapshot, SnapshotText};

use crate::cli::{BenchAssessArgs, BenchCommand, BenchRunArgs};
use crate::Outcome;

/// What one measured child run reports on stdout.
#[derive(Debug, Serialize, Deserialize)]
struct RunReport {
    bytes: u64,
    read_ms: f64,
    parse_ms: f64,
    eval_ms: f64,
    total_ms: f64,
    peak_rss_mib: f64,
    checks: Vec<(String, f64)>,
    statuses: Vec<(String, String)>,
}

pub fn run(cmd: BenchCommand) -> Result<Outcome> {
    match cmd {
        BenchCommand::Assess(args) => assess(args),
        BenchCommand::AssessRun(args) => assess_run(args),
        BenchCommand::Collect(args) => collect::run(args),
        BenchCommand::Store(args) => store::run(args),
        BenchCommand::Serve(args) => serve::run(args),
    }
}

fn assess(args: BenchAssessArgs) -> Result<Outcome> {
    let spec = sspm_sim::M365Spec {
        users: args.users,
        groups: args.groups,
        service_principals: args.service_principals,
        ca_policies: args.ca_policies,
        role_assignments: args.role_assignments,
        ..sspm_sim::M365Spec::bench()
    };
    let started = Instant::now();
    let json = sspm_sim::generate_m365_json(&spec);
    let gen_ms = started.elapsed().as_secs_f64() * 1000.0;
    let tmp;
    let path = match &args.keep {
        Some(p) => p.as_path(),
        None => {
            tmp = std::env::temp_dir().join(format!("sspm-bench-{}.json", std::process::id()));
            tmp.as_path()
        }
    };
    std::fs::write(path, &json).with_context(|| format!("cannot write {}", path.display()))?;
    drop(json);
    println!(
        "generated {} users, {} groups, {} service principals, {} CA policies, {} role assignments in {gen_ms:.0} ms",
        spec.users, spec.groups, spec.service_principals, spec.ca_policies, spec.role_assignments
    );
    let exe = std::env::current_exe().context("cannot locate the sspm executable")?;
    let run_child = || -> Result<RunReport> {
        let out = Process::new(&exe)
            .args(["bench", "assess-run"])
            .arg(path)
            .output()
            .context("cannot run the benchmark child")?;
        if !out.status.success() {
            bail!(
                "benchmark child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        serde_json::from_slice(&out.stdout).context("benchmark child printed no report")
    };
    for _ in 0..args.warmup {
        run_child()?;
    }
    let mut reports = Vec::new();
    for i in 0..args.runs.max(1) {
        let report = run_child()?;
        println!(
            "run {}: read {:.0} ms, parse {:.0} ms, evaluate {:.0} ms, total {:.0} ms, peak memory {:.0} MiB",
            i + 1,
            report.read_ms,
            report.parse_ms,
            report.eval_ms,
            report.total_ms,
            report.peak_rss_mib
        );
        reports.push(report);
    }
    if args.keep.is_none() {
        let _ = std::fs::remove_file(path);
    }
    reports.sort_by(|a, b| a.total_ms.total_cmp(&b.total_ms));
    let median = &reports[reports.len() / 2];
    println!(
        "\nsnapshot {:.1} MiB; median total {:.0} ms (parse {:.0} + evaluate {:.0}), best {:.0} ms; peak memory {:.0} MiB",
        median.bytes as f64 / 1048576.0,
        median.total_ms,
        median.parse_ms,
        median.eval_ms,
        reports[0].total_ms,
        reports.iter().map(|r| r.peak_rss_mib).fold(0.0, f64::max)
    );
    let mut slowest = median.checks.clone();
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("slowest checks (median run):");
    for (id, ms) in slowest.iter().take(5) {
        println!("  {ms:>8.1} ms  {id}");
    }
    println!("statuses:");
    for (id, status) in &median.statuses {
        println!("  {status:<15} {id}");
    }
    Ok(Outcome::Ok)
}

fn assess_run(args: BenchRunArgs) -> Result<Outcome> {
    let catalog = Catalog::load(&args.policies.dirs)?;
    let evaluator = Evaluator::new(&catalog, AssessOptions::default())?;
    let started = Instant::now();
    let text = SnapshotText::open(&args.snapshot)?;
    let read_ms = started.elapsed().as_secs_f64() * 1000.0;
    let parsed = Instant::now();
    let snapshot = LoadedSnapshot::from_json_keeping(
        &args.snapshot.display().to_string(),
        &text,
        Some(&catalog.resource_keys()),
    )?;
    let bytes = text.len() as u64;
    drop(text);
    let parse_ms = parsed.elapsed().as_secs_f64() * 1000.0;
    let evaluated = Instant::now();
    let (assessment, timings) = evaluator.assess_timed(&snapshot)?;
    let eval_ms = evaluated.elapsed().as_secs_f64() * 1000.0;
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let report = RunReport {
        bytes,
        read_ms,
        parse_ms,
        eval_ms,
        total_ms,
        peak_rss_mib: peak_rss_mib(Path::new("/proc/self/status")).unwrap_or(0.0),
        checks: timings
            .into_iter()
            .map(|t| (t.id, t.duration.as_secs_f64() * 1000.0))
            .collect(),
        statuses: assessment
            .results
            .iter()
            .map(|r| (r.id.clone(), r.status.to_string()))
            .collect(),
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(Outcome::Ok)
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
fn peak_rss_mib(status: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
