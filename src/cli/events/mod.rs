//! `codexa events …`: the low-level door to the log.

mod accept;
mod append;
mod import;
mod query;
mod show;
mod tail;
mod verify;

use crate::Result;
use clap::Subcommand;

use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum EventsCommand {
    Append(append::Args),
    Import(import::Args),
    Query(query::Args),
    Tail(tail::Args),
    Show(show::Args),
    Verify(verify::Args),
    Accept(accept::Args),
}

impl EventsCommand {
    /// Commands whose output is a stream of events (JSON Lines by default).
    pub fn streams(&self) -> bool {
        matches!(self, EventsCommand::Query(_) | EventsCommand::Tail(_))
    }
}

pub fn run(ctx: &Ctx, cmd: EventsCommand) -> Result<ExitStatus> {
    match cmd {
        EventsCommand::Append(a) => append::run(ctx, a),
        EventsCommand::Import(a) => import::run(ctx, a),
        EventsCommand::Query(a) => query::run(ctx, a),
        EventsCommand::Tail(a) => tail::run(ctx, a),
        EventsCommand::Show(a) => show::run(ctx, a),
        EventsCommand::Verify(a) => verify::run(ctx, a),
        EventsCommand::Accept(a) => accept::run(ctx, a),
    }
}

/// One event as a line for people: `seq ts type stream actor`.
pub fn text_row(e: &crate::store::Event) -> String {
    format!(
        "{:>6}  {}  {:<24} {:<28} {}",
        e.seq,
        e.ts,
        e.kind,
        e.stream_label(),
        e.actor
    )
}

/// Print an event line in the chosen format.
pub fn print_event(ctx: &Ctx, line: &[u8]) -> Result<()> {
    if ctx.printer.is_json() {
        return ctx.printer.raw_line(line);
    }
    match serde_json::from_slice::<crate::store::Event>(line) {
        Ok(e) => ctx.printer.line(&text_row(&e)),
        Err(_) => ctx.printer.line(&String::from_utf8_lossy(line)),
    }
}
