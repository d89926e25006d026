//! A process-wide deadline for waits. Commands people run set none, and each
//! wait keeps its own limit (the store lock's 30 s). `codexa hook` sets one:
//! an agent that stops waiting for its hook runs the tool call unjudged, so
//! every lock and busy database on the hook's path gives up in time for the
//! hook to answer with `hooks.fail_mode` instead.
//!
//! Waits, and the steps of the hook, note what they are busy with, so an
//! answer given because time ran out can say what was slow.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static DEADLINE: Mutex<Option<Instant>> = Mutex::new(None);
static NOTE: Mutex<Option<String>> = Mutex::new(None);

/// From now on, waits in this process end by `at`.
pub fn set_deadline(at: Instant) {
    *DEADLINE.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
}

pub fn deadline() -> Option<Instant> {
    *DEADLINE.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long a wait that would otherwise take up to `longest` may take now.
pub fn cap(longest: Duration) -> Duration {
    cap_at(deadline(), longest, Instant::now())
}

fn cap_at(deadline: Option<Instant>, longest: Duration, now: Instant) -> Duration {
    match deadline {
        Some(at) => longest.min(at.saturating_duration_since(now)),
        None => longest,
    }
}

/// True once a deadline is set and has passed.
pub fn passed() -> bool {
    deadline().is_some_and(|at| Instant::now() >= at)
}

/// Note what this process is busy with (`waiting for the store's append
/// lock …`, `evaluating the policy`) until the guard is dropped, which
/// restores the note it replaced.
pub fn doing(what: impl Into<String>) -> Doing {
    let mut note = NOTE.lock().unwrap_or_else(|e| e.into_inner());
    let previous = note.replace(what.into());
    Doing { previous }
}

/// What the process is busy with right now, as last noted.
pub fn busy_with() -> Option<String> {
    NOTE.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

pub struct Doing {
    previous: Option<String>,
}

impl Drop for Doing {
    fn drop(&mut self) {
        *NOTE.lock().unwrap_or_else(|e| e.into_inner()) = self.previous.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The process-wide deadline is left alone: the other tests in this
    // process take store locks.
    #[test]
    fn a_deadline_caps_waits() {
        let now = Instant::now();
        let long = Duration::from_secs(30);
        assert_eq!(cap_at(None, long, now), long);
        let soon = now + Duration::from_millis(300);
        assert_eq!(cap_at(Some(soon), long, now), Duration::from_millis(300));
        assert_eq!(
            cap_at(Some(soon), Duration::from_millis(5), now),
            Duration::from_millis(5)
        );
        assert_eq!(cap_at(Some(now), long, soon), Duration::ZERO);
    }
}
