//! The session registry: what the session files say binds a participant
//! to a pane instance, a provider's session id, a working directory and a
//! transcript, read for `codexa session list|show` and for other code
//! ([`live_for`], [`find`]); and bindings made or ended by hand ([`bind`],
//! [`unbind`]) for an agent started without hooks.
//!
//! A binding by hand goes through the same lock and the same file as a
//! hook's, marked `evidence: bind`, so every reader of the files (`watch`,
//! who-is-speaking) sees it as it sees the hooks' own. The pure parts
//! ([`pick`], [`bound`], [`row`], the guards) take their inputs as values,
//! so unit tests need no files.

use serde::Serialize;
use serde_json::{Value, json};

use super::state::{BoundBy, SessionState, Transition};
use super::{file_name, load, load_all, lock_session, save, sessions_dir};
use crate::agents::Provider;
use crate::agents::activity::Activity;
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tmux::{Client, PaneRow};

/// The `hook_event` of the `agent.*` event a binding by hand records.
pub const BIND_EVENT: &str = "session bind";
/// The `hook_event` of the `agent.session_ended` an unbinding records.
pub const UNBIND_EVENT: &str = "session unbind";

/// What tells a reader how to see the sessions, in every lookup error.
const LIST_HINT: &str = "list the sessions with `codexa session list --all`";

/// The name a session speaks as: its participant, else its provider, the
/// name the hooks give an agent started without `$CODEXA_AGENT`.
pub fn owner(s: &SessionState) -> &str {
    s.participant.as_deref().unwrap_or(s.provider.as_str())
}

/// Bound to a pane and not ended. A session whose agent died without
/// saying so stays live here until a hook ends it or it is unbound: the
/// files cannot tell; `watch` checks the pane's processes as well.
pub fn is_live(s: &SessionState) -> bool {
    !s.ended() && s.pane.is_some()
}

/// Newest last seen first; the provider and id break ties, so the order
/// is the same on every run.
fn newest_first(sessions: &mut [SessionState]) {
    sessions.sort_by(|a, b| {
        b.last_ms
            .cmp(&a.last_ms)
            .then_with(|| a.provider.as_str().cmp(b.provider.as_str()))
            .then_with(|| a.session_id.cmp(&b.session_id))
    });
}

/// Every session on this machine, newest last seen first; ended ones only
/// with `all`.
pub fn list(store: &Store, all: bool) -> Vec<SessionState> {
    let mut sessions: Vec<SessionState> = load_all(store)
        .into_iter()
        .filter(|s| all || !s.ended())
        .collect();
    newest_first(&mut sessions);
    sessions
}

/// The live sessions (see [`is_live`]) whose participant is
/// `participant`, newest last seen first. Only a session that names its
/// participant counts: one the hooks recorded without `$CODEXA_AGENT` is
/// named after its provider, which is no participant's claim.
pub fn live_for(store: &Store, participant: &str) -> Vec<SessionState> {
    let mut sessions: Vec<SessionState> = load_all(store)
        .into_iter()
        .filter(|s| is_live(s) && s.participant.as_deref() == Some(participant))
        .collect();
    newest_first(&mut sessions);
    sessions
}

/// The session `reference` names on this machine; see [`pick`].
pub fn find(store: &Store, reference: &str) -> Result<SessionState> {
    let mut sessions = load_all(store);
    newest_first(&mut sessions);
    pick(&sessions, reference).cloned()
}

/// The session `reference` names among `sessions` (newest first, as
/// [`list`] orders them), tried in this order: a pane `%N` (its newest
/// live session), a whole session id, a participant (their newest live
/// session), a prefix of one session id. A name that matches nothing, or
/// a prefix of several ids, is an error saying what to do.
pub fn pick<'a>(sessions: &'a [SessionState], reference: &str) -> Result<&'a SessionState> {
    let r = reference.trim();
    if r.is_empty() {
        return Err(Error::user("REF is empty: name a session").hint(format!(
            "give a session id, a participant or a pane `%N`; {LIST_HINT}"
        )));
    }
    let newest_live = |matching: &dyn Fn(&SessionState) -> bool, what: String| {
        let mut all = sessions.iter().filter(|s| matching(s)).peekable();
        all.peek()?;
        Some(
            all.clone()
                .filter(|s| is_live(s))
                .max_by_key(|s| s.last_ms)
                .ok_or_else(|| {
                    Error::not_found(format!(
                        "{what} has no live session ({} ended)",
                        all.count()
                    ))
                    .hint(format!("{LIST_HINT}, then name one by its session id"))
                }),
        )
    };
    if r.starts_with('%') {
        return newest_live(&|s| s.pane.as_deref() == Some(r), format!("pane {r}"))
            .unwrap_or_else(|| Err(no_match(r)));
    }
    let exact: Vec<&SessionState> = sessions.iter().filter(|s| s.session_id == r).collect();
    match exact.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => return Err(ambiguous(r, many)),
    }
    if let Some(found) = newest_live(
        &|s| s.participant.as_deref() == Some(r),
        format!("participant `{r}`"),
    ) {
        return found;
    }
    let prefixed: Vec<&SessionState> = sessions
        .iter()
        .filter(|s| s.session_id.starts_with(r))
        .collect();
    match prefixed.as_slice() {
        [one] => Ok(one),
        [] => Err(no_match(r)),
        many => Err(ambiguous(r, many)),
    }
}

fn no_match(r: &str) -> Error {
    Error::not_found(format!("no agent session matches `{r}`")).hint(format!(
        "REF is a session id (or a unique prefix of one), a participant or a pane `%N`; {LIST_HINT}"
    ))
}

fn ambiguous(r: &str, many: &[&SessionState]) -> Error {
    let names: Vec<String> = many
        .iter()
        .take(5)
        .map(|s| format!("{} {}", s.provider.as_str(), s.session_id))
        .collect();
    let more = if many.len() > names.len() {
        ", …"
    } else {
        ""
    };
    Error::user(format!(
        "`{r}` matches {} sessions ({}{more})",
        many.len(),
        names.join(", ")
    ))
    .hint("give more of the session id")
}

/// One session as `codexa session list|show --format json` prints it:
/// every key always there, null where unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Who the agent is; null when its hooks were not told.
    pub participant: Option<String>,
    /// `claude` or `codex`.
    pub provider: &'static str,
    pub session_id: String,
    /// The tmux pane `%N`.
    pub pane: Option<String>,
    /// The pane instance: the agent's process as its hook saw it, or the
    /// pane's process when bound by hand.
    pub agent_pid: Option<u32>,
    /// The tmux server's socket: pane ids are unique only within one.
    pub socket: Option<String>,
    pub cwd: Option<String>,
    pub transcript: Option<String>,
    pub title: Option<String>,
    pub model: Option<String>,
    pub activity: &'static str,
    /// The hook event that set `activity` (`session bind` for a session
    /// bound by hand that no hook has spoken for).
    pub event: String,
    /// `hook` (the agent's hooks bound it) or `bind` (bound by hand).
    pub evidence: &'static str,
    pub started_ms: i64,
    pub last_seen_ms: i64,
    /// How long ago it was last seen, by the clock's now (never negative).
    pub age_ms: i64,
    pub ended: bool,
    pub ended_ms: Option<i64>,
    /// Bound to a pane and not ended (see [`is_live`]).
    pub live: bool,
}

/// The keys of a [`Row`], in order: the documented shape, kept by a test.
pub const ROW_KEYS: [&str; 19] = [
    "participant",
    "provider",
    "session_id",
    "pane",
    "agent_pid",
    "socket",
    "cwd",
    "transcript",
    "title",
    "model",
    "activity",
    "event",
    "evidence",
    "started_ms",
    "last_seen_ms",
    "age_ms",
    "ended",
    "ended_ms",
    "live",
];

/// `s` as listed at `now`.
pub fn row(s: &SessionState, now: i64) -> Row {
    Row {
        participant: s.participant.clone(),
        provider: s.provider.as_str(),
        session_id: s.session_id.clone(),
        pane: s.pane.clone(),
        agent_pid: s.agent_pid,
        socket: s.socket.clone(),
        cwd: s.cwd.clone(),
        transcript: s.transcript.clone(),
        title: s.title.clone(),
        model: s.model.clone(),
        activity: s.activity.as_str(),
        event: s.event.clone(),
        evidence: s.evidence.as_str(),
        started_ms: s.started_ms,
        last_seen_ms: s.last_ms,
        age_ms: (now - s.last_ms).max(0),
        ended: s.ended(),
        ended_ms: s.ended_ms,
        live: is_live(s),
    }
}

/// What `codexa session bind` asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct BindRequest {
    pub participant: String,
    pub provider: Provider,
    pub session_id: String,
    /// The pane as tmux lists it now: its id, its server's socket, and
    /// its process, which pins the pane instance.
    pub pane: PaneRow,
    pub cwd: Option<String>,
    pub transcript: Option<String>,
}

/// The pane `pane` (`%N`) on the server `tmux` talks to, as listed now.
pub fn pane_row(tmux: &dyn Client, pane: &str) -> Result<PaneRow> {
    let rows = tmux.list_panes()?;
    let found = rows.iter().find(|r| r.id == pane).cloned();
    found.ok_or_else(|| {
        let seen = if rows.is_empty() {
            "no tmux server is running there, or it has no panes".to_string()
        } else {
            let ids: Vec<&str> = rows.iter().take(8).map(|r| r.id.as_str()).collect();
            let more = if rows.len() > ids.len() { ", …" } else { "" };
            format!("its panes are {}{more}", ids.join(", "))
        };
        Error::not_found(format!("`--pane {pane}`: no such tmux pane ({seen})")).hint(
            "list the panes with `tmux list-panes -a -F '#{pane_id} #{session_name}:#{window_index}.#{pane_index}'`; name another server with `--socket`",
        )
    })
}

/// The session `req` makes of `previous` (none: a new one) at `now`: bound
/// to the pane's current instance, by hand, live again if it had ended.
/// A live session another participant claims is not taken over.
pub fn bound(previous: Option<&SessionState>, req: &BindRequest, now: i64) -> Result<SessionState> {
    if let Some(p) = previous
        && !p.ended()
        && let Some(other) = p.participant.as_deref()
        && other != req.participant
    {
        return Err(Error::user(format!(
            "{} session `{}` is bound to `{other}`, not `{}`",
            p.provider.as_str(),
            p.session_id,
            req.participant
        ))
        .hint(format!(
            "end that binding first: `codexa session unbind {}`",
            p.session_id
        )));
    }
    let mut s = previous.cloned().unwrap_or_else(|| SessionState {
        provider: req.provider,
        session_id: req.session_id.clone(),
        // Binding says where the agent is, not what it is doing.
        activity: Activity::Unknown,
        event: BIND_EVENT.to_string(),
        last_ms: now,
        started_ms: now,
        ended_ms: None,
        pane: None,
        socket: None,
        ancestors: Vec::new(),
        agent_pid: None,
        participant: None,
        title: None,
        cwd: None,
        model: None,
        transcript: None,
        evidence: BoundBy::Bind,
    });
    s.last_ms = s.last_ms.max(now);
    s.ended_ms = None;
    s.pane = Some(req.pane.id.clone());
    s.socket = Some(req.pane.socket.clone()).filter(|k| !k.is_empty());
    // The pane's process is the instance: `watch` holds the binding while
    // the pane runs it, and drops it for a respawned pane.
    s.ancestors = vec![req.pane.pid];
    s.agent_pid = Some(req.pane.pid);
    s.participant = Some(req.participant.clone());
    s.cwd = req.cwd.clone().or(s.cwd);
    s.transcript = req.transcript.clone().or(s.transcript);
    s.evidence = BoundBy::Bind;
    Ok(s)
}

/// The `agent.*` event for a change made by hand, in the shape the hooks'
/// events have (see `schemas/events/agent.schema.json`).
pub fn transition(kind: &'static str, hook_event: &str, s: &SessionState) -> Transition {
    let mut data = json!({
        "provider": s.provider.as_str(),
        "session_id": s.session_id,
        "hook_event": hook_event,
        "activity": s.activity.as_str(),
        "evidence": BoundBy::Bind.as_str(),
    });
    let m = data.as_object_mut().expect("an object");
    for (k, v) in [
        ("pane", &s.pane),
        ("participant", &s.participant),
        ("cwd", &s.cwd),
        ("model", &s.model),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), Value::String(v.clone()));
        }
    }
    Transition { kind, data }
}

/// Refuse an agent that would bind or unbind (`what`) another
/// participant's session: from an agent, every binding is its own.
pub fn vouch(speaker: &Speaker, participant: &str, what: &str) -> Result<()> {
    if !speaker.is_agent() || speaker.name == participant {
        return Ok(());
    }
    let whence = match &speaker.under {
        Some(program) => format!("this codexa runs under the agent program `{program}`"),
        None => format!("`{}` speaks as an agent", speaker.name),
    };
    Err(Error::blocked(format!(
        "agent `{}` may not {what} `{participant}`: {whence}, and an agent binds and unbinds only its own sessions; nothing was written",
        speaker.name
    ))
    .hint("a person binds other participants from a terminal of their own, without $CODEXA_AGENT"))
}

/// Refuse an agent (one that runs under an agent's program) that would
/// bind a pane it does not run in: its name on another agent's pane would
/// make that agent speak as it. `ancestors` are this process's.
pub fn vouch_pane(speaker: &Speaker, pane: &PaneRow, ancestors: &[u32]) -> Result<()> {
    let Some(program) = &speaker.under else {
        return Ok(());
    };
    if ancestors.contains(&pane.pid) {
        return Ok(());
    }
    Err(Error::blocked(format!(
        "agent `{}` may not bind pane {}: this codexa runs under the agent program `{program}`, not in that pane (its process {} is not among this codexa's ancestors); nothing was written",
        speaker.name, pane.id, pane.pid
    ))
    .hint("an agent binds only the pane it runs in; a person binds other panes from a terminal of their own"))
}

/// What [`bind`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The session as it stands.
    pub state: SessionState,
    /// False when the session was bound so already (same participant,
    /// pane instance, cwd and transcript): nothing was written or logged.
    pub changed: bool,
}

/// Bind `req` at `now`: under the session's lock, the new state is saved,
/// then `record` is told of the transition (to append it to the log).
/// When `record` fails the file is put back as it was, so a failed bind
/// leaves nothing behind; binding again what is bound changes nothing.
pub fn bind(
    store: &Store,
    req: &BindRequest,
    now: i64,
    record: impl FnOnce(&SessionState, Transition) -> Result<()>,
) -> Result<Bound> {
    let _lock = lock_session(store, req.provider, &req.session_id)?;
    let previous = load(store, req.provider, &req.session_id);
    let state = bound(previous.as_ref(), req, now)?;
    if let Some(p) = previous.as_ref().filter(|p| p.evidence == BoundBy::Bind) {
        let mut same = state.clone();
        same.last_ms = p.last_ms;
        if same == *p {
            return Ok(Bound {
                state: p.clone(),
                changed: false,
            });
        }
    }
    save(store, &state)?;
    let t = transition("agent.session_bound", BIND_EVENT, &state);
    if let Err(e) = record(&state, t) {
        restore(store, &state, previous.as_ref());
        return Err(e);
    }
    Ok(Bound {
        state,
        changed: true,
    })
}

/// The live session bound by hand to `participant` on this very pane
/// instance for `provider`, if any: binding it again (without a session
/// id) names that session rather than starting another beside it.
pub fn bound_here<'a>(
    sessions: &'a [SessionState],
    participant: &str,
    provider: Provider,
    pane: &PaneRow,
) -> Option<&'a SessionState> {
    sessions
        .iter()
        .filter(|s| is_live(s) && s.evidence == BoundBy::Bind && s.provider == provider)
        .filter(|s| s.participant.as_deref() == Some(participant))
        .filter(|s| s.pane.as_deref() == Some(pane.id.as_str()))
        .filter(|s| s.socket.as_deref().unwrap_or("") == pane.socket)
        .filter(|s| s.ancestors == [pane.pid])
        .max_by_key(|s| s.last_ms)
}

/// End `s`'s binding at `now`, keeping its file (history shows it); then
/// `record` is told of the transition, as in [`bind`]. None when the
/// session had ended already: nothing to do.
pub fn unbind(
    store: &Store,
    s: &SessionState,
    now: i64,
    record: impl FnOnce(&SessionState, Transition) -> Result<()>,
) -> Result<Option<SessionState>> {
    let _lock = lock_session(store, s.provider, &s.session_id)?;
    // Read again under the lock: a hook may have changed it since.
    let Some(previous) = load(store, s.provider, &s.session_id) else {
        return Err(no_match(&s.session_id));
    };
    if previous.ended() {
        return Ok(None);
    }
    let mut state = previous.clone();
    state.ended_ms = Some(now.max(state.last_ms));
    save(store, &state)?;
    let t = transition("agent.session_ended", UNBIND_EVENT, &state);
    if let Err(e) = record(&state, t) {
        restore(store, &state, Some(&previous));
        return Err(e);
    }
    Ok(Some(state))
}

/// When a hook's session `s` speaks from a pane that a hand-made binding
/// (`session bind`, `codexa start` for a Codex, whose thread id is not
/// known until its first hook) still holds for the same participant, that
/// binding has been replaced by the real one: it is ended, and `record`
/// logs each ending.
pub fn supersede(
    store: &Store,
    s: &SessionState,
    now: i64,
    record: &dyn Fn(&SessionState, Transition) -> Result<()>,
) -> Result<()> {
    if s.evidence != BoundBy::Hook || s.pane.is_none() {
        return Ok(());
    }
    for old in list(store, false) {
        let same_pane = old.pane == s.pane && old.socket == s.socket;
        // The hook ran under the process the binding pinned: an agent's
        // hook run elsewhere, naming the pane in `$TMUX_PANE`, ends nothing.
        let under = old.agent_pid.is_some_and(|pid| s.ancestors.contains(&pid));
        if old.evidence == BoundBy::Bind
            && old.session_id != s.session_id
            && same_pane
            && under
            && old.participant == s.participant
        {
            unbind(store, &old, now, record)?;
        }
    }
    Ok(())
}

/// Put a session's file back as it was before `now_saved` replaced it.
fn restore(store: &Store, now_saved: &SessionState, previous: Option<&SessionState>) {
    match previous {
        Some(p) => {
            let _ = save(store, p);
        }
        None => {
            let path =
                sessions_dir(store).join(file_name(now_saved.provider, &now_saved.session_id));
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tmux::fake::{self, FakeTmux};

    fn session(id: &str, participant: Option<&str>, pane: Option<&str>, last: i64) -> SessionState {
        SessionState {
            provider: Provider::Claude,
            session_id: id.into(),
            activity: Activity::Idle,
            event: "Stop".into(),
            last_ms: last,
            started_ms: 1,
            ended_ms: None,
            pane: pane.map(str::to_string),
            socket: Some("/tmp/fake-tmux".into()),
            ancestors: vec![7],
            agent_pid: Some(7),
            participant: participant.map(str::to_string),
            title: None,
            cwd: Some("/src/shop".into()),
            model: None,
            transcript: None,
            evidence: BoundBy::Hook,
        }
    }

    fn ended(mut s: SessionState) -> SessionState {
        s.ended_ms = Some(s.last_ms);
        s
    }

    fn ids(r: Result<&SessionState>) -> String {
        match r {
            Ok(s) => s.session_id.clone(),
            Err(e) => format!("{:?}: {}", e.kind(), e.message()),
        }
    }

    #[test]
    fn a_reference_is_a_pane_an_id_a_participant_or_a_unique_prefix() {
        let all = [
            session("7f3c-aa", Some("lead"), Some("%1"), 50),
            session("7f3c-bb", Some("lead"), Some("%2"), 40),
            ended(session("9e01-cc", Some("lead"), Some("%1"), 60)),
            session("a1b2-dd", None, Some("%3"), 30),
            ended(session("c0de-ee", Some("gone"), Some("%4"), 20)),
        ];
        let of = |r: &str| ids(pick(&all, r));
        assert_eq!(of("%1"), "7f3c-aa", "the pane's newest live session");
        assert_eq!(of("lead"), "7f3c-aa", "their newest live session");
        assert_eq!(of("9e01-cc"), "9e01-cc", "an ended session by id");
        assert_eq!(of("a1b2"), "a1b2-dd");
        assert_eq!(of(" 7f3c-bb "), "7f3c-bb");
        assert!(of("7f3c").starts_with("User: `7f3c` matches 2 sessions"));
        assert!(
            of("gone").starts_with("NotFound: participant `gone` has no live session (1 ended)")
        );
        assert!(of("%4").starts_with("NotFound: pane %4 has no live session"));
        assert_eq!(of("%9"), "NotFound: no agent session matches `%9`");
        assert_eq!(of("zed"), "NotFound: no agent session matches `zed`");
        assert!(of("").starts_with("User: REF is empty"));
        let hint = pick(&all, "zed")
            .unwrap_err()
            .hint_text()
            .unwrap()
            .to_string();
        assert!(hint.contains("codexa session list --all"), "{hint}");
    }

    #[test]
    fn rows_have_every_key_and_never_a_negative_age() {
        let s = session("s1", None, None, 5_000);
        let v = serde_json::to_value(row(&s, 4_000)).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = ROW_KEYS.to_vec();
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(v["age_ms"], 0, "a clock behind the hook");
        assert_eq!(
            (v["participant"].is_null(), v["live"].as_bool()),
            (true, Some(false))
        );
        assert_eq!(row(&s, 9_000).age_ms, 4_000);
    }

    fn request(participant: &str) -> BindRequest {
        BindRequest {
            participant: participant.into(),
            provider: Provider::Codex,
            session_id: "bind-1".into(),
            pane: fake::row("%5", 4242, "sh", "work"),
            cwd: None,
            transcript: Some("/t.jsonl".into()),
        }
    }

    #[test]
    fn binding_pins_the_pane_instance_and_takes_no_live_session_from_another() {
        let s = bound(None, &request("lead"), 100).unwrap();
        assert_eq!((s.pane.as_deref(), s.agent_pid), (Some("%5"), Some(4242)));
        assert_eq!(s.ancestors, [4242]);
        assert_eq!((s.evidence, s.activity), (BoundBy::Bind, Activity::Unknown));
        assert_eq!((s.started_ms, s.last_ms, s.ended_ms), (100, 100, None));
        assert_eq!(s.socket.as_deref(), Some("/tmp/fake-tmux"));

        let mut theirs = s.clone();
        theirs.participant = Some("worker-a".into());
        let err = bound(Some(&theirs), &request("lead"), 200).unwrap_err();
        assert!(
            err.message().contains("is bound to `worker-a`"),
            "{}",
            err.message()
        );
        // Once ended, or never claimed, a session may be bound again.
        let again = bound(Some(&ended(theirs)), &request("lead"), 200).unwrap();
        assert_eq!((again.ended_ms, again.started_ms), (None, 100));
        let mut unclaimed = session("bind-1", None, Some("%1"), 300);
        unclaimed.title = Some("Fix CI".into());
        let claimed = bound(Some(&unclaimed), &request("lead"), 200).unwrap();
        assert_eq!(claimed.last_ms, 300, "a later hook's time stands");
        assert_eq!(claimed.title.as_deref(), Some("Fix CI"));
        assert_eq!(claimed.participant.as_deref(), Some("lead"));
    }

    #[test]
    fn the_bind_event_has_the_hooks_shape_and_says_it_was_by_hand() {
        let s = bound(None, &request("lead"), 100).unwrap();
        let t = transition("agent.session_bound", BIND_EVENT, &s);
        assert_eq!(
            t.data,
            json!({"provider": "codex", "session_id": "bind-1", "hook_event": "session bind",
                   "activity": "unknown", "evidence": "bind", "pane": "%5",
                   "participant": "lead"})
        );
        crate::config::validate_event_data(t.kind, &t.data).unwrap();
    }

    #[test]
    fn an_agent_binds_only_itself_and_only_its_own_pane() {
        let person = Speaker::person("Test User");
        let mut agent = Speaker::agent("lead", Some("claude"));
        assert!(vouch(&person, "worker-a", "bind").is_ok());
        assert!(vouch(&agent, "lead", "bind").is_ok());
        let err = vouch(&agent, "worker-a", "bind").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Blocked);
        assert!(
            err.message()
                .starts_with("agent `lead` may not bind `worker-a`")
        );
        let pane = fake::row("%5", 4242, "claude", "work");
        assert!(
            vouch_pane(&agent, &pane, &[]).is_ok(),
            "no lineage to prove"
        );
        agent.under = Some("claude".into());
        assert!(vouch_pane(&agent, &pane, &[9, 4242, 1]).is_ok());
        let err = vouch_pane(&agent, &pane, &[9, 1]).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Blocked);
    }

    #[test]
    fn a_pane_is_found_on_the_server_or_named_as_missing() {
        let tmux = FakeTmux::default();
        let err = pane_row(&tmux, "%5").unwrap_err();
        assert!(
            err.message().contains("no tmux server"),
            "{}",
            err.message()
        );
        tmux.open(fake::row("%5", 4242, "sh", "work"), "");
        assert_eq!(pane_row(&tmux, "%5").unwrap().pid, 4242);
        let err = pane_row(&tmux, "%6").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert!(
            err.message().contains("its panes are %5"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn a_failed_record_leaves_no_binding_and_unbinding_keeps_the_file() {
        let (_dir, ws) = crate::workspace::temporary();
        let store = &ws.store;
        let req = request("lead");
        let refused = bind(store, &req, 100, |_, _| Err(Error::io("the log is full")));
        assert!(refused.is_err());
        assert!(load(store, Provider::Codex, "bind-1").is_none());

        let s = bind(store, &req, 100, |_, _| Ok(())).unwrap();
        assert!(s.changed);
        let s = s.state;
        assert_eq!(live_for(store, "lead"), std::slice::from_ref(&s));
        let again = bind(store, &req, 150, |_, _| panic!("nothing to log")).unwrap();
        assert_eq!((again.changed, &again.state), (false, &s));
        let all = list(store, false);
        assert_eq!(
            bound_here(&all, "lead", Provider::Codex, &req.pane),
            Some(&s)
        );
        assert_eq!(bound_here(&all, "lead", Provider::Claude, &req.pane), None);
        let respawned = fake::row("%5", 4343, "sh", "work");
        assert_eq!(bound_here(&all, "lead", Provider::Codex, &respawned), None);
        assert_eq!(find(store, "%5").unwrap(), s);
        assert!(live_for(store, "worker-a").is_empty());

        let failed = unbind(store, &s, 200, |_, _| Err(Error::io("the log is full")));
        assert!(failed.is_err());
        assert!(!load(store, Provider::Codex, "bind-1").unwrap().ended());
        let mut kinds = Vec::new();
        let done = unbind(store, &s, 200, |_, t| {
            kinds.push(t.kind);
            Ok(())
        })
        .unwrap()
        .unwrap();
        assert_eq!(
            (done.ended_ms, kinds),
            (Some(200), vec!["agent.session_ended"])
        );
        assert!(live_for(store, "lead").is_empty());
        assert_eq!(list(store, false), []);
        assert_eq!(list(store, true), std::slice::from_ref(&done));
        assert_eq!(
            unbind(store, &done, 300, |_, _| Ok(())).unwrap(),
            None,
            "once"
        );
    }
}
