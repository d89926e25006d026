//! `codexa events show`.

use crate::store::index::Index;
use crate::{Error, Result};

use crate::cli::{Ctx, ExitStatus};

/// Print one event by id.
///
/// Ids look like `evt_…`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The event id.
    pub id: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let not_found = || {
        Error::not_found(format!("no event with id `{}`", args.id))
            .hint("list ids with `codexa events query --limit 20`")
    };
    if !store.exists() {
        return Err(not_found());
    }
    let index = Index::open(&store)?;
    let (line, _) = index
        .line_by_id(&store.events_dir(), &args.id)?
        .ok_or_else(not_found)?;
    if ctx.printer.is_json() {
        ctx.printer.raw_line(&line)?;
    } else {
        let value: serde_json::Value = serde_json::from_slice(&line)
            .map_err(|e| Error::integrity("the stored line is not JSON").caused_by(e))?;
        ctx.printer.json(&value)?;
    }
    Ok(ExitStatus::Success)
}
