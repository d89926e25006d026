//! Starting and stopping a participant's agent: `codexa start` opens a tmux
//! window running the agent's program (an argument vector, never a shell
//! line), in a worktree of its own when asked, with the first prompt as its
//! last argument, and binds the pane before the agent says a word: Claude
//! gets the session id codexa chose (`--session-id`), so its first hook
//! lands on a binding that already exists. `codexa stop` interrupts it,
//! closes the pane after a grace period, and ends the binding; the worktree
//! stays.

use serde::Serialize;
use serde_json::json;

use super::Provider;
use super::sessions::{SessionState, Transition, registry};
use crate::domain::governance::{self, Blocked};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::{NewEvent, StreamRef};
use crate::tmux::{Client, Tmux};
use crate::workspace::Workspace;
use crate::worktrees;

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub participant: String,
    pub prompt: Option<String>,
    /// Make a worktree: its name (none: `<participant>-<short id>`).
    pub worktree: Option<Option<String>>,
    /// The ref a worktree starts from.
    pub from: String,
    pub window: Option<String>,
    /// The planned change it is started for: `(LP-nnn, CH-nnn)`.
    pub change: Option<(String, String)>,
    /// The policy zone the gate is asked about (a planned change's).
    pub zone: Option<String>,
}

/// A change's brief from the latest plan, as a first prompt: `(LP-nnn,
/// the change's policy zone, the prompt)`; refused (exit 3) while an
/// approval the change requires is not granted. The brief opens with a markdown
/// heading, which an agent would take as a command of its own at the start
/// of a prompt, so it is introduced.
pub fn brief(ws: &Workspace, change: &str) -> Result<(String, String, String)> {
    let root = &ws.store.workdir;
    let Some((_, lp)) = crate::loops::existing(root)?.pop() else {
        return Err(Error::user("no loop plan to take a brief from")
            .hint("make one with `codexa loop plan`, then `codexa seed --from loop-plan`"));
    };
    let plan = crate::loops::files::load_plan(root, &lp)?;
    let Some(c) = plan.changes.iter().find(|c| c.id == change) else {
        let ids: Vec<&str> = plan.changes.iter().map(|c| c.id.as_str()).collect();
        return Err(Error::user(format!("{lp} has no change {change}"))
            .hint(format!("its changes: {}", ids.join(", "))));
    };
    let rel = format!("{}/{lp}/seeds/{change}.md", crate::loops::LOOPS);
    let text = std::fs::read_to_string(root.join(&rel)).map_err(|_| {
        Error::user(format!("{rel} is not written yet"))
            .hint("run `codexa seed --from loop-plan` first")
    })?;
    // Started on a change, the agent works on it: the approvals the plan
    // requires come first, as for `seed --start`.
    let approvals = crate::domain::approvals::list(ws)?;
    let waiting: Vec<String> = c
        .approvals
        .iter()
        .filter(|need| {
            !approvals.iter().any(|a| {
                a.action == need.action
                    && a.subject == need.subject
                    && a.kind == need.kind
                    && a.status == "approved"
            })
        })
        .map(|need| format!("{} approval of {} {}", need.kind, need.action, need.subject))
        .collect();
    if !waiting.is_empty() {
        return Err(
            Error::blocked(format!("{change} waits for {}", waiting.join(", ")))
                .hint("`codexa approvals` lists what waits for a person"),
        );
    }
    Ok((
        lp,
        c.gate.zone.clone(),
        format!("Your brief for {change}:\n\n{text}"),
    ))
}

/// What was started.
#[derive(Debug, Clone, Serialize)]
pub struct Started {
    pub participant: String,
    pub provider: String,
    pub pane: String,
    pub session_id: String,
    pub cwd: String,
    pub worktree: Option<worktrees::Created>,
    pub argv: Vec<String>,
    /// What would keep codexa from hearing the agent: hooks not installed
    /// where it starts, or (Codex) not trusted.
    pub warnings: Vec<String>,
}

/// A UUID (version 4 layout) from a ULID's 128 bits: Claude takes only a
/// UUID for `--session-id`.
fn uuid_from(bits: u128) -> String {
    let b = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let h = format!("{b:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn stream(participant: &str) -> StreamRef {
    StreamRef {
        kind: "agent".into(),
        id: participant.to_string(),
    }
}

/// The argument vector for `participant`: `agents.<name>.command`, else the
/// provider's program; Claude's session id; then the prompt (after `--`
/// when it starts with `-`).
pub fn argv(
    command: &[String],
    provider: Provider,
    session_id: Option<&str>,
    prompt: Option<&str>,
) -> Vec<String> {
    let mut argv = command.to_vec();
    if provider == Provider::Claude
        && let Some(id) = session_id
    {
        argv.extend(["--session-id".to_string(), id.to_string()]);
    }
    if let Some(p) = prompt {
        if p.starts_with('-') {
            argv.push("--".into());
        }
        argv.push(p.to_string());
    }
    argv
}

/// Start `l.participant`'s agent: the gate (`agent.start`), the worktree,
/// the window, the binding, `agent.started`. The refusal, if the gate
/// refuses (recorded as `governance.blocked`), with nothing started.
pub fn start(
    ws: &Workspace,
    who: &Speaker,
    l: &Launch,
    tmux: &Tmux,
    record: &dyn Fn(&SessionState, Transition) -> Result<()>,
) -> Result<std::result::Result<Started, Blocked>> {
    let Some(agent) = ws.config.agents.get(&l.participant) else {
        return Err(
            Error::user(format!("{} is not a participant in config", l.participant))
                .hint("add it under `agents:` in .codexa/config.yaml, with its provider"),
        );
    };
    let provider = Provider::parse(&agent.provider)
        .filter(|p| matches!(p, Provider::Claude | Provider::Codex));
    let command: Vec<String> = match (&agent.command, provider) {
        (Some(c), _) => c.clone(),
        (None, Some(p)) => vec![p.as_str().to_string()],
        (None, None) => {
            return Err(Error::user(format!(
                "{} has provider `{}` and no `command`: codexa does not know what to run",
                l.participant, agent.provider
            ))
            .hint(format!(
                "set agents.{}.command in .codexa/config.yaml",
                l.participant
            )));
        }
    };
    if let Some(p) = &l.prompt {
        crate::trigger::check_prompt(p)?;
    }
    check_program(&command, &l.participant)?;
    if let Some(w) = &l.window {
        worktrees::check_name(w).map_err(|_| {
            Error::user(format!("`{w}` is not a window name"))
                .hint("use letters, digits, `.`, `_` and `-`")
        })?;
    }
    // A first prompt wakes the agent with it: the same rules as `trigger`
    // (who may wake whom, and how often).
    if l.prompt.is_some()
        && let Some(b) = wake_refusal(ws, who, &l.participant)?
    {
        ws.append(vec![b.event(who, stream(&l.participant))])?;
        return Ok(Err(b));
    }
    let q = crate::domain::gate::Question {
        action: "agent.start",
        subject: Some(&l.participant),
        zone: l.zone.as_deref(),
    };
    let decision = crate::domain::gate::judge(ws, who, q)?.decision;
    if decision.decision != crate::domain::policy::Verdict::Allow {
        let b = governance::refusal(
            "agent.start",
            who,
            &decision.reason_code,
            format!(
                "the policy answers {} to starting {}{}",
                decision.decision.as_str(),
                l.participant,
                decision
                    .rule
                    .map(|r| format!(" (rule {r})"))
                    .unwrap_or_default()
            ),
            None,
        );
        ws.append(vec![b.event(who, stream(&l.participant))])?;
        return Ok(Err(b));
    }
    let now = crate::clock::now_ms();
    let ulid = crate::clock::ulid_at(now, &format!("start:{}", l.participant));
    let short = ulid.to_string()[20..].to_lowercase();
    let worktree = match &l.worktree {
        Some(name) => {
            let name = name
                .clone()
                .unwrap_or_else(|| format!("{}-{short}", l.participant));
            Some(worktrees::create(ws, who, &name, &l.participant, &l.from)?)
        }
        None => None,
    };
    let cwd = worktree
        .as_ref()
        .map(|w| std::path::PathBuf::from(&w.path))
        .unwrap_or_else(|| ws.store.workdir.clone());
    // Claude takes the id codexa gives it; Codex names its own thread,
    // bound by its first hook, so its pane is bound now under a stand-in id.
    let provider = provider.unwrap_or(Provider::Claude);
    let session_id = match provider {
        Provider::Claude if agent.command.is_none() => uuid_from(ulid.0),
        _ => format!("start-{}", ulid.to_string().to_lowercase()),
    };
    let claude_id =
        (provider == Provider::Claude && agent.command.is_none()).then_some(session_id.as_str());
    let argv = argv(&command, provider, claude_id, l.prompt.as_deref());
    let session = match &ws.config.tmux.session {
        Some(name) => tmux_name(name),
        None => folder_name(&ws.store.workdir),
    };
    let window = l.window.clone().unwrap_or_else(|| l.participant.clone());
    let mut vars = vec![("CODEXA_AGENT".to_string(), l.participant.clone())];
    if let Ok(s) = std::env::var(crate::tmux::SOCKET_ENV) {
        vars.push((crate::tmux::SOCKET_ENV.to_string(), s));
    }
    let warnings = hook_warnings(provider, &cwd);
    let pane = match tmux.open_window(&session, &window, &cwd, &vars, &argv) {
        Ok(p) => p,
        Err(e) => {
            // The worktree was made for this agent a moment ago and holds
            // nothing yet: it goes with the start that failed.
            if let Some(w) = &worktree {
                let _ = worktrees::remove(ws, who, &w.name, true, true);
            }
            return Err(e);
        }
    };
    let row = registry::pane_row(tmux, &pane).map_err(|_| {
        Error::io(format!(
            "{}'s program `{}` ended as soon as it started: its pane {pane} is gone",
            l.participant, command[0]
        ))
        .hint(format!(
            "run `{}` by hand in {} to see why, or fix agents.{}.command",
            command.join(" "),
            cwd.display(),
            l.participant
        ))
    })?;
    let req = registry::BindRequest {
        participant: l.participant.clone(),
        provider,
        session_id: session_id.clone(),
        pane: row,
        cwd: Some(cwd.to_string_lossy().into_owned()),
        transcript: None,
    };
    registry::bind(&ws.store, &req, now, record)?;
    let started = Started {
        participant: l.participant.clone(),
        provider: provider.as_str().to_string(),
        pane,
        session_id,
        cwd: cwd.to_string_lossy().into_owned(),
        worktree,
        argv,
        warnings,
    };
    let mut data = serde_json::to_value(&started).unwrap_or_default();
    data["worktree"] = json!(started.worktree.as_ref().map(|w| &w.name));
    if let Some((lp, ch)) = &l.change {
        data["loop"] = json!(lp);
        data["change"] = json!(ch);
    }
    ws.append(vec![NewEvent::new(
        "agent.started",
        stream(&l.participant),
        who.actor(),
        data,
    )])?;
    Ok(Ok(started))
}

/// `who` may not give `participant` a prompt: authority (`wake`) or the
/// rate guard on wakes.
fn wake_refusal(ws: &Workspace, who: &Speaker, participant: &str) -> Result<Option<Blocked>> {
    let target = crate::domain::identity::participant(&ws.config, participant)
        .unwrap_or_else(|| Speaker::agent(participant, None));
    let (allowed, why) = governance::authority(
        &ws.config.governance,
        "wake",
        &who.labels(),
        &target.labels(),
    );
    if !allowed {
        return Ok(Some(governance::refusal(
            "agent.start",
            who,
            "authority_denied",
            format!(
                "{} may not give {participant} a prompt ({})",
                who.name,
                why.unwrap_or_else(|| "governance.authority.default is deny".into())
            ),
            None,
        )));
    }
    let index = crate::store::index::Index::open(&ws.store)?;
    let now = crate::clock::now_ms();
    governance::check_wake(
        &ws.config.governance,
        &index,
        &ws.store.events_dir(),
        who,
        None,
        now,
    )
}

/// The program `command` runs can be found: a path that is an executable
/// file, or a name on PATH. Checked before anything is made, so a missing
/// agent CLI is a plain error, not a window that closes at once.
fn check_program(command: &[String], participant: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let program = &command[0];
    let found = if program.contains('/') {
        std::fs::metadata(program).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    } else {
        crate::doctor::on_path(program).is_some()
    };
    if found {
        return Ok(());
    }
    Err(Error::not_found(format!(
        "`{program}`, {participant}'s program, is not installed here (not on PATH)"
    ))
    .hint(format!(
        "install it, or set agents.{participant}.command in .codexa/config.yaml"
    )))
}

/// Why the agent's hooks may not run where it starts (see `hook_trust`).
fn hook_warnings(provider: Provider, dir: &std::path::Path) -> Vec<String> {
    use super::hook_trust;
    match provider {
        Provider::Claude if !hook_trust::claude_hooked(dir) => vec![format!(
            "codexa's Claude hooks are not installed for {} (nor in ~/.claude/settings.json): the agent will not be gated or heard from; run `codexa hooks install --claude`",
            dir.display()
        )],
        Provider::Codex => {
            let home = hook_trust::codex_home();
            match hook_trust::untrusted_codex(dir, home.as_deref()) {
                Some((file, _)) => vec![format!(
                    "codexa's Codex hooks in {} are not trusted: Codex skips them silently; approve them under /hooks in codex (see `codexa doctor`)",
                    file.display()
                )],
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn folder_name(dir: &std::path::Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "codexa".into());
    tmux_name(&name)
}

/// A session name tmux keeps as given: it reads `.` and `:` in a target as
/// window and pane separators, and expands `#` as a format.
fn tmux_name(name: &str) -> String {
    name.replace(['.', ':', '#'], "_")
}

/// Append a binding's transition to the log, as the hooks append theirs,
/// by whoever made it (`start`, `stop`, `session bind`).
pub fn log_transition(
    ws: &Workspace,
    who: &Speaker,
    s: &SessionState,
    t: Transition,
) -> Result<()> {
    let stream = StreamRef {
        kind: "agent_session".into(),
        id: s.session_id.clone(),
    };
    ws.append(vec![NewEvent::new(t.kind, stream, who.actor(), t.data)])?;
    Ok(())
}

/// The planned changes agents were started for: `(LP-nnn, CH-nnn)` of
/// every `agent.started` that names one.
pub fn started_changes(ws: &Workspace) -> Result<std::collections::BTreeSet<(String, String)>> {
    let index = crate::store::index::Index::open(&ws.store)?;
    let filter = crate::store::index::Filter {
        kind: Some("agent.started".into()),
        ..Default::default()
    };
    let events = index.events(&ws.store.events_dir(), &filter, None, false)?;
    Ok(events
        .iter()
        .filter_map(|e| {
            let lp = e.data.get("loop")?.as_str()?;
            let ch = e.data.get("change")?.as_str()?;
            Some((lp.to_string(), ch.to_string()))
        })
        .collect())
}

/// What `stop` did to one session.
#[derive(Debug, Clone, Serialize)]
pub struct Stopped {
    pub participant: String,
    pub pane: String,
    pub session_id: String,
    /// The pane had to be closed after the grace period.
    pub killed: bool,
}

/// Stop `participant`'s live agents: Ctrl-C, then, after `grace` without
/// the pane going away, close it; end each binding and record
/// `agent.stopped`. The worktree stays.
pub fn stop(
    ws: &Workspace,
    who: &Speaker,
    participant: &str,
    tmux: &Tmux,
    clock: &dyn crate::clock::Clock,
    record: &dyn Fn(&SessionState, Transition) -> Result<()>,
) -> Result<Vec<Stopped>> {
    let live = registry::live_for(&ws.store, participant);
    if live.is_empty() {
        return Err(
            Error::not_found(format!("no live session of {participant}"))
                .hint("`codexa session list` shows the sessions"),
        );
    }
    let grace = std::time::Duration::from_millis(ws.config.tmux.stop_grace_ms.max(0) as u64);
    let names = super::classify::AgentNames::from_config(&ws.config.watch);
    let mut out = Vec::new();
    for s in live {
        let Some(pane) = s.pane.clone() else { continue };
        // The server the binding was made on, and only while the pane
        // still runs the agent it names: a pane id is reused, and a stale
        // binding may name a person's shell now.
        let server = match &s.socket {
            Some(sock) => Tmux::with_socket(sock.clone()),
            None => tmux.clone(),
        };
        let ours = crate::trigger::pane_alive(&server, &s, &names);
        let here = |t: &Tmux| {
            t.list_panes()
                .is_ok_and(|rows| rows.iter().any(|r| r.id == pane))
        };
        let mut killed = false;
        if ours {
            let _ = server.interrupt(&pane);
            let start = clock.instant();
            while here(&server) && clock.instant().duration_since(start) < grace {
                clock.sleep(std::time::Duration::from_millis(100));
            }
            killed = here(&server) && crate::trigger::pane_alive(&server, &s, &names);
            if killed {
                server.kill_pane(&pane)?;
            }
        }
        let now = crate::clock::now_ms();
        registry::unbind(&ws.store, &s, now, record)?;
        let stopped = Stopped {
            participant: participant.to_string(),
            pane,
            session_id: s.session_id.clone(),
            killed,
        };
        ws.append(vec![NewEvent::new(
            "agent.stopped",
            stream(participant),
            who.actor(),
            serde_json::to_value(&stopped).unwrap_or_default(),
        )])?;
        out.push(stopped);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_uuids_and_prompts_the_last_argument() {
        let id = uuid_from(u128::MAX);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "{id}");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        let c = vec!["claude".to_string()];
        assert_eq!(
            argv(&c, Provider::Claude, Some("u-1"), Some("-n do $(x)")),
            ["claude", "--session-id", "u-1", "--", "-n do $(x)"]
        );
        let x = vec!["codex".to_string(), "--full-auto".to_string()];
        assert_eq!(
            argv(&x, Provider::Codex, None, Some("go")),
            ["codex", "--full-auto", "go"]
        );
    }
}
