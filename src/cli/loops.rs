//! `codexa loop plan` and `codexa seed --from loop-plan`: the planning loop
//! after `discover`. The work is in `crate::loops`; this parses and prints.

use crate::Result;
use crate::loops::plan::{self, DEFAULT_MAX, Options, Planned};
use crate::loops::seed::{self, Seeded};

use super::thread::speaker;
use super::{Ctx, ExitStatus};

/// Plan loops of changes from the manifests: `loop plan`.
#[derive(clap::Subcommand, Debug)]
pub enum LoopCommand {
    /// Propose the next loop LP-nnn: changes CH-nnn from the change zones
    /// of .codexa/manifests/system_manifest.yaml (run `codexa discover`
    /// first), each with a suggested agent and the approvals the policy
    /// asks for; writes .codexa/loops/LP-nnn/plan.yaml and plan.md and
    /// records `loop.planned`.
    Plan(PlanArgs),
}

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    /// What the loop is for; zones whose name or files contain its words
    /// come first (otherwise the highest scores do).
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// The most changes to propose.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX as u16,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max: u16,
}

/// Where seeds come from.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SeedSource {
    /// A loop plan in .codexa/loops/.
    LoopPlan,
}

/// Render a plan's changes into prompts for agents: `seed --from loop-plan`.
///
/// Render the prompt for each change of a plan into
/// .codexa/loops/LP-nnn/seeds/CH-nnn.md, open the approvals the plan
/// requires, and with `--post TH` post each prompt to the thread (once:
/// a rerun posts nothing new). Records `loop.seeded`.
#[derive(clap::Args, Debug)]
pub struct SeedArgs {
    /// What to seed from.
    #[arg(long, value_enum, value_name = "SOURCE")]
    pub from: SeedSource,
    /// The plan (`LP-nnn`); the latest when omitted.
    #[arg(value_name = "LP")]
    pub plan: Option<String>,
    /// Post each seed to this thread, as you, mentioning its agent.
    #[arg(long, value_name = "TH")]
    pub post: Option<String>,
    /// Start each change's agent whose approvals are granted, in a worktree
    /// of its own, with the change's brief as its first prompt (see `codexa
    /// start`); a change already started is not started again.
    #[arg(long)]
    pub start: bool,
}

pub fn run_loop(ctx: &Ctx, cmd: LoopCommand) -> Result<ExitStatus> {
    match cmd {
        LoopCommand::Plan(args) => run_plan(ctx, args),
    }
}

fn run_plan(ctx: &Ctx, args: PlanArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let planned = plan::plan(
        &ws,
        &who,
        &Options {
            goal: args.goal,
            max: usize::from(args.max),
        },
    )?;
    if ctx.printer.is_json() {
        ctx.printer.json(&planned.plan)?;
    } else {
        print_plan(ctx, &planned)?;
    }
    Ok(ExitStatus::Success)
}

fn print_plan(ctx: &Ctx, planned: &Planned) -> Result<()> {
    let p = &ctx.printer;
    let plan = &planned.plan;
    let goal = plan
        .goal
        .as_deref()
        .map(|g| format!(" for \"{g}\""))
        .unwrap_or_default();
    let n = plan.changes.len();
    p.line(&format!(
        "{}: {n} change{}{goal}",
        plan.id,
        if n == 1 { "" } else { "s" }
    ))?;
    for c in &plan.changes {
        let approvals: Vec<String> = c
            .approvals
            .iter()
            .map(|a| format!("needs {} approval", a.kind))
            .collect();
        p.line(&format!(
            "  {}  {} {}  {} risk  {} file{}  {}  {}",
            c.id,
            c.zone.id,
            c.zone.name,
            c.risk,
            c.files.len(),
            if c.files.len() == 1 { "" } else { "s" },
            c.participant.as_deref().unwrap_or("no agent"),
            if approvals.is_empty() {
                "no approval needed".to_string()
            } else {
                approvals.join(", ")
            }
        ))?;
    }
    for l in &plan.left_out {
        p.line(&format!(
            "  left out {} {}{}: {}",
            l.zone.id,
            l.zone.name,
            l.id.as_deref()
                .map(|i| format!(" ({i})"))
                .unwrap_or_default(),
            l.reason
        ))?;
    }
    for w in &planned.written {
        p.line(&format!("wrote {w}"))?;
    }
    p.status(&format!(
        "next: codexa seed --from loop-plan {} [--post TH]",
        plan.id
    ));
    Ok(())
}

pub fn run_seed(ctx: &Ctx, args: SeedArgs) -> Result<ExitStatus> {
    let SeedSource::LoopPlan = args.from;
    let (ws, who) = speaker(ctx)?;
    let seeded = seed::seed(
        &ws,
        &who,
        &seed::Options {
            plan: args.plan,
            thread: args.post,
        },
    )?;
    let started = if args.start && seeded.blocked.is_none() {
        if !ctx.printer.is_json() {
            print_seeded(ctx, &seeded)?;
        }
        Some(super::start::start_plan(ctx, &ws, &who, &seeded)?)
    } else {
        if !ctx.printer.is_json() {
            print_seeded(ctx, &seeded)?;
        }
        None
    };
    if ctx.printer.is_json() {
        let mut v = serde_json::to_value(&seeded).unwrap_or_default();
        if let Some(s) = &started {
            v["started"] = serde_json::to_value(s).unwrap_or_default();
        }
        ctx.printer.json(&v)?;
    }
    match &seeded.blocked {
        None => Ok(ExitStatus::Success),
        Some(b) => {
            let refusal = crate::Error::blocked(format!(
                "{}; the seeds after it were not posted",
                b.describe()
            ))
            .hint(b.hint());
            // Under --format json the refusal is in the output already.
            Err(if ctx.printer.is_json() {
                refusal.reported()
            } else {
                refusal
            })
        }
    }
}

fn print_seeded(ctx: &Ctx, s: &Seeded) -> Result<()> {
    let p = &ctx.printer;
    for seed in &s.seeds {
        p.line(&format!(
            "{}  {} {}",
            seed.change,
            if seed.changed { "wrote" } else { "unchanged" },
            seed.path
        ))?;
        for a in &seed.approvals {
            p.line(&format!(
                "{}  {} approval {}: {}{} (requested by {})",
                seed.change,
                a.kind,
                a.id,
                a.status,
                if a.new { ", new" } else { "" },
                a.requested_by
            ))?;
            if a.status == "pending" || a.status == "held" {
                p.hint(&format!(
                    "a person approves with `codexa approve {} --kind {}` (or `codexa ask \"approve {} for {}\"`)",
                    a.subject, a.kind, a.kind, a.subject
                ));
            } else if a.status == "denied" {
                p.warning(&format!(
                    "{} approval for {} was denied; ask again with `codexa approval request --action {} --subject {} --kind {}`",
                    a.kind, a.subject, a.action, a.subject, a.kind
                ));
            }
        }
        if let Some(m) = &seed.message {
            p.line(&format!(
                "{}  {} {} as #{} ({})",
                seed.change,
                if m.new {
                    "posted to"
                } else {
                    "already posted to"
                },
                s.thread.as_deref().unwrap_or("?"),
                m.number,
                m.id
            ))?;
        }
    }
    Ok(())
}
