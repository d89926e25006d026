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
    #[arg(long, value_name = "FILE", conflicts_with = "seed")]
    pub prompt_file: Option<String>,
    /// Start it on a planned change: that change's brief (from the latest
    /// plan's seeds) is its first prompt, and the gate is asked about the
    /// change's zone.
    #[arg(long, value_name = "CH-nnn", conflicts_with = "prompt")]
    pub seed: Option<String>,
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
    let (prompt, change, zone) = match (&a.prompt, &a.prompt_file, &a.seed) {
        (Some(p), _, _) => (Some(p.clone()), None, None),
        (None, Some(f), _) => (
            Some(read_input(&format!("@{f}"), "the prompt")?),
            None,
            None,
        ),
        (None, None, Some(ch)) => {
            let (lp, zone, text) = launch::brief(&ws, ch)?;
            (Some(text), Some((lp, ch.clone())), Some(zone))
        }
        (None, None, None) => (None, None, None),
    };
    let l = Launch {
        participant: a.participant,
        prompt,
        worktree: a.worktree.map(|n| Some(n).filter(|n| !n.is_empty())),
        from: a.from,
        window: a.window,
        change,
        zone,
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
        for w in &started.warnings {
            ctx.printer.warning(w);
        }
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

/// One planned change under `seed --start`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanStart {
    pub change: String,
    pub participant: Option<String>,
    /// `started`, `already_started`, `waiting`, `no_agent` or `refused`.
    pub outcome: String,
    /// What it waits for: its approvals not granted, or why it was refused.
    pub waiting_for: Vec<String>,
    pub pane: Option<String>,
    pub worktree: Option<String>,
}

/// `seed --start`: for each change of the seeded plan whose approvals are
/// all granted, its suggested agent in a worktree of its own
/// (`<agent>-<ch-nnn>`) with the change's brief as the first prompt; a
/// change an agent was already started for is not started again.
pub fn start_plan(
    ctx: &Ctx,
    ws: &crate::workspace::Workspace,
    who: &crate::domain::identity::Speaker,
    seeded: &crate::loops::seed::Seeded,
) -> Result<Vec<PlanStart>> {
    // One plan start at a time: two would both find a change not started.
    let _lock = crate::store::lock::acquire(
        &ws.store.cache_dir().join("start-plan.lock"),
        "another `seed --start`",
    )?;
    let done = launch::started_changes(ws)?;
    let plan = crate::loops::files::load_plan(&ws.store.workdir, &seeded.loop_id)?;
    let zone_of = |ch: &str| {
        plan.changes
            .iter()
            .find(|c| c.id == ch)
            .map(|c| c.gate.zone.clone())
    };
    let tmux = crate::tmux::Tmux::from_env();
    let record = |s: &_, t| super::session::record(ws, who, s, t);
    let mut out = Vec::new();
    for seed in &seeded.seeds {
        let mut row = PlanStart {
            change: seed.change.clone(),
            participant: seed.participant.clone(),
            outcome: String::new(),
            waiting_for: Vec::new(),
            pane: None,
            worktree: None,
        };
        let waiting: Vec<String> = seed
            .approvals
            .iter()
            .filter(|a| a.status != "approved")
            .map(|a| format!("{} approval {} ({})", a.kind, a.id, a.status))
            .collect();
        let Some(participant) = seed
            .participant
            .clone()
            .filter(|p| ws.config.agents.contains_key(p))
        else {
            row.outcome = "no_agent".into();
            out.push(row);
            continue;
        };
        if done.contains(&(seeded.loop_id.clone(), seed.change.clone())) {
            row.outcome = "already_started".into();
        } else if !waiting.is_empty() {
            row.outcome = "waiting".into();
            row.waiting_for = waiting;
        } else {
            let brief = std::fs::read_to_string(ws.store.workdir.join(&seed.path))
                .map_err(|e| crate::Error::io(format!("cannot read {}", seed.path)).caused_by(e))?;
            let l = Launch {
                participant: participant.clone(),
                // The brief opens with a markdown heading, which an agent
                // would take as a command of its own at the start of a prompt.
                prompt: Some(format!("Your brief for {}:\n\n{brief}", seed.change)),
                worktree: Some(Some(format!(
                    "{participant}-{}",
                    seed.change.to_lowercase()
                ))),
                from: "HEAD".into(),
                window: Some(format!("{participant}-{}", seed.change)),
                change: Some((seeded.loop_id.clone(), seed.change.clone())),
                zone: zone_of(&seed.change),
            };
            match launch::start(ws, who, &l, &tmux, &record)
                .and_then(|r| r.map_err(|b| crate::Error::blocked(b.describe())))
            {
                Ok(s) => {
                    row.outcome = "started".into();
                    row.pane = Some(s.pane);
                    row.worktree = s.worktree.map(|w| w.name);
                }
                // One change's refusal or failure does not stop the plan.
                Err(e) => {
                    row.outcome = "refused".into();
                    row.waiting_for = vec![e.lines().join(": ")];
                }
            }
        }
        if !ctx.printer.is_json() {
            let detail = match row.outcome.as_str() {
                "started" => format!(
                    "started {participant} in pane {} (worktree {})",
                    row.pane.as_deref().unwrap_or("-"),
                    row.worktree.as_deref().unwrap_or("-")
                ),
                "already_started" => format!("{participant} was already started for it"),
                "waiting" | "refused" => {
                    format!("not started: waits for {}", row.waiting_for.join(", "))
                }
                _ => String::new(),
            };
            ctx.printer.status(&format!("{}  {detail}", row.change));
        }
        out.push(row);
    }
    Ok(out)
}
