//! The collision policy: may codexa type into an agent's pane now? Only
//! when the agent is idle (its last hook says its turn ended, no permission
//! request pending, no dialog on screen), its input box is empty (a
//! person's draft is never typed over), and the pane has been still for the
//! quiet window. Pure: the caller looks at the pane and its session, and
//! keeps the [`Quiet`] between looks.

use crate::agents::activity::Activity;
use crate::agents::classify::{Reading, Screen};

/// One look at the target.
#[derive(Debug, Clone)]
pub struct Look {
    /// The pane is still there, running the agent the session bound.
    pub pane_alive: bool,
    /// What the session's hooks last said, when hooks report it.
    pub activity: Option<Activity>,
    /// The hook event that said it, and when it arrived (ms).
    pub hook_event: Option<String>,
    pub hook_ms: Option<i64>,
    /// The pane's screen, read.
    pub screen: Option<Reading>,
}

/// Why delivery waits; the `reason` of `trigger.deferred`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The hooks say the agent is in a turn, or the screen shows it busy.
    AgentBusy,
    /// A permission request or a question waits for a person.
    PermissionPending,
    /// A dialog is on screen in place of the input box.
    Dialog,
    /// The input box holds text nobody has sent.
    DraftInBox,
    /// No input box on screen: nothing to type into.
    NoInputBox,
    /// Idle, but not yet still for the quiet window.
    NotQuiet,
}

impl Wait {
    pub fn as_str(self) -> &'static str {
        match self {
            Wait::AgentBusy => "agent_busy",
            Wait::PermissionPending => "permission_pending",
            Wait::Dialog => "dialog_on_screen",
            Wait::DraftInBox => "draft_in_box",
            Wait::NoInputBox => "no_input_box",
            Wait::NotQuiet => "not_quiet",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Deliver,
    Defer(Wait),
    /// The pane is gone (or runs something else now): only the fallback
    /// can reach the session.
    Gone,
}

/// How long the pane has looked the same, carried between looks.
#[derive(Debug, Clone, Default)]
pub struct Quiet {
    fingerprint: Option<u64>,
    since_ms: i64,
}

impl Quiet {
    /// The time the pane has looked as it does now since, once looked at.
    pub fn since_ms(&self) -> Option<i64> {
        self.fingerprint.map(|_| self.since_ms)
    }
}

/// Decide at `now` (ms) after `look`, with the quiet window `quiet_ms`.
///
/// Still means: the same hook event and screen as at the last look. The
/// first look cannot see how long the screen has been as it is; the last
/// hook's time can, when it is not in the future of this clock (a hook
/// timed by another clock proves nothing), so an agent idle for minutes is
/// reached at once while one that has just stopped is given the window.
pub fn decide(quiet: &mut Quiet, look: &Look, now: i64, quiet_ms: i64) -> Verdict {
    if !look.pane_alive {
        return Verdict::Gone;
    }
    let screen = look.screen.as_ref();
    match screen.map(|r| r.screen) {
        Some(Screen::Approval | Screen::Input) => return Verdict::Defer(Wait::Dialog),
        Some(Screen::Busy) => return Verdict::Defer(Wait::AgentBusy),
        _ => {}
    }
    match look.activity {
        Some(Activity::WaitingApproval | Activity::WaitingInput) => {
            return Verdict::Defer(Wait::PermissionPending);
        }
        Some(Activity::Running) => return Verdict::Defer(Wait::AgentBusy),
        _ => {}
    }
    match screen.and_then(|r| r.draft.as_deref()) {
        None => return Verdict::Defer(Wait::NoInputBox),
        Some(d) if !d.trim().is_empty() => return Verdict::Defer(Wait::DraftInBox),
        Some(_) => {}
    }
    let fingerprint = fingerprint(look);
    if quiet.fingerprint != Some(fingerprint) {
        let first_look = quiet.fingerprint.is_none();
        quiet.fingerprint = Some(fingerprint);
        // A change seen at a later look happened since the one before:
        // the window starts now. At the first, the last hook says when the
        // agent last did anything.
        quiet.since_ms = match look.hook_ms.filter(|t| *t <= now) {
            Some(hook) if first_look => hook,
            _ => now,
        };
    }
    if now - quiet.since_ms >= quiet_ms {
        Verdict::Deliver
    } else {
        Verdict::Defer(Wait::NotQuiet)
    }
}

fn fingerprint(look: &Look) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    look.hook_event.hash(&mut h);
    look.hook_ms.hash(&mut h);
    if let Some(r) = &look.screen {
        r.still_part.hash(&mut h);
        r.draft.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::classify::Classifier;

    const IDLE: &str = "● Done.\n\n╭──────╮\n│ >    │\n╰──────╯\n";
    const BUSY: &str = "✻ Pondering… (esc to interrupt)\n\n╭──────╮\n│ >    │\n╰──────╯\n";
    const DRAFT: &str = "● Done.\n\n╭──────╮\n│ > half a thought │\n╰──────╯\n";
    const DIALOG: &str = " Bash command\n Do you want to proceed?\n ❯ 1. Yes\n   2. No\n";

    fn look(activity: Option<Activity>, hook_ms: Option<i64>, screen: &str) -> Look {
        Look {
            pane_alive: true,
            activity,
            hook_event: hook_ms.map(|_| "Stop".to_string()),
            hook_ms,
            screen: Some(Classifier::builtin().read(screen)),
        }
    }

    #[test]
    fn busy_dialogs_drafts_and_pending_permissions_wait() {
        let mut q = Quiet::default();
        let at = |l: Look, q: &mut Quiet| decide(q, &l, 100_000, 20_000);
        assert_eq!(
            at(look(Some(Activity::Running), Some(0), IDLE), &mut q),
            Verdict::Defer(Wait::AgentBusy)
        );
        assert_eq!(
            at(look(Some(Activity::Idle), Some(0), BUSY), &mut q),
            Verdict::Defer(Wait::AgentBusy)
        );
        assert_eq!(
            at(look(Some(Activity::WaitingApproval), Some(0), IDLE), &mut q),
            Verdict::Defer(Wait::PermissionPending)
        );
        assert_eq!(
            at(look(Some(Activity::Idle), Some(0), DIALOG), &mut q),
            Verdict::Defer(Wait::Dialog)
        );
        assert_eq!(
            at(look(Some(Activity::Idle), Some(0), DRAFT), &mut q),
            Verdict::Defer(Wait::DraftInBox)
        );
        assert_eq!(
            at(look(Some(Activity::Idle), Some(0), "$ "), &mut q),
            Verdict::Defer(Wait::NoInputBox)
        );
        let gone = Look {
            pane_alive: false,
            ..look(None, None, IDLE)
        };
        assert_eq!(at(gone, &mut q), Verdict::Gone);
    }

    #[test]
    fn an_agent_idle_long_ago_is_reached_at_once_one_just_stopped_gets_the_window() {
        let mut q = Quiet::default();
        assert_eq!(
            decide(
                &mut q,
                &look(Some(Activity::Idle), Some(10_000), IDLE),
                60_000,
                20_000
            ),
            Verdict::Deliver
        );

        let mut q = Quiet::default();
        let just = look(Some(Activity::Idle), Some(55_000), IDLE);
        assert_eq!(
            decide(&mut q, &just, 60_000, 20_000),
            Verdict::Defer(Wait::NotQuiet)
        );
        assert_eq!(
            decide(&mut q, &just, 74_999, 20_000),
            Verdict::Defer(Wait::NotQuiet)
        );
        assert_eq!(decide(&mut q, &just, 75_000, 20_000), Verdict::Deliver);
    }

    #[test]
    fn a_change_restarts_the_window_and_a_hook_from_another_clock_proves_nothing() {
        let mut q = Quiet::default();
        let future = look(Some(Activity::Idle), Some(9_000_000), IDLE);
        assert_eq!(
            decide(&mut q, &future, 60_000, 20_000),
            Verdict::Defer(Wait::NotQuiet)
        );
        assert_eq!(q.since_ms(), Some(60_000));
        // Another hook arrives: the window starts again from this look.
        let again = look(Some(Activity::Idle), Some(9_000_500), IDLE);
        assert_eq!(
            decide(&mut q, &again, 75_000, 20_000),
            Verdict::Defer(Wait::NotQuiet)
        );
        assert_eq!(
            decide(&mut q, &again, 94_999, 20_000),
            Verdict::Defer(Wait::NotQuiet)
        );
        assert_eq!(decide(&mut q, &again, 95_000, 20_000), Verdict::Deliver);
    }
}
