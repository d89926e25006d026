//! The hook's time budget. An agent waits for its hook only so long (10 s
//! as `hooks install` sets it up) and then runs the tool call unjudged, so
//! `codexa hook` answers within `hooks.budget_ms` (4 s by default) whatever
//! it is waiting for.
//!
//! The hook runs on a worker thread while this one waits for it. The
//! worker first loads the config (no lock is taken for that), which tells
//! the budget and `hooks.fail_mode`; every wait after that (the store's
//! append lock, the session lock, the spool's, SQLite's busy index) gives
//! up early enough to leave time to answer (see `crate::budget`), so the
//! usual slow case, a held lock, ends in the fail-mode answer cleanly. For
//! anything else (a long index catch-up, a stdin that never closes) this
//! thread answers with the fail mode at the budget's end and the process
//! exits: an append cut short leaves at most a line without its newline,
//! which the next append repairs.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Provider;
use super::hooks::{self, DEFAULT_FAIL_MODE, Outcome, Payload, Permission, REASON_PREFIX};
use crate::budget;
use crate::error::Error;
use crate::workspace::Workspace;

/// The budget when config does not say (`hooks.budget_ms`) or cannot be read.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4000);

/// `hooks.budget_ms` from config.
pub fn budget_of(config: &Value) -> Duration {
    config
        .pointer("/hooks/budget_ms")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_BUDGET, Duration::from_millis)
}

/// When waits must give up, for a hook that began at `began`: early enough
/// to leave the rest of the budget for answering on a busy machine (half
/// of it, at most half a second).
fn waits_end(began: Instant, budget: Duration) -> Instant {
    began + budget - (budget / 2).min(Duration::from_millis(500))
}

/// How a hook run ended.
#[derive(Debug)]
pub enum Finished {
    /// The hook decided (or failed) in time.
    InTime(Outcome),
    /// The budget ran out: the fail-mode answer. The worker is still busy,
    /// so the process should exit once this is printed.
    OutOfTime(Outcome),
}

/// What the worker tells the waiting thread as it learns it.
enum Progress {
    Config { budget: Duration, mode: Permission },
    Event(Option<String>),
    Done(Outcome),
}

/// What the waiting thread knows so far.
struct Known {
    budget: Duration,
    mode: Permission,
    event: Option<String>,
}

/// Run the hook for `provider` in `start` on a worker thread, the payload
/// coming from `input` (stdin, or Codex's argument), and wait for its
/// answer no longer than the budget.
pub fn run(
    provider: Provider,
    start: PathBuf,
    input: impl FnOnce() -> String + Send + 'static,
) -> Finished {
    let began = Instant::now();
    budget::set_deadline(waits_end(began, DEFAULT_BUDGET));
    let (tx, rx) = mpsc::channel();
    let at = start.clone();
    std::thread::spawn(move || work(provider, &at, input, began, &tx));
    let mut known = Known {
        budget: DEFAULT_BUDGET,
        mode: DEFAULT_FAIL_MODE,
        event: None,
    };
    loop {
        let left = (began + known.budget).saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Progress::Config { budget, mode }) => {
                known.budget = budget;
                known.mode = mode;
            }
            Ok(Progress::Event(event)) => known.event = event,
            Ok(Progress::Done(outcome)) => return Finished::InTime(outcome),
            Err(RecvTimeoutError::Timeout) => {
                let why = format!(
                    "no decision within the hook's time budget of {} ms (hooks.budget_ms); still busy with: {}",
                    known.budget.as_millis(),
                    budget::busy_with().unwrap_or_else(|| "starting the hook".into())
                );
                return Finished::OutOfTime(fail_mode_answer(
                    provider,
                    &start,
                    &known,
                    "hook_timeout",
                    &why,
                ));
            }
            // The worker panicked (the panic is on stderr).
            Err(RecvTimeoutError::Disconnected) => {
                let why = "the hook stopped on an internal error (a panic); please report it";
                return Finished::InTime(fail_mode_answer(
                    provider,
                    &start,
                    &known,
                    "hook_error",
                    why,
                ));
            }
        }
    }
}

fn work(
    provider: Provider,
    start: &Path,
    input: impl FnOnce() -> String,
    began: Instant,
    tx: &mpsc::Sender<Progress>,
) {
    // Sends fail only once the waiting thread has answered and stopped
    // listening: nothing is left to tell it.
    let _doing = budget::doing("starting the hook");
    let opened = {
        let _doing = budget::doing("loading the config");
        Workspace::open(start).ok()
    };
    if let Some(ws) = &opened {
        let budget = budget_of(&ws.config.value);
        budget::set_deadline(waits_end(began, budget));
        let mode = hooks::fail_mode(&ws.config.value);
        let _ = tx.send(Progress::Config { budget, mode });
    }
    let text = {
        let _doing = budget::doing("reading the hook payload");
        input()
    };
    let payload = Payload::parse(&text);
    let event = payload
        .as_ref()
        .ok()
        .and_then(|p| p.event().map(str::to_string));
    let _ = tx.send(Progress::Event(event));
    let outcome = hooks::handle_payload(provider, start, payload, opened);
    let _ = tx.send(Progress::Done(outcome));
}

/// The fail-mode answer for what is known of the payload (an unknown event
/// is answered as PreToolUse, as for a payload that does not parse; other
/// events than the gated two get silence), logged to the hooks log.
fn fail_mode_answer(
    provider: Provider,
    start: &Path,
    known: &Known,
    code: &str,
    why: &str,
) -> Outcome {
    let logged = hooks::log(provider, start, None, &Error::io(why));
    let event = match known.event.as_deref() {
        None => "PreToolUse",
        Some(e @ ("PreToolUse" | "PermissionRequest")) => e,
        Some(_) => return Outcome::Silent,
    };
    let mut reason = format!(
        "{REASON_PREFIX} {code} (fail mode {}): {why}",
        known.mode.as_str()
    );
    if let Some(path) = logged {
        reason.push_str(&format!("; logged to {}", path.display()));
    }
    Outcome::of(event, known.mode, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_comes_from_config() {
        assert_eq!(budget_of(&Value::Null), DEFAULT_BUDGET);
        let v = serde_json::json!({"hooks": {"budget_ms": 300}});
        assert_eq!(budget_of(&v), Duration::from_millis(300));
    }

    #[test]
    fn waits_end_before_the_budget_leaving_time_to_answer() {
        let t = Instant::now();
        assert_eq!(
            waits_end(t, Duration::from_millis(300)),
            t + Duration::from_millis(150)
        );
        assert_eq!(
            waits_end(t, Duration::from_millis(4000)),
            t + Duration::from_millis(3500)
        );
    }
}
