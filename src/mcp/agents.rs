//! The agents tools: the MCP face of `codexa status --format json`, so an
//! agent (or a lead agent coordinating others) can see which panes hold
//! agents and which of them wait for a person, and of `codexa start`, for a
//! lead starting workers, gated as the command is.

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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartArgs {
    /// The participant to start (configured under `agents:`).
    pub participant: String,
    /// Its first prompt.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Run it in a new worktree: true for one named PARTICIPANT-<short id>, or its name.
    #[serde(default)]
    pub worktree: Option<WorktreeArg>,
    /// The branch, tag or commit the worktree starts from (default HEAD).
    #[serde(default)]
    pub from: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

/// `worktree`: `true`, or a name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum WorktreeArg {
    Make(bool),
    Named(String),
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

    /// Start a participant's agent in a tmux window of its own, bound to
    /// its pane from birth, as `codexa start` does; the policy decides first
    /// (action `agent.start`). Answers {participant, provider, pane,
    /// session_id, cwd, worktree, argv}; a refusal is an error {outcome:
    /// "blocked", reason_code, message}.
    #[tool]
    async fn start(&self, Parameters(a): Parameters<StartArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let l = crate::agents::launch::Launch {
                participant: a.participant,
                prompt: a.prompt,
                worktree: match a.worktree {
                    None | Some(WorktreeArg::Make(false)) => None,
                    Some(WorktreeArg::Make(true)) => Some(None),
                    Some(WorktreeArg::Named(n)) => Some(Some(n)),
                },
                from: a.from.unwrap_or_else(|| "HEAD".into()),
                window: None,
                change: None,
                zone: None,
            };
            let record = |s: &_, t| crate::agents::launch::log_transition(ws, who, s, t);
            match crate::agents::launch::start(ws, who, &l, &Tmux::from_env(), &record)? {
                Ok(started) => Reply::ok(&started),
                Err(b) => Reply::refused(&serde_json::json!({
                    "outcome": "blocked",
                    "reason_code": b.reason_code,
                    "message": b.message,
                })),
            }
        })
        .await
    }
}
