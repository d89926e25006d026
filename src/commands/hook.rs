//! `codexa hook claude|codex` (what the agents run on their hook events)
//! and `codexa hooks install` (adding that to their project settings). The
//! behaviour is in `codexa::agents`.

use std::io::Read;

use clap::Subcommand;
use codexa::Result;
use codexa::agents::hook_budget;
use codexa::agents::{Provider, install};
use codexa::store::Store;

use super::Ctx;

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
}

#[derive(Subcommand, Debug)]
pub enum HooksCommand {
    /// Add `codexa hook` to .claude/settings.local.json and
    /// .codex/hooks.json (PreToolUse, PermissionRequest); prints a diff.
    Install(InstallArgs),
}

#[derive(clap::Args, Debug)]
pub struct InstallArgs {
    /// Claude Code's .claude/settings.local.json (neither flag: both).
    #[arg(long)]
    pub claude: bool,
    /// Codex's .codex/hooks.json (neither flag: both).
    #[arg(long)]
    pub codex: bool,
    /// Print the diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Always exits 0: a hook must not fail the agent by accident (problems
/// become `hooks.fail_mode`'s answer), and it answers within its time
/// budget (see `codexa::agents::hook_budget`).
pub fn run_hook(ctx: &Ctx, cmd: HookCommand) -> Result<u8> {
    let (provider, arg) = match cmd {
        HookCommand::Claude => (Provider::Claude, None),
        HookCommand::Codex { payload } => (Provider::Codex, payload),
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
    Ok(0)
}

pub fn run_hooks(ctx: &Ctx, cmd: HooksCommand) -> Result<u8> {
    match cmd {
        HooksCommand::Install(a) => install_hooks(ctx, a),
    }
}

fn install_hooks(ctx: &Ctx, args: InstallArgs) -> Result<u8> {
    let store = Store::locate(&ctx.cwd)?;
    let both = !args.claude && !args.codex;
    let mut plans = Vec::new();
    for (wanted, provider) in [
        (args.claude || both, Provider::Claude),
        (args.codex || both, Provider::Codex),
    ] {
        if wanted {
            plans.push(install::plan(&store.workdir, provider)?);
        }
    }
    if !args.dry_run {
        for p in &plans {
            install::apply(p)?;
        }
    }
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&serde_json::json!({"dry_run": args.dry_run, "files": plans}))?;
        return Ok(0);
    }
    for plan in &plans {
        if plan.changed {
            p.line(plan.diff.trim_end())?;
            p.status(&format!(
                "{} {}: codexa hook on {}",
                if args.dry_run {
                    "would update"
                } else {
                    "updated"
                },
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
    if args.dry_run && plans.iter().any(|p| p.changed) {
        p.status("dry run: nothing written");
    }
    if !args.dry_run && plans.iter().any(|pl| pl.provider == Provider::Codex) {
        p.hint("Codex versions without hooks: add `notify = [\"codexa\", \"hook\", \"codex\"]` to ~/.codex/config.toml");
    }
    Ok(0)
}
