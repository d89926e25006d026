//! The hook's time budget. An agent waits for its hook only so long (10 s
//! as `hooks install` sets it up) and then runs the tool call unjudged, so
//! `codexa hook` answers within `hooks.budget_ms` (4 s by default) whatever
//! it is waiting for.
//!
//! The hook works on the main thread while a watchdog thread keeps time.
//! The config is read first (no lock is taken for that): it tells the
//! budget and `hooks.fail_mode`. Every wait after that (the store's append
//! lock, the session lock, the spool's, SQLite's busy index) gives up early
//! enough to leave time to answer (see `crate::budget`), so the usual slow
//! case, a held lock, ends in the fail-mode answer cleanly. For anything
//! else (a long index catch-up, a stdin that never closes) the watchdog
//! answers with the fail mode at the budget's end and ends the process: an
//! append cut short leaves at most a line without its newline, which the
//! next append repairs. Whichever answers first holds a lock while it does,
//! so the agent reads exactly one answer; the hooks log gets the reason
//! after the answer is out.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Provider;
use super::hooks::{self, DEFAULT_FAIL_MODE, Outcome, Payload, Permission};
use crate::budget;
use crate::config::HooksConfig;
use crate::error::Error;
use crate::workspace::Workspace;

/// The budget until the config is read, or when it cannot be: the schema's
/// default for `hooks.budget_ms`, restated because the watchdog needs it
/// before the config (or the schema) is read (a test keeps the two equal).
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(4000);

/// `hooks.budget_ms` from config.
pub fn budget_of(hooks: &HooksConfig) -> Duration {
    Duration::from_millis(hooks.budget_ms)
}

/// When waits must give up, for a hook that began at `began`: early enough
/// to leave the rest of the budget for answering on a busy machine (half
/// of it, at most half a second).
fn waits_end(began: Instant, budget: Duration) -> Instant {
    began + budget - (budget / 2).min(Duration::from_millis(500))
}

/// What the hook knows so far, shared with the watchdog.
struct Known {
    budget: Duration,
    mode: Permission,
    event: Option<String>,
    /// Set by whichever thread answers, under the lock.
    answered: bool,
}

struct Shared {
    known: Mutex<Known>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn tell(&self, update: impl FnOnce(&mut Known)) {
        update(&mut self.lock());
        self.changed.notify_all();
    }
}

/// Run the hook for `provider` in `start`, the payload coming from `input`
/// (stdin, or Codex's argument), and print its answer (or nothing) on
/// stdout, within the budget.
pub fn run(provider: Provider, start: &Path, input: impl FnOnce() -> String) {
    let began = Instant::now();
    budget::set_deadline(waits_end(began, DEFAULT_BUDGET));
    let shared = Arc::new(Shared {
        known: Mutex::new(Known {
            budget: DEFAULT_BUDGET,
            mode: DEFAULT_FAIL_MODE,
            event: None,
            answered: false,
        }),
        changed: Condvar::new(),
    });
    let watched = Arc::clone(&shared);
    let at = start.to_path_buf();
    std::thread::spawn(move || watch(provider, &at, began, &watched));

    let work = std::panic::AssertUnwindSafe(|| work(provider, start, input, began, &shared));
    let outcome = std::panic::catch_unwind(work);
    let mut known = shared.lock();
    // The watchdog answers holding this lock and ends the process: holding
    // it here, it has not.
    known.answered = true;
    match outcome {
        Ok(outcome) => outcome.print(&mut std::io::stdout().lock()),
        Err(_) => {
            // The panic message is on stderr already.
            let why = "the hook stopped on an internal error (a panic); please report it";
            answer_then_log(provider, start, &known, "hook_error", why);
        }
    }
}

/// Wait until the hook answers or its budget (which the config may change
/// meanwhile) is spent; then answer with the fail mode and end the process.
fn watch(provider: Provider, start: &Path, began: Instant, shared: &Shared) {
    let mut known = shared.lock();
    loop {
        if known.answered {
            return;
        }
        let end = began + known.budget;
        let now = Instant::now();
        if now >= end {
            break;
        }
        known = shared
            .changed
            .wait_timeout(known, end - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    let why = format!(
        "no decision within the hook's time budget of {} ms (hooks.budget_ms); still busy with: {}",
        known.budget.as_millis(),
        budget::busy_with().unwrap_or_else(|| "starting the hook".into())
    );
    answer_then_log(provider, start, &known, "hook_timeout", &why);
    std::process::exit(0);
}

/// The hook itself: config first, then the payload, then the gate.
fn work(
    provider: Provider,
    start: &Path,
    input: impl FnOnce() -> String,
    began: Instant,
    shared: &Shared,
) -> Outcome {
    let _doing = budget::doing("starting the hook");
    let opened = {
        let _doing = budget::doing("loading the config");
        Workspace::open(start).ok()
    };
    if let Some(ws) = &opened {
        let budget = budget_of(&ws.config.hooks);
        budget::set_deadline(waits_end(began, budget));
        let mode = ws.config.hooks.fail_mode;
        shared.tell(|k| {
            k.budget = budget;
            k.mode = mode;
        });
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
    shared.tell(|k| k.event = event);
    hooks::handle_payload(provider, start, payload, opened)
}

/// Answer with the fail mode for what is known of the payload (an unknown
/// event is answered as PreToolUse, as for a payload that does not parse;
/// other events than the gated two get silence), then log why. The answer
/// comes first and does no I/O of its own: the slow thing may be the disk
/// the log is on.
fn answer_then_log(provider: Provider, start: &Path, known: &Known, code: &str, why: &str) {
    let event = match known.event.as_deref() {
        None => Some("PreToolUse"),
        Some(e @ ("PreToolUse" | "PermissionRequest")) => Some(e),
        Some(_) => None,
    };
    if let Some(event) = event {
        let reason = hooks::fail_reason(code, known.mode, why, None);
        let mut out = std::io::stdout().lock();
        Outcome::of(event, known.mode, reason).print(&mut out);
        let _ = out.flush();
    }
    hooks::log(provider, start, None, &Error::io(why));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_comes_from_config() {
        assert_eq!(budget_of(&crate::config::defaults().hooks), DEFAULT_BUDGET);
        let v = serde_json::json!({"hooks": {"budget_ms": 300}});
        let config = crate::config::Config::from_value(v).unwrap();
        assert_eq!(budget_of(&config.hooks), Duration::from_millis(300));
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
