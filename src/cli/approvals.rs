//! `codexa approvals`: the approval inbox — what waits for a person, and
//! what was decided.

use crate::Result;
use crate::domain::approvals;

use super::approval::render_row;
use super::{Ctx, ExitStatus};

/// List approvals (the approval inbox).
///
/// Oldest request first.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only approvals with this status.
    #[arg(long, value_name = "STATUS", value_parser = ["pending", "approved", "denied", "held", "expired"])]
    pub status: Option<String>,
    /// Only approvals on this subject.
    #[arg(long, value_name = "SUBJECT")]
    pub subject: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let list = approvals::list_filtered(&ws, args.status.as_deref(), args.subject.as_deref())?;
    if ctx.printer.is_json() {
        ctx.printer.json(&list)?;
    } else if list.is_empty() {
        ctx.printer.status("no approvals match");
    } else {
        ctx.printer.lines(list.iter().map(render_row))?;
    }
    Ok(ExitStatus::Success)
}
