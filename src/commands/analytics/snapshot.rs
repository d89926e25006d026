//! `codexa snapshot`.

use codexa::Result;
use codexa::analytics::snapshot;

use super::{Ctx, open};

/// Record today's figures (UTC) in `.codexa/reports/snapshots/<date>.json`:
/// the day's events, messages, actors, approvals, policy decisions, blocks,
/// trigger outcomes, and where things stand (open threads, approvals
/// waiting, the latest discover run). Run again the same day, it updates
/// that day's file; `codexa analyze trend` reads them all.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<u8> {
    ctx.workspace()?.require_initialized()?;
    let (store, db) = open(ctx)?;
    let date = codexa::clock::format_ms(db.now_ms)[..10].to_string();
    let snap = db.snapshot(&date)?;
    let changed = snapshot::write(&store.workdir, &snap)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&snap).map(|()| 0);
    }
    let path = format!("{}/{date}.json", snapshot::SNAPSHOTS_DIR);
    p.line(&format!(
        "{} {path}: {} events, {} messages, {} actors today",
        if changed { "wrote" } else { "unchanged" },
        snap.day.events,
        snap.day.messages,
        snap.day.actors
    ))?;
    Ok(0)
}
