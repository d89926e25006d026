//! `codexa thread list`.

use crate::Result;
use crate::domain::threads;

use super::{render_summary, speaker};
use crate::cli::{Ctx, ExitStatus};

/// List threads with their message counts.
///
/// Oldest first.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only threads in this room.
    #[arg(long, value_name = "ROOM")]
    pub room: Option<String>,
    /// Only threads the speaker takes part in.
    #[arg(long)]
    pub mine: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let member = args.mine.then_some(who.name.as_str());
    let list = threads::list(&ws, args.room.as_deref(), member)?;
    if ctx.printer.is_json() {
        let rows: Vec<_> = list.iter().map(|t| t.summary()).collect();
        ctx.printer.json(&rows)?;
    } else if list.is_empty() {
        ctx.printer.status(
            "no threads yet; start one with `codexa thread new \"TITLE\" --participants a,b`",
        );
    } else {
        ctx.printer.lines(list.iter().map(render_summary))?;
    }
    Ok(ExitStatus::Success)
}
