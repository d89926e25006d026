//! `codexa start` and `codexa stop`.

use crate::Result;
use crate::agents::launch::{self, Launch};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_input};

/// Start a participant's agent in a tmux window of its own, bound from birth.
///
/// Runs `agents.<NAME>.command` (default: the provider's program, `claude`
/// or `codex`) as the first process of a new window in the tmux session
/// `tmux.session` (default: the repository's folder name; made detached
/// when missing), with `CODEXA_AGENT=NAME`, never through a shell. The
/// first prompt is its last argument. Claude is given the session id codexa
/// chose (`--session-id`), so the pane is bound before the agent's first
/// hook. With `--worktree` it runs in a new worktree (see `codexa worktree
/// add`). The policy decides first (action `agent.start`, subject NAME;
/// refused: exit 3, nothing started). Records `agent.started`. Prints the
/// pane id.
#[derive(clap::Args, Debug)]
pub struct StartArgs {
    /// The participant to start.
    pub participant: String,
    /// The first prompt (it may start with `-`).
    #[arg(
        long,
        value_name = "TEXT",
        conflicts_with = "prompt_file",
        allow_hyphen_values = true
    )]
    pub prompt: Option<String>,
    /// Read the first prompt from this file (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub prompt_file: Option<String>,
    /// Run it in a new worktree, named NAME (default: PARTICIPANT-<short id>).
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub worktree: Option<String>,
    /// The branch, tag or commit the worktree starts from.
    #[arg(
        long,
        value_name = "REF",
        default_value = "HEAD",
        requires = "worktree"
    )]
    pub from: String,
    /// The window's name (default: the participant).
    #[arg(long, value_name = "NAME")]
    pub window: Option<String>,
}

/// Stop a participant's agent: interrupt it, then close its pane.
///
/// Sends Ctrl-C to each of its live panes; a pane still there after
/// `tmux.stop_grace_ms` (5 s) is closed. Ends the binding and records
/// `agent.stopped`. Its worktree stays. An agent may stop only itself
/// (exit 3).
#[derive(clap::Args, Debug)]
pub struct StopArgs {
    /// The participant to stop.
    pub participant: String,
}

pub fn run_start(ctx: &Ctx, a: StartArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let prompt = match (&a.prompt, &a.prompt_file) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(f)) => Some(read_input(&format!("@{f}"), "the prompt")?),
        (None, None) => None,
    };
    let l = Launch {
        participant: a.participant,
        prompt,
        worktree: a.worktree.map(|n| Some(n).filter(|n| !n.is_empty())),
        from: a.from,
        window: a.window,
    };
    let tmux = crate::tmux::Tmux::from_env();
    let record = |s: &_, t| super::session::record(&ws, &who, s, t);
    let started = match launch::start(&ws, &who, &l, &tmux, &record)? {
        Ok(s) => s,
        Err(blocked) => return Err(blocked.to_error()),
    };
    if ctx.printer.is_json() {
        ctx.printer.json(&started)?;
    } else {
        ctx.printer.line(&started.pane)?;
        ctx.printer.status(&format!(
            "started {} ({}) in pane {}, session {}, in {}",
            started.participant, started.provider, started.pane, started.session_id, started.cwd
        ));
    }
    Ok(ExitStatus::Success)
}

pub fn run_stop(ctx: &Ctx, a: StopArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    if who.under.is_some() && who.name != a.participant {
        return Err(crate::Error::blocked(format!(
            "{} may stop only itself, not {}",
            who.name, a.participant
        ))
        .hint("ask a person to stop it"));
    }
    let tmux = crate::tmux::Tmux::from_env();
    let clock = crate::clock::for_waiting();
    let record = |s: &_, t| super::session::record(&ws, &who, s, t);
    let stopped = launch::stop(&ws, &who, &a.participant, &tmux, clock.as_ref(), &record)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&stopped)?;
    } else {
        for s in &stopped {
            ctx.printer.line(&s.pane)?;
            ctx.printer.status(&format!(
                "stopped {} in pane {}{}",
                s.participant,
                s.pane,
                if s.killed {
                    " (closed after the grace period)"
                } else {
                    ""
                }
            ));
        }
    }
    Ok(ExitStatus::Success)
}
