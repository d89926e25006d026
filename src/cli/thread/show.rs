//! `codexa thread show`.

use crate::Result;
use crate::domain::threads;

use super::{render_message, render_summary};
use crate::cli::{Ctx, ExitStatus};

/// Print a thread and all its messages (`--format json` for agents).
///
/// Print a thread and every message. `--format json` gives a stable shape
/// for agents: `{id, title, room, participants, created_by, created_at,
/// status, closed_at, messages: [{id, number, thread, author, author_kind,
/// body, reply_to, mentions, ts, acked_by, redactions?}]}`. Does not move
/// read cursors.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The thread id (`th_…`).
    pub thread: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let thread = threads::load(&ws, &args.thread)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&thread)?;
    } else {
        let dim = ctx.printer.paint(crate::cli::ui::DIM);
        let head = std::iter::once(render_summary(&thread));
        ctx.printer
            .lines(head.chain(thread.messages.iter().map(|m| render_message(m, dim))))?;
    }
    Ok(ExitStatus::Success)
}
