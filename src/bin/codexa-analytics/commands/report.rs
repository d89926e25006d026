//! `codexa report governance [--since] [--until] [--publish]`.

use crate::analytics::governance;
use codexa::Result;
use codexa::domain::identity;
use serde_json::json;

use super::open;
use codexa::cli::analytics::ReportCommand;
use codexa::cli::{Ctx, ExitStatus};

pub fn run(ctx: &Ctx, command: ReportCommand) -> Result<ExitStatus> {
    let ReportCommand::Governance { window, publish } = command;
    let window = super::window(&window)?;
    let (store, db) = open(ctx)?;
    let date = codexa::clock::format_ms(db.now_ms)[..10].to_string();
    let report = db.governance(&store, &window, &date)?;
    let markdown = governance::render(&store, &report)?;
    let p = &ctx.printer;
    if !publish {
        if p.is_json() {
            return p
                .json(&json!({"report": report, "markdown": markdown}))
                .map(|()| ExitStatus::Success);
        }
        for line in markdown.lines() {
            p.line(line)?;
        }
        return Ok(ExitStatus::Success);
    }
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let speaker = identity::resolve(&ws.store, &ws.config, ctx.speaker.as_deref())?;
    let published = governance::publish(&ws, speaker.actor(), &report, &markdown)?;
    if p.is_json() {
        return p.json(&published).map(|()| ExitStatus::Success);
    }
    if published.new {
        p.line(&format!(
            "published {} ({})",
            published.path, published.sha256
        ))?;
    } else {
        p.line(&format!(
            "{} is already published with these contents ({}); nothing recorded",
            published.path, published.sha256
        ))?;
    }
    Ok(ExitStatus::Success)
}
