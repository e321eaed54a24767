//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sspm_model::Severity;
use sspm_report::{CatalogFormat, Format, InitiativesFormat};
use std::str::FromStr;

/// SaaS Security Posture Management: assess SaaS tenants against CISA SCuBA and CIS
/// benchmarks, with a secure score, ranked recommendations and implementation steps.
///
/// Exit codes: 0 success; 1 a result at or above --fail-on failed (or a policy test
/// failed); 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "sspm", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug, -vvv trace); or set SSPM_LOG.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess saved snapshots offline and print results with scores.
    Assess(AssessArgs),
    /// List the check catalog.
    Checks(ChecksArgs),
    /// Show one check: description, rationale, benchmarks and implementation steps.
    Show(ShowArgs),
    /// Work with Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// List initiatives and their metrics; with --snapshot, their scores.
    Initiatives(InitiativesArgs),
    /// Benchmarks (performance measurements, not tests).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Collect one configured instance into a snapshot file.
    Collect(CollectArgs),
    /// Collect and assess configured instances (concurrently) and print the results.
    Scan(ScanArgs),
    /// Print the least-privilege permissions an app registration needs.
    Permissions(PermissionsArgs),
    /// Try every call of an instance once and report, per call, what is missing.
    Doctor(DoctorArgs),
    /// Serve a simulated tenant over HTTP on 127.0.0.1 (for trying sspm without an account).
    #[command(subcommand)]
    Sim(SimCommand),
    /// Try sspm in one command: scan two simulated Microsoft 365 tenants (in-process,
    /// over HTTP on 127.0.0.1) into a demo store. Run it again later: the history grows.
    Demo(DemoArgs),
    /// Manage the instances in the store (`sspm.toml`'s instances are imported on scan).
    #[command(subcommand)]
    Instance(InstanceCommand),
    /// Accept a risk, mark a recommendation mitigated or planned, or clear that.
    #[command(subcommand)]
    State(StateCommand),
    /// The secure score now (with the planned score) and its daily trend, from the store.
    Score(ScoreArgs),
    /// What changed between two scans: recommendations that became failing, passing or
    /// not evaluable, the score delta, and the configuration values behind each change.
    Diff(DiffArgs),
    /// The latest recommendations from the store, ranked, with states in effect.
    Recommendations(RecommendationsArgs),
    /// The scans in the store: status, score, counts, durations, errors.
    Scans(ScansArgs),
    /// The audit log: every instance, credential, state and token change.
    Audit(AuditArgs),
    /// Serve the web dashboard and the REST API (`/api/v1`), and scan on a schedule.
    Serve(ServeArgs),
    /// Manage the API tokens of `sspm serve`.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Anything but loopback should sit behind a TLS reverse
    /// proxy (then pass --behind-tls).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Scan each instance whose recommendations are on when its last scan is older than
    /// this (`30m`, `6h`, `1d`), or `off`.
    #[arg(long, default_value = "24h", value_parser = parse_interval)]
    pub scan_interval: Interval,
    /// The server is reached over TLS (a reverse proxy terminates it): cookies are
    /// marked Secure and HSTS is sent.
    #[arg(long)]
    pub behind_tls: bool,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// How often scheduled scans run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Never: scans run on demand only.
    Off,
    /// Every so often.
    Every(std::time::Duration),
}

fn parse_interval(s: &str) -> Result<Interval, String> {
    if s == "off" {
        return Ok(Interval::Off);
    }
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}`: expected a number and a unit (30m, 6h, 1d) or `off`"))?;
    let seconds = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("`{s}`: the unit must be s, m, h or d")),
    };
    if seconds < 60 {
        return Err(format!("`{s}`: the interval must be at least a minute"));
    }
    Ok(Interval::Every(std::time::Duration::from_secs(seconds)))
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; it is printed once and stored only as a hash.
    Create(TokenCreateArgs),
    /// List the tokens (never their values).
    List(TokenListArgs),
    /// Revoke a token: it stops working at once, in every running server.
    Revoke(TokenRevokeArgs),
}

/// A token's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Reads everything but tokens.
    Viewer,
    /// Also triggers scans and sets recommendation states.
    Operator,
    /// Also manages instances and tokens.
    Admin,
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// A unique name, e.g. ci-pipeline.
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct TokenListArgs {
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    /// The token's name.
    pub name: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Output formats of the store commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Users per simulated tenant.
    #[arg(long, default_value_t = 2_000)]
    pub users: usize,
    /// The demo store [default: sqlite://$SSPM_HOME/demo.db].
    #[arg(long = "store", value_name = "URL")]
    pub store: Option<String>,
    /// Where the dashboard listens.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Scan and print the summary, then exit instead of serving the dashboard.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub enum InstanceCommand {
    /// Add an instance. Its secret is read from a prompt, stdin or an environment variable
    /// (never from the command line) and stored encrypted.
    Add(Box<InstanceAddArgs>),
    /// List the instances.
    List(InstanceListArgs),
    /// Show one instance: configuration, credentials (names only), last scans.
    Show(InstanceNameArgs),
    /// Remove an instance with its scans, states and credentials.
    Remove(InstanceRemoveArgs),
    /// Switch security recommendations on: the instance is assessed and scored.
    Enable(InstanceNameArgs),
    /// Switch security recommendations off: the instance is still collected, not scored.
    Disable(InstanceNameArgs),
    /// Import the instances of a configuration file (sspm.toml) into the store.
    Import(InstanceImportArgs),
}

#[derive(Debug, Args)]
pub struct InstanceAddArgs {
    /// A unique name, e.g. contoso-prod.
    pub name: String,
    /// The app: m365.
    #[arg(long, default_value = "m365")]
    pub app: String,
    /// The Entra ID tenant (directory) id.
    #[arg(long)]
    pub tenant_id: String,
    /// The app registration's application (client) id.
    #[arg(long)]
    pub client_id: String,
    /// Read the client secret from stdin (one line).
    #[arg(long, conflicts_with_all = ["client_secret_from_env", "certificate"])]
    pub client_secret_stdin: bool,
    /// Read the client secret from this environment variable now and store it encrypted.
    #[arg(long, value_name = "VAR", conflicts_with = "certificate")]
    pub client_secret_from_env: Option<String>,
    /// Leave no secret in the store: read it from this environment variable at each scan.
    #[arg(long, value_name = "VAR", conflicts_with_all = ["client_secret_stdin", "client_secret_from_env", "certificate"])]
    pub client_secret_env: Option<String>,
    /// A PEM file with the certificate and its private key; stored encrypted.
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<PathBuf>,
    /// The environment variable holding the certificate key's password (stored encrypted).
    #[arg(long, value_name = "VAR", requires = "certificate")]
    pub certificate_password_from_env: Option<String>,
    /// global, usgov, usgovdod or china.
    #[arg(long, default_value = "global")]
    pub cloud: String,
    /// The tenant's initial domain (contoso.onmicrosoft.com), for Exchange Online routing.
    #[arg(long)]
    pub organization: Option<String>,
    /// Override Microsoft Graph's base URL.
    #[arg(long)]
    pub graph_url: Option<String>,
    /// Override the sign-in base URL.
    #[arg(long)]
    pub login_url: Option<String>,
    /// Override Exchange Online's base URL.
    #[arg(long)]
    pub exo_url: Option<String>,
    /// Add it with security recommendations off (collected, not scored).
    #[arg(long)]
    pub no_recommendations: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct InstanceListArgs {
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct InstanceNameArgs {
    /// The instance's name.
    pub name: String,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct InstanceRemoveArgs {
    /// The instance's name.
    pub name: String,
    /// Confirm: its scans, states and credentials are deleted too.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct InstanceImportArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Set a recommendation's state on an instance (`default` clears it).
    Set(StateSetArgs),
    /// Clear a recommendation's state: the measured status applies again.
    Clear(StateClearArgs),
    /// List the states (in effect and expired).
    List(StateListArgs),
}

#[derive(Debug, Args)]
pub struct StateSetArgs {
    /// The recommendation (check id), e.g. m365.entra.legacy_auth_blocked.
    pub check: String,
    #[arg(long)]
    pub instance: String,
    /// risk_accepted, mitigated_third_party, mitigated_alternate, planned or default.
    #[arg(long)]
    pub state: sspm_model::RecommendationState,
    /// Why (kept in the audit log); required unless the state is `default`.
    #[arg(long)]
    pub reason: Option<String>,
    /// Until when it applies: a date (through that day, UTC) or an RFC 3339 time; then
    /// the measured status applies again.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct StateClearArgs {
    /// The recommendation (check id).
    pub check: String,
    #[arg(long)]
    pub instance: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct StateListArgs {
    #[arg(long)]
    pub instance: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Only these instances (repeatable).
    #[arg(long)]
    pub instance: Vec<String>,
    /// Only this app.
    #[arg(long)]
    pub app: Option<String>,
    /// The daily trend over this many days, e.g. 90d (or 90).
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub history: Option<u32>,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The instance [default: every instance].
    #[arg(long)]
    pub instance: Option<String>,
    /// The earlier scan: its id, or a date (the last scan of that day) [default: the scan
    /// before --to].
    #[arg(long, value_name = "SCAN|DATE")]
    pub from: Option<String>,
    /// The later scan: its id, or a date [default: the latest scan].
    #[arg(long, value_name = "SCAN|DATE")]
    pub to: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct RecommendationsArgs {
    /// Only these instances (repeatable).
    #[arg(long)]
    pub instance: Vec<String>,
    /// Only this app.
    #[arg(long)]
    pub app: Option<String>,
    /// Only these statuses (repeatable): pass, fail, manual, not_applicable, error.
    #[arg(long)]
    pub status: Vec<sspm_model::Status>,
    /// Only this severity and higher.
    #[arg(long, value_parser = parse_severity)]
    pub severity: Option<Severity>,
    /// Only the recommendations of this initiative (id, e.g. identity-security).
    #[arg(long)]
    pub initiative: Option<String>,
    /// Output format: json, table, csv, markdown, sarif, ocsf [default: table on a
    /// terminal, json otherwise].
    #[arg(long, short, value_parser = Format::from_str)]
    pub format: Option<Format>,
    /// Colour in table output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct ScansArgs {
    #[arg(long)]
    pub instance: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[arg(long)]
    pub instance: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// A Microsoft 365 tenant: the token endpoint, Microsoft Graph and Exchange's InvokeCommand.
    M365(SimM365Args),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimProfile {
    /// A neglected tenant: most checks fail.
    Weak,
    /// A tenant configured to the CISA SCuBA baselines.
    Hardened,
    /// A half-done tenant: some areas configured, others not (drawn from --seed).
    Mixed,
}

#[derive(Debug, Args)]
pub struct SimM365Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8700)]
    pub port: u16,
    #[arg(long, default_value_t = 2_000)]
    pub users: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = SimProfile::Weak)]
    pub profile: SimProfile,
    /// Delay before every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Answer every K-th API request with 429 and Retry-After.
    #[arg(long, value_name = "K")]
    pub throttle_every: Option<u32>,
    /// Seconds in the Retry-After header of throttled answers.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u64,
    /// Share of API requests answered 503 (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Drop every K-th connection without an answer.
    #[arg(long, value_name = "K")]
    pub reset_every: Option<u32>,
    /// Cut the JSON body of every K-th answer short.
    #[arg(long, value_name = "K")]
    pub truncate_every: Option<u32>,
    /// Answer 403 for this Graph path (e.g. /v1.0/reports/authenticationMethods/userRegistrationDetails). Repeatable.
    #[arg(long, value_name = "PATH")]
    pub forbid: Vec<String>,
    /// Accept this environment variable's value as the client secret instead of the
    /// built-in one.
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,
    /// Scan the simulated tenant once over HTTP (collect with the real connector, then
    /// assess), print the results and stop, instead of serving until Ctrl-C.
    #[arg(long)]
    pub scan: bool,
    /// Output format of --scan: json, table, csv, markdown, sarif, ocsf [default: table on
    /// a terminal, json otherwise].
    #[arg(long, short, value_parser = Format::from_str, requires = "scan")]
    pub format: Option<Format>,
    /// With --scan: exit with code 1 when a result of this severity or higher fails.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, requires = "scan")]
    pub fail_on: Option<Severity>,
    /// Colour in table output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Which store.
#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// The store: `sqlite://PATH` or `postgres://USER@HOST/DB` [default: `store` in the
    /// configuration file, else sspm.db under $SSPM_HOME or the platform data directory].
    #[arg(long = "store", env = "SSPM_STORE", value_name = "URL")]
    pub url: Option<String>,
}

impl StoreArgs {
    /// The URL given, if any.
    pub fn as_deref(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

/// Where the configuration is.
#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    /// The configuration file (`[[instances]]`, see the README) [default: sspm.toml].
    #[arg(long, env = "SSPM_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The file given, else `sspm.toml`.
    pub fn path(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| PathBuf::from("sspm.toml"))
    }

    /// Whether the file was named (by --config or SSPM_CONFIG) rather than defaulted.
    pub fn is_explicit(&self) -> bool {
        self.config.is_some()
    }
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The instance's name in the configuration file or the store.
    #[arg(long)]
    pub instance: String,
    /// Where to write the snapshot [default: <instance>-<time>.json].
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Instances to scan (repeatable) [default: every instance].
    #[arg(long)]
    pub instance: Vec<String>,
    /// Output format: json, table, csv, markdown, sarif, ocsf [default: table on a
    /// terminal, json otherwise].
    #[arg(long, short, value_parser = Format::from_str)]
    pub format: Option<Format>,
    /// Exit with code 1 when a result of this severity or higher fails.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Also write each instance's snapshot into this directory.
    #[arg(long, value_name = "DIR")]
    pub save_snapshots: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Colour in table output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// The app: m365.
    pub app: String,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The instance's name in the configuration file or the store.
    #[arg(long)]
    pub instance: String,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where checks and initiatives come from.
#[derive(Debug, Args, Clone, Default)]
pub struct CatalogArgs {
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// A directory of your own initiative definitions (`*.toml`). Repeatable.
    #[arg(long = "initiatives", value_name = "DIR")]
    pub initiatives: Vec<PathBuf>,
}

/// Where checks come from.
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// A directory of your own checks (`<name>.rego` + `<name>.yaml`), loaded after the
    /// built-in ones; a check with a built-in id replaces it. Repeatable.
    #[arg(long = "policies", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// An `sspm-snapshot/1` JSON file. Repeatable: one assessment per snapshot.
    #[arg(long = "snapshot", value_name = "FILE", required = true)]
    pub snapshots: Vec<PathBuf>,
    /// Output format: json, table, csv, markdown, sarif, ocsf [default: table on a
    /// terminal, json otherwise].
    #[arg(long, short, value_parser = Format::from_str)]
    pub format: Option<Format>,
    /// Exit with code 1 when a result of this severity or higher fails.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Time limit for one check's evaluation, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub check_timeout: f64,
    /// Worker threads evaluating checks [default: the number of CPUs].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Colour in table output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Only checks of this app (e.g. m365).
    #[arg(long)]
    pub app: Option<String>,
    /// Output format: table, json.
    #[arg(long, short, value_parser = CatalogFormat::from_str, default_value = "table")]
    pub format: CatalogFormat,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The check id, e.g. m365.entra.legacy_auth_blocked.
    pub id: String,
    /// Also show its latest result on this instance, from the store: status, points,
    /// state, reason and every offender.
    #[arg(long)]
    pub instance: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run Rego unit tests: every `test_*` rule in `*_test.rego` must be true.
    /// Without DIR, the built-in tests; with DIR, that directory's tests (its checks
    /// and libraries are loaded beside the built-in ones).
    Test(PolicyTestArgs),
}

#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// A directory of your own policies and tests.
    pub dir: Option<PathBuf>,
    /// Only tests whose rule path contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Print every test, not only failures.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct InitiativesArgs {
    /// Score the initiatives over these snapshots. Repeatable.
    #[arg(long = "snapshot", value_name = "FILE")]
    pub snapshots: Vec<PathBuf>,
    /// Output format: table, json, markdown.
    #[arg(long, short, value_parser = InitiativesFormat::from_str, default_value = "table")]
    pub format: InitiativesFormat,
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate a large simulated Microsoft 365 snapshot and time parsing and evaluating
    /// every check (in a child process, so its peak memory is measured alone).
    Assess(BenchAssessArgs),
    /// Internal: the measured child of `bench assess`.
    #[command(hide = true)]
    AssessRun(BenchRunArgs),
    /// Serve a large simulated Microsoft 365 tenant on 127.0.0.1 with a delay per
    /// request, collect it in full, and report requests, wall time against its lower
    /// bound, peak memory and where the time goes.
    Collect(BenchCollectArgs),
    /// Write many scans of a simulated tenant (with churn between them) to SQLite and
    /// PostgreSQL, and report bytes on disk per scan, time to write a scan, and p50/p95
    /// of the latest recommendations, the 90-day score history and a diff of two scans.
    Store(BenchStoreArgs),
    /// Fill a store with many simulated Microsoft 365 instances (ranked recommendations
    /// and a daily score history each), serve it in-process on 127.0.0.1, load the
    /// recommendations API and the dashboard overview with `wrk`, and report requests
    /// per second and p50/p90/p99 latency against the target (p99 < 50 ms, no errors).
    Serve(BenchServeArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct BenchCollectArgs {
    /// Users; groups, applications, service principals, role assignments and grants
    /// scale with them (as in `bench assess`: 5,000 groups and 20,000 service
    /// principals per 100,000 users).
    #[arg(long, default_value_t = 100_000)]
    pub users: usize,
    /// The simulator's delay before every response, in milliseconds.
    #[arg(long, default_value_t = 20)]
    pub latency_ms: u64,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = SimProfile::Weak)]
    pub profile: SimProfile,
    /// Requests in flight at once [default: the connector's, 16].
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Requests started per second per API, 0 for no limit [default: the connector's, 200].
    #[arg(long)]
    pub rate: Option<f64>,
    /// Also write the snapshot to this file (streamed, not built in memory first).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = BenchFormat::Text)]
    pub format: BenchFormat,
}

#[derive(Debug, Args)]
pub struct BenchStoreArgs {
    /// Scans written to each backend, spread over the last 90 days.
    #[arg(long, default_value_t = 1_000)]
    pub scans: usize,
    /// Users of the simulated tenant; groups, service principals, role assignments and
    /// CA policies scale with them (as in `bench collect`).
    #[arg(long, default_value_t = 10_000)]
    pub users: usize,
    /// The tenant changes (users join and leave, MFA registrations, a CA policy, an app
    /// secret) before every N-th scan; the scans in between see the same snapshot.
    #[arg(long, default_value_t = 5)]
    pub change_every: usize,
    /// The backends measured.
    #[arg(long, default_value = "both", value_parser = ["sqlite", "postgres", "both"])]
    pub backend: String,
    /// PostgreSQL server; the benchmark creates a schema of its own there and drops it.
    #[arg(
        long,
        env = "SSPM_TEST_POSTGRES_URL",
        hide_env_values = true,
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
    /// Measured runs of each query (after 5 warm-up runs).
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = BenchFormat::Text)]
    pub format: BenchFormat,
}

#[derive(Debug, Args)]
pub struct BenchServeArgs {
    /// Microsoft 365 instances in the store.
    #[arg(long, default_value_t = 100)]
    pub instances: usize,
    /// Recommendations (results) per instance: every built-in Microsoft 365 check, then
    /// synthetic ones up to this count.
    #[arg(long, default_value_t = 150)]
    pub recommendations: usize,
    /// Days of history: one scan per instance per day, up to today.
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// How the history is written: `scans`, a full scan per instance per day; `scores`,
    /// a full scan on the last day only and the earlier days' score points by SQL.
    #[arg(long, default_value = "scans", value_parser = ["scans", "scores"])]
    pub history: String,
    /// Connections `wrk` keeps open.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Seconds `wrk` loads each endpoint.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// The backends measured.
    #[arg(long, default_value = "both", value_parser = ["sqlite", "postgres", "both"])]
    pub backend: String,
    /// PostgreSQL server; the benchmark creates a schema of its own there (and drops it
    /// unless --keep).
    #[arg(
        long,
        value_name = "URL",
        env = "SSPM_TEST_POSTGRES_URL",
        hide_env_values = true,
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres: String,
    /// Keep the generated store (the SQLite file or the PostgreSQL schema) and print
    /// where it is.
    #[arg(long)]
    pub keep: bool,
    /// Report format.
    #[arg(long, short, value_enum, default_value_t = BenchFormat::Text)]
    pub format: BenchFormat,
}

#[derive(Debug, Args)]
pub struct BenchAssessArgs {
    #[arg(long, default_value_t = 100_000)]
    pub users: usize,
    #[arg(long, default_value_t = 5_000)]
    pub groups: usize,
    #[arg(long, default_value_t = 20_000)]
    pub service_principals: usize,
    #[arg(long, default_value_t = 300)]
    pub ca_policies: usize,
    #[arg(long, default_value_t = 50_000)]
    pub role_assignments: usize,
    /// Measured runs (the best and the median are reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Unmeasured runs first, so the snapshot file is in the page cache.
    #[arg(long, default_value_t = 1)]
    pub warmup: usize,
    /// Keep the generated snapshot at this path instead of a temporary file.
    #[arg(long, value_name = "FILE")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BenchRunArgs {
    pub snapshot: PathBuf,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

fn parse_days(s: &str) -> Result<u32, String> {
    let digits = s.strip_suffix('d').unwrap_or(s);
    match digits.parse::<u32>() {
        Ok(n) if (1..=3660).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{s}` is not a number of days from 1 to 3660 (e.g. 90d)"
        )),
    }
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: sspm_model::check::ParseSeverityError| e.to_string())
}
