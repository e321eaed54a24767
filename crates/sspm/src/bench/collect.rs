//! `sspm bench collect`: the collection benchmark.
//!
//! Serves a simulated tenant (100,000 users by default, the rest in proportion) on
//! 127.0.0.1 with a fixed delay per request, collects it once with the Microsoft 365
//! connector, and compares the wall time with a lower bound worked out from what was
//! actually requested:
//!
//! ```text
//! bound = max( latency × chain,                  sequential requests: no concurrency helps
//!              latency × ⌈requests / C⌉,         C requests in flight at most
//!              latency + (requests_api − 1) / R ) the rate limiter: R request starts per second per API
//! ```
//!
//! - `chain` is the longest sequence of requests that must follow one another: each
//!   page of a list comes from the link in the page before, the token comes before
//!   every call, and a per-object call (owners, members…) cannot start before the page
//!   of its parent list that names the object arrived. So chain = max over calls of
//!   (requests that had to finish before it could start + its own pages); for `/users`
//!   at 100,000 users and `$top=999` that is 1 token + 101 pages.
//! - Every request holds one of the C slots for at least `latency` (the simulator waits
//!   that long before answering), so N requests need ⌈N / C⌉ × latency.
//! - The rate limiter starts at most R requests per second per API.
//!
//! Each term is a lower bound on its own, so their maximum is. The simulator runs in
//! this process on its own threads (`sim-*`), so the peak memory includes the simulated
//! tenant; the report gives the resident memory before the collection for that reason,
//! and the CPU time of the connector's and the simulator's threads apart.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;
use sspm_connectors::config::Config;
use sspm_connectors::http::HttpOptions;
use sspm_connectors::m365::auth::Credential;
use sspm_connectors::m365::collect::CallTrace;
use sspm_connectors::m365::M365;
use sspm_connectors::Secret;
use sspm_sim::server::{instance_toml, SimOptions, SimServer, DEFAULT_CLIENT_SECRET};

use super::peak_rss_mib;
use crate::cli::{BenchCollectArgs, BenchFormat, SimProfile};
use crate::Outcome;

/// What `sspm bench collect` reports (`--format json` prints it as is).
#[derive(Debug, Serialize)]
pub struct CollectReport {
    pub tenant: TenantSize,
    pub latency_ms: f64,
    pub concurrency: usize,
    /// Request starts per second per API (0: no limit).
    pub rate_per_api: f64,
    /// Requests the connector sent (every attempt, tokens included).
    pub requests: u64,
    /// Requests the simulator received.
    pub sim_requests: u64,
    pub retries: u64,
    pub failed_calls: usize,
    pub resources: usize,
    pub wall_ms: f64,
    pub bound: Bound,
    /// wall / bound.
    pub ratio: f64,
    pub peak_rss_mib: f64,
    /// Resident memory with the tenant generated and the simulator up, before collecting.
    pub rss_before_collect_mib: f64,
    pub cpu: Cpu,
    pub slots: Slots,
    /// Per resource (per-object calls grouped by path template), slowest end first.
    pub calls: Vec<CallGroup>,
    /// Where the time goes, in words.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TenantSize {
    pub users: usize,
    pub groups: usize,
    pub applications: usize,
    pub service_principals: usize,
    pub role_assignments: usize,
    pub oauth2_grants: usize,
    pub generate_ms: f64,
}

/// The lower bound of the wall time and its terms (milliseconds).
#[derive(Debug, Serialize)]
pub struct Bound {
    pub formula: &'static str,
    pub ms: f64,
    /// Which term is the largest: chain, throughput or rate.
    pub binding: &'static str,
    /// Longest chain of sequential requests and the call at its end.
    pub chain_requests: u32,
    pub chain_call: String,
    pub chain_ms: f64,
    pub throughput_ms: f64,
    pub rate_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct Cpu {
    /// User + system CPU seconds of the connector's threads (main and `sspm-*`).
    pub connector_s: f64,
    /// Of the simulator's threads (`sim-*`): rendering pages, JSON, HTTP.
    pub simulator_s: f64,
    pub cores: usize,
}

#[derive(Debug, Serialize)]
pub struct Slots {
    /// Share of C × wall during which slots had a request in flight.
    pub busy_share: f64,
    /// Mean time a request was in flight (sent to answered), against `latency_ms`: the
    /// rest is loopback HTTP, the simulator's work and timer granularity.
    pub in_flight_mean_ms: f64,
    /// Summed time requests waited for a slot, and for the rate limiter (seconds).
    pub queued_s: f64,
    pub rate_limited_s: f64,
}

/// One resource, or one kind of per-object call.
#[derive(Debug, Serialize)]
pub struct CallGroup {
    pub call: String,
    pub calls: usize,
    pub pages: u64,
    pub items: usize,
    pub failed: usize,
    /// First request sent and last answer received (ms since the collection started).
    pub started_ms: f64,
    pub finished_ms: f64,
    /// The longest chain of this group: requests before it + its pages.
    pub chain: u32,
}

pub fn run(args: BenchCollectArgs) -> Result<Outcome> {
    let report = measure(&args)?;
    match args.format {
        BenchFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        BenchFormat::Text => print!("{}", text(&report)),
    }
    Ok(Outcome::Ok)
}

/// The benchmark tenant scaled to `users` (at least the small tenant's counts).
fn spec(args: &BenchCollectArgs) -> sspm_sim::M365Spec {
    let posture = match args.profile {
        SimProfile::Weak => sspm_sim::Posture::Weak,
        SimProfile::Hardened => sspm_sim::Posture::Hardened,
        SimProfile::Mixed => sspm_sim::Posture::Mixed,
    };
    let small = sspm_sim::M365Spec::small(posture);
    let bench = sspm_sim::M365Spec::bench();
    let scale = |n: usize, min: usize| (n * args.users / bench.users.max(1)).max(min);
    sspm_sim::M365Spec {
        users: args.users,
        groups: scale(bench.groups, small.groups),
        service_principals: scale(bench.service_principals, small.service_principals),
        role_assignments: scale(bench.role_assignments, small.role_assignments),
        ca_policies: scale(bench.ca_policies, small.ca_policies),
        seed: args.seed,
        posture,
        ..bench
    }
}

fn measure(args: &BenchCollectArgs) -> Result<CollectReport> {
    let spec = spec(args);
    let generated = Instant::now();
    let tenant = sspm_sim::M365Tenant::generate(&spec);
    let generate_ms = generated.elapsed().as_secs_f64() * 1000.0;
    let size = TenantSize {
        users: tenant.users.len(),
        groups: tenant.groups.len(),
        applications: tenant.applications.len(),
        service_principals: tenant.service_principals.len(),
        role_assignments: tenant.role_assignments.len(),
        oauth2_grants: tenant.oauth2_grants.len(),
        generate_ms,
    };
    let tenant_id = tenant.tenant_id.clone();
    let latency = Duration::from_millis(args.latency_ms);

    // The simulator on threads of its own, so that its CPU time can be told apart.
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sim-worker")
        .enable_all()
        .build()
        .context("cannot start the simulator's runtime")?;
    let server = sim_rt
        .block_on(SimServer::start(
            tenant,
            SimOptions {
                latency,
                ..SimOptions::default()
            },
            "127.0.0.1:0".parse().expect("a socket address"),
        ))
        .context("cannot start the simulator")?;
    let base = server.base_url();
    let config = Config::parse(
        &instance_toml("bench", &tenant_id, &base, "UNUSED"),
        Path::new("bench.toml"),
    )?;
    let defaults = HttpOptions::default();
    let options = HttpOptions {
        concurrency: args.concurrency.unwrap_or(defaults.concurrency).max(1),
        requests_per_second: args.rate.unwrap_or(defaults.requests_per_second),
        ..defaults
    };
    let (concurrency, rate) = (options.concurrency, options.requests_per_second);
    let connector = Arc::new(M365::with_options(
        &config.instances[0],
        Credential::Secret(Secret::new(DEFAULT_CLIENT_SECRET)),
        options,
    )?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("sspm-worker")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let rss_before = current_rss_mib(Path::new("/proc/self/status")).unwrap_or(0.0);
    let cpu_before = thread_cpu();
    let started = Instant::now();
    let snapshot = rt.block_on(connector.collect_raw())?;
    let wall = started.elapsed();
    if let Some(path) = &args.output {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        snapshot.write_json(&mut out)?;
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let sim_stats = server.stats();
    sim_rt.block_on(server.shutdown());
    let peak = peak_rss_mib(Path::new("/proc/self/status")).unwrap_or(0.0);
    let mut cpu = thread_cpu();
    cpu.connector_s -= cpu_before.connector_s;
    cpu.simulator_s -= cpu_before.simulator_s;
    drop(sim_rt);

    let http = connector.http().stats().snapshot();
    let traces = connector.traces();
    let latency_ms = latency.as_secs_f64() * 1000.0;
    let wall_ms = wall.as_secs_f64() * 1000.0;
    let bound = bound(&traces, http.requests, latency_ms, concurrency, rate);
    let calls = groups(&traces);
    let slots = Slots {
        busy_share: http.busy_us as f64 / 1000.0 / (concurrency as f64 * wall_ms).max(1.0),
        in_flight_mean_ms: http.busy_us as f64 / 1000.0 / http.requests.max(1) as f64,
        queued_s: http.queued_us as f64 / 1e6,
        rate_limited_s: http.limited_us as f64 / 1e6,
    };
    let mut report = CollectReport {
        tenant: size,
        latency_ms,
        concurrency,
        rate_per_api: rate,
        requests: http.requests,
        sim_requests: sim_stats.requests,
        retries: http.retries,
        failed_calls: snapshot.failures.len(),
        resources: snapshot.resources.len(),
        wall_ms,
        ratio: wall_ms / bound.ms.max(1e-9),
        bound,
        peak_rss_mib: peak,
        rss_before_collect_mib: rss_before,
        cpu,
        slots,
        calls,
        notes: Vec::new(),
    };
    drop(snapshot);
    report.notes = notes(&report);
    Ok(report)
}

/// The lower bound of the wall time; see the module documentation.
fn bound(
    traces: &[CallTrace],
    requests: u64,
    latency_ms: f64,
    concurrency: usize,
    rate: f64,
) -> Bound {
    let (chain_requests, chain_call) = traces
        .iter()
        .map(|t| (t.after + t.pages.max(1), t.key.as_str()))
        .max_by_key(|(n, _)| *n)
        .map(|(n, k)| (n, k.to_string()))
        .unwrap_or((1, "token".into()));
    let chain_ms = latency_ms * f64::from(chain_requests);
    let throughput_ms = latency_ms * (requests as f64 / concurrency as f64).ceil();
    // Requests per API, counted from the calls (a failed call sent at least one); the
    // token requests go to another API ("login") and are left out: fewer requests, a
    // smaller (still valid) bound.
    let mut per_api: BTreeMap<&str, u64> = BTreeMap::new();
    for t in traces {
        let api = if t.key.starts_with("exo:") {
            "exo"
        } else {
            "graph"
        };
        *per_api.entry(api).or_default() += u64::from(t.pages.max(1));
    }
    let rate_ms = if rate > 0.0 {
        per_api
            .values()
            .map(|n| latency_ms + (n.saturating_sub(1)) as f64 * 1000.0 / rate)
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let (ms, binding) = [
        (chain_ms, "chain"),
        (throughput_ms, "throughput"),
        (rate_ms, "rate"),
    ]
    .into_iter()
    .fold(
        (0.0, "chain"),
        |best, t| if t.0 > best.0 { t } else { best },
    );
    Bound {
        formula: "max(latency × longest chain of sequential requests, latency × ⌈requests / concurrency⌉, latency + (requests per API − 1) / rate)",
        ms,
        binding,
        chain_requests,
        chain_call,
        chain_ms,
        throughput_ms,
        rate_ms,
    }
}

/// Traces grouped per resource (per-object calls per template), slowest end first.
fn groups(traces: &[CallTrace]) -> Vec<CallGroup> {
    let mut by: BTreeMap<String, CallGroup> = BTreeMap::new();
    for t in traces {
        let name = match t.template {
            Some(template) => format!("graph:/v1.0{template}"),
            None => t.key.clone(),
        };
        let g = by.entry(name.clone()).or_insert_with(|| CallGroup {
            call: name,
            calls: 0,
            pages: 0,
            items: 0,
            failed: 0,
            started_ms: f64::MAX,
            finished_ms: 0.0,
            chain: 0,
        });
        g.calls += 1;
        g.pages += u64::from(t.pages);
        g.items += t.items;
        g.failed += usize::from(!t.ok);
        g.started_ms = g.started_ms.min(t.started_ms);
        g.finished_ms = g.finished_ms.max(t.finished_ms);
        g.chain = g.chain.max(t.after + t.pages.max(1));
    }
    let mut out: Vec<CallGroup> = by.into_values().collect();
    out.sort_by(|a, b| b.finished_ms.total_cmp(&a.finished_ms));
    out
}

/// Where the time goes, in a few sentences.
fn notes(r: &CollectReport) -> Vec<String> {
    let mut notes = Vec::new();
    let b = &r.bound;
    notes.push(match b.binding {
        "throughput" => format!(
            "Throughput-bound: {} requests through {} slots at {:.0} ms each is {:.2} s; the longest chain ({} sequential requests, {}) needs only {:.2} s.",
            r.requests, r.concurrency, r.latency_ms, b.throughput_ms / 1000.0, b.chain_requests, b.chain_call, b.chain_ms / 1000.0
        ),
        "rate" => format!(
            "Rate-bound: the limiter ({:.0} requests/s per API) needs {:.2} s for the Graph requests; more slots would not help (try --rate 0 to see the latency-bound time).",
            r.rate_per_api, b.rate_ms / 1000.0
        ),
        _ => format!(
            "Chain-bound: {} sequential requests ({}) at {:.0} ms each is {:.2} s; every other request fits beside that chain.",
            b.chain_requests, b.chain_call, r.latency_ms, b.chain_ms / 1000.0
        ),
    });
    let per_object: Vec<&CallGroup> = r.calls.iter().filter(|g| g.call.contains('{')).collect();
    let n: usize = per_object.iter().map(|g| g.calls).sum();
    if n > 0 {
        let start = per_object
            .iter()
            .map(|g| g.started_ms)
            .fold(f64::MAX, f64::min);
        let end = per_object.iter().map(|g| g.finished_ms).fold(0.0, f64::max);
        notes.push(format!(
            "{n} per-object calls ({:.0}% of the requests) ran from {:.2} s to {:.2} s, beside the long lists.",
            100.0 * n as f64 / r.requests.max(1) as f64,
            start / 1000.0,
            end / 1000.0
        ));
    }
    notes.push(format!(
        "Requests were in flight {:.0}% of {} slots × wall, {:.1} ms each on average for a {:.0} ms latency; they waited {:.1} s in total for a slot and {:.1} s (holding one) for the rate limiter.",
        100.0 * r.slots.busy_share, r.concurrency, r.slots.in_flight_mean_ms, r.latency_ms, r.slots.queued_s, r.slots.rate_limited_s
    ));
    notes.push(format!(
        "CPU: connector {:.2} s, simulator {:.2} s over {:.2} s of wall on {} cores.",
        r.cpu.connector_s,
        r.cpu.simulator_s,
        r.wall_ms / 1000.0,
        r.cpu.cores
    ));
    notes
}

fn text(r: &CollectReport) -> String {
    let t = &r.tenant;
    let b = &r.bound;
    let mut out = format!(
        "tenant: {} users, {} groups, {} applications, {} service principals, {} role assignments, {} grants (generated in {:.0} ms)\n",
        t.users, t.groups, t.applications, t.service_principals, t.role_assignments, t.oauth2_grants, t.generate_ms
    );
    out.push_str(&format!(
        "simulator: {:.0} ms per request; connector: {} requests in flight, {} requests/s per API\n\n",
        r.latency_ms,
        r.concurrency,
        if r.rate_per_api > 0.0 {
            format!("{:.0}", r.rate_per_api)
        } else {
            "unlimited".into()
        }
    ));
    out.push_str(&format!(
        "requests      {} (simulator saw {}; {} retries); {} resources, {} failed calls\n",
        r.requests, r.sim_requests, r.retries, r.resources, r.failed_calls
    ));
    out.push_str(&format!("wall          {:.2} s\n", r.wall_ms / 1000.0));
    out.push_str(&format!(
        "lower bound   {:.2} s ({} term) = {}:\n  chain       {} sequential requests × {:.0} ms = {:.2} s  (ends with {})\n  throughput  ⌈{} requests / {}⌉ × {:.0} ms = {:.2} s\n  rate        {:.2} s\n",
        b.ms / 1000.0,
        b.binding,
        b.formula,
        b.chain_requests,
        r.latency_ms,
        b.chain_ms / 1000.0,
        b.chain_call,
        r.requests,
        r.concurrency,
        r.latency_ms,
        b.throughput_ms / 1000.0,
        b.rate_ms / 1000.0
    ));
    out.push_str(&format!("ratio         {:.2} (wall / bound)\n", r.ratio));
    out.push_str(&format!(
        "peak memory   {:.0} MiB (VmHWM; {:.0} MiB resident before collecting: tenant and simulator)\n\n",
        r.peak_rss_mib, r.rss_before_collect_mib
    ));
    out.push_str(
        "calls (latest end first)          calls   pages    items  chain   start s    end s\n",
    );
    for g in r.calls.iter().take(15) {
        out.push_str(&format!(
            "  {:<31} {:>6} {:>7} {:>8} {:>6} {:>9.2} {:>8.2}{}\n",
            short(&g.call),
            g.calls,
            g.pages,
            g.items,
            g.chain,
            g.started_ms / 1000.0,
            g.finished_ms / 1000.0,
            if g.failed > 0 {
                format!("  ({} failed)", g.failed)
            } else {
                String::new()
            }
        ));
    }
    if r.calls.len() > 15 {
        out.push_str(&format!("  … {} more\n", r.calls.len() - 15));
    }
    out.push_str("\nwhere the time goes:\n");
    for n in &r.notes {
        out.push_str(&format!("  - {n}\n"));
    }
    out
}

/// A call's name shortened for the table.
fn short(call: &str) -> String {
    let s = call
        .trim_start_matches("graph:/v1.0")
        .replace("/roleManagement/directory/", "…/")
        .replace("/reports/authenticationMethods/", "…/");
    if s.chars().count() > 31 {
        let tail: String = s
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    } else {
        s
    }
}

/// Resident memory now, in MiB (Linux `VmRSS`).
fn current_rss_mib(status: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds of this process's threads: the simulator's (`sim-*`) and the rest.
/// Linux only (`/proc/self/task/*/stat`, 100 ticks per second); zeros elsewhere.
fn thread_cpu() -> Cpu {
    let mut cpu = Cpu {
        connector_s: 0.0,
        simulator_s: 0.0,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return cpu;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state …`: fields after the closing parenthesis, utime and stime
        // are the 12th and 13th.
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = fields
            .get(11..13)
            .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
            .unwrap_or(0.0);
        if head.contains("(sim-") {
            cpu.simulator_s += ticks / 100.0;
        } else {
            cpu.connector_s += ticks / 100.0;
        }
    }
    cpu
}
