//! The agents tool: the MCP face of `codexa status --format json`, so an
//! agent (or a lead agent coordinating others) can see which panes hold
//! agents and which of them wait for a person.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Reply, Server};
use crate::agents::monitor::Monitor;
use crate::tmux::Tmux;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentsStatusArgs {
    /// Only panes that need a person (waiting for approval or input, or failed).
    #[serde(default)]
    pub attention: bool,
    /// The tmux server: a socket name (as `tmux -L`) or path (default: $CODEXA_TMUX_SOCKET, else tmux's default).
    #[serde(default)]
    pub socket: Option<String>,
}

#[tool_router(router = agents_tools, vis = "pub(crate)")]
impl Server {
    /// Every tmux pane and the agent in it, as `codexa status --format json`
    /// gives it: an array of {pane, generation, target, presence
    /// (managed|unmanaged), evidence (deterministic: its hooks;
    /// heuristic: its screen; none), activity (running|idle|
    /// waiting_input|waiting_approval|error|unknown), attention, provider,
    /// participant, session_id, title, age_ms, reason, …}.
    #[tool]
    async fn agents_status(&self, Parameters(a): Parameters<AgentsStatusArgs>) -> CallToolResult {
        self.call(None, move |ws, _who| {
            let tmux = match a.socket {
                Some(s) => Tmux::with_socket(s),
                None => Tmux::from_env(),
            };
            let mut m = Monitor::open(&ws.store.workdir, tmux)?;
            let views: Vec<_> = m
                .poll_settled()?
                .iter()
                .filter(|v| !a.attention || v.attention)
                .cloned()
                .collect();
            Reply::ok(&views)
        })
        .await
    }
}
