//! `codexa thread close`.

use crate::Result;
use crate::domain::threads;

use super::speaker;
use crate::cli::{Ctx, ExitStatus};

/// Close a thread: no more posts.
///
/// Close a thread; later posts are refused. Closing a closed thread
/// changes nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The thread id (`th_…`).
    pub thread: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let thread = threads::close(&ws, &who, &args.thread)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&thread)?;
    } else {
        ctx.printer.line(&format!("closed {}", thread.id))?;
    }
    Ok(ExitStatus::Success)
}
