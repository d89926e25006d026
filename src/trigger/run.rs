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
use crate::agents::classify::Classifier;
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
pub fn run(ws: &Workspace, who: &Speaker, clock: &dyn Clock, job: Job) -> Result<Outcome> {
    let mut r = Runner {
        ws,
        who,
        clock,
        job,
        attempt: 0,
    };
    if r.job.finished() {
        return Ok(match r.job.state {
            JobState::Delivered => Outcome::Delivered {
                job: r.job.id.clone(),
                method: "earlier".into(),
                confirmed_by: "earlier".into(),
                attempt: 0,
            },
            _ => Outcome::Failed {
                job: r.job.id.clone(),
                reason_code: "earlier".into(),
                message: "the job had already failed".into(),
            },
        });
    }
    let Some(session) = runtime(ws, &r.job.target) else {
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
    deliver(&mut r, &session, tmux.as_ref())
}

/// The pane of `session`, if it is still there running the agent that
/// bound it.
fn pane_alive(tmux: &dyn Client, session: &SessionState) -> bool {
    let Some(pane) = &session.pane else {
        return false;
    };
    let Ok(panes) = tmux.list_panes() else {
        return false;
    };
    let Some(row) = panes.iter().find(|p| &p.id == pane) else {
        return false;
    };
    !row.dead
        && session.agent_pid.is_none_or(|pid| {
            std::path::Path::new(&format!("/proc/{pid}")).exists() || !cfg!(target_os = "linux")
        })
}

fn look(
    ws: &Workspace,
    tmux: &dyn Client,
    classifier: &Classifier,
    session: &SessionState,
) -> (Look, Option<SessionState>) {
    let fresh = sessions::load(&ws.store, session.provider, &session.session_id);
    let s = fresh.as_ref().unwrap_or(session);
    let alive = pane_alive(tmux, s);
    let screen = match (&s.pane, alive) {
        (Some(p), true) => tmux
            .capture_screens(&[p.as_str()])
            .ok()
            .and_then(|v| v.into_iter().next())
            .map(|text| classifier.read(&text)),
        _ => None,
    };
    let hooked = hooked(s);
    (
        Look {
            pane_alive: alive,
            activity: hooked.then_some(s.activity),
            hook_event: hooked.then(|| s.event.clone()),
            hook_ms: hooked.then_some(s.last_ms),
            screen,
        },
        fresh,
    )
}

fn deliver(r: &mut Runner, session: &SessionState, tmux: &dyn Client) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let classifier = Classifier::from_config(&r.ws.config.watch)?;
    let pane = session.pane.clone().unwrap_or_default();
    // A job taken over from a process that died after typing: its text may
    // be in the box or already submitted.
    if r.job.state == JobState::Typed
        && let Some(out) = finish_typed(r, session, tmux, &classifier, &pane)?
    {
        return Ok(out);
    }
    let start = r.clock.instant();
    let max_defer = Duration::from_millis(cfg.max_defer_ms.max(0) as u64);
    let mut quiet = Quiet::default();
    let mut last_wait: Option<Wait> = None;
    let mut queued_at_stop = false;
    let provider = session.provider;
    loop {
        if queued_at_stop
            && let Some(at) = handoff::taken(&r.ws.store, provider, &session.session_id, &r.job.id)
        {
            return confirm_handoff(r, session, at);
        }
        let (l, _) = look(r.ws, tmux, &classifier, session);
        let verdict = collision::decide(&mut quiet, &l, r.clock.now_ms(), cfg.quiet_ms);
        match verdict {
            Verdict::Deliver => {
                if queued_at_stop
                    && !handoff::withdraw(&r.ws.store, provider, &session.session_id, &r.job.id)?
                {
                    return handed_over(r, session);
                }
                return type_and_confirm(r, session, tmux, &classifier, &pane);
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
    classifier: &Classifier,
    pane: &str,
) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let method = typing::method(&cfg, &r.job.prompt);
    r.attempted(method, Some(pane))?;
    // One delivery at a time per pane: two triggers never interleave keys.
    let _pane_lock = lock_pane(r.ws, pane)?;
    typing::put(tmux, &cfg, pane, &r.job.id, &r.job.prompt)?;
    let mark = evidence::mark(&r.ws.store, session);
    r.job.state = JobState::Typed;
    r.job.mark = Some(mark);
    jobs::save(&r.ws.store, &r.job)?;
    typing::enter(tmux, r.clock, &cfg, pane)?;
    confirm(r, session, tmux, classifier, pane, method, mark)
}

fn confirm(
    r: &mut Runner,
    session: &SessionState,
    tmux: &dyn Client,
    classifier: &Classifier,
    pane: &str,
    method: &str,
    mark: evidence::Mark,
) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let hooked = hooked(session);
    let start = r.clock.instant();
    let mut retries = cfg.enter_retries_ms.iter().copied().peekable();
    let last = cfg.enter_retries_ms.iter().copied().max().unwrap_or(0);
    loop {
        if let Some(proof) = evidence::submitted(&r.ws.store, session, &mark, &r.job.prompt) {
            return r.delivered(method, proof);
        }
        let screen = tmux
            .capture_screens(&[pane])
            .ok()
            .and_then(|v| v.into_iter().next())
            .map(|t| classifier.read(&t));
        let in_box = screen
            .as_ref()
            .and_then(|s| s.draft.as_deref())
            .is_some_and(|d| evidence::still_in_box(d, &r.job.prompt));
        // A session without hooks can only be read from its screen.
        if !hooked
            && !in_box
            && screen
                .as_ref()
                .is_some_and(|s| s.draft.as_deref() == Some(""))
        {
            return r.delivered(method, Proof::Screen);
        }
        let elapsed = r.clock.instant().duration_since(start).as_millis() as i64;
        if let Some(at) = retries.peek().copied()
            && elapsed >= at
        {
            retries.next();
            if in_box {
                tmux.press_enter(pane)?;
            }
        } else if retries.peek().is_none() && elapsed >= last + 1000 {
            return if in_box {
                fall_back(r, session, "typed_not_submitted")
            } else {
                fall_back(r, session, "not_confirmed")
            };
        }
        r.clock.sleep(Duration::from_millis(50));
    }
}

/// After a crash between typing and confirming: evidence since the mark
/// confirms it; the text still in the box needs only Enter; else start over.
fn finish_typed(
    r: &mut Runner,
    session: &SessionState,
    tmux: &dyn Client,
    classifier: &Classifier,
    pane: &str,
) -> Result<Option<Outcome>> {
    let mark = evidence::Mark::default();
    if let Some(proof) = evidence::submitted(&r.ws.store, session, &mark, &r.job.prompt) {
        return r
            .delivered(typing::method(&r.ws.config.trigger, &r.job.prompt), proof)
            .map(Some);
    }
    let want = evidence::tail(&r.job.prompt);
    let in_box = tmux
        .capture_screens(&[pane])
        .ok()
        .and_then(|v| v.into_iter().next())
        .map(|t| classifier.read(&t))
        .and_then(|s| s.draft)
        .is_some_and(|d| evidence::tail(&d) == want);
    if in_box {
        let method = typing::method(&r.ws.config.trigger, &r.job.prompt);
        let mark = evidence::mark(&r.ws.store, session);
        tmux.press_enter(pane)?;
        return confirm(r, session, tmux, classifier, pane, method, mark).map(Some);
    }
    Ok(None)
}

fn lock_pane(ws: &Workspace, pane: &str) -> Result<std::fs::File> {
    let dir = ws.store.cache_dir().join("trigger/panes");
    fs_err::create_dir_all(&dir)?;
    let path = dir.join(format!("{}.lock", pane.trim_start_matches('%')));
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| crate::Error::io(format!("cannot open {}", path.display())).caused_by(e))?;
    f.lock()
        .map_err(|e| crate::Error::io(format!("cannot lock {}", path.display())).caused_by(e))?;
    Ok(f)
}

/// The provider's resume command, when typing cannot be used (`why`).
fn fall_back(r: &mut Runner, session: &SessionState, why: &str) -> Result<Outcome> {
    let cfg = r.ws.config.trigger.clone();
    let provider = session.provider.as_str();
    let Some(template) = resume::template(&cfg.resume, provider) else {
        return r.failed(
            why,
            format!("{why}, and {provider} sessions have no resume fallback"),
        );
    };
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

/// The session's state came from its hooks (not from a manual binding):
/// its activity and hook times are evidence.
fn hooked(s: &SessionState) -> bool {
    s.evidence.is_hook()
}
