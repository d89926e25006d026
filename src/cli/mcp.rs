//! `codexa mcp`: starts the MCP server. The server lives in the library
//! (`crate::mcp`) beside the domain it calls; this is only the door.

use std::io::IsTerminal;

use crate::Result;

use super::{Ctx, ExitStatus};

/// Serve the thread, policy and approval tools to agents over MCP on stdio.
///
/// Serve codexa's tools (threads, policy, approvals, phrases, agents' status) to an agent over MCP (JSON-RPC on stdin and
/// stdout) until the client closes stdin. Calls speak as `--as`, else
/// `$CODEXA_AGENT`, else the git user, unless a call passes `as`. Register
/// it with the agent, e.g. `claude mcp add codexa -- codexa mcp`.
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<ExitStatus> {
    // A person who runs it by hand would otherwise face a silent wait.
    if std::io::stdin().is_terminal() {
        ctx.printer.status(
            "codexa mcp: serving MCP (JSON-RPC) on stdin/stdout for an agent's MCP client; Ctrl-D ends it",
        );
    }
    crate::mcp::serve(&ctx.cwd, ctx.speaker.clone())?;
    Ok(ExitStatus::Success)
}
