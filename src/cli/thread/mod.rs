//! `codexa thread …`, plus the rendering of threads and messages that
//! `post` and `read` share.

mod close;
mod list;
mod new;
mod show;

use crate::Result;
use crate::domain::identity::{self, Speaker};
use crate::domain::threads::{Message, Thread};
use crate::workspace::Workspace;
use clap::Subcommand;

use super::{Ctx, ExitStatus};
use anstyle::Style;

#[derive(Subcommand, Debug)]
pub enum ThreadCommand {
    New(new::Args),
    List(list::Args),
    Show(show::Args),
    Close(close::Args),
}

pub fn run(ctx: &Ctx, cmd: ThreadCommand) -> Result<ExitStatus> {
    match cmd {
        ThreadCommand::New(a) => new::run(ctx, a),
        ThreadCommand::List(a) => list::run(ctx, a),
        ThreadCommand::Show(a) => show::run(ctx, a),
        ThreadCommand::Close(a) => close::run(ctx, a),
    }
}

/// The workspace and who is speaking (`--as`, `$CODEXA_AGENT`, git user).
pub fn speaker(ctx: &Ctx) -> Result<(Workspace, Speaker)> {
    let ws = ctx.workspace()?;
    let who = identity::resolve(&ws.store, &ws.config, ctx.speaker.as_deref())?;
    Ok((ws, who))
}

/// A message for people: a header line, then the body indented; `dim`
/// for its id (`Printer::paint(DIM)`).
pub fn render_message(m: &Message, dim: Style) -> String {
    let mut head = format!(
        "#{} {} ({}) {}{dim}  {}{dim:#}",
        m.number, m.author, m.author_kind, m.ts, m.id
    );
    if let Some(r) = &m.reply_to {
        head.push_str(&format!("  ↳ {r}"));
    }
    if !m.mentions.is_empty() {
        head.push_str(&format!("  @{}", m.mentions.join(" @")));
    }
    if !m.acked_by.is_empty() {
        head.push_str(&format!("  ✓ {}", m.acked_by.join(", ")));
    }
    let body: Vec<String> = m.body.lines().map(|l| format!("    {l}")).collect();
    format!("{head}\n{}", body.join("\n"))
}

/// A thread's one-line summary.
pub fn render_summary(t: &Thread) -> String {
    format!(
        "{}  {:<6} {:<10} {:>4} msg  {}  [{}]",
        t.id,
        t.status,
        t.room,
        t.messages.len(),
        crate::cli::visible::one_line(&t.title),
        t.participants.join(", ")
    )
}
