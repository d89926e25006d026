//! `codexa trust show|recommend|accept|decline|constraints|retire`.

use crate::Result;
use crate::domain::trust::{self, constraints, recommend};

use super::thread::speaker;
use super::{Ctx, ExitStatus};

/// Progressive trust: what each agent has earned from its history, the
/// rules that would stop asking, and what it learned from being told no.
///
/// An agent's level for an action (new, learning, trusted, proven) comes
/// from its approvals, denials and holds over `trust.window_days`; a
/// recent denial weighs more and an incident on its work resets it. A
/// policy rule with `trust: {min: LEVEL}` matches only an agent with that
/// level. Recommendations, their acceptance and constraints' retirement
/// are for people: an agent can list them but never decide (exit 3).
#[derive(clap::Subcommand, Debug)]
pub enum TrustCommand {
    Show(AgentArgs),
    Recommend(AgentArgs),
    Accept(AcceptArgs),
    Decline(DeclineArgs),
    Constraints(AgentArgs),
    Retire(RetireArgs),
}

/// An agent's ledger and levels (`show`), the rules that would stop
/// asking it (`recommend`: all agents unless one is named), or the
/// constraints it learned (`constraints`).
#[derive(clap::Args, Debug)]
pub struct AgentArgs {
    /// The agent (default: you).
    pub agent: Option<String>,
}

/// Write a recommended rule into .codexa/policy.yaml; people only.
#[derive(clap::Args, Debug)]
pub struct AcceptArgs {
    /// The recommendation (`rec_…`).
    pub id: String,
}

/// Decline a recommendation: not proposed again until its evidence
/// changes; people only.
#[derive(clap::Args, Debug)]
pub struct DeclineArgs {
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

/// Retire a constraint that no longer holds; people only.
#[derive(clap::Args, Debug)]
pub struct RetireArgs {
    /// The constraint (`con_…`).
    pub id: String,
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: TrustCommand) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let now = crate::clock::now_ms();
    let p = &ctx.printer;
    match cmd {
        TrustCommand::Show(a) => {
            let agent = a.agent.unwrap_or_else(|| who.name.clone());
            let shown = trust::show(&ws, &agent, now)?;
            if p.is_json() {
                p.json(&shown)?;
                return Ok(ExitStatus::Success);
            }
            p.line(&shown.agent)?;
            let rows: Vec<Vec<String>> = shown
                .levels
                .iter()
                .map(|r| {
                    vec![
                        r.action.clone(),
                        r.subject.clone().unwrap_or_else(|| "-".into()),
                        r.level.tier.as_str().to_string(),
                        r.level.score.to_string(),
                        r.level.approved.to_string(),
                        r.level.denied.to_string(),
                        r.level.held.to_string(),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                p.table(
                    &[
                        "ACTION", "SUBJECT", "LEVEL", "SCORE", "APPROVED", "DENIED", "HELD",
                    ],
                    &rows,
                )?;
            }
            p.line(&format!(
                "runs: {} completed, {} failed; tool calls: {} succeeded, {} failed; incidents: {}",
                shown.runs_completed,
                shown.runs_failed,
                shown.tool_calls_succeeded,
                shown.tool_calls_failed,
                shown.incidents.len()
            ))?;
            for c in &shown.constraints {
                p.line(&format!("constraint {}: {}", c.id, c.text))?;
            }
        }
        TrustCommand::Recommend(a) => {
            let recs = recommend::recommendations(&ws, a.agent.as_deref(), now)?;
            if p.is_json() {
                p.json(&recs)?;
            } else if recs.is_empty() {
                p.status("nothing to recommend: no request of one kind was approved often enough without a no");
            } else {
                for r in &recs {
                    p.line(&format!(
                        "{}  {} may {} on {} without asking ({}; {} approvals)",
                        r.id,
                        r.agent,
                        r.action,
                        r.subject,
                        r.tier.as_str(),
                        r.evidence.len()
                    ))?;
                    p.line(&format!("  evidence: {}", r.evidence.join(", ")))?;
                    for l in r.diff.lines() {
                        p.line(&format!("  {l}"))?;
                    }
                }
                p.hint("a person accepts one with `codexa trust accept REC`, or declines it with `codexa trust decline REC`");
            }
        }
        TrustCommand::Accept(a) => {
            let rec = recommend::accept(&ws, &who, &a.id)?;
            if p.is_json() {
                p.json(&rec)?;
            } else {
                p.line(&rec.diff)?;
                p.status(&format!(
                    "wrote rule {} into .codexa/policy.yaml: review and commit it like code",
                    rec.rule_id
                ));
            }
        }
        TrustCommand::Decline(a) => {
            let rec = recommend::decline(&ws, &who, &a.id, a.reason.as_deref())?;
            if p.is_json() {
                p.json(&rec)?;
            } else {
                p.status(&format!("declined {}", rec.id));
            }
        }
        TrustCommand::Constraints(a) => {
            let agent = a.agent.unwrap_or_else(|| who.name.clone());
            let list = constraints::for_agent(&ws, &agent)?;
            if p.is_json() {
                p.json(&list)?;
            } else if list.is_empty() {
                p.status(&format!("{agent} has no constraints"));
            } else {
                for c in &list {
                    let on = match (&c.action, &c.subject) {
                        (Some(a), Some(s)) => format!(" ({a} on {s})"),
                        _ => String::new(),
                    };
                    p.line(&format!("{}  {}{on}  — {} at {}", c.id, c.text, c.by, c.at))?;
                }
            }
        }
        TrustCommand::Retire(a) => {
            let c = constraints::retire(&ws, &who, &a.id, a.reason.as_deref())?;
            if p.is_json() {
                p.json(&c)?;
            } else {
                p.status(&format!("retired {}: {}", c.id, c.text));
            }
        }
    }
    Ok(ExitStatus::Success)
}
