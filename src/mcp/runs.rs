//! The runs tools: what an agent needs to act as a worker on durable
//! runs (claim the next run, keep its lease, complete or fail it) and to
//! look at one, each the MCP face of the `codexa run` command of that name.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Reply, Server};
use crate::domain::runs::{self, ClaimRequest, Move};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimArgs {
    /// This run rather than the oldest queued one meant for anyone or for you.
    #[serde(default)]
    pub run: Option<String>,
    /// The lease's length without a heartbeat, e.g. "30s", "10m" (default: from the config, per kind of work).
    #[serde(default)]
    pub ttl: Option<String>,
    /// Only runs of this kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaseArgs {
    /// The run.
    pub run: String,
    /// The token the claim answered with.
    pub token: String,
    /// What it produced (complete only): any JSON.
    #[serde(default)]
    pub output: Option<serde_json::Value>,
    /// Why it failed (fail only).
    #[serde(default)]
    pub reason: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowArgs {
    /// The run.
    pub run: String,
}

impl Server {
    async fn lease_move(&self, a: LeaseArgs, step: fn(&LeaseArgs) -> Move) -> CallToolResult {
        self.call(a.speaker.clone(), move |ws, who| {
            Reply::ok(&runs::act(ws, who, &a.run, &a.token, step(&a))?)
        })
        .await
    }
}

#[tool_router(router = runs_tools, vis = "pub(crate)")]
impl Server {
    /// Claim a run as its worker (for yourself only): the oldest queued
    /// run meant for anyone or for you, or the one named. Answers {run,
    /// token, expired}; keep the token: heartbeat, start, complete and fail
    /// need it. An error of kind "conflict" means nothing is claimable now.
    #[tool]
    async fn run_claim(&self, Parameters(a): Parameters<ClaimArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let ttl_ms = a
                .ttl
                .as_deref()
                .map(|t| {
                    crate::clock::parse_duration_ms(t).map_err(|_| {
                        crate::Error::user(format!("`{t}` is not a duration"))
                            .hint("give e.g. \"30s\", \"10m\" or \"2h\"")
                    })
                })
                .transpose()?;
            let req = ClaimRequest {
                run: a.run,
                worker: None,
                ttl_ms,
                kind: a.kind,
            };
            Reply::ok(&runs::claim(ws, who, &req)?)
        })
        .await
    }

    /// Renew your lease on a run: it lasts its length again from now. A
    /// lease that ran out is gone (error kind "conflict"): claim again.
    #[tool]
    async fn run_heartbeat(&self, Parameters(a): Parameters<LeaseArgs>) -> CallToolResult {
        self.lease_move(a, |_| Move::Heartbeat).await
    }

    /// Start a run you claimed.
    #[tool]
    async fn run_start(&self, Parameters(a): Parameters<LeaseArgs>) -> CallToolResult {
        self.lease_move(a, |_| Move::Start).await
    }

    /// Complete a running run you hold, with its output if any.
    #[tool]
    async fn run_complete(&self, Parameters(a): Parameters<LeaseArgs>) -> CallToolResult {
        self.lease_move(a, |a| Move::Complete {
            output: a.output.clone(),
        })
        .await
    }

    /// Fail a run you hold, saying why (`reason`).
    #[tool]
    async fn run_fail(&self, Parameters(a): Parameters<LeaseArgs>) -> CallToolResult {
        self.lease_move(a, |a| Move::Fail {
            reason: a.reason.clone().unwrap_or_default(),
        })
        .await
    }

    /// One run as `codexa run show --format json` gives it: status, lease
    /// (worker, fence, expires_at), input, output, steps with tool calls
    /// and artifacts, and the events behind each.
    #[tool]
    async fn run_show(&self, Parameters(a): Parameters<ShowArgs>) -> CallToolResult {
        self.call(None, move |ws, _who| Reply::ok(&runs::load(ws, &a.run)?))
            .await
    }
}
