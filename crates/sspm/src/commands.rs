//! One function per subcommand; they load what they need and print to stdout.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use sspm_engine::policy_test::{self, Scope, TestOutcome};
use sspm_engine::{AssessOptions, Catalog, Initiatives, LoadedSnapshot};
use sspm_model::{Severity, Status};
use sspm_report::{Format, RenderOptions};

use crate::cli::{self, Cli, ColorChoice, Command, PolicyCommand};
use crate::{bench, connect, demo, history, instances, Outcome};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Assess(args) => assess(args),
        Command::Checks(args) => checks(args),
        Command::Show(args) => show(args),
        Command::Policy(PolicyCommand::Test(args)) => policy_test(args),
        Command::Initiatives(args) => initiatives(args),
        Command::Bench(cmd) => bench::run(cmd),
        Command::Collect(args) => connect::collect(args),
        Command::Scan(args) => connect::scan(args),
        Command::Permissions(args) => connect::permissions(args),
        Command::Doctor(args) => connect::doctor(args),
        Command::Sim(cli::SimCommand::M365(args)) => connect::sim_m365(args),
        Command::Demo(args) => demo::run(args),
        Command::Instance(cmd) => instances::run(cmd),
        Command::State(cli::StateCommand::Set(args)) => history::state_set(args),
        Command::State(cli::StateCommand::Clear(args)) => history::state_clear(args),
        Command::State(cli::StateCommand::List(args)) => history::state_list(args),
        Command::Score(args) => history::score(args),
        Command::Diff(args) => history::diff(args),
        Command::Recommendations(args) => history::recommendations(args),
        Command::Scans(args) => history::scans(args),
        Command::Audit(args) => history::audit(args),
        Command::Serve(args) => crate::serving::serve(args),
        Command::Token(cmd) => crate::tokens::run(cmd),
    }
}

/// Loads the catalog (built-in + user directories) and the initiatives.
pub(crate) fn load_catalog(args: &cli::CatalogArgs) -> Result<(Catalog, Initiatives)> {
    let catalog = Catalog::load(&args.policies.dirs)?;
    let initiatives = Initiatives::load(&args.initiatives)?;
    Ok((catalog, initiatives))
}

/// Reads snapshots, converting only the resources the catalog's checks read.
fn load_snapshots(paths: &[PathBuf], catalog: &Catalog) -> Result<Vec<LoadedSnapshot>> {
    let keys = catalog.resource_keys();
    paths
        .iter()
        .map(|path| LoadedSnapshot::from_file(path, Some(&keys)).map_err(Into::into))
        .collect()
}

fn render_options(color: ColorChoice) -> RenderOptions {
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    RenderOptions {
        color,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Writes to stdout; a closed pipe (e.g. `| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

fn assess(args: cli::AssessArgs) -> Result<Outcome> {
    if !(args.check_timeout.is_finite() && args.check_timeout > 0.0) {
        bail!("--check-timeout must be a positive number of seconds");
    }
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let snapshots = load_snapshots(&args.snapshots, &catalog)?;
    let mut options = AssessOptions {
        check_timeout: Duration::from_secs_f64(args.check_timeout),
        ..AssessOptions::default()
    };
    if let Some(threads) = args.threads {
        options.threads = threads.max(1);
    }
    let doc = sspm_engine::assess(&catalog, &snapshots, &initiatives, options)?;
    let outcome = report(&doc, &catalog, args.format, args.color, args.fail_on)?;
    // Freeing millions of snapshot values takes longer than the process exit does.
    std::mem::forget(snapshots);
    Ok(outcome)
}

/// Prints a results document (table on a terminal, JSON otherwise, unless `format` says)
/// and tells whether a result at or above `fail_on` failed.
pub(crate) fn report(
    doc: &sspm_model::ResultsDocument,
    catalog: &Catalog,
    format: Option<Format>,
    color: ColorChoice,
    fail_on: Option<Severity>,
) -> Result<Outcome> {
    let format = match format {
        Some(f) => f,
        None if std::io::stdout().is_terminal() => Format::Table,
        None => Format::Json,
    };
    let text = sspm_report::render_results(doc, &catalog.metas(), format, &render_options(color))?;
    print(&text)?;
    Ok(match fail_on {
        Some(threshold) if fails_at(doc, threshold) => Outcome::Findings,
        _ => Outcome::Ok,
    })
}

/// Whether any result at or above `threshold` has status `fail`.
fn fails_at(doc: &sspm_model::ResultsDocument, threshold: Severity) -> bool {
    doc.assessments
        .iter()
        .flat_map(|a| &a.results)
        .any(|r| r.status == Status::Fail && r.severity >= threshold)
}

fn checks(args: cli::ChecksArgs) -> Result<Outcome> {
    let catalog = Catalog::load(&args.policies.dirs)?;
    let metas: Vec<_> = catalog
        .checks()
        .iter()
        .filter(|c| args.app.as_deref().is_none_or(|app| c.meta.app() == app))
        .map(|c| c.meta.clone())
        .collect();
    if let Some(app) = &args.app {
        if metas.is_empty() {
            bail!(
                "unknown app `{app}`; this sspm has checks for: {}",
                catalog.apps().into_iter().collect::<Vec<_>>().join(", ")
            );
        }
    }
    print(&sspm_report::render_catalog(
        &metas,
        args.format,
        &render_options(ColorChoice::Auto),
    )?)?;
    Ok(Outcome::Ok)
}

fn show(args: cli::ShowArgs) -> Result<Outcome> {
    let catalog = Catalog::load(&args.policies.dirs)?;
    let Some(check) = catalog.get(&args.id) else {
        let close: Vec<&str> = catalog
            .checks()
            .iter()
            .map(|c| c.meta.id.as_str())
            .filter(|id| {
                let last = args.id.rsplit('.').next().unwrap_or(&args.id);
                id.contains(last)
            })
            .collect();
        if close.is_empty() {
            bail!("no check with id `{}`; `sspm checks` lists them", args.id);
        }
        bail!(
            "no check with id `{}`; did you mean: {}?",
            args.id,
            close.join(", ")
        );
    };
    let mut text =
        sspm_report::render_check_detail(&check.meta, &render_options(ColorChoice::Auto));
    if let Some(instance) = &args.instance {
        text.push_str(&history::show_instance(
            args.store.as_deref(),
            &args.id,
            instance,
        )?);
    }
    print(&text)?;
    Ok(Outcome::Ok)
}

fn policy_test(args: cli::PolicyTestArgs) -> Result<Outcome> {
    let dirs: Vec<_> = args.dir.iter().cloned().collect();
    let catalog = Catalog::load(&dirs)?;
    let scope = match &args.dir {
        Some(dir) => Scope::Dir(dir),
        None => Scope::BuiltIn,
    };
    let report = policy_test::run(&catalog, scope, args.filter.as_deref())?;
    let mut out = String::new();
    for case in &report.cases {
        let ms = case.duration.as_secs_f64() * 1000.0;
        match &case.outcome {
            TestOutcome::Passed if args.list => {
                out.push_str(&format!("PASS {} ({ms:.1} ms)\n", case.rule));
            }
            TestOutcome::Passed => {}
            TestOutcome::Failed(why) => {
                out.push_str(&format!("FAIL {}\n     {}: {why}\n", case.rule, case.file));
            }
            TestOutcome::Errored(why) => {
                out.push_str(&format!("ERROR {}\n     {}: {why}\n", case.rule, case.file));
            }
        }
    }
    if report.cases.is_empty() {
        bail!(
            "no tests found: add `test_*` rules to `*_test.rego` files{}",
            args.dir
                .as_ref()
                .map(|d| format!(" under {}", d.display()))
                .unwrap_or_default()
        );
    }
    out.push_str(&format!(
        "{} passed, {} failed\n",
        report.passed(),
        report.failed()
    ));
    print(&out)?;
    Ok(if report.failed() > 0 {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

fn initiatives(args: cli::InitiativesArgs) -> Result<Outcome> {
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let snapshots = load_snapshots(&args.snapshots, &catalog)?;
    let doc = sspm_engine::assess(&catalog, &snapshots, &initiatives, AssessOptions::default())?;
    print(&sspm_report::render_initiatives(
        &doc.initiatives,
        args.format,
        &render_options(ColorChoice::Auto),
    )?)?;
    Ok(Outcome::Ok)
}
