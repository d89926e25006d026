//! `codexa policy eval|explain`: ask the policy gate about an action, the
//! way an agent's hook or a script would before doing it. `eval` records its
//! answer (`policy.evaluated`) and exits with it (0 allow, 4
//! require_approval, 5 deny) so a shell can branch without parsing; `explain`
//! shows how the answer came about and records nothing, since it decides
//! nothing.

use crate::Result;
use crate::domain::gate::{self, Question};
use crate::domain::policy::{self, Decision, Verdict};
use clap::Subcommand;

use super::thread::speaker;
use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Decide an action: prints allow, deny or require_approval with its
    /// reason code; exits 0, 5 or 4 accordingly. Records `policy.evaluated`.
    Eval(Args),
    /// Show every rule with whether it matched and why not, then the kill
    /// switch and approval steps. Records nothing.
    Explain(Args),
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The action, e.g. `git.push`, `external.write`, `shell.exec`.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// What the action is on, e.g. `origin/main` or `CH-010`.
    #[arg(long, value_name = "SUBJECT")]
    pub subject: Option<String>,
    /// The zone to judge it in (default: from the policy's `zones`, else
    /// supervised).
    #[arg(long, value_name = "ZONE", value_parser = ["sandbox", "supervised", "high_stakes"])]
    pub zone: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: PolicyCommand) -> Result<ExitStatus> {
    match cmd {
        PolicyCommand::Eval(a) => eval(ctx, a),
        PolicyCommand::Explain(a) => explain(ctx, a),
    }
}

impl Args {
    fn question(&self) -> Question<'_> {
        Question {
            action: &self.action,
            subject: self.subject.as_deref(),
            zone: self.zone.as_deref(),
        }
    }
}

/// `require_approval git_push_requires_approval (rule git-push)`.
pub fn render_decision(d: &Decision) -> String {
    let mut s = format!("{} {}", d.decision.as_str(), d.reason_code);
    match &d.rule {
        Some(r) => s.push_str(&format!(" (rule {r})")),
        None => s.push_str(" (default)"),
    }
    s
}

fn hint_for(ctx: &Ctx, d: &Decision) {
    match d.decision {
        Verdict::RequireApproval => ctx.printer.hint(&format!(
            "ask a person: `codexa approval request --action {} --subject {}`",
            d.action,
            d.subject.as_deref().unwrap_or("SUBJECT")
        )),
        Verdict::Deny if d.reason_code == policy::KILL_SWITCH_REASON => ctx.printer.hint(
            "the kill switch is on (kill_switch.external_write in .codexa/config.yaml or $CODEXA_KILL_SWITCH_EXTERNAL_WRITE)",
        ),
        _ => {}
    }
}

fn eval(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let decision = gate::eval(&ws, &who, args.question())?;
    if ctx.printer.is_json() {
        ctx.printer.json(&decision)?;
    } else {
        ctx.printer.line(&render_decision(&decision))?;
        hint_for(ctx, &decision);
    }
    // The verdict is the exit code, so a shell can branch without parsing.
    Ok(match decision.decision {
        Verdict::Allow => ExitStatus::Success,
        Verdict::RequireApproval => ExitStatus::RequireApproval,
        Verdict::Deny => ExitStatus::Deny,
    })
}

fn explain(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let e = gate::judge(&ws, &who, args.question())?;
    if ctx.printer.is_json() {
        ctx.printer.json(&e)?;
        return Ok(ExitStatus::Success);
    }
    let p = &ctx.printer;
    p.line(&format!(
        "{} by {} (role {}) in zone {} ({}); policy {}",
        e.decision.action, e.decision.actor, e.decision.role, e.zone, e.zone_from, e.policy
    ))?;
    for r in &e.rules {
        let mark = if r.decided {
            "→ decides"
        } else if r.matched {
            "  matches (an earlier rule decided)"
        } else {
            "  no match"
        };
        p.line(&format!(
            "rule {}: {} {} {mark}",
            r.rule,
            r.decision.as_str(),
            r.reason_code
        ))?;
        for why in &r.failed {
            p.line(&format!("    {why}"))?;
        }
        if let Some(t) = r.trust.as_ref().filter(|_| r.matched) {
            p.line(&format!("    trust: {} ({})", t.tier.as_str(), t.why))?;
        }
    }
    if e.default_used {
        p.line("no rule matched: the default decides")?;
    }
    let k = &e.kill_switch;
    p.line(&format!(
        "kill switch: {}{}",
        if k.on { "on" } else { "off" },
        if k.applied {
            ", and the action is external: denied"
        } else if k.on {
            ", but the action is not external"
        } else {
            ""
        }
    ))?;
    let a = &e.approval;
    p.line(&match (&a.looked, &a.found) {
        (false, _) => "approval: not needed".to_string(),
        (true, Some(id)) if a.applied => format!("approval: {id} is in force"),
        (true, _) => "approval: none in force for this action and subject".to_string(),
    })?;
    p.line(&format!("decision: {}", render_decision(&e.decision)))?;
    Ok(ExitStatus::Success)
}
