//! `codexa ack`.

use crate::Result;
use crate::domain::threads;

use super::thread::speaker;
use super::{Ctx, ExitStatus};

/// Record that you acted on a message.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The message id (`msg_…`).
    pub message: String,
    /// What was done, for the record.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let message = threads::ack(&ws, &who, &args.message, args.note.as_deref())?;
    if ctx.printer.is_json() {
        ctx.printer.json(&message)?;
    } else {
        ctx.printer.line(&format!(
            "acked {} (#{} in {})",
            message.id, message.number, message.thread
        ))?;
    }
    Ok(ExitStatus::Success)
}
