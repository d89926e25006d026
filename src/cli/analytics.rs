//! The analytics commands' arguments (`sql`, `analyze`, `export`,
//! `report`, `snapshot`), and how `codexa` hands them to the binary that
//! runs them. They need DuckDB, which is most of a binary that links it:
//! mapping and relocating it would cost every start of every command, so
//! `codexa` leaves it out and `codexa-analytics` (installed beside it,
//! whole codexa plus DuckDB) runs these.

use std::path::PathBuf;

use crate::{Error, Result};

use super::{Ctx, ExitStatus};

/// Where the analytics commands run.
#[derive(Clone, Copy)]
pub enum Analytics {
    /// In this process, by this function (`codexa-analytics`).
    Here(fn(&Ctx, AnalyticsCommand) -> Result<ExitStatus>),
    /// In `codexa-analytics`, beside this binary.
    Elsewhere,
}

impl Analytics {
    pub(super) fn run(self, ctx: &Ctx, command: AnalyticsCommand) -> Result<ExitStatus> {
        match self {
            Analytics::Here(run) => run(ctx, command),
            Analytics::Elsewhere => exec_analytics_binary(),
        }
    }
}

/// The commands that need DuckDB, kept together so `codexa` can hand them
/// to `codexa-analytics` whole.
#[derive(clap::Subcommand, Debug)]
pub enum AnalyticsCommand {
    Sql(SqlArgs),
    #[command(subcommand)]
    Analyze(AnalyzeCommand),
    #[command(subcommand)]
    Export(ExportCommand),
    #[command(subcommand)]
    Report(ReportCommand),
    Snapshot(SnapshotArgs),
}

/// Ask the history in SQL (DuckDB), reading only: the views `events`,
/// `messages`, `threads`, `approvals`, `policy_decisions`,
/// `governance_blocks`, `triggers`, `agent_sessions`, `discover_runs`,
/// `runs`, `steps`, `tool_calls` and `incidents` (`--schema` lists their
/// columns). One query (SELECT, WITH, FROM,
/// VALUES, DESCRIBE, SUMMARIZE, SHOW) at a time. `--format table` (the
/// default), `json` (an array of objects) or `csv`.
#[derive(clap::Args, Debug)]
pub struct SqlArgs {
    /// The query, e.g. "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC".
    #[arg(required_unless_present = "schema")]
    pub query: Option<String>,
    /// List the views and their columns instead.
    #[arg(long, conflicts_with = "query")]
    pub schema: bool,
}

/// Built-in reports over the history: activity, triggers, approvals,
/// policy, discover, runs, trend, trust.
///
/// Built-in reports over the event log (DuckDB). Each takes `--since` and
/// `--until` and prints text, or the figures under `--format json`.
#[derive(clap::Subcommand, Debug)]
pub enum AnalyzeCommand {
    /// Events and messages per actor and day (UTC).
    Activity(WindowArgs),
    /// Waking agents: outcomes, fallbacks, defer time and delivery latency
    /// (p50/p95), per target.
    Triggers(WindowArgs),
    /// Approvals: status, turnaround to the first approve or deny (p50/p95),
    /// and what still waits, with its age.
    Approvals(WindowArgs),
    /// The policy gate's decisions by reason code, kill-switch use and
    /// governance blocks.
    Policy(WindowArgs),
    /// Each `codexa discover` run's telemetry, and how the hotspots moved
    /// from the first run in the window to the last.
    Discover(WindowArgs),
    /// Durable runs: created and ended per day, queue wait and run time
    /// (p50/p95), lease expiries, failure reasons ranked, open incidents.
    Runs(WindowArgs),
    /// The daily snapshots (`codexa snapshot`) side by side.
    Trend(WindowArgs),
    /// Each agent's trust over the daily snapshots: its level per action
    /// and subject day by day, the days a level moved, and each day's
    /// approvals, denials and incidents.
    Trust(WindowArgs),
}

/// Write the history out for other tools: `export parquet DIR`.
#[derive(clap::Subcommand, Debug)]
pub enum ExportCommand {
    /// One Parquet file per view (`events.parquet`, `messages.parquet`, …;
    /// `codexa sql --schema` lists them) in DIR, created if missing.
    /// Existing files of the same names are replaced, all at once at the end.
    Parquet {
        /// The folder to write into.
        #[arg(value_name = "DIR")]
        folder: PathBuf,
    },
}

/// Rendered reports: `report governance [--publish]`.
///
/// Rendered reports (templates in `templates/`, overridable in
/// `.codexa/templates/`).
#[derive(clap::Subcommand, Debug)]
pub enum ReportCommand {
    /// Approvals and their decisions, policy denials, kill-switch use,
    /// governance blocks and the log's verification, as Markdown on stdout;
    /// `--publish` writes `.codexa/reports/governance-<date>.md` and records
    /// `report.published` with its hash (once per identical report).
    Governance {
        #[command(flatten)]
        window: WindowArgs,
        /// Write the report under .codexa/reports/ and record it.
        #[arg(long)]
        publish: bool,
    },
}

/// Record today's figures (UTC) in `.codexa/reports/snapshots/<date>.json`:
/// the day's events, messages, actors, approvals, policy decisions, blocks,
/// trigger outcomes, and where things stand (open threads, approvals
/// waiting, the latest discover run); per agent, its requests and how
/// they were decided, policy denials, runs, tool calls, incidents and
/// trust level per action (as `trust show` gives them). Run again the same
/// day, it updates that day's file; `codexa analyze trend` and `analyze
/// trust` read them all.
#[derive(clap::Args, Debug)]
pub struct SnapshotArgs {}

/// `--since` / `--until`, as every report takes them. Values are checked
/// (and ages turned into times) as the arguments are parsed, so a bad one
/// is a usage error naming the flag.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WindowArgs {
    /// Only what happened at or after this time (RFC 3339, a date such as
    /// 2026-11-01, or an age: 12h, 7d, 2w).
    #[arg(long, value_name = "TIME", value_parser = crate::clock::parse_time_arg)]
    pub since: Option<String>,
    /// Only what happened before this time.
    #[arg(long, value_name = "TIME", value_parser = crate::clock::parse_time_arg)]
    pub until: Option<String>,
}

/// The binary that runs these commands: `codexa-analytics` beside this one
/// (where `cargo install` puts both).
const ANALYTICS_BINARY: &str = "codexa-analytics";

/// Replaces this process with `codexa-analytics` and the same arguments,
/// so it keeps this process's id, ancestors, standard streams and signals,
/// and its exit status is the command's. Returns only when it cannot start.
fn exec_analytics_binary() -> Result<ExitStatus> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()
        .map_err(|e| Error::io("could not find where this codexa binary is").caused_by(e))?;
    let path = exe.with_file_name(ANALYTICS_BINARY);
    let mut args = std::env::args_os();
    let mut cmd = std::process::Command::new(&path);
    if let Some(arg0) = args.next() {
        cmd.arg0(arg0);
    }
    let e = cmd.args(args).exec();
    Err(Error::io(format!(
        "could not run {} for this analytics command",
        path.display()
    ))
    .hint(format!(
        "the analytics commands (sql, analyze, export, report, snapshot) run in \
         `{ANALYTICS_BINARY}`, which `cargo install --path .` installs beside codexa: \
         install both, or put it in {}",
        exe.parent()
            .map(PathBuf::from)
            .unwrap_or_default()
            .display()
    ))
    .caused_by(e))
}
