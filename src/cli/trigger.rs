//! `codexa trigger`.

use crate::Result;
use crate::trigger::{self, Job, Outcome, Wake, jobs};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_input};

/// Wake an agent: type a prompt into its pane, confirmed.
///
/// The wake passes the gate first (authority rules with action `wake`, the
/// loop and rate guards, the policy action `trigger.wake`; refused: exit 3).
/// Then the agent's session is looked up, and the prompt is delivered best
/// first: handed over at a mid-turn Claude session's next Stop; typed into
/// the idle pane once its input box is empty and the pane has been still
/// for `trigger.quiet_ms`; or, when the pane is gone, never quiet within
/// `trigger.max_defer_ms`, or the prompt is never confirmed, given through
/// the provider's resume command (`trigger.resume`). Delivered means the
/// agent's own hook (or transcript) shows the prompt arrived. Every step is
/// an event on the stream `trigger:<job>`. Exit 0 when delivered, 1 when
/// the job failed.
///
/// Without a prompt, the participant is told what is unread in their
/// inbox. With `--thread TH` and no participant, everyone on the thread
/// with messages there they have not read is woken, each by a worker of
/// its own.
#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    /// The participant to wake.
    #[arg(required_unless_present = "thread")]
    pub participant: Option<String>,
    /// The prompt to give (it may start with `-`).
    #[arg(long, value_name = "TEXT", group = "what", allow_hyphen_values = true)]
    pub prompt: Option<String>,
    /// Read the prompt from this file (`-`: stdin).
    #[arg(long, value_name = "FILE", group = "what")]
    pub prompt_file: Option<String>,
    /// Tell them what waits for them in this thread.
    #[arg(long, value_name = "TH", group = "what")]
    pub thread: Option<String>,
    /// Record the job and deliver it from a detached worker; return at once.
    #[arg(long)]
    pub no_wait: bool,
    #[command(subcommand)]
    pub command: Option<TriggerCommand>,
}

#[derive(clap::Subcommand, Debug)]
pub enum TriggerCommand {
    List(ListArgs),
    Show(ShowArgs),
    Drain(DrainArgs),
}

/// The trigger jobs on this machine, oldest first.
#[derive(clap::Args, Debug)]
pub struct ListArgs {}

/// One trigger job and its events.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The job id (`trg_…`).
    pub job: String,
}

/// Finish jobs no live process is running (after a crash or a reboot).
///
/// A job is run by one process at a time: a drain skips the ones another
/// process holds, so two drains never deliver one job twice.
#[derive(clap::Args, Debug)]
pub struct DrainArgs {
    /// Only this job.
    #[arg(long, value_name = "JOB")]
    pub job: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    match args.command {
        Some(TriggerCommand::List(_)) => return list(ctx),
        Some(TriggerCommand::Show(a)) => return show(ctx, &a.job),
        Some(TriggerCommand::Drain(a)) => return drain(ctx, a.job.as_deref()),
        None => {}
    }
    let (ws, who) = speaker(ctx)?;
    let Some(target) = args.participant else {
        let th = args.thread.as_deref().unwrap_or_default();
        return wake_everyone(ctx, &ws, &who, th);
    };
    let prompt = match (&args.prompt, &args.prompt_file, &args.thread) {
        (Some(p), _, _) => p.clone(),
        (None, Some(f), _) => read_input(&format!("@{f}"), "the prompt")?,
        (None, None, Some(th)) => trigger::thread_prompt(&ws, &target, th)?,
        (None, None, None) => trigger::inbox_prompt(&ws, &target)?,
    };
    if prompt.trim().is_empty() {
        return Err(
            crate::Error::user("the prompt is empty").hint("give the agent something to do")
        );
    }
    let wake = Wake {
        target: &target,
        prompt: &prompt,
        thread: args.thread.as_deref(),
    };
    let job = match trigger::request(&ws, &who, &wake)? {
        Ok(job) => job,
        Err(blocked) => return Err(blocked.to_error()),
    };
    if args.no_wait {
        jobs::start_worker(&ctx.cwd, &job.id)?;
        return print_job(ctx, &job);
    }
    let Some(_owned) = jobs::try_own(&ws.store, &job.id)? else {
        return print_job(ctx, &job);
    };
    let clock = crate::clock::for_waiting();
    let outcome = trigger::run(&ws, &who, clock.as_ref(), job)?;
    print_outcome(ctx, &outcome)
}

/// `--thread TH` without a participant.
fn wake_everyone(
    ctx: &Ctx,
    ws: &crate::workspace::Workspace,
    who: &crate::domain::identity::Speaker,
    thread: &str,
) -> Result<ExitStatus> {
    let woken = trigger::wake_thread(ws, who, thread)?;
    report_wakes(ctx, thread, &woken)
}

/// One line per participant woken (the job) or refused (why); exit 3 when
/// every wake was refused.
pub fn report_wakes(
    ctx: &Ctx,
    thread: &str,
    woken: &[(
        String,
        std::result::Result<Job, crate::domain::governance::Blocked>,
    )],
) -> Result<ExitStatus> {
    if woken.is_empty() {
        ctx.printer.status(&format!(
            "nobody on {thread} has anything unread: nobody to wake"
        ));
        return Ok(ExitStatus::Success);
    }
    for (name, r) in woken {
        match r {
            Ok(job) => ctx.printer.status(&format!("waking {name}: {}", job.id)),
            Err(b) => ctx
                .printer
                .warning(&format!("not waking {name}: {}", b.describe())),
        }
    }
    if woken.iter().all(|(_, r)| r.is_err()) {
        return Ok(ExitStatus::Blocked);
    }
    Ok(ExitStatus::Success)
}

fn print_job(ctx: &Ctx, job: &Job) -> Result<ExitStatus> {
    if ctx.printer.is_json() {
        ctx.printer.json(job)?;
    } else {
        ctx.printer.line(&job.id)?;
        ctx.printer
            .status(&format!("waking {}: {:?}", job.target, job.state));
    }
    Ok(ExitStatus::Success)
}

fn print_outcome(ctx: &Ctx, outcome: &Outcome) -> Result<ExitStatus> {
    if ctx.printer.is_json() {
        ctx.printer.json(outcome)?;
    }
    match outcome {
        Outcome::Delivered {
            job,
            method,
            confirmed_by,
            ..
        } => {
            if !ctx.printer.is_json() {
                ctx.printer.line(job)?;
                ctx.printer.status(&format!(
                    "delivered by {method}, confirmed by {confirmed_by}"
                ));
            }
            Ok(ExitStatus::Success)
        }
        Outcome::Failed {
            job,
            reason_code,
            message,
        } => {
            if !ctx.printer.is_json() {
                ctx.printer.line(job)?;
                ctx.printer
                    .warning(&format!("not delivered: {reason_code}: {message}"));
            }
            Ok(ExitStatus::Failure)
        }
    }
}

fn list(ctx: &Ctx) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let all = jobs::all(&store);
    if ctx.printer.is_json() {
        ctx.printer.json(&all)?;
    } else {
        ctx.printer.lines(all.iter().map(|j| {
            format!(
                "{}  {:<9} {:<12} by {}",
                j.id,
                format!("{:?}", j.state).to_lowercase(),
                j.target,
                j.requested_by
            )
        }))?;
    }
    Ok(ExitStatus::Success)
}

fn show(ctx: &Ctx, id: &str) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let job = jobs::load(&store, id)?;
    let index = crate::store::index::Index::open(&store)?;
    let filter = crate::store::index::Filter {
        stream_type: Some("trigger".into()),
        stream_id: Some(id.to_string()),
        ..Default::default()
    };
    let events = index.events(&store.events_dir(), &filter, None, false)?;
    if ctx.printer.is_json() {
        ctx.printer
            .json(&serde_json::json!({"job": job, "events": events}))?;
    } else {
        ctx.printer.line(&format!(
            "{}  {:?}  {} → {}",
            job.id, job.state, job.requested_by, job.target
        ))?;
        for e in events {
            ctx.printer
                .line(&format!("  {}  {}  {}", e.ts, e.kind, e.data))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Run every unfinished job (or `only`) that no other process holds.
fn drain(ctx: &Ctx, only: Option<&str>) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let pending: Vec<Job> = match only {
        Some(id) => vec![jobs::load(&ws.store, id)?],
        None => jobs::all(&ws.store),
    };
    let clock = crate::clock::for_waiting();
    let mut status = ExitStatus::Success;
    for job in pending.into_iter().filter(|j| !j.finished()) {
        let Some(_owned) = jobs::try_own(&ws.store, &job.id)? else {
            continue;
        };
        // Read again under the lock: another process may have finished it.
        let job = jobs::load(&ws.store, &job.id)?;
        if job.finished() {
            continue;
        }
        if !jobs::on_record(&ws, &job)? {
            ctx.printer.warning(&format!(
                "not running {}: the log holds no request for it (a job file nobody asked for through `codexa trigger`)",
                job.id
            ));
            status = ExitStatus::Failure;
            continue;
        }
        let requester = job.requester(&ws.config);
        let id = job.id.clone();
        // One job's error (recorded as its failure) does not stop the rest.
        match trigger::run(&ws, &requester, clock.as_ref(), job) {
            Ok(outcome) => {
                if print_outcome(ctx, &outcome)? != ExitStatus::Success {
                    status = ExitStatus::Failure;
                }
            }
            Err(e) => {
                ctx.printer
                    .warning(&format!("{id}: {}", e.lines().join(": ")));
                status = ExitStatus::Failure;
            }
        }
    }
    Ok(status)
}
