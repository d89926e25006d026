//! `codexa inbox`.

use crate::Result;
use crate::domain::threads;

use super::thread::speaker;
use super::{Ctx, ExitStatus};

/// Threads with unread messages or mentions for you.
///
/// Threads with messages the speaker has not read: those they take part in,
/// and any that mention them. Mentions first, then the newest.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let rows = threads::inbox(&ws, &who)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&rows)?;
    } else if rows.is_empty() {
        ctx.printer
            .status(&format!("nothing unread for {}", who.name));
    } else {
        ctx.printer.lines(rows.iter().map(|r| {
            let mentions = if r.mentions > 0 {
                format!(
                    " ({} mention{})",
                    r.mentions,
                    if r.mentions == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            format!(
                "{}  {:>3} unread{mentions}  {}  [{}]",
                r.thread,
                r.unread,
                crate::cli::visible::one_line(&r.title),
                r.room
            )
        }))?;
    }
    Ok(ExitStatus::Success)
}
