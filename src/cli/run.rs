//! `codexa run …`: durable work under claim leases.

use crate::Result;
use crate::domain::runs::{self, ClaimRequest, Listing, Move, NewRun, Run, Status};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_json};

/// Runs: units of work that workers claim under a lease, start, and
/// complete or fail.
///
/// A run goes queued → claimed → running → completed or failed, or is
/// cancelled. `run claim` takes the oldest queued run (or the one named)
/// under the store lock, so two claimers never both win, and prints the
/// run's id and a lease token `cxl_F_SECRET`. `F` is the lease's fence:
/// it grows with every claim of the run, and a token from an earlier
/// lease is refused (exit 6), even when the same worker claimed again. A
/// lease runs out after its TTL without a heartbeat; the run is then
/// claimable again (`run.lease_expired`, and an incident when it was
/// running). An agent's lease on a running run does not run out while its
/// own hooks show it at work: its live session renews it
/// (`run.lease_renewed`).
///
/// Within a clone every step is exact. Across clones, claims settle at
/// `codexa sync`: if two clones claimed one run between syncs, the
/// earlier claim stands and the other's events show as conflicts in
/// `run show`.
#[derive(clap::Subcommand, Debug)]
pub enum RunCommand {
    Create(CreateArgs),
    List(ListArgs),
    Show(ShowArgs),
    Claim(ClaimArgs),
    /// Renew a lease: it lasts its TTL again from now.
    Heartbeat(TokenArgs),
    /// Give a claimed or running run back to the queue.
    Release(TokenArgs),
    /// Start a claimed run.
    Start(TokenArgs),
    Complete(CompleteArgs),
    Fail(FailArgs),
    Cancel(CancelArgs),
    Expire(ExpireArgs),
    /// A run's steps: add.
    #[command(subcommand)]
    Step(StepCommand),
}

/// Queue a run. Prints its id.
#[derive(clap::Args, Debug)]
pub struct CreateArgs {
    /// What the work is.
    #[arg(long)]
    pub title: String,
    /// Its input: JSON inline, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON")]
    pub input: Option<String>,
    /// Ties it to other events for `codexa inspect --correlation`
    /// (default: the run's own id).
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// Only this participant may claim it.
    #[arg(long = "for", value_name = "PARTICIPANT")]
    pub for_participant: Option<String>,
    /// The kind of work; its lease length comes from `runs.kinds.KIND`
    /// in the config.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
}

/// List runs: those still open (queued, claimed, running), oldest first.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Only runs with this status.
    #[arg(long, value_name = "STATUS", value_parser = ["queued", "claimed", "running", "completed", "failed", "cancelled"])]
    pub status: Option<String>,
    /// Runs meant for you or held by you.
    #[arg(long)]
    pub mine: bool,
    /// Every run, ended ones too.
    #[arg(long)]
    pub all: bool,
}

/// One run: status, lease, input and output, steps, conflicts.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub id: String,
}

/// Claim a run: the oldest queued one meant for anyone or for you, or the
/// one named. Prints `RUN_ID TOKEN` (exit 6: nothing to claim, or the
/// named run is held).
#[derive(clap::Args, Debug)]
pub struct ClaimArgs {
    /// This run rather than the oldest.
    pub id: Option<String>,
    /// Who works on it (default: you; an agent claims only for itself).
    #[arg(long)]
    pub worker: Option<String>,
    /// The lease's length without a heartbeat, e.g. 30s, 10m, 2h (default:
    /// `runs.kinds.KIND.lease_ttl_ms`, else `runs.lease_ttl_ms`).
    #[arg(long, value_parser = parse_ttl)]
    pub ttl: Option<i64>,
    /// Only runs of this kind.
    #[arg(long)]
    pub kind: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct TokenArgs {
    pub id: String,
    /// The token `run claim` printed.
    #[arg(long)]
    pub token: String,
}

/// Complete a running run.
#[derive(clap::Args, Debug)]
pub struct CompleteArgs {
    pub id: String,
    #[arg(long)]
    pub token: String,
    /// What it produced: JSON inline, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON")]
    pub output: Option<String>,
}

/// Fail a claimed or running run.
#[derive(clap::Args, Debug)]
pub struct FailArgs {
    pub id: String,
    #[arg(long)]
    pub token: String,
    /// Why it failed.
    #[arg(long)]
    pub reason: String,
}

/// Cancel a run that has not ended. An agent may cancel only runs it
/// created (exit 3 otherwise).
#[derive(clap::Args, Debug)]
pub struct CancelArgs {
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

/// Record every lease that ran out: renewed when its agent's hooks show it
/// at work, else expired (the run is claimable again), with an incident
/// when the run was running. `run claim` does this for the run it takes;
/// this does it for all, from cron or CI.
#[derive(clap::Args, Debug)]
pub struct ExpireArgs {}

#[derive(clap::Subcommand, Debug)]
pub enum StepCommand {
    Add(StepAddArgs),
}

/// Add a step to a run that has not ended. Prints the step's id.
#[derive(clap::Args, Debug)]
pub struct StepAddArgs {
    /// The run.
    pub id: String,
    /// What the step does.
    #[arg(long)]
    pub name: String,
}

fn parse_ttl(text: &str) -> std::result::Result<i64, String> {
    crate::clock::parse_duration_ms(text)
        .map_err(|_| format!("`{text}` is not a duration: use e.g. 30s, 10m, 2h"))
}

pub fn run(ctx: &Ctx, cmd: RunCommand) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let token_move = |id: &str, token: &str, m: Move| runs::act(&ws, &who, id, token, m);
    let done = match cmd {
        RunCommand::Create(a) => {
            let input = a
                .input
                .as_deref()
                .map(|i| read_json(i, "--input"))
                .transpose()?;
            let run = runs::create(
                &ws,
                &who,
                NewRun {
                    title: a.title,
                    kind: a.kind,
                    input,
                    correlation_id: a.correlation_id,
                    for_participant: a.for_participant,
                },
            )?;
            if ctx.printer.is_json() {
                ctx.printer.json(&run)?;
            } else {
                ctx.printer.line(&run.id)?;
                ctx.printer
                    .status(&format!("queued {} \"{}\"", run.id, run.title));
            }
            return Ok(ExitStatus::Success);
        }
        RunCommand::List(a) => {
            let which = Listing {
                status: a.status.as_deref().and_then(Status::parse),
                all: a.all,
                mine: a.mine.then_some(who.name.as_str()),
            };
            return print_list(ctx, &runs::list(&ws, &which)?);
        }
        RunCommand::Show(a) => runs::load(&ws, &a.id)?,
        RunCommand::Claim(a) => {
            let claimed = runs::claim(
                &ws,
                &who,
                &ClaimRequest {
                    run: a.id,
                    worker: a.worker,
                    ttl_ms: a.ttl,
                    kind: a.kind,
                },
            )?;
            if ctx.printer.is_json() {
                ctx.printer.json(&claimed)?;
            } else {
                ctx.printer
                    .line(&format!("{} {}", claimed.run.id, claimed.token))?;
                for id in &claimed.expired {
                    ctx.printer
                        .status(&format!("recorded the expired lease on {id}"));
                }
                if let Some(l) = &claimed.run.lease {
                    ctx.printer.status(&format!(
                        "claimed {} \"{}\" for {} (lease {}, until {})",
                        claimed.run.id, claimed.run.title, l.worker, l.fence, l.expires_at
                    ));
                }
            }
            return Ok(ExitStatus::Success);
        }
        RunCommand::Heartbeat(a) => token_move(&a.id, &a.token, Move::Heartbeat)?,
        RunCommand::Release(a) => token_move(&a.id, &a.token, Move::Release)?,
        RunCommand::Start(a) => token_move(&a.id, &a.token, Move::Start)?,
        RunCommand::Complete(a) => {
            let output = a
                .output
                .as_deref()
                .map(|o| read_json(o, "--output"))
                .transpose()?;
            token_move(&a.id, &a.token, Move::Complete { output })?
        }
        RunCommand::Fail(a) => token_move(&a.id, &a.token, Move::Fail { reason: a.reason })?,
        RunCommand::Cancel(a) => runs::cancel(&ws, &who, &a.id, a.reason.as_deref())?,
        RunCommand::Expire(_) => {
            let recorded = runs::expire(&ws, &who)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&recorded)?;
            } else if recorded.is_empty() {
                ctx.printer.status("no lease has run out");
            } else {
                ctx.printer.lines(
                    recorded
                        .iter()
                        .map(|e| format!("{} {}", e.kind, e.stream.id)),
                )?;
            }
            return Ok(ExitStatus::Success);
        }
        RunCommand::Step(StepCommand::Add(a)) => {
            let step = runs::add_step(&ws, &who, &a.id, &a.name)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&step)?;
            } else {
                ctx.printer.line(&step.id)?;
            }
            return Ok(ExitStatus::Success);
        }
    };
    print_run(ctx, &done)?;
    Ok(ExitStatus::Success)
}

fn print_list(ctx: &Ctx, list: &[Run]) -> Result<ExitStatus> {
    if ctx.printer.is_json() {
        ctx.printer.json(list)?;
        return Ok(ExitStatus::Success);
    }
    if list.is_empty() {
        ctx.printer.status("no runs match");
        return Ok(ExitStatus::Success);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.status.as_str().to_string(),
                r.kind.clone(),
                r.lease
                    .as_ref()
                    .map(|l| format!("{} (lease {})", l.worker, l.fence))
                    .or_else(|| r.for_participant.as_ref().map(|p| format!("for {p}")))
                    .unwrap_or_else(|| "-".into()),
                r.updated_at.clone(),
                r.title.clone(),
            ]
        })
        .collect();
    ctx.printer.table(
        &["RUN", "STATUS", "KIND", "WORKER", "UPDATED", "TITLE"],
        &rows,
    )?;
    Ok(ExitStatus::Success)
}

/// A run for people: what it is, where it stands, its steps.
fn print_run(ctx: &Ctx, run: &Run) -> Result<()> {
    if ctx.printer.is_json() {
        return ctx.printer.json(run);
    }
    let p = &ctx.printer;
    p.line(&format!("{}  \"{}\"", run.id, run.title))?;
    p.line(&format!("  status       {}", run.status.as_str()))?;
    p.line(&format!("  kind         {}", run.kind))?;
    if let Some(f) = &run.for_participant {
        p.line(&format!("  for          {f}"))?;
    }
    p.line(&format!(
        "  created      {} by {}",
        run.created_at, run.created_by
    ))?;
    p.line(&format!("  correlation  {}", run.correlation_id))?;
    if let Some(l) = &run.lease {
        let state = if run.lease_expired(crate::clock::now_ms()) {
            "ran out"
        } else {
            "until"
        };
        p.line(&format!(
            "  lease        {} held by {} since {}, {state} {}",
            l.fence, l.worker, l.claimed_at, l.expires_at
        ))?;
    }
    if run.lease_expiries > 0 {
        p.line(&format!("  expiries     {}", run.lease_expiries))?;
    }
    if let Some(input) = &run.input {
        p.line(&format!("  input        {input}"))?;
    }
    if let Some(output) = &run.output {
        p.line(&format!("  output       {output}"))?;
    }
    if let Some(reason) = &run.failure {
        p.line(&format!("  failed       {reason}"))?;
    }
    if let Some(reason) = &run.cancel_reason {
        p.line(&format!("  cancelled    {reason}"))?;
    }
    for s in &run.steps {
        p.line(&format!(
            "  step {}  \"{}\"  {} tool calls, {} artifacts",
            s.id,
            s.name,
            s.tool_calls.len(),
            s.artifacts.len()
        ))?;
    }
    for c in &run.conflicts {
        p.line(&format!(
            "  conflict     {} {} by {}: {}",
            c.event.ts, c.event.kind, c.event.actor, c.reason
        ))?;
    }
    Ok(())
}
