//! The resolver: per pane instance, pick the evidence that wins
//! and say what the pane is. A fresh deterministic source (the agent's own
//! hooks) wins; it goes stale when a running agent sends no hook within
//! `stale_running_ms`, or when the screen shows another settled state for
//! `disagree_ms` (Stop does not fire on an interrupt); then the heuristic
//! takes over, until the next hook event re-promotes the deterministic
//! source at once. Each switch is returned with its reason, for the log.

use serde::Serialize;

use super::activity::{Activity, Evidence, Presence};
use super::classify::Signature;
use super::sessions::{BoundBy, SessionState};
use super::track::{Timing, Track};
use crate::tmux::PaneRow;

/// Everything `status` and `watch` show about one pane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaneView {
    /// `%N`.
    pub pane: String,
    /// Starts at 1; a pane id reused by a new process is a new generation.
    pub generation: u32,
    /// `session:window.pane`.
    pub target: String,
    pub session: String,
    pub window: u32,
    pub index: u32,
    pub window_name: String,
    pub presence: Presence,
    pub evidence: Evidence,
    pub activity: Activity,
    /// A person must act (waiting for approval or input, or an error).
    pub attention: bool,
    pub provider: Option<String>,
    pub participant: Option<String>,
    pub session_id: Option<String>,
    /// The session's title (its first prompt or transcript summary), else
    /// the pane's title.
    pub title: String,
    /// Where `title` came from: `session` or `pane`.
    pub title_source: &'static str,
    /// Milliseconds since the evidence shown last spoke: the last hook
    /// event (deterministic) or the screen's last change (heuristic).
    pub age_ms: Option<i64>,
    /// When the pane entered `activity` (ms since the epoch).
    pub since_ms: i64,
    /// Why: the hook event, or the screen pattern that decided.
    pub reason: String,
    pub signature: Option<Signature>,
    pub command: String,
    pub pid: u32,
    pub cwd: String,
}

/// An evidence switch on one pane, for the resolver log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Switch {
    pub pane: String,
    pub generation: u32,
    pub from: Evidence,
    pub to: Evidence,
    pub reason: String,
}

/// The session bound to this pane instance: its hooks ran in this pane
/// (same server, same `%id`) under this generation's first process, the
/// agent they ran under is still there (`alive`: is this pid in the pane's
/// process tree now?), and it has not ended. The latest such session wins
/// (`/clear` starts anew).
///
/// The agent's own pid (recorded by the hook) is the proof: an agent that
/// died without SessionEnd leaves its session unbound, even when a new one
/// starts from the same shell. Where the hook could not tell which
/// ancestor was the agent (an unknown program), the pane's pid alone
/// decides.
pub fn binding<'a>(
    row: &PaneRow,
    sessions: &'a [SessionState],
    alive: &dyn Fn(u32) -> bool,
) -> Option<&'a SessionState> {
    let agent_alive = |s: &SessionState| {
        s.ancestors.contains(&row.pid) && s.agent_pid.is_none_or(|a| a == row.pid || alive(a))
    };
    sessions
        .iter()
        .filter(|s| s.pane.as_deref() == Some(row.id.as_str()))
        .filter(|s| s.socket.as_deref().is_none_or(|k| k == row.socket))
        .filter(|s| agent_alive(s))
        .max_by_key(|s| s.last_ms)
        .filter(|s| !s.ended())
}

/// May a settled screen that disagrees overrule the hooks' state? Only
/// where hooks are known to miss a change: an interrupt fires no Stop
/// (running or waiting, then idle on screen), an answered dialog fires
/// nothing until the next tool call (waiting, then running), an API error
/// has no hook. After a Stop the hooks report every new turn
/// (UserPromptSubmit) and dialog (PermissionRequest, Notification), so an
/// idle agent's screen never overrules them: a spinner-like word left in
/// its last message must not.
fn screen_may_overrule(hooks: Activity, screen: Activity) -> bool {
    hooks != Activity::Idle && screen != Activity::Unknown && screen != hooks
}

/// Inputs for one pane.
pub struct PaneInput<'a> {
    pub row: &'a PaneRow,
    pub signature: Option<Signature>,
    /// Anything runs in the pane besides its first process.
    pub busy_tree: bool,
    pub session: Option<&'a SessionState>,
    /// A participant configured for this pane (`agents.<name>.pane`).
    pub configured: Option<String>,
}

/// Resolve one pane, updating its track's resolver memory; the evidence
/// switch, if the winner changed.
pub fn resolve(
    input: PaneInput<'_>,
    track: &mut Track,
    now: i64,
    t: &Timing,
) -> (PaneView, Option<Switch>) {
    let row = input.row;
    // A dead pane (`remain-on-exit`) whose process exited with 0 was left
    // on purpose (`/exit`): no agent is there. Any other death failed.
    let exited = row.dead && row.dead_status == Some(0);
    let failed = row.dead && !exited;
    let mut input = input;
    if exited {
        input.signature = None;
        input.session = None;
    }
    // A bound session whose pane holds nothing but its shell any more has
    // exited without SessionEnd (a crash, a kill).
    let session = input
        .session
        .filter(|_| input.signature.is_some() || input.busy_tree);
    // A binding by hand (`codexa session bind`) says who is in the pane,
    // not what it is doing: the screen says that.
    let hooked = session.filter(|s| s.evidence == BoundBy::Hook);
    let heuristic = (track.activity, track.reason.clone(), track.activity_ms);
    let mut switch_reason = None;
    let (presence, evidence, activity, reason, since, age) = match hooked {
        Some(s) => {
            let stale = if track.demoted_for == Some(s.last_ms) {
                None
            } else if track.demoted_for.is_some() {
                track.demoted_for = None;
                track.disagree_since = None;
                switch_reason = Some(format!("hook {} re-promotes", s.event));
                None
            } else if s.activity == Activity::Running && now - s.last_ms > t.stale_running_ms {
                Some(format!("no hook for {} ms while running", now - s.last_ms))
            } else if track.pending {
                // The screen has not settled: no evidence either way.
                None
            } else if screen_may_overrule(s.activity, heuristic.0) {
                let since = *track.disagree_since.get_or_insert(now);
                (now - since >= t.disagree_ms).then(|| {
                    format!(
                        "screen shows {} for {} ms ({})",
                        heuristic.0,
                        now - since,
                        heuristic.1
                    )
                })
            } else {
                track.disagree_since = None;
                None
            };
            if let Some(why) = stale {
                track.demoted_for = Some(s.last_ms);
                switch_reason = Some(why);
            }
            if track.demoted_for.is_some() {
                (
                    Presence::Managed,
                    Evidence::Heuristic,
                    heuristic.0,
                    heuristic.1.clone(),
                    heuristic.2,
                    Some(now - track.changed_ms),
                )
            } else {
                (
                    Presence::Managed,
                    Evidence::Deterministic,
                    s.activity,
                    format!("hook:{}", s.event),
                    s.last_ms,
                    Some(now - s.last_ms),
                )
            }
        }
        None if input.signature.is_some() || session.is_some() => {
            track.demoted_for = None;
            track.disagree_since = None;
            (
                Presence::Managed,
                Evidence::Heuristic,
                heuristic.0,
                heuristic.1.clone(),
                heuristic.2,
                Some(now - track.changed_ms),
            )
        }
        None => (
            Presence::Unmanaged,
            Evidence::None,
            Activity::Unknown,
            "no agent in the pane".to_string(),
            track.born_ms,
            None,
        ),
    };
    let activity = if failed && presence == Presence::Managed {
        Activity::Error
    } else {
        activity
    };
    let switch = (evidence != track.evidence).then(|| Switch {
        pane: row.id.clone(),
        generation: track.generation,
        from: track.evidence,
        to: evidence,
        reason: switch_reason.unwrap_or_else(|| match evidence {
            Evidence::Deterministic => "hook events bind this pane".into(),
            Evidence::Heuristic => "agent recognised on screen and in the process tree".into(),
            Evidence::None => "no agent in the pane".into(),
        }),
    });
    track.evidence = evidence;
    let (title, title_source) = match session.and_then(|s| s.title.clone()) {
        Some(t) => (t, "session"),
        None => (row.title.clone(), "pane"),
    };
    let view = PaneView {
        pane: row.id.clone(),
        generation: track.generation,
        target: row.target(),
        session: row.session.clone(),
        window: row.window,
        index: row.index,
        window_name: row.window_name.clone(),
        presence,
        evidence,
        activity,
        attention: presence == Presence::Managed && activity.needs_attention(),
        provider: session
            .map(|s| s.provider.as_str().to_string())
            .or_else(|| input.signature.as_ref().map(|s| s.provider.clone())),
        participant: session
            .and_then(|s| s.participant.clone())
            .or(input.configured),
        session_id: session.map(|s| s.session_id.clone()),
        title,
        title_source,
        age_ms: age.map(|a| a.max(0)),
        since_ms: since,
        reason: match (row.dead, row.dead_status) {
            (true, Some(code)) => format!("pane is dead (exit {code})"),
            (true, None) => "pane is dead".into(),
            _ => reason,
        },
        signature: input.signature,
        command: row.command.clone(),
        pid: row.pid,
        cwd: row.path.clone(),
    };
    (view, switch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::Provider;

    fn row(pid: u32) -> PaneRow {
        PaneRow {
            id: "%3".into(),
            pid,
            command: "claude".into(),
            title: "host".into(),
            session: "work".into(),
            window: 1,
            index: 0,
            window_name: "agents".into(),
            path: "/src".into(),
            dead: false,
            dead_status: None,
            socket: "/tmp/tmux-1/default".into(),
            focused: false,
        }
    }

    fn session(activity: Activity, last_ms: i64, ancestors: Vec<u32>) -> SessionState {
        SessionState {
            provider: Provider::Claude,
            session_id: "s1".into(),
            activity,
            event: "Stop".into(),
            last_ms,
            started_ms: 0,
            ended_ms: None,
            pane: Some("%3".into()),
            socket: Some("/tmp/tmux-1/default".into()),
            ancestors,
            agent_pid: None,
            participant: Some("worker-a".into()),
            title: Some("Fix the build".into()),
            cwd: None,
            model: None,
            transcript: None,
            evidence: crate::agents::sessions::BoundBy::Hook,
        }
    }

    fn sig() -> Option<Signature> {
        Some(Signature {
            class: "claude".into(),
            reason: "process:claude".into(),
            confidence: 0.9,
            provider: "claude".into(),
        })
    }

    fn run(
        r: &PaneRow,
        s: Option<&SessionState>,
        track: &mut Track,
        now: i64,
    ) -> (PaneView, Option<Switch>) {
        let input = PaneInput {
            row: r,
            signature: sig(),
            busy_tree: true,
            session: s,
            configured: None,
        };
        resolve(input, track, now, &Timing::default())
    }

    #[test]
    fn bindings_need_this_generations_process() {
        let r = row(100);
        let alive = |p: u32| p == 200;
        let mut bound = session(Activity::Idle, 10, vec![300, 200, 100, 1]);
        bound.agent_pid = Some(200);
        assert!(binding(&r, std::slice::from_ref(&bound), &alive).is_some());
        let older = [session(Activity::Idle, 10, vec![200, 99, 1])];
        assert!(
            binding(&r, &older, &alive).is_none(),
            "a reused pane id inherits nothing"
        );
        let mut crashed = session(Activity::Idle, 10, vec![301, 201, 100, 1]);
        crashed.agent_pid = Some(201);
        assert!(binding(&r, &[crashed], &alive).is_none(), "its agent died");
        let mut own = session(Activity::Idle, 10, vec![300, 100, 1]);
        own.agent_pid = Some(100);
        assert!(
            binding(&r, &[own], &|_| false).is_some(),
            "the agent is the pane's process"
        );
        let unknown = [session(Activity::Idle, 10, vec![300, 100, 1])];
        assert!(
            binding(&r, &unknown, &|_| false).is_some(),
            "an unknown agent: the pane pid decides"
        );
        let mut ended = session(Activity::Idle, 10, vec![100]);
        ended.ended_ms = Some(11);
        assert!(binding(&r, &[ended], &alive).is_none());
    }

    #[test]
    fn hooks_win_then_go_stale_then_win_again() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        let s = session(Activity::Running, 1000, vec![100]);
        let (v, switch) = run(&r, Some(&s), &mut track, 1000);
        assert_eq!(
            (v.evidence, v.activity),
            (Evidence::Deterministic, Activity::Running)
        );
        assert_eq!(v.title, "Fix the build");
        assert_eq!(switch.unwrap().to, Evidence::Deterministic);
        // The screen settles on idle (an interrupt: no Stop hook).
        track.activity = Activity::Idle;
        let (v, switch) = run(&r, Some(&s), &mut track, 2000);
        assert_eq!(
            v.evidence,
            Evidence::Deterministic,
            "not yet: disagreeing needs a window"
        );
        assert!(switch.is_none());
        let (v, switch) = run(
            &r,
            Some(&s),
            &mut track,
            2000 + Timing::default().disagree_ms,
        );
        assert_eq!(
            (v.evidence, v.activity),
            (Evidence::Heuristic, Activity::Idle)
        );
        assert!(switch.unwrap().reason.starts_with("screen shows idle"));
        // The next hook event re-promotes at once.
        let s2 = session(Activity::Running, 20_000, vec![100]);
        let (v, switch) = run(&r, Some(&s2), &mut track, 20_001);
        assert_eq!(v.evidence, Evidence::Deterministic);
        assert!(switch.unwrap().reason.contains("re-promotes"));
    }

    #[test]
    fn an_idle_agents_screen_never_overrules_its_hooks() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        track.activity = Activity::Running;
        let s = session(Activity::Idle, 0, vec![100]);
        for now in [10, 100_000, 1_000_000] {
            let (v, _) = run(&r, Some(&s), &mut track, now);
            assert_eq!(
                (v.evidence, v.activity),
                (Evidence::Deterministic, Activity::Idle)
            );
        }
    }

    #[test]
    fn a_running_agent_without_hooks_goes_stale() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        track.activity = Activity::Running;
        let s = session(Activity::Running, 0, vec![100]);
        let t = Timing::default();
        let (v, _) = run(&r, Some(&s), &mut track, t.stale_running_ms - 1);
        assert_eq!(v.evidence, Evidence::Deterministic);
        let (v, switch) = run(&r, Some(&s), &mut track, t.stale_running_ms + 1);
        assert_eq!(v.evidence, Evidence::Heuristic);
        assert!(switch.unwrap().reason.starts_with("no hook for"));
    }

    #[test]
    fn an_agent_that_exited_leaves_an_unmanaged_pane() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        let s = session(Activity::WaitingApproval, 0, vec![100]);
        let input = PaneInput {
            row: &r,
            signature: None,
            busy_tree: false,
            session: Some(&s),
            configured: Some("worker-b".into()),
        };
        let (v, _) = resolve(input, &mut track, 10, &Timing::default());
        assert_eq!(
            (v.presence, v.evidence, v.attention),
            (Presence::Unmanaged, Evidence::None, false)
        );
        assert_eq!(v.participant.as_deref(), Some("worker-b"));
    }

    #[test]
    fn a_dead_pane_failed_unless_it_exited_cleanly() {
        let mut r = row(100);
        r.dead = true;
        r.dead_status = Some(1);
        let mut track = Track::new(100, 1, 0);
        let (v, _) = run(&r, None, &mut track, 10);
        assert_eq!((v.activity, v.attention), (Activity::Error, true));
        assert_eq!(v.reason, "pane is dead (exit 1)");
        r.dead_status = Some(0);
        let (v, _) = run(&r, None, &mut track, 20);
        assert_eq!((v.presence, v.attention), (Presence::Unmanaged, false));
    }

    #[test]
    fn a_binding_by_hand_names_the_pane_and_the_screen_says_what_it_does() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        track.activity = Activity::Running;
        let mut s = session(Activity::Unknown, 5, vec![100]);
        s.evidence = BoundBy::Bind;
        let input = PaneInput {
            row: &r,
            signature: None,
            busy_tree: true,
            session: Some(&s),
            configured: None,
        };
        let (v, _) = resolve(input, &mut track, 10, &Timing::default());
        assert_eq!(
            (v.presence, v.evidence, v.activity),
            (Presence::Managed, Evidence::Heuristic, Activity::Running)
        );
        assert_eq!(
            (v.participant.as_deref(), v.session_id.as_deref()),
            (Some("worker-a"), Some("s1"))
        );
    }

    #[test]
    fn waiting_needs_attention() {
        let r = row(100);
        let mut track = Track::new(100, 1, 0);
        let s = session(Activity::WaitingApproval, 5, vec![100]);
        let (v, _) = run(&r, Some(&s), &mut track, 10);
        assert!(v.attention);
        assert_eq!(v.age_ms, Some(5));
        assert_eq!(v.reason, "hook:Stop");
    }
}
