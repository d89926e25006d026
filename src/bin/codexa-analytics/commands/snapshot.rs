//! `codexa snapshot`.

use crate::analytics::snapshot;
use codexa::Result;

use super::open;
use codexa::cli::analytics::SnapshotArgs;
use codexa::cli::{Ctx, ExitStatus};

pub fn run(ctx: &Ctx, _args: SnapshotArgs) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let (store, db) = open(ctx)?;
    let date = codexa::clock::format_ms(db.now_ms)[..10].to_string();
    let snap = db.snapshot(&ws, &date)?;
    let changed = snapshot::write(&store.workdir, &snap)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&snap).map(|()| ExitStatus::Success);
    }
    let path = format!("{}/{date}.json", snapshot::SNAPSHOTS_DIR);
    p.line(&format!(
        "{} {path}: {} events, {} messages, {} actors today; {} agent(s)",
        if changed { "wrote" } else { "unchanged" },
        snap.day.events,
        snap.day.messages,
        snap.day.actors,
        snap.agents.len()
    ))?;
    Ok(ExitStatus::Success)
}
