//! `codexa init`.

use crate::Result;
use crate::workspace;

use super::{Ctx, ExitStatus};

/// Set up codexa in this repository: `.codexa/` and the event store.
///
/// Create `.codexa/` (config and policy, every key commented at its default)
/// and this clone's event store in the git directory. Safe to run again: it
/// never rewrites a file, and in a fresh clone whose `.codexa/` is tracked it
/// only creates the store.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<ExitStatus> {
    let report = workspace::init(&ctx.cwd)?;
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&report)?;
        return Ok(ExitStatus::Success);
    }
    if !report.changed() {
        p.line("Already initialized; nothing changed.")?;
        p.status(&format!(
            "store: {} (writer {})",
            report.store, report.writer
        ));
        return Ok(ExitStatus::Success);
    }
    for f in &report.created {
        p.line(&format!("created {f}"))?;
    }
    for f in &report.kept {
        p.line(&format!("kept    {f} (already there)"))?;
    }
    if report.store_created {
        p.line(&format!(
            "created event store {} (writer {})",
            report.store, report.writer
        ))?;
    }
    if !report.created.is_empty() {
        p.hint("commit .codexa/ like code: git add .codexa && git commit -m \"codexa\"");
    }
    p.hint("share the event log with other clones: codexa sync");
    Ok(ExitStatus::Success)
}
