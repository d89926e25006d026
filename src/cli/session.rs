//! `codexa session list|show|bind|unbind`: the session registry, which
//! agent session runs where. The behaviour is in
//! `crate::agents::sessions::registry`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::agents::Provider;
use crate::agents::sessions::SessionState;
use crate::agents::sessions::registry::{self, BindRequest};
use crate::domain::identity::{self, Speaker};
use crate::workspace::Workspace;
use crate::{Error, Result};

use super::watch::{TmuxArgs, age};
use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    List(ListArgs),
    Show(ShowArgs),
    Bind(BindArgs),
    Unbind(UnbindArgs),
}

/// List agent sessions: who, where, and when last seen.
///
/// One row per session the agents' hooks (or `session bind`) recorded on
/// this machine, newest last seen first. `--format json` is an array of
/// objects with the keys `participant, provider, session_id, pane,
/// agent_pid, socket, cwd, transcript, title, model, activity, event,
/// evidence, started_ms, last_seen_ms, age_ms, ended, ended_ms, live`
/// (null where unknown).
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Ended sessions too.
    #[arg(long)]
    pub all: bool,
}

/// Show one agent session in full.
///
/// REF is a session id (or a unique prefix of one), a participant (their
/// newest live session) or a pane `%N` (its newest live session).
/// `--format json` prints one object, as `session list` does.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// A session id or unique prefix, a participant, or a pane `%N`.
    #[arg(value_name = "REF")]
    pub reference: String,
}

/// Bind a participant to a tmux pane, for an agent started without hooks.
///
/// Records a session for PARTICIPANT in the pane, pinned to the pane's
/// current process (a respawned pane is not bound), marked `evidence:
/// bind`, and logs `agent.session_bound`; binding again what is bound
/// changes nothing. An agent may bind only itself, and only the pane it
/// runs in (exit 3 otherwise).
#[derive(clap::Args, Debug)]
pub struct BindArgs {
    /// The participant: a name under `agents:` in config, or another
    /// participant name (then `--provider` is needed).
    #[arg(value_name = "PARTICIPANT")]
    pub participant: String,
    /// The tmux pane, `%N` (`tmux display-message -p '#{pane_id}'`).
    #[arg(long, value_name = "%N")]
    pub pane: String,
    /// The agent CLI; default: `agents.<PARTICIPANT>.provider` in config.
    #[arg(long, value_parser = ["claude", "codex"])]
    pub provider: Option<String>,
    /// The agent's own session id (Codex: its thread id); default: a new
    /// `bind-<ulid>`.
    #[arg(long, value_name = "ID")]
    pub session_id: Option<String>,
    /// The agent's working directory; default: the pane's.
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,
    /// The agent's transcript file.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    #[command(flatten)]
    pub tmux: TmuxArgs,
}

/// End a session's binding (the session stays listed under `--all`).
///
/// Marks the session ended and logs `agent.session_ended`; a session
/// already ended is left as it is. REF is as for `session show`. An agent
/// may unbind only its own sessions (exit 3 otherwise).
#[derive(clap::Args, Debug)]
pub struct UnbindArgs {
    /// A session id or unique prefix, a participant, or a pane `%N`.
    #[arg(value_name = "REF")]
    pub reference: String,
}

pub fn run(ctx: &Ctx, cmd: SessionCommand) -> Result<ExitStatus> {
    match cmd {
        SessionCommand::List(a) => list(ctx, a),
        SessionCommand::Show(a) => show(ctx, a),
        SessionCommand::Bind(a) => bind(ctx, a),
        SessionCommand::Unbind(a) => unbind(ctx, a),
    }
}

fn list(ctx: &Ctx, args: ListArgs) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let now = crate::clock::now_ms();
    let sessions = registry::list(&store, args.all);
    let p = &ctx.printer;
    if p.is_json() {
        let rows: Vec<_> = sessions.iter().map(|s| registry::row(s, now)).collect();
        p.json(&rows)?;
        return Ok(ExitStatus::Success);
    }
    if sessions.is_empty() {
        p.status(if args.all {
            "no agent sessions recorded here; the agents' hooks record them (`codexa hooks install`), or bind one with `codexa session bind`"
        } else {
            "no live agent sessions; `--all` lists ended ones too"
        });
        return Ok(ExitStatus::Success);
    }
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let rows: Vec<Vec<String>> = sessions
        .iter()
        .map(|s| {
            let r = registry::row(s, now);
            vec![
                dash(r.participant),
                r.provider.into(),
                r.session_id,
                dash(r.pane),
                dash(r.agent_pid.map(|p| p.to_string())),
                r.activity.into(),
                age(r.age_ms),
                r.evidence.into(),
                if r.ended { "ended" } else { "live" }.into(),
                dash(r.cwd),
                dash(r.transcript),
            ]
        })
        .collect();
    p.table(
        &[
            "PARTICIPANT",
            "PROVIDER",
            "SESSION",
            "PANE",
            "PID",
            "ACTIVITY",
            "SEEN",
            "EVIDENCE",
            "STATE",
            "CWD",
            "TRANSCRIPT",
        ],
        &rows,
    )?;
    Ok(ExitStatus::Success)
}

fn show(ctx: &Ctx, args: ShowArgs) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let now = crate::clock::now_ms();
    let s = registry::find(&store, &args.reference)?;
    print_one(ctx, &s, now)?;
    Ok(ExitStatus::Success)
}

/// One session: JSON as a list row, or one `key: value` line per field.
fn print_one(ctx: &Ctx, s: &SessionState, now: i64) -> Result<()> {
    let p = &ctx.printer;
    let r = registry::row(s, now);
    if p.is_json() {
        return p.json(&r);
    }
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let ended = match r.ended_ms {
        Some(ms) => crate::clock::format_ms(ms),
        None => "no".into(),
    };
    let lines = [
        ("session", format!("{} {}", r.provider, r.session_id)),
        ("participant", or_dash(&r.participant)),
        ("pane", or_dash(&r.pane)),
        ("pid", or_dash(&r.agent_pid.map(|p| p.to_string()))),
        ("socket", or_dash(&r.socket)),
        ("cwd", or_dash(&r.cwd)),
        ("transcript", or_dash(&r.transcript)),
        ("title", or_dash(&r.title)),
        ("model", or_dash(&r.model)),
        ("activity", format!("{} ({})", r.activity, r.event)),
        ("evidence", r.evidence.to_string()),
        ("started", crate::clock::format_ms(r.started_ms)),
        (
            "last seen",
            format!(
                "{} ({} ago)",
                crate::clock::format_ms(r.last_seen_ms),
                age(r.age_ms)
            ),
        ),
        ("ended", ended),
    ];
    for (k, v) in lines {
        p.line(&format!("{:<13}{v}", format!("{k}:")))?;
    }
    Ok(())
}

/// The workspace (initialised: these commands write) and who speaks.
fn speaker(ctx: &Ctx) -> Result<(Workspace, Speaker)> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let who = identity::resolve(&ws.store, &ws.config, ctx.speaker.as_deref())?;
    Ok((ws, who))
}

fn bind(ctx: &Ctx, args: BindArgs) -> Result<ExitStatus> {
    crate::domain::threads::check_name(&args.participant, "PARTICIPANT")?;
    check_pane(&args.pane)?;
    if let Some(id) = &args.session_id {
        check_session_id(id)?;
    }
    let cwd = args
        .cwd
        .as_deref()
        .map(|d| existing(&ctx.cwd, d, "--cwd", true))
        .transpose()?;
    let transcript = args
        .transcript
        .as_deref()
        .map(|f| existing(&ctx.cwd, f, "--transcript", false))
        .transpose()?;
    let (ws, who) = speaker(ctx)?;
    registry::vouch(&who, &args.participant, "bind")?;
    let provider = provider_for(&ws, &args.participant, args.provider.as_deref())?;
    let pane = registry::pane_row(&args.tmux.tmux(), &args.pane)?;
    let ancestors: Vec<u32> = crate::agents::lineage::ancestors()
        .iter()
        .map(|(pid, _)| *pid)
        .collect();
    registry::vouch_pane(&who, &pane, &ancestors)?;
    let now = crate::clock::now_ms();
    let sessions = registry::list(&ws.store, false);
    let here = registry::bound_here(&sessions, &args.participant, provider, &pane);
    let session_id = args
        .session_id
        .or_else(|| here.map(|s| s.session_id.clone()))
        .unwrap_or_else(|| {
            let context = format!("session bind:{}:{}", args.participant, pane.id);
            format!("bind-{}", crate::clock::ulid_at(now, &context))
        });
    let cwd = cwd.or_else(|| Some(pane.path.clone()).filter(|p| !p.is_empty()));
    let req = BindRequest {
        participant: args.participant,
        provider,
        session_id,
        pane,
        cwd,
        transcript,
    };
    let done = registry::bind(&ws.store, &req, now, |s, t| record(&ws, &who, s, t))?;
    let s = &done.state;
    if ctx.printer.is_json() {
        ctx.printer.json(&registry::row(s, now))?;
    } else {
        ctx.printer.line(&s.session_id)?;
        let what = format!(
            "{} to pane {} (pid {}) as {} session {}",
            req.participant,
            req.pane.id,
            req.pane.pid,
            s.provider.as_str(),
            s.session_id
        );
        ctx.printer.status(&if done.changed {
            format!("bound {what}")
        } else {
            format!("already bound {what}; nothing changed")
        });
    }
    Ok(ExitStatus::Success)
}

fn unbind(ctx: &Ctx, args: UnbindArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let found = registry::find(&ws.store, &args.reference)?;
    registry::vouch(&who, registry::owner(&found), "unbind")?;
    let now = crate::clock::now_ms();
    let done = registry::unbind(&ws.store, &found, now, |s, t| record(&ws, &who, s, t))?;
    let s = done.as_ref().unwrap_or(&found);
    if ctx.printer.is_json() {
        ctx.printer.json(&registry::row(s, now))?;
    } else {
        ctx.printer.line(&s.session_id)?;
        ctx.printer.status(&match done {
            Some(_) => format!(
                "unbound {} session {} ({})",
                s.provider.as_str(),
                s.session_id,
                registry::owner(s)
            ),
            None => format!(
                "{} session {} had ended already; nothing changed",
                s.provider.as_str(),
                s.session_id
            ),
        });
    }
    Ok(ExitStatus::Success)
}

/// Append a binding's transition to the log (see `launch::log_transition`).
pub(crate) fn record(
    ws: &Workspace,
    who: &Speaker,
    s: &SessionState,
    t: crate::agents::sessions::Transition,
) -> Result<()> {
    crate::agents::launch::log_transition(ws, who, s, t)
}

/// `--pane`: a pane id, `%` and digits.
fn check_pane(pane: &str) -> Result<()> {
    let digits = pane.strip_prefix('%').unwrap_or("");
    if !digits.is_empty() && digits.len() <= 9 && digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(());
    }
    Err(
        Error::user(format!("`--pane {pane}` is not a tmux pane id")).hint(
            "give the pane's `%N` id: run `tmux display-message -p '#{pane_id}'` in that pane",
        ),
    )
}

/// `--session-id`: printable, no spaces, short enough for a file name.
fn check_session_id(id: &str) -> Result<()> {
    let ok = !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_graphic());
    if ok {
        return Ok(());
    }
    Err(
        Error::user(format!("`--session-id {id}` is not a session id"))
            .hint("give the agent's session id (printable ASCII, no spaces, up to 128 characters), or leave it out for a new `bind-…` id"),
    )
}

/// `path` (relative to `cwd`) as an absolute path, when it names an
/// existing directory (`dir`) or file.
fn existing(cwd: &Path, path: &Path, flag: &str, dir: bool) -> Result<String> {
    let full = cwd.join(path);
    let kind_ok = if dir { full.is_dir() } else { full.is_file() };
    if !kind_ok {
        let what = if dir { "directory" } else { "file" };
        return Err(
            Error::user(format!("`{flag} {}`: no such {what}", path.display()))
                .hint(format!("give the path of an existing {what}")),
        );
    }
    let full = full.canonicalize().unwrap_or(full);
    full.to_str().map(str::to_string).ok_or_else(|| {
        Error::user(format!("`{flag} {}` is not valid UTF-8", path.display()))
            .hint("give a path in UTF-8")
    })
}

/// `--provider`, else the participant's in config.
fn provider_for(ws: &Workspace, participant: &str, given: Option<&str>) -> Result<Provider> {
    if let Some(p) = given {
        return Provider::parse(p)
            .ok_or_else(|| Error::user(format!("`--provider {p}`: give claude or codex")));
    }
    let Some(entry) = ws.config.agents.get(participant) else {
        return Err(Error::user(format!(
            "participant `{participant}` is not under `agents:` in config, so its provider is unknown"
        ))
        .hint("pass `--provider claude` or `--provider codex`, or add it under `agents:` in .codexa/config.yaml"));
    };
    Provider::parse(&entry.provider).ok_or_else(|| {
        Error::user(format!(
            "participant `{participant}` has provider `{}` in config; sessions are recorded for claude and codex",
            entry.provider
        ))
        .hint("pass `--provider claude` or `--provider codex`")
    })
}
