//! `codexa watch` (live table, `--stream` of JSON lines, `--once`),
//! `codexa status` (= `watch --once`) and `codexa wait`. The state comes
//! from `crate::agents::monitor`; this file only loops and prints.

mod table;
mod tui;

pub(crate) use table::age;

use std::io::IsTerminal;
use std::time::Duration;

use crate::agents::monitor::{Monitor, Waited};
use crate::tmux::Tmux;
use crate::{Error, Result};

use super::{Ctx, ExitStatus};

#[derive(clap::Args, Debug)]
pub struct TmuxArgs {
    /// The tmux server: a socket name (as `tmux -L`) or path (as `tmux -S`);
    /// default $CODEXA_TMUX_SOCKET, else tmux's own choice.
    #[arg(long, value_name = "SOCKET")]
    pub socket: Option<String>,
}

impl TmuxArgs {
    pub(crate) fn tmux(&self) -> Tmux {
        match &self.socket {
            Some(s) => Tmux::with_socket(s),
            None => Tmux::from_env(),
        }
    }
}

/// Show every tmux pane: is an agent there, and is it running, idle, or
/// waiting for you? Hooks first, the screen second; each row says which.
#[derive(clap::Args, Debug)]
pub struct WatchArgs {
    /// Print the table once and exit (= `codexa status`).
    #[arg(long, conflicts_with = "stream")]
    pub once: bool,
    /// Print one JSON line per change (the first lines: every pane).
    #[arg(long)]
    pub stream: bool,
    #[command(flatten)]
    pub tmux: TmuxArgs,
}

/// Print every pane's state once (`--format json`: an array, one object
/// per pane).
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Only panes that need a person (waiting for approval or input, or failed).
    #[arg(long)]
    pub attention: bool,
    #[command(flatten)]
    pub tmux: TmuxArgs,
}

/// Block until a pane reaches a state (for scripts). Exit 0 when it does,
/// 124 on timeout, 1 when the pane goes away.
#[derive(clap::Args, Debug)]
pub struct WaitArgs {
    /// The pane: `%N`, `session:window.pane`, a participant, or a session id.
    pub target: String,
    /// idle; waiting (for approval or input); any (idle, waiting, failed, or the agent gone).
    #[arg(long, value_parser = ["idle", "waiting", "any"], default_value = "any")]
    pub until: String,
    /// Give up after this many seconds (exit 124); fractions allowed.
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    #[command(flatten)]
    pub tmux: TmuxArgs,
}

/// `--timeout`: seconds, finite, from 0 to a year.
fn parse_timeout(text: &str) -> std::result::Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !secs.is_finite() || !(0.0..=365.0 * 86_400.0).contains(&secs) {
        return Err(format!("`{text}`: give seconds from 0 to 31536000"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn open(ctx: &Ctx, tmux: &TmuxArgs) -> Result<Monitor> {
    let m = Monitor::open(&ctx.cwd, tmux.tmux())?;
    if !m.has_store() {
        ctx.printer.hint(
            "not in a codexa repository: showing what screens say; hooks are read from the repository the agents work in (run this there)",
        );
    }
    Ok(m)
}

pub fn run_status(ctx: &Ctx, args: StatusArgs) -> Result<ExitStatus> {
    let mut m = open(ctx, &args.tmux)?;
    m.poll_settled()?;
    let views: Vec<_> = m
        .snapshot()
        .iter()
        .filter(|v| !args.attention || v.attention)
        .cloned()
        .collect();
    if ctx.printer.is_json() {
        ctx.printer.json(&views)?;
    } else if views.is_empty() && !m.snapshot().is_empty() {
        ctx.printer
            .status(&format!("no pane needs you ({} panes)", m.snapshot().len()));
    } else {
        table::print(&ctx.printer, &views)?;
    }
    Ok(ExitStatus::Success)
}

pub fn run_watch(ctx: &Ctx, args: WatchArgs) -> Result<ExitStatus> {
    if args.once {
        return run_status(
            ctx,
            StatusArgs {
                attention: false,
                tmux: args.tmux,
            },
        );
    }
    let mut m = open(ctx, &args.tmux)?;
    if args.stream || !std::io::stdout().is_terminal() {
        return stream(ctx, &mut m);
    }
    tui::run(m)
}

fn stream(ctx: &Ctx, m: &mut Monitor) -> Result<ExitStatus> {
    m.follow(None, |changes, _| {
        for c in changes {
            ctx.printer.json_line(c)?;
        }
        ctx.printer.flush()?;
        Ok(true)
    })?;
    Ok(ExitStatus::Success)
}

pub fn run_wait(ctx: &Ctx, args: WaitArgs) -> Result<ExitStatus> {
    let mut m = open(ctx, &args.tmux)?;
    let deadline = args.timeout.map(|d| m.deadline(d));
    match m.wait(&args.target, &args.until, deadline)? {
        Waited::Reached(v) => {
            if ctx.printer.is_json() {
                ctx.printer.json(&v)?;
            } else {
                let state = if v.reason == "pane is gone" {
                    "gone"
                } else {
                    v.activity.as_str()
                };
                ctx.printer
                    .line(&format!("{} {} {state}", v.pane, v.target))?;
            }
            Ok(ExitStatus::Success)
        }
        Waited::Gone(gone) => Err(Error::not_found(gone)),
        Waited::TimedOut(pinned) => {
            ctx.printer.status(&format!(
                "timed out: {} ({}) is {}, not {}",
                pinned.pane,
                pinned.target,
                m.snapshot()
                    .iter()
                    .find(|v| v.pane == pinned.pane)
                    .map(|v| v.activity.as_str())
                    .unwrap_or("gone"),
                args.until
            ));
            Ok(ExitStatus::TimedOut)
        }
    }
}
