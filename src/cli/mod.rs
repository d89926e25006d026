//! The command line: clap types and a `run` per file, one file per
//! command. The only module that knows about clap and terminals; behaviour
//! lives in the rest of the library.

mod ack;
pub mod analytics;
mod approval;
mod approvals;
mod artifact;
mod ask;
mod completions;
mod decide;
mod discover;
mod doctor;
mod events;
mod exit;
mod hook;
mod inbox;
mod incident;
mod index;
mod init;
mod inspect;
mod loops;
mod mcp;
mod parse;
mod policy;
mod post;
mod read;
mod run;
mod session;
pub(crate) mod start;
mod sync;
mod thread;
mod toolcall;
pub(crate) mod trigger;
mod trust;
pub mod ui;
pub(crate) mod visible;
mod watch;
mod worktree;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::domain::approvals::Choice;
use crate::workspace::Workspace;
use crate::{Error, Result};
use clap::{Parser, Subcommand};

pub use analytics::Analytics;
pub use exit::ExitStatus;
use ui::{ColorWhen, Format, Printer};

/// Closes `--help`: the first commands to run, and what exit codes mean.
const QUICK_START: &str = "\
Quick start:
  codexa init                  set up .codexa/ and this clone's event store
  codexa events append --type note.added --stream note:1 --data '{\"text\": \"hi\"}'
  codexa events query --format text
  codexa events verify         prove nothing was altered (a CI guard)
  codexa sync                  share the log with other clones on codexa/state

Exit codes: 0 success; 1 failure (bad input, a failed check, an I/O or git
error); 2 usage error; 3 refused by governance; 4 `policy eval`:
require_approval; 5 `policy eval`: deny; 6 the run's state does not allow
it (a stale lease token, nothing to claim); 70 a bug in codexa (please report
it); 124 `wait` timed out.";

/// Shared state for agents and people running AI coding agents on one git
/// repository: a hash-chained event log in the git directory, shared on the
/// `codexa/state` branch, with config and policy in `.codexa/`.
#[derive(Parser, Debug)]
#[command(
    name = "codexa",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_long_help = QUICK_START
)]
pub struct Cli<C: Subcommand = Command> {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: C,
}

#[derive(clap::Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Output format: `text` for people, `json` for scripts and agents.
    /// Streams (`events query`, `events tail`) default to JSON Lines.
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Print only data: no status lines or hints on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour output (`NO_COLOR` is respected under `auto`).
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorWhen,
    /// Run as if started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Speak as this participant (default: `$CODEXA_AGENT`, else the git
    /// user as a person).
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub speaker: Option<String>,
}

parse::commands! {
/// The commands. Each command's help has one source: the doc comment on its
/// arguments (or its subcommand enum), whose first paragraph is the line
/// `codexa --help` lists and whose whole text is the command's `--help`. A
/// variant's own doc comment would replace that text, so variants carry one
/// only where there is nothing else to hold it: subcommand enums without a
/// doc comment, and `approve`, `deny` and `hold`, which share their
/// arguments. `cli::tests::help_texts` snapshots every `--help`.
///
/// Declared through `parse::commands!`, which also declares the same list
/// with each command's arguments built only when it runs (see `parse`).
pub enum Command {
    Init(init::Args),
    /// Append, import, query, follow and verify the event log.
    Events(events::EventsCommand) [subcommand],
    /// Manage the read index (a cache in the store).
    Index(index::IndexCommand) [subcommand],
    Doctor(doctor::Args),
    Sync(sync::Args),
    /// Threads: start, list, show, close.
    Thread(thread::ThreadCommand) [subcommand],
    Post(post::Args),
    Read(read::Args),
    Inbox(inbox::Args),
    Ack(ack::Args),
    /// Ask the policy gate about an action: eval (decide), explain (why).
    Policy(policy::PolicyCommand) [subcommand],
    /// Approval requests: request, show.
    Approval(approval::ApprovalCommand) [subcommand],
    Approvals(approvals::Args),
    /// Approve a request (by id, or by its subject).
    Approve(decide::Args),
    /// Deny a request (by id, or by its subject).
    Deny(decide::Args),
    /// Hold a request: keep it open, not granted.
    Hold(decide::Args),
    /// Run by an agent's hooks: answers tool calls from the policy gate.
    Hook(hook::HookCommand) [subcommand],
    /// Install `codexa hook` into the agents' project settings.
    Hooks(hook::HooksCommand) [subcommand],
    Ask(ask::Args),
    Mcp(mcp::Args),
    Discover(discover::Args),
    #[command(flatten)]
    Analytics(analytics::AnalyticsCommand),
    Loop(loops::LoopCommand) [subcommand],
    Seed(loops::SeedArgs),
    Watch(watch::WatchArgs),
    Status(watch::StatusArgs),
    Wait(watch::WaitArgs),
    Trigger(trigger::Args),
    Start(start::StartArgs),
    Stop(start::StopArgs),
    /// Worktrees for agents: add, list, remove (keeping work that exists nowhere else).
    Worktree(worktree::WorktreeCommand) [subcommand],
    /// Agent sessions: which runs where (list, show), and bindings by hand
    /// for agents started without hooks (bind, unbind).
    Session(session::SessionCommand) [subcommand],
    Run(run::RunCommand) [subcommand],
    Toolcall(toolcall::ToolcallCommand) [subcommand],
    Artifact(artifact::ArtifactCommand) [subcommand],
    Incident(incident::IncidentCommand) [subcommand],
    Inspect(inspect::Args),
    Trust(trust::TrustCommand) [subcommand],
    Completions(completions::Args),
}
}

/// What every command gets: the printer and where to start looking.
pub struct Ctx {
    pub printer: Printer,
    pub cwd: PathBuf,
    /// `--as NAME`.
    pub speaker: Option<String>,
    /// The global flags as given (`ask` passes them on).
    pub global: GlobalArgs,
}

impl Ctx {
    /// The store and the resolved config: for commands that write.
    pub fn workspace(&self) -> Result<Workspace> {
        Workspace::open(&self.cwd)
    }

    /// Just the store: readers and checks work even when the config is
    /// broken (CI runs `events verify` beside `doctor config`).
    pub fn store(&self) -> Result<crate::store::Store> {
        crate::store::Store::locate(&self.cwd)
    }
}

/// clap's message for a command line it refused (or its help), in clap's
/// colours, unless an argument holds control characters (one a phrase an
/// agent wrote passed on, say), which clap would quote as they are: then
/// plainly (clap's plain text drops escape sequences), with any other
/// control character written out.
fn print_parse_error(e: &clap::Error) {
    use std::io::Write;
    let controls = std::env::args_os().any(|a| {
        a.to_str()
            .is_none_or(|s| matches!(visible::visible(s), std::borrow::Cow::Owned(_)))
    });
    if !controls {
        let _ = e.print();
        return;
    }
    let text = visible::visible(&e.render().to_string()).into_owned();
    let _ = if e.use_stderr() {
        write!(std::io::stderr(), "{text}")
    } else {
        write!(std::io::stdout(), "{text}")
    };
}

/// Parses the command line, runs the command, and turns the outcome into
/// the exit code.
pub fn main(analytics: Analytics) -> ExitCode {
    let cli = match parse::parse() {
        Ok(cli) => cli,
        Err(e) => {
            print_parse_error(&e);
            return if e.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Success
            }
            .into();
        }
    };
    let default_format = match &cli.command {
        Command::Events(e) if e.streams() => Format::Json,
        _ => Format::Text,
    };
    let printer = Printer::new(
        cli.global.format.unwrap_or(default_format),
        cli.global.quiet,
        cli.global.color,
    );
    let cwd = match &cli.global.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let ctx = Ctx {
        printer,
        cwd,
        speaker: cli.global.speaker.clone(),
        global: cli.global.clone(),
    };
    match dispatch(&ctx, cli.command, analytics) {
        Ok(status) => status.into(),
        Err(e) if e.is_broken_pipe() => ExitStatus::Success.into(),
        Err(e) => {
            if !e.is_reported() {
                ui::print_error(&e);
            }
            ExitStatus::from(e.kind()).into()
        }
    }
}

fn dispatch(ctx: &Ctx, command: Command, analytics: Analytics) -> Result<ExitStatus> {
    match command {
        Command::Init(args) => init::run(ctx, args),
        Command::Events(cmd) => events::run(ctx, cmd),
        Command::Index(cmd) => index::run(ctx, cmd),
        Command::Doctor(args) => doctor::run(ctx, args),
        Command::Sync(args) => sync::run(ctx, args),
        Command::Thread(cmd) => thread::run(ctx, cmd),
        Command::Post(args) => post::run(ctx, args),
        Command::Read(args) => read::run(ctx, args),
        Command::Inbox(args) => inbox::run(ctx, args),
        Command::Ack(args) => ack::run(ctx, args),
        Command::Policy(cmd) => policy::run(ctx, cmd),
        Command::Approval(cmd) => approval::run(ctx, cmd),
        Command::Approvals(args) => approvals::run(ctx, args),
        Command::Approve(args) => decide::run(ctx, args, Choice::Approve),
        Command::Deny(args) => decide::run(ctx, args, Choice::Deny),
        Command::Hold(args) => decide::run(ctx, args, Choice::Hold),
        Command::Hook(cmd) => hook::run_hook(ctx, cmd),
        Command::Hooks(cmd) => hook::run_hooks(ctx, cmd),
        Command::Ask(args) => ask::run(ctx, args),
        Command::Mcp(args) => mcp::run(ctx, args),
        Command::Discover(args) => discover::run(ctx, args),
        Command::Analytics(cmd) => analytics.run(ctx, cmd),
        Command::Loop(cmd) => loops::run_loop(ctx, cmd),
        Command::Seed(args) => loops::run_seed(ctx, args),
        Command::Watch(args) => watch::run_watch(ctx, args),
        Command::Status(args) => watch::run_status(ctx, args),
        Command::Wait(args) => watch::run_wait(ctx, args),
        Command::Trigger(args) => trigger::run(ctx, args),
        Command::Start(args) => start::run_start(ctx, args),
        Command::Stop(args) => start::run_stop(ctx, args),
        Command::Worktree(cmd) => worktree::run(ctx, cmd),
        Command::Session(cmd) => session::run(ctx, cmd),
        Command::Run(cmd) => run::run(ctx, cmd),
        Command::Toolcall(cmd) => toolcall::run(ctx, cmd),
        Command::Artifact(cmd) => artifact::run(ctx, cmd),
        Command::Incident(cmd) => incident::run(ctx, cmd),
        Command::Inspect(args) => inspect::run(ctx, args),
        Command::Trust(cmd) => trust::run(ctx, cmd),
        Command::Completions(args) => completions::run(ctx, args),
    }
}

/// Read `--data`-style input: inline text, `@file`, or `-` for stdin.
pub fn read_input(spec: &str, what: &str) -> Result<String> {
    use std::io::Read;
    if spec == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::user(format!("could not read {what} from stdin")).caused_by(e))?;
        Ok(s)
    } else if let Some(path) = spec.strip_prefix('@') {
        // A regular file only, and not without end: a FIFO would block and
        // `/dev/zero` would fill memory.
        const MAX: u64 = 64 << 20;
        let cannot = |e: std::io::Error| {
            Error::user(format!("could not read {what} from {path}"))
                .hint("`@FILE` names a regular file of at most 64 MiB; check the path")
                .caused_by(e)
        };
        let file = crate::fsutil::open_regular(std::path::Path::new(path)).map_err(cannot)?;
        let mut text = String::new();
        file.take(MAX + 1)
            .read_to_string(&mut text)
            .map_err(cannot)?;
        if text.len() as u64 > MAX {
            return Err(
                Error::user(format!("{what} in {path} is over 64 MiB")).hint("give a smaller file")
            );
        }
        Ok(text)
    } else {
        Ok(spec.to_string())
    }
}

/// Read a JSON value given inline, as `@FILE`, or `-` for stdin; an error
/// names the flag and where the JSON broke.
pub fn read_json(spec: &str, flag: &str) -> Result<serde_json::Value> {
    let text = read_input(spec, flag)?;
    serde_json::from_str(&text).map_err(|e| {
        Error::user(format!(
            "{flag} is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
        .hint(format!(
            "pass JSON inline, e.g. {flag} '{{\"text\": \"hello\"}}', or a file as {flag} @FILE"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        <Cli>::command().debug_assert();
    }

    /// Every command's and subcommand's `--help` in one snapshot, so a line
    /// of help that goes missing (a variant's doc comment hiding its
    /// arguments' fuller one, say) shows in review. Rendered at a fixed
    /// width: the terminal running the tests must not change the text.
    #[test]
    fn help_texts() {
        fn walk(cmd: &mut clap::Command, out: &mut String) {
            let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
            out.push_str(&format!("──── {name} --help\n{}\n", cmd.render_long_help()));
            for sub in cmd.get_subcommands_mut() {
                // clap's own `help` command only repeats the tree.
                if sub.get_name() != "help" {
                    walk(sub, out);
                }
            }
        }
        let mut cli = <Cli>::command().term_width(100);
        cli.build();
        let mut out = String::new();
        walk(&mut cli, &mut out);
        insta::assert_snapshot!(out);
    }
}
