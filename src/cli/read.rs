//! `codexa read`.

use crate::Result;
use crate::domain::threads::{self, Selection};
use serde_json::json;

use super::thread::{render_message, speaker};
use super::ui::DIM;
use super::{Ctx, ExitStatus};

/// Print unread messages of a thread and mark them read.
///
/// Print the messages of a thread the speaker has not read, and mark them
/// read. `--peek` leaves the cursor; `--all` prints every message; `--since
/// N` those numbered above N.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The thread id (`th_…`).
    pub thread: String,
    /// Do not mark anything read.
    #[arg(long)]
    pub peek: bool,
    /// Every message, read or not.
    #[arg(long, conflicts_with = "since")]
    pub all: bool,
    /// Messages numbered above N.
    #[arg(long, value_name = "N")]
    pub since: Option<u64>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let selection = match (args.all, args.since) {
        (true, _) => Selection::All,
        (_, Some(n)) => Selection::After(n),
        _ => Selection::Unread,
    };
    let messages = threads::read(&ws, &who, &args.thread, selection, args.peek)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&json!({
            "thread": args.thread,
            "reader": who.name,
            "marked_read": !args.peek,
            "messages": messages,
        }))?;
    } else if messages.is_empty() {
        ctx.printer.status("nothing unread");
    } else {
        let dim = ctx.printer.paint(DIM);
        ctx.printer
            .lines(messages.iter().map(|m| render_message(m, dim)))?;
    }
    Ok(ExitStatus::Success)
}
