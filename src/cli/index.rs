//! `codexa index …`.

use std::time::Instant;

use crate::Result;
use crate::store::index::Index;
use clap::Subcommand;

use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum IndexCommand {
    /// Delete the read index and build it again from the log. Never needed
    /// for correctness (every command catches the index up by itself), but
    /// safe whenever the cache is in doubt.
    Rebuild,
}

pub fn run(ctx: &Ctx, cmd: IndexCommand) -> Result<ExitStatus> {
    match cmd {
        IndexCommand::Rebuild => {
            let store = ctx.store()?;
            let start = Instant::now();
            let (_, count) = Index::rebuild(&store)?;
            let ms = start.elapsed().as_millis();
            if ctx.printer.is_json() {
                ctx.printer.json(&serde_json::json!({
                    "events": count,
                    "path": Index::path(&store),
                    "millis": ms,
                }))?;
            } else {
                ctx.printer
                    .line(&format!("indexed {count} events in {ms} ms"))?;
            }
            Ok(ExitStatus::Success)
        }
    }
}
