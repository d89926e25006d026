//! `codexa worktree add|list|remove`.

use crate::Result;
use crate::domain::identity::Speaker;
use crate::worktrees;

use super::thread::speaker;
use super::{Ctx, ExitStatus};

#[derive(clap::Subcommand, Debug)]
pub enum WorktreeCommand {
    Add(AddArgs),
    List(ListArgs),
    Remove(RemoveArgs),
}

/// Make a worktree for an agent: a branch `codexa/NAME` in a folder of its own.
///
/// The folder is `worktrees.dir/NAME` (default `../<repo>.worktrees/NAME`);
/// the ignored files listed in `worktrees.copy` (e.g. `.env`) are copied in;
/// `worktree.created` records who made it and for whom. Prints its path.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The participant it is for.
    pub participant: String,
    /// The worktree's name (default: PARTICIPANT-<short id>).
    #[arg(long)]
    pub name: Option<String>,
    /// The branch, tag or commit to start from.
    #[arg(long, value_name = "REF", default_value = "HEAD")]
    pub from: String,
}

/// The repository's worktrees: branch, agent, ahead/behind, dirty or clean.
///
/// Those codexa made (a `worktree.created` in the log) show the agent they
/// are for and how far their branch is ahead of and behind what it was made
/// from; others are listed as the user's own.
#[derive(clap::Args, Debug)]
pub struct ListArgs {}

/// Remove a worktree codexa made, keeping any work that exists nowhere else.
///
/// Refused, naming what is at stake, when it holds uncommitted changes or
/// its branch has commits that no other branch or remote has, unless
/// `--force`. The branch stays unless `--delete-branch`. Worktrees codexa
/// did not make are never removed. An agent may remove only its own
/// worktrees, and never with `--force` (exit 3).
#[derive(clap::Args, Debug)]
pub struct RemoveArgs {
    /// The worktree's name (as `worktree list` shows it).
    pub name: String,
    /// Remove it whatever it holds.
    #[arg(long)]
    pub force: bool,
    /// Delete its branch too.
    #[arg(long)]
    pub delete_branch: bool,
}

pub fn run(ctx: &Ctx, cmd: WorktreeCommand) -> Result<ExitStatus> {
    match cmd {
        WorktreeCommand::Add(a) => add(ctx, a),
        WorktreeCommand::List(_) => list(ctx),
        WorktreeCommand::Remove(a) => remove(ctx, a),
    }
}

/// From under an agent, only the agent's own worktrees.
fn vouch(who: &Speaker, participant: Option<&str>, what: &str) -> Result<()> {
    if who.under.is_some() && participant != Some(who.name.as_str()) {
        return Err(crate::Error::blocked(format!(
            "{} may {what} only its own worktrees",
            who.name
        ))
        .hint("ask a person to do it"));
    }
    Ok(())
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    vouch(&who, Some(&a.participant), "make")?;
    let name = match a.name {
        Some(n) => n,
        None => {
            let id = crate::clock::ulid_at(crate::clock::now_ms(), &a.participant).to_string();
            format!("{}-{}", a.participant, id[id.len() - 6..].to_lowercase())
        }
    };
    let made = worktrees::create(&ws, &who, &name, &a.participant, &a.from)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&made)?;
    } else {
        ctx.printer.line(&made.path)?;
        ctx.printer.status(&format!(
            "made worktree {} on {} from {}{}",
            made.name,
            made.branch,
            made.base,
            if made.copied.is_empty() {
                String::new()
            } else {
                format!(", copied {}", made.copied.join(", "))
            }
        ));
    }
    Ok(ExitStatus::Success)
}

fn list(ctx: &Ctx) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let all = worktrees::list(&ws)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&all)?;
        return Ok(ExitStatus::Success);
    }
    for w in &all {
        let counts = match (w.ahead, w.behind) {
            (Some(a), Some(b)) => format!("+{a} -{b}"),
            _ => "-".into(),
        };
        ctx.printer.line(&format!(
            "{:<28} {:<36} {:<12} {:<9} {:<5}  {}",
            w.name,
            w.branch.as_deref().unwrap_or("(detached)"),
            w.agent
                .as_deref()
                .unwrap_or(if w.codexa { "-" } else { "(yours)" }),
            counts,
            if w.dirty { "dirty" } else { "clean" },
            w.path
        ))?;
    }
    Ok(ExitStatus::Success)
}

fn remove(ctx: &Ctx, a: RemoveArgs) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    if who.under.is_some() {
        if a.force {
            return Err(crate::Error::blocked(format!(
                "{} may not remove a worktree with --force: work would be lost",
                who.name
            ))
            .hint("ask a person to do it"));
        }
        let owner = worktrees::list(&ws)?
            .into_iter()
            .find(|w| w.name == a.name)
            .and_then(|w| w.agent);
        vouch(&who, owner.as_deref(), "remove")?;
    }
    let removed = worktrees::remove(&ws, &who, &a.name, a.force, a.delete_branch)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&removed)?;
    } else {
        ctx.printer.line(&removed.path)?;
        let branch = match (&removed.branch, removed.branch_deleted) {
            (Some(b), true) => format!("; deleted {b}"),
            (Some(b), false) => format!("; kept {b}"),
            (None, _) => String::new(),
        };
        ctx.printer
            .status(&format!("removed worktree {}{branch}", removed.name));
    }
    Ok(ExitStatus::Success)
}
