//! `codexa thread new`.

use crate::Result;
use crate::domain::threads;

use super::speaker;
use crate::cli::{Ctx, ExitStatus};

/// Start a thread with participants; prints its id.
///
/// Start a thread. The speaker is always a participant. Prints the thread
/// id, so `th=$(codexa thread new …)` works in scripts.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What the thread is about.
    pub title: String,
    /// Who takes part, comma-separated participant names.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub participants: Vec<String>,
    /// The room that groups related threads.
    #[arg(long, value_name = "ROOM", default_value = threads::DEFAULT_ROOM)]
    pub room: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let thread = threads::create(&ws, &who, &args.title, &args.participants, Some(&args.room))?;
    if ctx.printer.is_json() {
        ctx.printer.json(&thread)?;
    } else {
        ctx.printer.line(&thread.id)?;
        ctx.printer.status(&format!(
            "created \"{}\" in room {} with {}",
            thread.title,
            thread.room,
            thread.participants.join(", ")
        ));
    }
    Ok(ExitStatus::Success)
}
