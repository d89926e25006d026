//! The control tools: the MCP face of `codexa policy eval`, `approval
//! request`, `approvals` and `ask`. Each calls the same domain function as
//! its CLI command (`domain::gate`, `domain::approvals`,
//! `domain::aliases`) and answers with the JSON that command prints under
//! `--format json`; `ask` runs the resolved command exactly as the CLI
//! does, by re-executing this binary with the argv, and answers with what
//! it printed and its exit code.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Reply, Server};
use crate::cli::ExitStatus;
use crate::domain::aliases::{self, Catalogue, Resolved};
use crate::domain::approvals::{self, NewRequest};
use crate::domain::gate::{self, Question};
use crate::error::Error;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyEvalArgs {
    /// The action, e.g. `git.push`, `external.write`, `shell.exec`.
    pub action: String,
    /// What the action is on, e.g. `origin/main` or `CH-010`.
    #[serde(default)]
    pub subject: Option<String>,
    /// `sandbox`, `supervised` or `high_stakes` (default: from the policy's zones).
    #[serde(default)]
    pub zone: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRequestArgs {
    /// The gated action, e.g. `git.push`.
    pub action: String,
    /// What it is on, e.g. `origin/main` or `CH-010`.
    pub subject: String,
    /// What sort of approval, e.g. `design` (default: the action's last word).
    #[serde(default)]
    pub kind: Option<String>,
    /// Why it is needed, for the person deciding.
    #[serde(default)]
    pub reason: Option<String>,
    /// When it stops counting: a duration from now (`2h`, `1d`) or an RFC 3339 time.
    #[serde(default)]
    pub expires: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalsArgs {
    /// Only approvals with this status: pending, approved, denied, held, expired.
    #[serde(default)]
    pub status: Option<String>,
    /// Only approvals on this subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskArgs {
    /// The phrase, e.g. `approve design for CH-010` or `what is unread`.
    pub phrase: String,
    /// Resolve only: answer the command and run nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

/// `ask`'s answer: the resolution, and unless a dry run what the command
/// printed (its stdout also parsed as `output` when it is JSON) and its
/// exit code.
#[derive(Serialize)]
struct AskReply {
    #[serde(flatten)]
    resolved: Resolved,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stdout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stderr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<Value>,
}

#[tool_router(router = control_tools, vis = "pub(crate)")]
impl Server {
    /// Ask the policy gate about an action before taking it: answers
    /// {decision: allow|deny|require_approval, reason_code, rule, …} and
    /// records `policy.evaluated`, as `codexa policy eval` does.
    #[tool]
    async fn policy_eval(&self, Parameters(a): Parameters<PolicyEvalArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let q = Question {
                action: &a.action,
                subject: a.subject.as_deref(),
                zone: a.zone.as_deref(),
            };
            Reply::ok(&gate::eval(ws, who, q)?)
        })
        .await
    }

    /// Ask a person to approve an action on a subject; answers the approval
    /// (an identical request still open answers instead of a new one).
    #[tool]
    async fn approval_request(
        &self,
        Parameters(a): Parameters<ApprovalRequestArgs>,
    ) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let (approval, _new) = approvals::request(
                ws,
                who,
                NewRequest {
                    action: &a.action,
                    subject: &a.subject,
                    kind: a.kind.as_deref(),
                    reason: a.reason.as_deref(),
                    expires: a.expires.as_deref(),
                },
            )?;
            Reply::ok(&approval)
        })
        .await
    }

    /// List approvals, oldest request first, optionally by status and subject.
    #[tool]
    async fn approvals(&self, Parameters(a): Parameters<ApprovalsArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, _who| {
            Reply::ok(&approvals::list_filtered(
                ws,
                a.status.as_deref(),
                a.subject.as_deref(),
            )?)
        })
        .await
    }

    /// Run the codexa command a prompt-first phrase stands for (e.g.
    /// `approve design for CH-010`, `what is unread`, `can I git.push
    /// origin/main`). Answers {phrase, command, argv} and, unless dry_run,
    /// the command's exit_code, stdout, stderr and its JSON output. An
    /// unknown phrase is an error with the closest phrases as suggestions.
    #[tool]
    async fn ask(&self, Parameters(a): Parameters<AskArgs>) -> CallToolResult {
        let as_name = a
            .speaker
            .clone()
            .or_else(|| self.default_as.as_deref().map(str::to_string));
        self.call(a.speaker, move |ws, _who| {
            let catalogue = Catalogue::load(Some(&ws.store.workdir))?;
            let resolved = match catalogue.resolve(&a.phrase) {
                Ok(r) => r,
                Err(unresolved) => return Reply::refused(&unresolved),
            };
            if a.dry_run {
                return Reply::ok(&AskReply {
                    resolved,
                    exit_code: None,
                    stdout: None,
                    stderr: None,
                    output: None,
                });
            }
            let mut globals = vec!["--format".to_string(), "json".to_string()];
            if let Some(name) = as_name {
                globals.extend(["--as".to_string(), name]);
            }
            let out = aliases::command(&globals, &resolved.argv)?
                .current_dir(&ws.store.workdir)
                // Never the server's stdin: that is the MCP channel.
                .stdin(std::process::Stdio::null())
                .env("NO_COLOR", "1")
                .output()
                .map_err(|e| Error::io("could not run the command").caused_by(e))?;
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let code = out.status.code().unwrap_or(-1);
            let reply = AskReply {
                resolved,
                exit_code: Some(code),
                output: serde_json::from_str(&stdout).ok(),
                stdout: Some(stdout),
                stderr: Some(String::from_utf8_lossy(&out.stderr).into_owned()),
            };
            // `policy eval`'s require_approval and deny are answers, not
            // failures.
            let answered = [
                ExitStatus::Success,
                ExitStatus::RequireApproval,
                ExitStatus::Deny,
            ]
            .iter()
            .any(|s| i32::from(s.code()) == code);
            if answered {
                Reply::ok(&reply)
            } else {
                Reply::refused(&reply)
            }
        })
        .await
    }
}
