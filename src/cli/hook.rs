//! `codexa hook claude|codex` (what the agents run on their hook events)
//! and `codexa hooks install` (adding that to their project settings). The
//! behaviour is in `crate::agents`.

use std::io::Read;

use crate::Result;
use crate::agents::classify::AgentNames;
use crate::agents::{Provider, git_hook, hook_budget, install, lineage, pre_push};
use crate::store::Store;
use clap::Subcommand;

use super::{Ctx, ExitStatus};

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Claude Code hook: the payload on stdin; answers PreToolUse and
    /// PermissionRequest with allow, deny or ask from the policy gate.
    Claude,
    /// Codex: a hook payload on stdin, or a `notify` payload as the last
    /// argument.
    Codex {
        /// The `notify` payload (`{"type": "agent-turn-complete", …}`).
        #[arg(value_name = "JSON")]
        payload: Option<String>,
    },
    /// git's `pre-push` hook: each ref update on stdin goes to the policy
    /// gate as `git.push`, `git.push.force` or `git.push.delete` on
    /// `REMOTE/BRANCH`; exits 3 (git then refuses the push) when one is not
    /// allowed, naming the approval to ask for.
    PrePush {
        /// The remote's name (or its URL when it has none), as git passes it.
        #[arg(value_name = "REMOTE")]
        remote: String,
        /// The remote's URL, as git passes it.
        #[arg(value_name = "URL")]
        url: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum HooksCommand {
    /// Add `codexa hook` to .claude/settings.local.json and
    /// .codex/hooks.json (PreToolUse, PermissionRequest), and git's
    /// `pre-push` hook; prints a diff.
    Install(InstallArgs),
}

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// Claude Code's .claude/settings.local.json (no flag: all three).
    #[arg(long)]
    pub claude: bool,
    /// Codex's .codex/hooks.json (no flag: all three).
    #[arg(long)]
    pub codex: bool,
    /// git's `pre-push` hook, shared by every worktree (no flag: all
    /// three); a hook already there is kept and run after codexa's.
    #[arg(long)]
    pub git: bool,
    /// Print the diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The agents' hooks always exit 0: a hook must not fail the agent by
/// accident (problems become `hooks.fail_mode`'s answer), and it answers
/// within its time budget (see `crate::agents::hook_budget`). git's
/// pre-push exits 3 to refuse.
pub fn run_hook(ctx: &Ctx, cmd: HookCommand) -> Result<ExitStatus> {
    let (provider, arg) = match cmd {
        HookCommand::Claude => (Provider::Claude, None),
        HookCommand::Codex { payload } => (Provider::Codex, payload),
        HookCommand::PrePush { remote, url } => return run_pre_push(ctx, remote, url),
    };
    let input = move || match arg {
        Some(a) => a,
        None => {
            let mut s = String::new();
            // An unreadable stdin is an empty payload: the fail mode answers.
            let _ = std::io::stdin().read_to_string(&mut s);
            s
        }
    };
    hook_budget::run(provider, &ctx.cwd, input);
    Ok(ExitStatus::Success)
}

/// Judge a push; refuse it (exit 3) when any update is not allowed, else
/// hand over to the hook that was installed before codexa's.
fn run_pre_push(ctx: &Ctx, remote: String, url: Option<String>) -> Result<ExitStatus> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| crate::Error::io("cannot read the pre-push input from stdin").caused_by(e))?;
    let judged = match pre_push::run(&ctx.cwd, &remote, &input) {
        Ok((_, judged)) => judged,
        // The gate is for agents: one that cannot judge refuses them, and
        // lets a person's push go on with the reason on screen.
        Err(e) if lineage::agent_ancestor(&AgentNames::builtin()).is_none() => {
            ctx.printer.warning(&format!(
                "the push was not judged: {}; a person's push goes on",
                e.message()
            ));
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let refused: Vec<String> = judged
        .iter()
        .filter(|j| !j.allowed())
        .map(|j| format!("\n  {}", j.render()))
        .collect();
    if !refused.is_empty() {
        let waiting: Vec<&str> = judged
            .iter()
            .filter_map(|j| j.approval.as_deref())
            .collect();
        return Err(crate::Error::blocked(format!(
            "push to {remote} refused by policy:{}",
            refused.concat()
        ))
        .hint(if waiting.is_empty() {
            "the policy does not allow this update; nothing was pushed".to_string()
        } else {
            format!(
                "nothing was pushed; once a person has approved {}, push again",
                waiting.join(", ")
            )
        }));
    }
    let store = Store::locate(&ctx.cwd)?;
    let mut args = vec![remote];
    args.extend(url);
    Ok(git_hook::run_chained(&store, &args, &input)?
        .map_or(ExitStatus::Success, ExitStatus::of_child))
}

pub fn run_hooks(ctx: &Ctx, cmd: HooksCommand) -> Result<ExitStatus> {
    match cmd {
        HooksCommand::Install(a) => install_hooks(ctx, a),
    }
}

fn install_hooks(ctx: &Ctx, args: InstallArgs) -> Result<ExitStatus> {
    let store = Store::locate(&ctx.cwd)?;
    let all = !args.claude && !args.codex && !args.git;
    let mut plans = Vec::new();
    for (wanted, provider) in [
        (args.claude || all, Provider::Claude),
        (args.codex || all, Provider::Codex),
    ] {
        if wanted {
            plans.push(install::plan(&store.workdir, provider)?);
        }
    }
    let git = if args.git || all {
        let exe = std::env::current_exe().map_err(|e| {
            crate::Error::io("cannot tell where this codexa binary is").caused_by(e)
        })?;
        Some(git_hook::plan(&store, &exe)?)
    } else {
        None
    };
    if !args.dry_run {
        for p in &plans {
            install::apply(p)?;
        }
        if let Some(g) = &git {
            git_hook::apply(g)?;
        }
    }
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&serde_json::json!({"dry_run": args.dry_run, "files": plans, "git": git}))?;
        return Ok(ExitStatus::Success);
    }
    let verb = if args.dry_run {
        "would update"
    } else {
        "updated"
    };
    for plan in &plans {
        if plan.changed {
            p.line(plan.diff.trim_end())?;
            p.status(&format!(
                "{verb} {}: codexa hook on {}",
                plan.file,
                plan.added.join(", ")
            ));
        } else {
            p.status(&format!(
                "{}: already installed, nothing to change",
                plan.file
            ));
        }
    }
    if let Some(g) = &git {
        if !g.changed {
            p.status(&format!("{}: already installed, nothing to change", g.file));
        } else {
            let verb = if args.dry_run { "would write" } else { "wrote" };
            p.status(&format!("{verb} {}: pushes go to the policy gate", g.file));
            if let Some(kept) = &g.chained {
                p.status(&format!(
                    "  the hook that was there is kept as {kept} and runs after codexa's check"
                ));
            }
        }
    }
    let changed = plans.iter().any(|p| p.changed) || git.as_ref().is_some_and(|g| g.changed);
    if args.dry_run && changed {
        p.status("dry run: nothing written");
    }
    if !args.dry_run && plans.iter().any(|pl| pl.provider == Provider::Codex) {
        p.hint("Codex versions without hooks: add `notify = [\"codexa\", \"hook\", \"codex\"]` to ~/.codex/config.toml");
    }
    Ok(ExitStatus::Success)
}
