//! Running one job: find the agent's session and pane, wait for a moment
//! the collision policy allows (or hand the prompt over at a mid-turn
//! Claude session's Stop), type it, confirm it from evidence, and fall back
//! to the provider's resume command when the pane cannot be used.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use super::collision::{self, Look, Quiet, Verdict, Wait};
use super::evidence::{self, Proof};
use super::jobs::{self, Job, JobState};
use super::{handoff, resume, stream, typing};
use crate::agents::Provider;
use crate::agents::activity::Activity;
use crate::agents::classify::{AgentNames, Classifier, Reading};
use crate::agents::procs::{Proc, ProcTable, program_name};
use crate::agents::sessions::{self, SessionState};
use crate::clock::Clock;
use crate::domain::identity::Speaker;
use crate::error::Result;
use crate::store::NewEvent;
use crate::tmux::{Client, Tmux};
use crate::workspace::Workspace;

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Delivered {
        job: String,
        method: String,
        confirmed_by: String,
        attempt: u32,
    },
    Failed {
        job: String,
        reason_code: String,
        message: String,
    },
}

/// The session that runs `participant`: its newest live one with a pane.
fn runtime(ws: &Workspace, participant: &str) -> Option<SessionState> {
    sessions::live_for(&ws.store, participant)
        .into_iter()
        .next()
}

struct Runner<'a> {
    ws: &'a Workspace,
    who: &'a Speaker,
    clock: &'a dyn Clock,
    job: Job,
    attempt: u32,
    classifier: Classifier,
    names: AgentNames,
}

impl Runner<'_> {
    fn record(&self, kind: &str, data: Value) -> Result<()> {
        self.ws.append(vec![NewEvent::new(
            kind,
            stream(&self.job.id),
            self.who.actor(),
            data,
        )])?;
        Ok(())
    }

    fn finish(&mut self, outcome: Outcome) -> Result<Outcome> {
        match &outcome {
            Outcome::Delivered {
                method,
                confirmed_by,
                attempt,
                ..
            } => {
                self.record(
                    "trigger.delivered",
                    json!({"confirmed_by": confirmed_by, "method": method, "attempt": attempt}),
                )?;
                self.job.state = JobState::Delivered;
            }
            Outcome::Failed {
                reason_code,
                message,
                ..
            } => {
                self.record(
                    "trigger.failed",
                    json!({"reason_code": reason_code, "message": message}),
                )?;
                self.job.state = JobState::Failed;
            }
        }
        jobs::save(&self.ws.store, &self.job)?;
        Ok(outcome)
    }

    fn failed(&mut self, reason_code: &str, message: String) -> Result<Outcome> {
        let job = self.job.id.clone();
        self.finish(Outcome::Failed {
            job,
            reason_code: reason_code.into(),
            message,
        })
    }

    fn delivered(&mut self, method: &str, proof: Proof) -> Result<Outcome> {
        let job = self.job.id.clone();
        let attempt = self.attempt;
        self.finish(Outcome::Delivered {
            job,
            method: method.into(),
            confirmed_by: proof.as_str().into(),
            attempt,
        })
    }

    fn attempted(&mut self, method: &str, pane: Option<&str>) -> Result<()> {
        self.attempt += 1;
        let mut data = json!({"attempt": self.attempt, "method": method});
        if let Some(p) = pane {
            data["pane"] = json!(p);
        }
        self.record("trigger.attempted", data)
    }
}

/// Run `job` to its end: delivered, or failed with the reason.
/// Run `job` to its end: delivered, or failed with the reason. An error
/// on the way (tmux gone, the log unwritable) is recorded as the job's
/// failure before it is returned.
pub fn run(ws: &Workspace, who: &Speaker, clock: &dyn Clock, job: Job) -> Result<Outcome> {
    let mut r = Runner {
        ws,
        who,
        clock,
        job,
        attempt: 0,
        classifier: Classifier::from_config(&ws.config.watch)?,
        names: AgentNames::from_config(&ws.config.watch),
    };
    if r.job.finished() {
        return Ok(earlier(&r.job));
    }
    match run_job(&mut r) {
        Ok(out) => Ok(out),
        Err(e) => {
            let _ = r.failed("error", e.lines().join(": "));
            Err(e)
        }
    }
}

/// What a finished job's file says of it.
fn earlier(job: &Job) -> Outcome {
    match job.state {
        JobState::Delivered => Outcome::Delivered {
            job: job.id.clone(),
            method: "earlier".into(),
            confirmed_by: "earlier".into(),
            attempt: 0,
        },
        _ => Outcome::Failed {
            job: job.id.clone(),
            reason_code: "earlier".into(),
            message: "the job had already failed".into(),
        },
    }
}

fn run_job(r: &mut Runner) -> Result<Outcome> {
    let Some(session) = runtime(r.ws, &r.job.target) else {
        let message = format!(
            "no live session of {} is known (its hooks have not run, and `codexa session bind` was not used)",
            r.job.target
        );
        return r.failed("no_runtime", message);
    };
    let tmux: Box<dyn Client> = match &session.socket {
        Some(s) => Box::new(Tmux::with_socket(s.clone())),
        None => Box::new(Tmux::from_env()),
    };
    deliver(r, &session, tmux.as_ref())
}

/// The pane of `session`, if it is still there running the agent that
/// bound it: an agent's program runs in the pane's process tree (a pane
/// left with a person's shell is not an agent's, whatever a binding says),
/// and a binding the hooks made was made from inside that pane (the pane's
/// first process is among the hook's ancestors: a hook run anywhere else
/// with `$TMUX_PANE` set to it proves nothing).
pub(crate) fn pane_alive(tmux: &dyn Client, session: &SessionState, names: &AgentNames) -> bool {
    let Some(pane) = &session.pane else {
        return false;
    };
    let Ok(panes) = tmux.list_panes() else {
        return false;
    };
    let Some(row) = panes.iter().find(|p| &p.id == pane) else {
        return false;
    };
    if row.dead {
        return false;
    }
    if !cfg!(target_os = "linux") {
        return true;
    }
    if session.evidence.is_hook() && !session.ancestors.contains(&row.pid) {
        return false;
    }
    let table = ProcTable::read();
    let tree = table.tree(row.pid);
    let is_agent =
        |p: &&Proc| program_name(p.argv()).is_some_and(|n| names.provider_of(&n).is_some());
    match session.agent_pid {
        // The very process the hooks named, still there and an agent.
        Some(pid) if session.evidence.is_hook() => tree.iter().any(|p| p.pid == pid && is_agent(p)),
        _ => tree.iter().any(is_agent),
    }
}

/// The agent's own process still runs (wherever its pane went).
fn agent_running(session: &SessionState) -> bool {
    session
        .agent_pid
        .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists())
}

fn look(r: &Runner, tmux: &dyn Client, session: &SessionState) -> Look {
    let fresh = sessions::load(&r.ws.store, session.provider, &session.session_id);
    let s = fresh.as_ref().unwrap_or(session);
    let alive = pane_alive(tmux, s, &r.names);
    let screen = match (&s.pane, alive) {
        (Some(_), true) => read_screen(r, tmux, s),
        _ => None,
    };
    let hooked = s.evidence.is_hook();
    Look {
        pane_alive: alive,
        activity: hooked.then_some(s.activity),
        hook_event: hooked.then(|| s.event.clone()),
        hook_ms: hooked.then_some(s.last_ms),
        screen,
    }
}

fn read_screen(r: &Runner, tmux: &dyn Client, session: &SessionState) -> Option<Reading> {
    let pane = session.pane.as_deref()?;
    tmux.capture_screens(&[pane])
        .ok()
        .and_then(|v| v.into_iter().next())
        .map(|text| r.classifier.read(&text))
}

fn deliver(r: &mut Runner, session: &SessionState, tmux: &dyn Client) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let provider = session.provider;
    let store = &r.ws.store;
    // A Stop hook took this job while no process ran it: it was delivered
    // there. One still queued by a runner that died is taken back (and
    // queued again below while the agent is mid-turn).
    if let Some(at) = handoff::taken(store, provider, &session.session_id, &r.job.id) {
        return confirm_handoff(r, session, at);
    }
    if !handoff::withdraw(store, provider, &session.session_id, &r.job.id)?
        && let Some(at) = handoff::taken(store, provider, &session.session_id, &r.job.id)
    {
        return confirm_handoff(r, session, at);
    }
    // A job taken over from a process that died after typing: its text may
    // be in the box or already submitted; it is never typed twice.
    if r.job.state == JobState::Typed {
        return finish_typed(r, session, tmux);
    }
    let start = r.clock.instant();
    let max_defer = Duration::from_millis(cfg.max_defer_ms.max(0) as u64);
    let mut quiet = Quiet::default();
    let mut last_wait: Option<Wait> = None;
    let mut queued_at_stop = false;
    loop {
        if queued_at_stop
            && let Some(at) = handoff::taken(&r.ws.store, provider, &session.session_id, &r.job.id)
        {
            return confirm_handoff(r, session, at);
        }
        let l = look(r, tmux, session);
        match collision::decide(&mut quiet, &l, r.clock.now_ms(), cfg.quiet_ms) {
            Verdict::Deliver => {
                if queued_at_stop {
                    if !handoff::withdraw(&r.ws.store, provider, &session.session_id, &r.job.id)? {
                        return handed_over(r, session);
                    }
                    queued_at_stop = false;
                }
                // One delivery at a time per pane, and a second look under
                // the lock: another trigger may have just typed.
                let left = max_defer.saturating_sub(r.clock.instant().duration_since(start));
                if let Some(lock) = lock_pane(r, session, left)? {
                    let again = look(r, tmux, session);
                    let now = r.clock.now_ms();
                    if collision::decide(&mut quiet, &again, now, cfg.quiet_ms) == Verdict::Deliver
                    {
                        return type_and_confirm(r, session, tmux, lock);
                    }
                }
            }
            Verdict::Gone => {
                if queued_at_stop
                    && !handoff::withdraw(&r.ws.store, provider, &session.session_id, &r.job.id)?
                {
                    return handed_over(r, session);
                }
                return fall_back(r, session, "pane_gone");
            }
            Verdict::Defer(wait) => {
                if last_wait != Some(wait) {
                    let mut data = json!({"reason": wait.as_str()});
                    if let Some(a) = l.activity {
                        data["activity"] = json!(a.as_str());
                    }
                    r.record("trigger.deferred", data)?;
                    last_wait = Some(wait);
                }
                // A Claude session in a turn takes the prompt at its next
                // Stop: nothing is typed.
                if wait == Wait::AgentBusy
                    && provider == Provider::Claude
                    && l.activity == Some(Activity::Running)
                    && !queued_at_stop
                {
                    handoff::queue(
                        &r.ws.store,
                        provider,
                        &session.session_id,
                        &r.job.id,
                        &r.job.prompt,
                        r.clock.now_ms(),
                    )?;
                    queued_at_stop = true;
                }
            }
        }
        if r.clock.instant().duration_since(start) >= max_defer {
            if queued_at_stop
                && !handoff::withdraw(&r.ws.store, provider, &session.session_id, &r.job.id)?
            {
                return handed_over(r, session);
            }
            return fall_back(r, session, "defer_timeout");
        }
        r.clock
            .sleep(Duration::from_millis(cfg.recheck_ms.max(1) as u64));
    }
}

/// A withdrawal that came too late: a Stop hook took the job meanwhile.
fn handed_over(r: &mut Runner, session: &SessionState) -> Result<Outcome> {
    let at = handoff::taken(
        &r.ws.store,
        session.provider,
        &session.session_id,
        &r.job.id,
    )
    .unwrap_or(0);
    confirm_handoff(r, session, at)
}

/// The Stop hook took the job (the spool was `at` bytes long then): it
/// counts as delivered once the session sends a hook after that Stop (it
/// went on working on it).
fn confirm_handoff(r: &mut Runner, session: &SessionState, at: u64) -> Result<Outcome> {
    r.attempted("stop_handoff", session.pane.as_deref())?;
    let mark = evidence::Mark::at_spool(at);
    let cfg = &r.ws.config.trigger;
    let limit = Duration::from_millis(
        cfg.enter_retries_ms
            .iter()
            .copied()
            .max()
            .unwrap_or(10_000)
            .max(1000) as u64,
    );
    let start = r.clock.instant();
    loop {
        if evidence::any_hook(&r.ws.store, session, &mark) {
            return r.delivered("stop_handoff", Proof::Hook);
        }
        if r.clock.instant().duration_since(start) >= limit {
            return r.failed(
                "not_confirmed",
                "the session took the prompt at its Stop but sent no hook after".into(),
            );
        }
        r.clock.sleep(Duration::from_millis(50));
    }
}

fn type_and_confirm(
    r: &mut Runner,
    session: &SessionState,
    tmux: &dyn Client,
    _pane_lock: std::fs::File,
) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let pane = session.pane.clone().unwrap_or_default();
    let method = typing::method(&cfg, &r.job.prompt);
    r.attempted(method, Some(&pane))?;
    typing::put(tmux, &cfg, &pane, &r.job.id, &r.job.prompt)?;
    let mark = evidence::mark(&r.ws.store, session);
    r.job.state = JobState::Typed;
    r.job.mark = Some(mark);
    jobs::save(&r.ws.store, &r.job)?;
    typing::enter(tmux, r.clock, &cfg, &pane)?;
    confirm(r, session, tmux, method, mark)
}

/// Wait for the evidence that the prompt was submitted, pressing Enter
/// again (only Enter) while the text still sits in the box.
fn confirm(
    r: &mut Runner,
    session: &SessionState,
    tmux: &dyn Client,
    method: &str,
    mark: evidence::Mark,
) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let pane = session.pane.clone().unwrap_or_default();
    let hooked = session.evidence.is_hook();
    let start = r.clock.instant();
    let mut retries = cfg.enter_retries_ms.iter().copied().peekable();
    let last = cfg.enter_retries_ms.iter().copied().max().unwrap_or(0);
    loop {
        if let Some(proof) = evidence::submitted(&r.ws.store, session, &mark, &r.job.prompt) {
            return r.delivered(method, proof);
        }
        let screen = read_screen(r, tmux, session);
        let draft = screen.as_ref().and_then(|s| s.draft.as_deref());
        let in_box = draft.is_some_and(|d| evidence::still_in_box(d, &r.job.prompt));
        // A session without hooks can only be read from its screen.
        if !hooked && draft == Some("") {
            return r.delivered(method, Proof::Screen);
        }
        let elapsed = r.clock.instant().duration_since(start).as_millis() as i64;
        if let Some(at) = retries.peek().copied()
            && elapsed >= at
        {
            retries.next();
            // Enter only into the agent's own box.
            if in_box && pane_alive(tmux, session, &r.names) {
                tmux.press_enter(&pane)?;
            }
        } else if retries.peek().is_none() && elapsed >= last + 1000 {
            if in_box {
                return fall_back(r, session, "typed_not_submitted");
            }
            // The text left the box, but nothing shows it arrived: another
            // delivery could give it twice.
            return r.failed(
                "not_confirmed",
                "the text left the input box, but no hook or transcript shows it arrived".into(),
            );
        }
        // An agent's hook usually lands within tens of milliseconds of
        // Enter: look often at first, then less.
        let pause = if elapsed < 500 { 10 } else { 50 };
        r.clock.sleep(Duration::from_millis(pause));
    }
}

/// After the runner died between typing and confirming: evidence since
/// the mark confirms it; the text still in the box needs only Enter;
/// anything else is not known to have arrived, and is not typed again.
fn finish_typed(r: &mut Runner, session: &SessionState, tmux: &dyn Client) -> Result<Outcome> {
    let method = typing::method(&r.ws.config.trigger, &r.job.prompt);
    // The attempt the dead runner made.
    r.attempt = r.attempt.max(1);
    let mark = r.job.mark.unwrap_or_default();
    if let Some(proof) = evidence::submitted(&r.ws.store, session, &mark, &r.job.prompt) {
        return r.delivered(method, proof);
    }
    let in_box = pane_alive(tmux, session, &r.names)
        && read_screen(r, tmux, session)
            .and_then(|s| s.draft)
            .is_some_and(|d| evidence::still_in_box(&d, &r.job.prompt));
    if in_box {
        let pane = session.pane.clone().unwrap_or_default();
        tmux.press_enter(&pane)?;
        return confirm(r, session, tmux, method, mark);
    }
    r.failed(
        "not_confirmed",
        "the runner stopped after typing; the text is not in the box and nothing shows it arrived"
            .into(),
    )
}

/// The pane's delivery lock, waited for at most `limit`.
fn lock_pane(r: &Runner, session: &SessionState, limit: Duration) -> Result<Option<std::fs::File>> {
    let pane = session.pane.as_deref().unwrap_or_default();
    let path = r.ws.store.cache_dir().join(format!(
        "trigger/panes/{}.lock",
        pane.trim_start_matches('%')
    ));
    let f = crate::store::lock::open(&path)?;
    let start = r.clock.instant();
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock)
                if r.clock.instant().duration_since(start) < limit =>
            {
                r.clock.sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(
                    crate::Error::io(format!("cannot lock {}", path.display())).caused_by(e)
                );
            }
        }
    }
}

/// The provider's resume command, when typing cannot be used (`why`).
/// Never beside a live Claude (two processes would write one session;
/// Codex refuses by itself, and that refusal is recorded), and never for
/// a session id that would read as an option.
fn fall_back(r: &mut Runner, session: &SessionState, why: &str) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let provider = session.provider.as_str();
    let Some(template) = resume::template(&cfg.resume, provider) else {
        return r.failed(
            why,
            format!("{why}, and {provider} sessions have no resume fallback"),
        );
    };
    if session.provider == Provider::Claude && agent_running(session) {
        return r.failed(
            why,
            format!("{why}; the agent still runs, so its session is not resumed beside it"),
        );
    }
    if !resume::safe_session_id(&session.session_id) {
        return r.failed(
            why,
            format!(
                "{why}; the session id {:?} is not one to pass to {provider}",
                session.session_id
            ),
        );
    }
    r.attempt += 1;
    r.record(
        "trigger.attempted",
        json!({"attempt": r.attempt, "method": "exec_resume", "after": why}),
    )?;
    let argv = resume::argv(template, &session.session_id, &r.job.prompt);
    let cwd = session
        .cwd
        .as_deref()
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| r.ws.store.workdir.clone());
    let log =
        r.ws.store
            .cache_dir()
            .join(format!("trigger/resume/{}.log", r.job.id));
    let limit = Duration::from_millis(cfg.resume_timeout_ms.max(0) as u64);
    match resume::run(&argv, &cwd, &log, limit) {
        resume::Resumed::Done => r.delivered("exec_resume", Proof::ExitStatus),
        resume::Resumed::Held => r.failed(
            "thread_held",
            format!(
                "{why}; {} refused to resume session {}: another process (its TUI) holds it (output: {})",
                argv[0],
                session.session_id,
                log.display()
            ),
        ),
        resume::Resumed::Failed(m) => r.failed(
            "fallback_failed",
            format!("{why}; the resume fallback failed: {m} (output: {})", log.display()),
        ),
    }
}
