//! `codexa approval request|show`: ask a person to approve an action on a
//! subject, and look at one request with its decisions.

use super::visible::one_line;
use crate::Result;
use crate::domain::approvals::{self, Approval, Decided, NewRequest};
use clap::Subcommand;

use super::thread::speaker;
use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum ApprovalCommand {
    /// Ask for an approval; prints its id (`appr_…`). An identical request
    /// still pending answers with its id instead of a new one.
    Request(RequestArgs),
    /// Print one approval and its decisions.
    Show(ShowArgs),
}

#[derive(clap::Args, Debug)]
pub struct RequestArgs {
    /// The gated action, e.g. `git.push`.
    #[arg(long, value_name = "ACTION")]
    pub action: String,
    /// What it is on, e.g. `origin/main` or `CH-010`.
    #[arg(long, value_name = "SUBJECT")]
    pub subject: String,
    /// What sort of approval, e.g. `design` (default: the action's last word).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Why it is needed, for the person deciding.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// When it stops counting: a duration from now (`2h`, `1d`) or an
    /// RFC 3339 time.
    #[arg(long, value_name = "WHEN")]
    pub expires: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The approval id (`appr_…`).
    pub id: String,
}

pub fn run(ctx: &Ctx, cmd: ApprovalCommand) -> Result<ExitStatus> {
    match cmd {
        ApprovalCommand::Request(a) => request(ctx, a),
        ApprovalCommand::Show(a) => show(ctx, a),
    }
}

fn request(ctx: &Ctx, args: RequestArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let (approval, new) = approvals::request(
        &ws,
        &who,
        NewRequest {
            action: &args.action,
            subject: &args.subject,
            kind: args.kind.as_deref(),
            reason: args.reason.as_deref(),
            expires: args.expires.as_deref(),
        },
    )?;
    if ctx.printer.is_json() {
        ctx.printer.json(&approval)?;
    } else {
        ctx.printer.line(&approval.id)?;
        ctx.printer.status(&if new {
            format!(
                "requested approval of {} on {}; a person decides with `codexa approve {}`",
                approval.action, approval.subject, approval.id
            )
        } else {
            format!("an identical request is already {}", approval.status)
        });
    }
    Ok(ExitStatus::Success)
}

/// The one-line form `approvals` lists.
pub fn render_row(a: &Approval) -> String {
    let unverified = match a.unverified() {
        0 => String::new(),
        n => format!(
            "  ({n} unverified decision{} ignored)",
            if n == 1 { "" } else { "s" }
        ),
    };
    format!(
        "{}  {:<8} {:<20} {:<16} {:<10} by {}{}{unverified}",
        a.id,
        a.status,
        one_line(&a.action),
        one_line(&a.subject),
        one_line(&a.kind),
        a.requested_by,
        a.expires_at
            .as_deref()
            .map(|e| format!("  expires {e}"))
            .unwrap_or_default()
    )
}

/// What a decision's signature says, when there is something to say.
fn render_verification(d: &Decided) -> String {
    match (d.verified, d.counts) {
        (Some(true), _) => format!("  [verified: {}]", d.verification),
        (Some(false), false) => format!("  [UNVERIFIED, ignored: {}]", d.verification),
        (Some(false), true) => format!("  [signature does not verify: {}]", d.verification),
        (None, _) => String::new(),
    }
}

/// Every field, then the decisions.
pub fn render_full(a: &Approval) -> String {
    let mut out = vec![
        format!("{}  {}", a.id, a.status),
        format!("action:       {}", one_line(&a.action)),
        format!("subject:      {}", one_line(&a.subject)),
        format!("kind:         {}", one_line(&a.kind)),
        format!("requested by: {} at {}", a.requested_by, a.requested_at),
    ];
    if let Some(r) = &a.reason {
        out.push(format!("reason:       {}", one_line(r)));
    }
    if let Some(e) = &a.expires_at {
        out.push(format!("expires:      {e}"));
    }
    for d in &a.decisions {
        out.push(format!(
            "{} by {} at {}{}{}",
            d.decision,
            d.by,
            d.at,
            d.reason
                .as_deref()
                .map(|r| format!(": {}", one_line(r)))
                .unwrap_or_default(),
            render_verification(d)
        ));
    }
    out.join("\n")
}

fn show(ctx: &Ctx, args: ShowArgs) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let a = approvals::load(&ws, &args.id)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&a)?;
    } else {
        ctx.printer.line(&render_full(&a))?;
    }
    Ok(ExitStatus::Success)
}
