//! What one hook event does to its session, with no files involved: the
//! event as read from its payload, the session's state, and [`step`],
//! which folds an event into the state and says what to log. The parent
//! module keeps the state on disk and runs the step under a lock.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::agents::Provider;
use crate::agents::activity::Activity;

/// Longest title kept, in characters.
const TITLE_CHARS: usize = 80;

/// What one hook event says.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub provider: Provider,
    /// `hook_event_name`, or `notify:<type>` for a Codex `notify`.
    pub event: String,
    pub session_id: String,
    /// The activity it implies; none for events that say nothing of it.
    pub activity: Option<Activity>,
    /// A first prompt, as a title candidate.
    pub prompt: Option<String>,
    pub cwd: Option<String>,
    pub model: Option<String>,
    pub transcript: Option<String>,
    /// `source` of SessionStart, `reason` of SessionEnd,
    /// `notification_type` of Notification.
    pub detail: Option<String>,
}

pub(super) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

impl Observation {
    /// Read a payload leniently; none when it names no session.
    pub fn of(provider: Provider, raw: &Value) -> Option<Observation> {
        let own = |k: &str| str_of(raw, k).map(str::to_string);
        let (event, session_id) = match str_of(raw, "hook_event_name") {
            Some(e) => (e.to_string(), own("session_id")?),
            None => {
                // Codex `notify`: {"type": "agent-turn-complete", "thread-id", …}
                let kind = str_of(raw, "type")?;
                (format!("notify:{kind}"), own("thread-id")?)
            }
        };
        let detail = match event.as_str() {
            "SessionStart" => own("source"),
            "SessionEnd" => own("reason"),
            "Notification" => own("notification_type"),
            _ => None,
        };
        let activity = match (event.as_str(), detail.as_deref()) {
            // A compaction (auto or `/compact`) may restart the session
            // mid-turn: it says nothing of what the agent is doing.
            ("SessionStart", Some("compact")) => None,
            ("SessionStart", _) => Some(Activity::Idle),
            ("UserPromptSubmit" | "PreToolUse" | "PostToolUse" | "SubagentStart", _) => {
                Some(Activity::Running)
            }
            ("PreCompact" | "SubagentStop", _) => Some(Activity::Running),
            ("PermissionRequest", _) => Some(Activity::WaitingApproval),
            ("Notification", Some("permission_prompt")) => Some(Activity::WaitingApproval),
            ("Notification", Some("idle_prompt")) => Some(Activity::Idle),
            ("Notification", Some("elicitation_dialog")) => Some(Activity::WaitingInput),
            ("Stop", _) | ("notify:agent-turn-complete", _) => Some(Activity::Idle),
            _ => None,
        };
        let prompt = match event.as_str() {
            "UserPromptSubmit" => own("prompt"),
            "notify:agent-turn-complete" => raw
                .get("input-messages")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find_map(Value::as_str))
                .map(str::to_string),
            _ => None,
        };
        Some(Observation {
            provider,
            event,
            session_id,
            activity,
            prompt,
            cwd: own("cwd"),
            model: own("model"),
            transcript: own("transcript_path"),
            detail,
        })
    }

    pub fn ends(&self) -> bool {
        self.event == "SessionEnd"
    }
}

/// Where the hook runs: the tmux pane (from `$TMUX_PANE` and `$TMUX`),
/// this process's ancestors, and among them the agent's own process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneContext {
    pub pane: Option<String>,
    pub socket: Option<String>,
    pub ancestors: Vec<u32>,
    /// The nearest ancestor whose program is an agent (`claude`, `codex`,
    /// or one configured in `watch.agents`): the process whose life the
    /// binding lasts. Shells an agent runs hooks through (`sh -c`) are
    /// gone by the next poll, so they cannot be the proof.
    pub agent_pid: Option<u32>,
}

/// Who bound a session to its pane: the agent's own hooks, or a person
/// (or the agent itself) by hand with `codexa session bind`, for an agent
/// started without hooks. Files from before the field are the hooks'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoundBy {
    #[default]
    Hook,
    Bind,
}

impl BoundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            BoundBy::Hook => "hook",
            BoundBy::Bind => "bind",
        }
    }

    pub fn is_hook(&self) -> bool {
        *self == BoundBy::Hook
    }
}

/// One session's latest state, as its hooks (or `codexa session bind`)
/// told it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    pub provider: Provider,
    pub session_id: String,
    pub activity: Activity,
    /// The hook event that set `activity`.
    pub event: String,
    /// When the last hook event arrived (ms since the epoch).
    pub last_ms: i64,
    pub started_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pane: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket: Option<String>,
    #[serde(default)]
    pub ancestors: Vec<u32>,
    /// The agent's process (see `PaneContext::agent_pid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_pid: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The agent's transcript file, as its hooks name it (`transcript_path`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// Who made the binding to `pane`. Left out of a file when it is the
    /// hooks, so files stay as they were for readers that predate it.
    #[serde(default, skip_serializing_if = "BoundBy::is_hook")]
    pub evidence: BoundBy,
}

impl SessionState {
    pub fn ended(&self) -> bool {
        self.ended_ms.is_some()
    }
}

/// A change worth an event in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// `agent.session_started`, `agent.session_bound`, `agent.turn_started`,
    /// `agent.turn_completed`, `agent.waiting_approval`,
    /// `agent.waiting_input` or `agent.session_ended`.
    pub kind: &'static str,
    pub data: Value,
}

/// One line of a prompt, trimmed to `TITLE_CHARS`.
pub fn title_of(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut t: String = line.chars().take(TITLE_CHARS).collect();
    if line.chars().count() > TITLE_CHARS {
        t.push('…');
    }
    Some(t)
}

/// One hook event as the step sees it.
#[derive(Debug, Clone, Copy)]
pub struct HookInput<'a> {
    pub obs: &'a Observation,
    /// Where the hook ran.
    pub ctx: &'a PaneContext,
    /// Who the agent is, when the hook was told.
    pub participant: Option<&'a str>,
    /// The title the session's transcript gives, read beforehand where
    /// [`transcript_wanted`] says the step will look for one.
    pub transcript_title: Option<&'a str>,
}

/// What one hook event does.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The session's state after it, to save.
    pub state: SessionState,
    /// The transition to log, if any.
    pub transition: Option<Transition>,
    /// The event (re)started the session: a time to forget sessions long
    /// silent, so the folder stays small.
    pub started: bool,
}

/// The transcript worth reading for a title before stepping `obs`: only
/// a session starting without one (a resumed session's first event), and
/// only when the event has no prompt to name it.
pub fn transcript_wanted<'a>(
    previous: Option<&SessionState>,
    obs: &'a Observation,
) -> Option<&'a str> {
    let untitled = previous.is_none_or(|p| p.title.is_none());
    let prompt = obs.prompt.as_deref().and_then(title_of);
    (untitled && prompt.is_none() && obs.event == "SessionStart")
        .then_some(obs.transcript.as_deref())
        .flatten()
}

/// Fold a hook event seen at `now` into its session's `previous` state
/// (none for a session not seen before).
pub fn step(previous: Option<&SessionState>, input: HookInput, now: i64) -> Step {
    let HookInput {
        obs,
        ctx,
        participant,
        transcript_title,
    } = input;
    let mut s = previous.cloned().unwrap_or_else(|| SessionState {
        provider: obs.provider,
        session_id: obs.session_id.clone(),
        activity: Activity::Unknown,
        event: obs.event.clone(),
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
        evidence: BoundBy::Hook,
    });
    // A hook that ran late must not roll a newer state back.
    let newer = previous.is_none_or(|p| now >= p.last_ms);
    let before = previous.map(|p| p.activity);
    if newer {
        if let Some(a) = obs.activity {
            s.activity = a;
            s.event = obs.event.clone();
        }
        s.last_ms = now;
    }
    let started = obs.event == "SessionStart";
    if obs.ends() {
        s.ended_ms = Some(now);
    } else if started {
        // `/clear` and resume start again in the same pane.
        s.ended_ms = None;
    }
    // A hook from a session bound by hand takes the binding over: worth
    // saying, even from the same pane.
    let rebound = ctx.pane.is_some()
        && (s.pane != ctx.pane || s.socket != ctx.socket || s.evidence == BoundBy::Bind);
    if ctx.pane.is_some() {
        s.pane = ctx.pane.clone();
        s.socket = ctx.socket.clone();
        s.ancestors = ctx.ancestors.clone();
        s.agent_pid = ctx.agent_pid;
        // The agent's own word from its pane outranks a binding by hand.
        s.evidence = BoundBy::Hook;
    }
    if let Some(p) = participant {
        s.participant = Some(p.to_string());
    }
    if s.title.is_none() {
        s.title = obs.prompt.as_deref().and_then(title_of).or_else(|| {
            (obs.event == "SessionStart")
                .then_some(transcript_title)
                .flatten()
                .map(str::to_string)
        });
    }
    s.cwd = obs.cwd.clone().or(s.cwd);
    s.model = obs.model.clone().or(s.model);
    s.transcript = obs.transcript.clone().or(s.transcript);

    let kind = match (obs.event.as_str(), obs.activity) {
        ("SessionStart", _) if obs.detail.as_deref() != Some("compact") => {
            Some("agent.session_started")
        }
        ("SessionEnd", _) => Some("agent.session_ended"),
        // Every prompt starts a turn, even when the last one was
        // interrupted (no Stop hook fires on an interrupt).
        ("UserPromptSubmit", _) if newer => Some("agent.turn_started"),
        (_, Some(a)) if newer && before != Some(a) => match a {
            // `idle_prompt` only repeats that the agent is idle.
            Activity::Idle if obs.event != "Notification" => Some("agent.turn_completed"),
            Activity::WaitingApproval => Some("agent.waiting_approval"),
            Activity::WaitingInput => Some("agent.waiting_input"),
            _ => None,
        },
        _ => None,
    };
    let kind = kind.or_else(|| rebound.then_some("agent.session_bound"));
    let transition = kind.map(|kind| Transition {
        kind,
        data: transition_data(obs, &s),
    });
    Step {
        state: s,
        transition,
        started,
    }
}

fn transition_data(obs: &Observation, s: &SessionState) -> Value {
    let mut data = json!({
        "provider": obs.provider.as_str(),
        "session_id": s.session_id,
        "hook_event": obs.event,
        "activity": s.activity.as_str(),
    });
    let m = data.as_object_mut().expect("an object");
    for (k, v) in [
        ("pane", &s.pane),
        ("participant", &s.participant),
        ("cwd", &s.cwd),
        ("model", &obs.model),
        ("detail", &obs.detail),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), Value::String(v.clone()));
        }
    }
    data
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Claude Code hook payload, read.
    pub(crate) fn claude(v: Value) -> Observation {
        Observation::of(Provider::Claude, &v).unwrap()
    }

    #[test]
    fn events_map_to_activities() {
        let o = claude(json!({"hook_event_name": "Notification", "session_id": "s",
            "notification_type": "permission_prompt"}));
        assert_eq!(o.activity, Some(Activity::WaitingApproval));
        let o = claude(json!({"hook_event_name": "Stop", "session_id": "s"}));
        assert_eq!(o.activity, Some(Activity::Idle));
        let o = claude(
            json!({"hook_event_name": "UserPromptSubmit", "session_id": "s", "prompt": "Fix it\nplease"}),
        );
        assert_eq!(o.activity, Some(Activity::Running));
        assert_eq!(o.prompt.as_deref(), Some("Fix it\nplease"));
        let n = Observation::of(
            Provider::Codex,
            &json!({"type": "agent-turn-complete", "thread-id": "t1", "input-messages": ["Rename"]}),
        )
        .unwrap();
        assert_eq!(
            (n.session_id.as_str(), n.activity),
            ("t1", Some(Activity::Idle))
        );
        assert!(Observation::of(Provider::Claude, &json!({"hook_event_name": "Stop"})).is_none());
    }

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(
            title_of("\n  Fix the build \nmore").as_deref(),
            Some("Fix the build")
        );
        let long = "x".repeat(200);
        assert_eq!(title_of(&long).unwrap().chars().count(), TITLE_CHARS + 1);
        assert_eq!(title_of("  \n"), None);
    }

    fn pane(id: &str) -> PaneContext {
        PaneContext {
            pane: Some(id.into()),
            socket: Some("/tmp/s".into()),
            ancestors: vec![42, 7, 1],
            agent_pid: Some(42),
        }
    }

    fn event(name: &str, extra: Value) -> Observation {
        let mut v = json!({"hook_event_name": name, "session_id": "s1", "cwd": "/src/shop"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        claude(v)
    }

    /// Step `obs` from `ctx` at `now`, with no participant or transcript.
    fn step_at(
        previous: Option<&SessionState>,
        obs: &Observation,
        ctx: &PaneContext,
        now: i64,
    ) -> Step {
        let input = HookInput {
            obs,
            ctx,
            participant: None,
            transcript_title: None,
        };
        step(previous, input, now)
    }

    #[test]
    fn a_first_event_starts_the_state_bound_to_its_pane() {
        let start = event(
            "SessionStart",
            json!({"source": "startup", "model": "opus"}),
        );
        let input = HookInput {
            obs: &start,
            ctx: &pane("%1"),
            participant: Some("lead"),
            transcript_title: Some("Rate limiting"),
        };
        let out = step(None, input, 1_000);
        assert!(out.started);
        let s = &out.state;
        assert_eq!(
            (s.activity, s.event.as_str()),
            (Activity::Idle, "SessionStart")
        );
        assert_eq!((s.started_ms, s.last_ms, s.ended_ms), (1_000, 1_000, None));
        assert_eq!((s.pane.as_deref(), s.agent_pid), (Some("%1"), Some(42)));
        assert_eq!(s.ancestors, [42, 7, 1]);
        assert_eq!(s.participant.as_deref(), Some("lead"));
        assert_eq!(s.title.as_deref(), Some("Rate limiting"));
        assert_eq!(
            (s.cwd.as_deref(), s.model.as_deref()),
            (Some("/src/shop"), Some("opus"))
        );
        let t = out.transition.unwrap();
        assert_eq!(t.kind, "agent.session_started");
        assert_eq!(
            t.data,
            json!({"provider": "claude", "session_id": "s1", "hook_event": "SessionStart",
                   "activity": "idle", "pane": "%1", "participant": "lead",
                   "cwd": "/src/shop", "model": "opus", "detail": "startup"})
        );
    }

    #[test]
    fn a_late_hook_does_not_roll_a_newer_state_back() {
        let ctx = pane("%1");
        let prompt = event("UserPromptSubmit", json!({"prompt": "Fix CI"}));
        let running = step_at(None, &prompt, &ctx, 2_000).state;
        // A Stop stamped before the prompt (its hook ran late).
        let late = step_at(Some(&running), &event("Stop", json!({})), &ctx, 1_500);
        assert_eq!(late.state.activity, Activity::Running);
        assert_eq!(late.state.last_ms, 2_000);
        assert_eq!(late.transition, None);
        let on_time = step_at(Some(&running), &event("Stop", json!({})), &ctx, 2_500);
        assert_eq!(on_time.state.activity, Activity::Idle);
        assert_eq!(on_time.transition.unwrap().kind, "agent.turn_completed");
    }

    #[test]
    fn an_ended_session_restarts_and_a_compaction_says_nothing() {
        let ctx = pane("%1");
        let mut s = step_at(None, &event("SessionStart", json!({})), &ctx, 1).state;
        let end = step_at(
            Some(&s),
            &event("SessionEnd", json!({"reason": "clear"})),
            &ctx,
            2,
        );
        assert!(!end.started);
        assert_eq!(end.state.ended_ms, Some(2));
        assert_eq!(end.transition.unwrap().kind, "agent.session_ended");
        s = end.state;
        let again = step_at(
            Some(&s),
            &event("SessionStart", json!({"source": "clear"})),
            &ctx,
            3,
        );
        assert!(again.started && !again.state.ended());
        assert_eq!(again.transition.unwrap().kind, "agent.session_started");
        // A compaction may come mid-turn: the activity stands, no event.
        s = step_at(Some(&again.state), &event("PreToolUse", json!({})), &ctx, 4).state;
        let compact = step_at(
            Some(&s),
            &event("SessionStart", json!({"source": "compact"})),
            &ctx,
            5,
        );
        assert_eq!(compact.state.activity, Activity::Running);
        assert_eq!(compact.transition, None);
    }

    #[test]
    fn a_session_speaking_from_another_pane_is_bound_to_it() {
        let s = step_at(None, &event("SessionStart", json!({})), &pane("%1"), 1).state;
        let tool = event("PostToolUse", json!({}));
        let moved = step_at(Some(&s), &tool, &pane("%2"), 2);
        assert_eq!(moved.state.pane.as_deref(), Some("%2"));
        assert_eq!(moved.transition.unwrap().kind, "agent.session_bound");
        // Outside tmux the hook knows no pane: the binding stands.
        let outside = step_at(Some(&moved.state), &tool, &PaneContext::default(), 3);
        assert_eq!(outside.state.pane.as_deref(), Some("%2"));
        assert_eq!(outside.transition, None);
    }

    #[test]
    fn a_hook_takes_over_a_binding_by_hand_and_older_files_are_the_hooks() {
        let old: SessionState = serde_json::from_value(json!({
            "provider": "claude", "session_id": "s1", "activity": "idle",
            "event": "Stop", "last_ms": 1, "started_ms": 1}))
        .unwrap();
        assert_eq!(
            (old.evidence, old.transcript.as_deref()),
            (BoundBy::Hook, None)
        );
        let by_hand = SessionState {
            pane: Some("%1".into()),
            socket: Some("/tmp/s".into()),
            evidence: BoundBy::Bind,
            ..old
        };
        let saved = serde_json::to_value(&by_hand).unwrap();
        assert_eq!(saved["evidence"], "bind");
        let tool = event("PreToolUse", json!({"transcript_path": "/t.jsonl"}));
        let out = step_at(Some(&by_hand), &tool, &pane("%1"), 2);
        assert_eq!(out.state.evidence, BoundBy::Hook);
        assert_eq!(out.state.transcript.as_deref(), Some("/t.jsonl"));
        assert_eq!(out.transition.unwrap().kind, "agent.session_bound");
        let saved = serde_json::to_value(&out.state).unwrap();
        assert!(saved.get("evidence").is_none(), "{saved}");
    }

    #[test]
    fn the_first_prompt_names_the_session_and_the_transcript_only_a_resumed_one() {
        let start = event(
            "SessionStart",
            json!({"source": "resume", "transcript_path": "/t.jsonl"}),
        );
        assert_eq!(transcript_wanted(None, &start), Some("/t.jsonl"));
        let prompt = event(
            "UserPromptSubmit",
            json!({"prompt": "Fix CI\nplease", "transcript_path": "/t.jsonl"}),
        );
        assert_eq!(
            transcript_wanted(None, &prompt),
            None,
            "the prompt names it"
        );
        let s = step_at(None, &prompt, &pane("%1"), 1).state;
        assert_eq!(s.title.as_deref(), Some("Fix CI"));
        assert_eq!(transcript_wanted(Some(&s), &start), None, "it has a title");
        let later = event("UserPromptSubmit", json!({"prompt": "Now the docs"}));
        let s = step_at(Some(&s), &later, &pane("%1"), 2).state;
        assert_eq!(
            s.title.as_deref(),
            Some("Fix CI"),
            "the first prompt names it"
        );
    }
}
