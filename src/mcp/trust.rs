//! The trust tools: an agent sees what it has earned, the constraints it
//! learned (so it does not repeat a mistake a person already turned
//! down), and the recommendations waiting for a person. It can never
//! accept one: there is no tool for that.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Reply, Server};
use crate::domain::trust::{self, constraints, recommend};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentArgs {
    /// The agent (default: you).
    #[serde(default)]
    pub agent: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[tool_router(router = trust_tools, vis = "pub(crate)")]
impl Server {
    /// What an agent has earned, as `codexa trust show --format json`
    /// gives it: per action and subject its level (new, learning,
    /// trusted, proven) and why, its runs, tool calls, incidents and
    /// constraints.
    #[tool]
    async fn trust_show(&self, Parameters(a): Parameters<AgentArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let agent = a.agent.unwrap_or_else(|| who.name.clone());
            Reply::ok(&trust::show(ws, &agent, crate::clock::now_ms())?)
        })
        .await
    }

    /// The constraints an agent learned: what people said when they denied
    /// or held its requests, or resolved an incident on its work. Read
    /// them before asking again.
    #[tool]
    async fn trust_constraints(&self, Parameters(a): Parameters<AgentArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let agent = a.agent.unwrap_or_else(|| who.name.clone());
            Reply::ok(&constraints::for_agent(ws, &agent)?)
        })
        .await
    }

    /// Rules that would stop asking an agent about requests a person kept
    /// approving, with their evidence; only a person accepts one
    /// (`codexa trust accept REC`).
    #[tool]
    async fn trust_recommendations(&self, Parameters(a): Parameters<AgentArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, _who| {
            Reply::ok(&recommend::recommendations(
                ws,
                a.agent.as_deref(),
                crate::clock::now_ms(),
            )?)
        })
        .await
    }
}
