//! `codexa hook claude|codex`: the agent runs this on its hook events with
//! a JSON payload; on `PreToolUse` and `PermissionRequest` codexa maps the
//! tool call to an action (see `actions`), asks the policy gate, records
//! `policy.evaluated`, and answers in the agent's own JSON
//! (`permissionDecision: allow|deny|ask`). A `require_approval` opens an
//! approval request (idempotent) and answers `ask`.
//!
//! This runs on every tool call an agent makes, so it must be quick and it
//! must never block the agent by accident: a payload that does not parse,
//! an empty stdin or any internal error is logged to
//! `<store>/cache/hooks.log` and answered with `hooks.fail_mode` (ask by
//! default), and the process always exits 0.
//!
//! Every event that names a session is also recorded for `watch` (see
//! `sessions`): the raw payload to the spool, the session's state (with
//! the tmux pane from `$TMUX_PANE`), and a transition, if it is one, to
//! the event log. Recording never changes the gate's answer: a failure
//! there is logged and the gate goes on. Events other than the two gated
//! ones are answered with nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Provider;
use super::actions::{self, Call};
use super::classify::AgentNames;
use super::sessions::{self, Observation, PaneContext};
use super::shell::{Reading, RepoView};
use crate::domain::aliases;
use crate::domain::approvals::{self, NewRequest};
use crate::domain::gate::{self, Question};
use crate::domain::identity::{self, Speaker};
use crate::domain::policy::{Decision, Verdict};
use crate::error::{Error, Result};
use crate::store::{NewEvent, Store, StreamRef};
use crate::workspace::Workspace;

/// The log of hook failures, under the store.
pub const LOG_FILE: &str = "hooks.log";
/// Every answer's reason starts with this, so a person reading the agent's
/// transcript knows who decided.
pub const REASON_PREFIX: &str = "codexa policy:";
/// The fail mode until the config is read, or when it cannot be: the
/// schema's default, restated because the hook answers events it does not
/// gate before it reads any config or schema (a test keeps the two equal).
pub const DEFAULT_FAIL_MODE: Permission = Permission::Ask;

/// The agent's words for the gate's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    Allow,
    Deny,
    Ask,
}

impl Permission {
    pub fn parse(text: &str) -> Option<Permission> {
        match text {
            "allow" => Some(Permission::Allow),
            "deny" => Some(Permission::Deny),
            "ask" => Some(Permission::Ask),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Allow => "allow",
            Permission::Deny => "deny",
            Permission::Ask => "ask",
        }
    }

    fn of(v: Verdict) -> Permission {
        match v {
            Verdict::Allow => Permission::Allow,
            Verdict::Deny => Permission::Deny,
            Verdict::RequireApproval => Permission::Ask,
        }
    }
}

/// The decision as the agent reads it. Claude Code takes PreToolUse's as
/// `permissionDecision` (allow, deny or ask) with a reason, and
/// PermissionRequest's as `decision: {behavior: allow|deny, message}`, with
/// no "ask": to ask is to let the permission dialog it is about to show go
/// ahead, so that case is answered with silence (see `Outcome::of`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum HookSpecificOutput {
    #[serde(rename_all = "camelCase")]
    PreToolUse {
        hook_event_name: String,
        permission_decision: Permission,
        permission_decision_reason: String,
    },
    #[serde(rename_all = "camelCase")]
    PermissionRequest {
        hook_event_name: String,
        decision: Behavior,
    },
}

/// PermissionRequest's `decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Behavior {
    pub behavior: Permission,
    pub message: String,
}

/// The JSON printed on stdout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub hook_specific_output: HookSpecificOutput,
}

impl Answer {
    fn new(event: &str, decision: Permission, reason: String) -> Answer {
        let hook_specific_output = if event == "PermissionRequest" {
            HookSpecificOutput::PermissionRequest {
                hook_event_name: event.to_string(),
                decision: Behavior {
                    behavior: decision,
                    message: reason,
                },
            }
        } else {
            HookSpecificOutput::PreToolUse {
                hook_event_name: event.to_string(),
                permission_decision: decision,
                permission_decision_reason: reason,
            }
        };
        Answer {
            hook_specific_output,
        }
    }
}

/// What the hook does: answer, or stay silent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Silent,
    Answer(Answer),
    /// A Stop answered `{"decision": "block", "reason": …}`: the agent goes
    /// on with the reason as its next instruction (a trigger's hand-off).
    Block(String),
}

impl Outcome {
    /// The answer for `event`, or silence where the agent has no way to
    /// take it: PermissionRequest has no "ask" (its dialog is the asking).
    pub(crate) fn of(event: &str, decision: Permission, reason: String) -> Outcome {
        if event == "PermissionRequest" && decision == Permission::Ask {
            return Outcome::Silent;
        }
        Outcome::Answer(Answer::new(event, decision, reason))
    }

    /// Print it (one line of JSON, or nothing). Write errors are ignored:
    /// an agent that closed the pipe is not waiting for an answer.
    pub fn print(&self, out: &mut dyn Write) {
        let text = match self {
            Outcome::Silent => return,
            Outcome::Answer(a) => serde_json::to_string(a),
            Outcome::Block(reason) => {
                serde_json::to_string(&serde_json::json!({"decision": "block", "reason": reason}))
            }
        };
        if let Ok(text) = text {
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }
}

/// A hook payload, read leniently: only the fields used are looked at.
pub struct Payload {
    pub raw: Value,
}

impl Payload {
    pub fn parse(text: &str) -> Result<Payload> {
        if text.trim().is_empty() {
            return Err(Error::user("empty hook payload"));
        }
        let raw: Value = serde_json::from_str(text)
            .map_err(|e| Error::user(format!("hook payload is not JSON: {e}")))?;
        if !raw.is_object() {
            return Err(Error::user("hook payload is not a JSON object"));
        }
        Ok(Payload { raw })
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.raw.get(key).and_then(Value::as_str)
    }

    /// `hook_event_name`; none for a Codex `notify` payload (it has `type`).
    pub fn event(&self) -> Option<&str> {
        self.str("hook_event_name")
    }

    pub fn tool_name(&self) -> Option<&str> {
        self.str("tool_name")
    }

    pub fn cwd(&self) -> Option<PathBuf> {
        self.str("cwd").map(PathBuf::from).filter(|p| p.is_dir())
    }
}

/// Handle one payload from `provider` (parsed, or why it could not be),
/// `start` being where the hook runs, with the workspace at `start` when it
/// was already opened (see `hook_budget`). Never fails: problems become the
/// fail-mode answer (and a log line).
pub fn handle_payload(
    provider: Provider,
    start: &Path,
    payload: Result<Payload>,
    opened: Option<Workspace>,
) -> Outcome {
    let payload = match payload {
        Ok(p) => p,
        Err(e) => return fail(provider, start, None, &e),
    };
    let event = payload.event().map(str::to_string);
    match dispatch(provider, start, &payload, opened) {
        Ok(o) => o,
        Err(e) => fail(provider, start, event.as_deref(), &e),
    }
}

/// Answer the two gated events, then record the event for `watch`; every
/// other event (and Codex's `notify`) gets silence.
fn dispatch(
    provider: Provider,
    start: &Path,
    payload: &Payload,
    opened: Option<Workspace>,
) -> Result<Outcome> {
    let event = payload.event();
    let gated = matches!(event, Some("PreToolUse" | "PermissionRequest"));
    let observation = Observation::of(provider, &payload.raw);
    if observation.is_none() && !gated {
        return Ok(Outcome::Silent);
    }
    let ws = match opened {
        Some(ws) => ws,
        None => open(start, payload)?,
    };
    let outcome = match event {
        Some(event) if gated => {
            let _doing = crate::budget::doing("evaluating the policy");
            Some(gate(provider, &ws, start, payload, event))
        }
        _ => None,
    };
    if let Some(obs) = observation
        && ws.is_initialized()
    {
        let mut obs = obs;
        // A permission request the gate answered (allow or deny) never
        // shows its dialog: the agent goes on working.
        if obs.event == "PermissionRequest" && matches!(outcome, Some(Ok(Outcome::Answer(_)))) {
            obs.activity = Some(super::activity::Activity::Running);
        }
        let _doing = crate::budget::doing("recording the agent session for `watch`");
        if let Err(e) = record(provider, &ws, &obs, payload) {
            log(provider, start, Some(&ws.store), &e);
        }
        if ws.config.runs.record_tool_calls && !denied(outcome.as_ref()) {
            let _doing = crate::budget::doing("recording the tool call on the agent's run");
            let recorded = actor(provider, &ws).and_then(|who| {
                crate::domain::runs::tool_calls::from_hook(&ws, &who, &obs.event, &payload.raw)
            });
            if let Err(e) = recorded {
                log(provider, start, Some(&ws.store), &e);
            }
        }
        let _doing = crate::budget::doing("looking for a prompt handed over at Stop");
        match handoff_at(provider, &ws, &obs) {
            Ok(Some(prompt)) => return Ok(Outcome::Block(prompt)),
            Ok(None) => {}
            Err(e) => {
                log(provider, start, Some(&ws.store), &e);
            }
        }
    }
    outcome.unwrap_or(Ok(Outcome::Silent))
}

/// Did the gate refuse the tool call (so it never runs)?
fn denied(outcome: Option<&Result<Outcome>>) -> bool {
    let Some(Ok(Outcome::Answer(a))) = outcome else {
        return false;
    };
    match &a.hook_specific_output {
        HookSpecificOutput::PreToolUse {
            permission_decision,
            ..
        } => *permission_decision == Permission::Deny,
        HookSpecificOutput::PermissionRequest { decision, .. } => {
            decision.behavior == Permission::Deny
        }
    }
}

/// At a Claude session's Stop, a prompt a trigger queued for it, if any;
/// a prompt a person submitted ends a run of hand-offs.
fn handoff_at(provider: Provider, ws: &Workspace, obs: &Observation) -> Result<Option<String>> {
    use crate::trigger::handoff;
    if provider != Provider::Claude {
        return Ok(None);
    }
    match obs.event.as_str() {
        "Stop" => {
            // Only a pending job for this session's participant that the
            // log shows was requested through the gate. Asked only when a
            // job is queued: most Stops find none and read nothing more.
            let vouch = |job: &str, prompt: &str| {
                let participant = sessions::load(&ws.store, provider, &obs.session_id)
                    .and_then(|s| s.participant);
                crate::trigger::jobs::load(&ws.store, job).is_ok_and(|j| {
                    j.prompt == prompt
                        && !j.finished()
                        && participant.as_deref() == Some(j.target.as_str())
                        && crate::trigger::jobs::on_record(ws, &j).unwrap_or(false)
                })
            };
            let max = ws.config.trigger.max_handoffs;
            Ok(
                handoff::take_at_stop(&ws.store, provider, &obs.session_id, max, &vouch)?
                    .map(|(_, prompt)| prompt),
            )
        }
        "UserPromptSubmit" => {
            handoff::reset(&ws.store, provider, &obs.session_id);
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// Spool the payload, fold it into its session's state, and append the
/// transition it makes, if any.
fn record(provider: Provider, ws: &Workspace, obs: &Observation, payload: &Payload) -> Result<()> {
    let now = crate::clock::now_ms();
    let names = AgentNames::from_config(&ws.config.watch);
    let ctx = PaneContext::from_env(&|program| names.provider_of(program).is_some());
    // The process's first binding names it, whatever `CODEXA_AGENT` a
    // child of the agent claims (see `identity::bound_participant`).
    let named = ctx
        .agent_pid
        .and_then(|pid| crate::domain::identity::bound_participant(&ws.store, pid))
        .or_else(|| {
            std::env::var("CODEXA_AGENT")
                .ok()
                .filter(|a| !a.trim().is_empty())
        });
    let transition = sessions::observe(&ws.store, obs, &ctx, named.as_deref(), now);
    // The spool line last: `watch` re-reads the session files when the
    // spool grows, so the state must be in place by then.
    sessions::spool(&ws.store, provider, &payload.raw, now, &ctx);
    let Some(t) = transition? else {
        return Ok(());
    };
    let who = actor(provider, ws)?;
    if matches!(t.kind, "agent.session_started" | "agent.session_bound")
        && let Some(state) = sessions::load(&ws.store, provider, &obs.session_id)
    {
        let log = |s: &_, t| crate::agents::launch::log_transition(ws, &who, s, t);
        sessions::registry::supersede(&ws.store, &state, now, &log)?;
    }
    let stream = StreamRef {
        kind: "agent_session".into(),
        id: obs.session_id.clone(),
    };
    let mut data = t.data;
    data["participant"] = serde_json::Value::String(who.name.clone());
    ws.append(vec![NewEvent::new(t.kind, stream, who.actor(), data)])?;
    Ok(())
}

/// Who asks: `$CODEXA_AGENT` when set, else an agent named after the
/// provider (with its role when config names it).
pub fn actor(provider: Provider, ws: &Workspace) -> Result<Speaker> {
    let from_env = std::env::var("CODEXA_AGENT")
        .ok()
        .is_some_and(|a| !a.trim().is_empty());
    if from_env {
        return identity::resolve(&ws.store, &ws.config, None);
    }
    let name = provider.as_str();
    let mut who =
        identity::participant(&ws.config, name).unwrap_or_else(|| Speaker::agent(name, Some(name)));
    who.kind = "agent".into();
    Ok(who)
}

fn open(start: &Path, payload: &Payload) -> Result<Workspace> {
    match Workspace::open(start) {
        Ok(ws) => Ok(ws),
        Err(e) => match payload.cwd() {
            Some(cwd) if cwd != start => Workspace::open(&cwd),
            _ => Err(e),
        },
    }
}

/// A `codexa` among the programs a command line runs (through wrappers,
/// aliases, `sh -c` bodies, `find -exec`, `xargs`, …) that decides (see
/// `aliases::decides`) or runs a phrase that may (`ask`), as
/// `program arg…`.
fn deciding_command(reading: &Reading) -> Option<String> {
    reading
        .commands
        .iter()
        .filter(|c| c.program == "codexa")
        .find(|c| {
            let argv: Vec<String> = c.args.iter().map(|w| w.text.clone()).collect();
            aliases::decides(&argv).is_some()
                || aliases::command_words(&argv).first() == Some(&"ask")
        })
        .map(|c| c.line())
}

fn gate(
    provider: Provider,
    ws: &Workspace,
    start: &Path,
    payload: &Payload,
    event: &str,
) -> Result<Outcome> {
    let who = actor(provider, ws)?;
    let tool = payload
        .tool_name()
        .ok_or_else(|| Error::user(format!("{event} payload has no tool_name")))?;
    let null = Value::Null;
    let input = payload.raw.get("tool_input").unwrap_or(&null);
    let cwd = payload.cwd().unwrap_or_else(|| start.to_path_buf());
    let repo = RepoView::new(ws.store.workdir.clone());
    let call = Call::new(tool, input, &cwd, &ws.store.workdir).in_repo(&ws.store.common_dir, &repo);
    // An agent's own tool call deciding an approval (or running a phrase
    // that may) is refused outright, before any table or policy: the codexa
    // it would start refuses too, but a refusal here costs the agent no
    // turn and names the reason before anything runs.
    if let Some(found) = deciding_command(call.reading()) {
        return Ok(Outcome::of(
            event,
            Permission::Deny,
            format!(
                "{REASON_PREFIX} agents_may_not_decide: `{found}` decides approvals, which only a person does; ask the person to run it"
            ),
        ));
    }
    let rules = actions::table(&ws.config.hooks);
    let user_rules = rules.len() - actions::defaults().len();
    let mapped = actions::map(&rules, user_rules, &call)?;

    // The same gate, and the same `policy.evaluated` record, as `policy eval`.
    let decision = gate::eval(
        ws,
        &who,
        Question {
            action: &mapped.action,
            subject: mapped.subject.as_deref(),
            zone: None,
        },
    )?;
    let mut reason = render(&decision);
    if decision.decision == Verdict::RequireApproval {
        match decision.subject.as_deref() {
            Some(subject) => {
                let why = format!(
                    "{} hook: {tool} {}",
                    provider.as_str(),
                    call.command().unwrap_or(subject)
                );
                let (approval, _new) = approvals::request(
                    ws,
                    &who,
                    NewRequest {
                        action: &decision.action,
                        subject,
                        kind: None,
                        reason: Some(&why),
                        expires: None,
                    },
                )?;
                reason.push_str(&format!(
                    "; approval {id} is {status}: a person runs `codexa approve {id}`, then retry",
                    id = approval.id,
                    status = approval.status
                ));
            }
            None => reason.push_str("; no subject, so no approval can be requested"),
        }
    }
    // Only the default said allow: no rule has an opinion, so the agent's
    // own permission settings decide (answering `allow` would switch off
    // the prompts its user configured for every tool call).
    if decision.decision == Verdict::Allow && decision.rule.is_none() && decision.approval.is_none()
    {
        return Ok(Outcome::Silent);
    }
    Ok(Outcome::of(
        event,
        Permission::of(decision.decision),
        reason,
    ))
}

/// `codexa policy: git_push_requires_approval (rule git-push): git.push on origin/main`.
pub fn render(d: &Decision) -> String {
    let rule = match &d.rule {
        Some(r) => format!("rule {r}"),
        None => "default".into(),
    };
    let on = d
        .subject
        .as_deref()
        .map(|s| format!(" on {s}"))
        .unwrap_or_default();
    format!(
        "{REASON_PREFIX} {} ({rule}): {}{on} by {}",
        d.reason_code, d.action, d.actor
    )
}

/// Log `err` (best effort) and answer with the fail mode: only the gated
/// events, or a payload too broken to say which event it is, get an answer.
fn fail(provider: Provider, start: &Path, event: Option<&str>, err: &Error) -> Outcome {
    let event = match event {
        None => "PreToolUse",
        Some(e @ ("PreToolUse" | "PermissionRequest")) => e,
        Some(_) => {
            log(provider, start, None, err);
            return Outcome::Silent;
        }
    };
    let _doing = crate::budget::doing(format!(
        "answering with the fail mode after: {}",
        err.message()
    ));
    let (mode, store) = match Workspace::open(start) {
        Ok(ws) => (ws.config.hooks.fail_mode, Some(ws.store)),
        Err(_) => (DEFAULT_FAIL_MODE, Store::locate(start).ok()),
    };
    let logged = log(provider, start, store.as_ref(), err);
    // A wait that gave up at the time budget's deadline: say so, with the
    // cause (`database is locked`), so the person sees what was slow.
    let (code, why) = if crate::budget::passed() {
        ("hook_timeout", crate::error::chain_text(err))
    } else {
        ("hook_error", err.message().to_string())
    };
    Outcome::of(
        event,
        mode,
        fail_reason(code, mode, &why, logged.as_deref()),
    )
}

/// The reason of a fail-mode answer: `codexa policy: CODE (fail mode M):
/// WHY`, and where it was logged.
pub(crate) fn fail_reason(
    code: &str,
    mode: Permission,
    why: &str,
    logged: Option<&Path>,
) -> String {
    let mut reason = format!(
        "{REASON_PREFIX} {code} (fail mode {}): {why}",
        mode.as_str()
    );
    if let Some(path) = logged {
        reason.push_str(&format!("; logged to {}", path.display()));
    }
    reason
}

/// Append one line to `<store>/cache/hooks.log`; the path when it worked.
pub(crate) fn log(
    provider: Provider,
    start: &Path,
    store: Option<&Store>,
    err: &Error,
) -> Option<PathBuf> {
    let located;
    let store = match store {
        Some(s) => s,
        None => {
            located = Store::locate(start).ok()?;
            &located
        }
    };
    let dir = store.cache_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join(LOG_FILE);
    let mut line = format!(
        "{} {} {}",
        crate::clock::format_ms(crate::clock::now_ms()),
        provider.as_str(),
        err.message()
    );
    if let Some(h) = err.hint_text() {
        line.push_str(&format!(" (hint: {h})"));
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    writeln!(f, "{}", line.replace('\n', " ")).ok()?;
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::shell::NoRepo;

    #[test]
    fn answers_are_the_agents_json() {
        let a = Answer::new("PreToolUse", Permission::Ask, "codexa policy: x".into());
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"codexa policy: x"}}"#
        );
        let d = Answer::new(
            "PermissionRequest",
            Permission::Deny,
            "codexa policy: y".into(),
        );
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"codexa policy: y"}}}"#
        );
        assert_eq!(
            Outcome::of("PermissionRequest", Permission::Ask, String::new()),
            Outcome::Silent
        );
    }

    #[test]
    fn payloads_parse_leniently() {
        let p = Payload::parse(r#"{"hook_event_name":"Stop","new_field":[1,2]}"#).unwrap();
        assert_eq!(p.event(), Some("Stop"));
        assert!(Payload::parse("").is_err());
        assert!(Payload::parse("[1]").is_err());
        assert!(Payload::parse("{").is_err());
    }

    #[test]
    fn deciding_commands_are_found_behind_doors() {
        let found = |line: &str| deciding_command(&crate::agents::shell::read(line, &NoRepo));
        for line in [
            "codexa approve appr_1",
            "codexa -C . --format json deny appr_1",
            "nohup codexa hold x",
            "sh -c 'codexa ask \"approve x\"'",
            "env -S 'codexa approve x'",
            "find . -exec codexa approve x \\;",
            "xargs -n1 codexa approve",
            "git -c 'alias.a=!codexa approve' a x",
            "codexa events accept w1",
            "codexa events --format json accept w1",
        ] {
            assert!(found(line).is_some(), "{line}");
        }
        for line in [
            "codexa approvals",
            "codexa events tail",
            "echo codexa approve x",
            "codexa policy eval --action approve",
        ] {
            assert_eq!(found(line), None, "{line}");
        }
    }

    #[test]
    fn fail_mode_defaults_to_ask() {
        assert_eq!(crate::config::defaults().hooks.fail_mode, Permission::Ask);
        assert_eq!(DEFAULT_FAIL_MODE, crate::config::defaults().hooks.fail_mode);
        let v = serde_json::json!({"hooks": {"fail_mode": "deny"}});
        let config = crate::config::Config::from_value(v).unwrap();
        assert_eq!(config.hooks.fail_mode, Permission::Deny);
    }
}
