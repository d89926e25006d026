//! `codexa thread list`.

use codexa::Result;
use codexa::domain::threads;
use serde::Serialize;

use super::{render_summary, speaker};
use crate::commands::Ctx;

/// List threads, oldest first.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only threads in this room.
    #[arg(long, value_name = "ROOM")]
    pub room: Option<String>,
    /// Only threads the speaker takes part in.
    #[arg(long)]
    pub mine: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    room: &'a str,
    status: &'a str,
    participants: &'a [String],
    messages: usize,
    created_at: &'a str,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<u8> {
    let (ws, who) = speaker(ctx)?;
    let member = args.mine.then_some(who.name.as_str());
    let list = threads::list(&ws, args.room.as_deref(), member)?;
    if ctx.printer.is_json() {
        let rows: Vec<Row> = list
            .iter()
            .map(|t| Row {
                id: &t.id,
                title: &t.title,
                room: &t.room,
                status: &t.status,
                participants: &t.participants,
                messages: t.messages.len(),
                created_at: &t.created_at,
            })
            .collect();
        ctx.printer.json(&rows)?;
    } else if list.is_empty() {
        ctx.printer.status(
            "no threads yet; start one with `codexa thread new \"TITLE\" --participants a,b`",
        );
    } else {
        for t in &list {
            ctx.printer.line(&render_summary(t))?;
        }
    }
    Ok(0)
}
