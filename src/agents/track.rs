//! One pane instance's history, kept between polls (and between `status`
//! runs, in `cache/agents/poller.json`): its generation, its screen's last
//! change, the heuristic activity with hysteresis, and the resolver's
//! memory of disagreements and demotions.
//!
//! Hysteresis: a spinner or an approval prompt counts at once; the bare
//! input box counts as idle only after the screen has been still for the
//! stable window; a screen that changes with no marker is running; a still
//! screen with no marker drifts to unknown after twice the window. A state
//! is never dropped for one ambiguous poll, so it does not flap.

use serde::{Deserialize, Serialize};

use super::activity::{Activity, Evidence};
use super::classify::{Reading, Screen};
use crate::config::WatchConfig;

/// Timing knobs, from `watch.*` in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Milliseconds between polls of tmux.
    pub poll_ms: i64,
    /// A screen still this long at the input box is idle.
    pub stable_ms: i64,
    /// A deterministic `running` without a hook this long is stale.
    pub stale_running_ms: i64,
    /// The screen disagreeing with a deterministic state this long makes it stale.
    pub disagree_ms: i64,
}

/// The schema's defaults.
impl Default for Timing {
    fn default() -> Timing {
        Timing::from_config(&crate::config::defaults().watch)
    }
}

impl Timing {
    /// The schema holds each within bounds: a 1 ms poll would busy-loop, a
    /// day-long window would make `status` sleep for a day.
    pub fn from_config(watch: &WatchConfig) -> Timing {
        Timing {
            poll_ms: watch.poll_ms,
            stable_ms: watch.stable_ms,
            stale_running_ms: watch.stale_running_ms,
            disagree_ms: watch.disagree_ms,
        }
    }
}

/// A pane instance's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub pid: u32,
    pub generation: u32,
    pub born_ms: i64,
    pub last_seen_ms: i64,
    pub screen_hash: u64,
    /// When the screen last changed (first sight counts as a change).
    pub changed_ms: i64,
    /// The heuristic activity, after hysteresis.
    pub activity: Activity,
    pub activity_ms: i64,
    pub reason: String,
    /// The screen suggests a state the stable window has not yet allowed.
    #[serde(default)]
    pub pending: bool,
    /// Since when the screen has disagreed with the deterministic state.
    #[serde(default)]
    pub disagree_since: Option<i64>,
    /// The deterministic state demoted, named by its `last_ms`: a later
    /// hook event (another `last_ms`) re-promotes at once.
    #[serde(default)]
    pub demoted_for: Option<i64>,
    /// The evidence the resolver last showed (for logging switches).
    #[serde(default = "evidence_none")]
    pub evidence: Evidence,
}

fn evidence_none() -> Evidence {
    Evidence::None
}

impl Track {
    pub fn new(pid: u32, generation: u32, now: i64) -> Track {
        Track {
            pid,
            generation,
            born_ms: now,
            last_seen_ms: now,
            screen_hash: 0,
            changed_ms: now,
            activity: Activity::Unknown,
            activity_ms: now,
            reason: "first sight".into(),
            pending: false,
            disagree_since: None,
            demoted_for: None,
            evidence: Evidence::None,
        }
    }

    fn set(&mut self, a: Activity, reason: &str, now: i64) {
        if a != self.activity {
            self.activity = a;
            self.activity_ms = now;
        }
        self.reason = reason.to_string();
    }

    /// Fold one screen reading in (see the module's rules).
    pub fn step(&mut self, reading: &Reading, now: i64, t: &Timing) {
        self.last_seen_ms = now;
        if reading.still_part != self.screen_hash {
            self.screen_hash = reading.still_part;
            self.changed_ms = now;
        }
        let still_for = now - self.changed_ms;
        let still = still_for >= t.stable_ms;
        // Changed since first sight, within the window: output is coming.
        let changing = !still && self.changed_ms > self.born_ms;
        self.pending = false;
        match reading.screen {
            Screen::Approval => self.set(Activity::WaitingApproval, &reading.reason, now),
            Screen::Input => self.set(Activity::WaitingInput, &reading.reason, now),
            Screen::Busy => self.set(Activity::Running, &reading.reason, now),
            Screen::Error if still => self.set(Activity::Error, &reading.reason, now),
            Screen::Prompt | Screen::Blank if changing => {
                self.set(Activity::Running, "output changing", now)
            }
            Screen::Prompt if still => self.set(
                Activity::Idle,
                &format!("{} still {still_for} ms", reading.reason),
                now,
            ),
            Screen::Blank if still_for >= 2 * t.stable_ms => {
                self.set(Activity::Unknown, &reading.reason, now)
            }
            // Inside the window: keep what was settled, and say so.
            _ => self.pending = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(screen: Screen, still_part: u64) -> Reading {
        Reading {
            screen,
            reason: format!("{screen:?}"),
            still_part,
            draft: None,
        }
    }

    #[test]
    fn idle_waits_for_a_still_screen_and_running_does_not() {
        let t = Timing::default();
        let mut tr = Track::new(1, 1, 0);
        tr.step(&reading(Screen::Busy, 1), 0, &t);
        assert_eq!(tr.activity, Activity::Running);
        // The spinner is gone, the prompt shows: still running until still.
        tr.step(&reading(Screen::Prompt, 2), 500, &t);
        assert_eq!((tr.activity, tr.pending), (Activity::Running, false));
        assert_eq!(tr.reason, "output changing");
        tr.step(&reading(Screen::Prompt, 2), 1500, &t);
        assert_eq!(tr.activity, Activity::Running);
        tr.step(&reading(Screen::Prompt, 2), 2000, &t);
        assert_eq!(tr.activity, Activity::Idle);
        assert_eq!(tr.activity_ms, 2000);
        // An approval prompt counts at once.
        tr.step(&reading(Screen::Approval, 3), 2100, &t);
        assert_eq!(tr.activity, Activity::WaitingApproval);
    }

    #[test]
    fn a_first_sight_waits_for_the_window() {
        let t = Timing::default();
        let mut tr = Track::new(1, 1, 0);
        tr.step(&reading(Screen::Prompt, 7), 0, &t);
        assert_eq!((tr.activity, tr.pending), (Activity::Unknown, true));
        tr.step(&reading(Screen::Prompt, 7), 1600, &t);
        assert_eq!((tr.activity, tr.pending), (Activity::Idle, false));
    }

    #[test]
    fn no_flapping_on_one_ambiguous_poll() {
        let t = Timing::default();
        let mut tr = Track::new(1, 1, 0);
        tr.step(&reading(Screen::Prompt, 1), 0, &t);
        tr.step(&reading(Screen::Prompt, 1), 2000, &t);
        assert_eq!(tr.activity, Activity::Idle);
        // A blank moment (a redraw) that is then still: idle holds until 2× window.
        tr.step(&reading(Screen::Blank, 2), 2100, &t);
        tr.step(&reading(Screen::Prompt, 1), 2200, &t);
        assert_eq!(tr.activity, Activity::Running, "changing screen is running");
        tr.step(&reading(Screen::Prompt, 1), 3800, &t);
        assert_eq!(tr.activity, Activity::Idle);
    }

    #[test]
    fn timing_reads_config() {
        let c = serde_json::json!({"version": 1, "watch": {"stable_ms": 300, "poll_ms": 0, "disagree_ms": 1}});
        // Out of bounds, the config is refused, naming each key.
        let mut refused: Vec<_> = crate::config::schema::validate("config", &c)
            .unwrap()
            .into_iter()
            .map(|i| i.pointer)
            .collect();
        refused.sort();
        assert_eq!(refused, ["/watch/disagree_ms", "/watch/poll_ms"]);
        let c =
            serde_json::json!({"watch": {"stable_ms": 300, "poll_ms": 100, "disagree_ms": 100}});
        let t = Timing::from_config(&crate::config::Config::from_value(c).unwrap().watch);
        assert_eq!((t.stable_ms, t.poll_ms, t.disagree_ms), (300, 100, 100));
        assert_eq!(Timing::default().poll_ms, 1000);
    }
}
