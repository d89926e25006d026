//! `codexa mcp`: the coordination operations as MCP tools on stdio, for
//! agents whose harness speaks MCP (Claude Code, Codex CLI) rather than
//! shelling out to `codexa … --format json`.
//!
//! The server is a thin adapter, like a CLI command: every tool parses its
//! arguments, resolves the speaker as the CLI does, calls the same domain
//! function, and answers with the JSON the CLI prints under `--format json`.
//! So guards, redaction and events cannot differ between the two doors.
//!
//! Each call opens the workspace afresh: the server lives as long as the
//! agent's session, and config edits and other processes' events must be
//! seen at once, exactly as a new CLI process would see them.
//!
//! Adding tools: a feature writes its tools as `#[tool]` methods on
//! [`Server`] in its own file under `src/mcp/` (one `#[tool_router]` impl
//! per file, as `threads.rs` does) and adds its router in [`Server::new`].

mod agents;
mod control;
mod runs;
mod threads;
mod trust;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, ServiceExt, tool_handler};
use serde::Serialize;
use serde_json::Value;

use crate::domain::identity::{self, Speaker};
use crate::error::{Error, ErrorKind, Result};
use crate::workspace::Workspace;

/// What `initialize` tells the agent the tools are for.
const INSTRUCTIONS: &str = "\
codexa coordinates the agents and people working on this git repository \
through threads of messages kept in the repository's event log. Call \
`inbox` to see threads with messages you have not read, `read` to read \
them (it marks them read), `post` to answer (mention participants to get \
their attention; pass reply_to with a message id to answer one message), \
and `ack` to record that you acted on a message. `thread_list`, \
`thread_show` and `thread_create` find, inspect and start threads. \
Before a gated action call `policy_eval`; when it answers \
require_approval, `approval_request` asks a person, and `approvals` lists \
requests. `agents_status` shows every tmux pane's agent and whether it \
is running, idle or waiting for a person. `ask` runs a prompt-first phrase such as `what is unread`. You \
speak as $CODEXA_AGENT of this server unless a call passes `as`. Secrets \
in what you post are masked before they are logged. A post may be refused \
by a governance guard (isError with outcome `blocked` and a reason_code): \
do not retry at once; `loop_guard` clears when a person posts in the \
thread, `rate_limited` at `clears_at`.";

/// The MCP server: where to open the workspace, and the tools.
#[derive(Clone)]
pub struct Server {
    /// The directory `codexa mcp` was started in (or `-C DIR`).
    cwd: Arc<PathBuf>,
    /// `codexa --as NAME mcp`: the speaker for calls that pass no `as`.
    default_as: Option<Arc<str>>,
    tool_router: ToolRouter<Self>,
}

impl Server {
    pub fn new(cwd: PathBuf, default_as: Option<String>) -> Server {
        Server {
            cwd: Arc::new(cwd),
            default_as: default_as.map(Arc::from),
            // One router per feature file; later features add theirs here.
            tool_router: Self::thread_tools()
                + Self::control_tools()
                + Self::agents_tools()
                + Self::runs_tools()
                + Self::trust_tools(),
        }
    }

    /// Run one tool's domain operation with the workspace and the speaker.
    ///
    /// The domain is blocking file I/O (the store lock, fsync, SQLite), so
    /// it runs on tokio's blocking pool: the runtime thread stays free to
    /// read requests and answer pings while a call waits on the lock. A
    /// domain error becomes a tool error the agent can read, and a panic
    /// in one call ends that call, never the server.
    async fn call<F>(&self, as_name: Option<String>, op: F) -> CallToolResult
    where
        F: FnOnce(&Workspace, &Speaker) -> Result<Reply> + Send + 'static,
    {
        let cwd = Arc::clone(&self.cwd);
        let as_name = as_name.or_else(|| self.default_as.as_deref().map(str::to_string));
        let done = tokio::task::spawn_blocking(move || {
            let ws = Workspace::open(&cwd)?;
            let who = identity::resolve(&ws.store, &ws.config, as_name.as_deref())?;
            op(&ws, &who)
        })
        .await;
        match done {
            Ok(Ok(reply)) => reply.into_result(),
            Ok(Err(e)) => error_result(&e),
            Err(join) => error_result(
                &Error::io(format!("the tool failed unexpectedly: {join}"))
                    .hint("this is a bug in codexa; the server is still running"),
            ),
        }
    }
}

/// A tool's answer: the JSON the CLI prints with `--format json`, and
/// whether it is a refusal (a governance block is an error to the agent,
/// though the domain call succeeded in recording it).
pub(crate) struct Reply {
    /// The JSON text, keys in the serde order the CLI prints them in (a
    /// `Value` would sort them).
    text: String,
    value: Value,
    is_error: bool,
}

impl Reply {
    pub(crate) fn ok<T: Serialize>(value: &T) -> Result<Reply> {
        Self::new(value, false)
    }

    pub(crate) fn refused<T: Serialize>(value: &T) -> Result<Reply> {
        Self::new(value, true)
    }

    fn new<T: Serialize>(value: &T, is_error: bool) -> Result<Reply> {
        let encode = |e| Error::io("could not encode JSON").caused_by(e);
        Ok(Reply {
            text: serde_json::to_string(value).map_err(encode)?,
            value: serde_json::to_value(value).map_err(encode)?,
            is_error,
        })
    }

    /// The JSON as text content, and as structured content when it is an
    /// object: MCP requires `structuredContent` to be one, so the list
    /// tools' arrays travel as text only rather than in a wrapper whose
    /// shape would differ from the CLI's.
    fn into_result(self) -> CallToolResult {
        let content = vec![ContentBlock::text(self.text)];
        let mut result = if self.is_error {
            CallToolResult::error(content)
        } else {
            CallToolResult::success(content)
        };
        if self.value.is_object() {
            result.structured_content = Some(self.value);
        }
        result
    }
}

/// A codexa error as a tool error: what was wrong, its causes, and the
/// hint, so the agent can correct the call.
fn error_result(e: &Error) -> CallToolResult {
    let kind = match e.kind() {
        ErrorKind::User => "user",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Integrity => "integrity",
        ErrorKind::Io => "io",
        ErrorKind::Blocked => "blocked",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Internal => "internal",
    };
    // As the CLI prints it: what was being done, then why, each said once.
    let mut causes = e.lines();
    let message = causes.remove(0);
    #[derive(Serialize)]
    struct ToolError<'a> {
        outcome: &'static str,
        kind: &'static str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        hint: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        causes: Vec<String>,
    }
    let body = ToolError {
        outcome: "error",
        kind,
        message: &message,
        hint: e.hint_text(),
        causes,
    };
    match Reply::refused(&body) {
        Ok(reply) => reply.into_result(),
        // Unreachable for these plain fields; say something all the same.
        Err(_) => CallToolResult::error(vec![ContentBlock::text(e.message().to_string())]),
    }
}

// The macro adds `list_tools`, `get_tool` and `call_tool` from the router.
// rmcp answers arguments that do not fit a tool's input schema (a missing,
// unknown or mistyped field) with a tool error naming the field, which the
// model sees and can correct.
#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("codexa", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// `codexa mcp`: serve the tools on stdin/stdout until the client closes
/// stdin. Nothing else may write to stdout while this runs.
pub fn serve(cwd: &Path, default_as: Option<String>) -> Result<()> {
    // Fail at start, not on every call, when there is no repository here.
    crate::store::Store::locate(cwd)?;
    let cwd = std::path::absolute(cwd)?;
    // One thread drives the protocol; the domain's blocking I/O runs on the
    // blocking pool (see `Server::call`), so a multi-threaded runtime would
    // buy nothing.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("could not start the async runtime").caused_by(e))?;
    let result = runtime.block_on(async {
        let running = Server::new(cwd, default_as)
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| {
                Error::io("the MCP session did not start")
                    .hint("`codexa mcp` is started by an agent's MCP client, which sends `initialize` first; see the README's MCP section")
                    .caused_by(e)
            })?;
        running
            .waiting()
            .await
            .map_err(|e| Error::io("the MCP server stopped unexpectedly").caused_by(e))?;
        Ok(())
    });
    // A call still in flight when the client went away gets a moment to
    // finish its append; the runtime must not wait forever on a blocking
    // read of a stdin nobody will close.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    result
}

#[cfg(test)]
mod tests {
    /// The MCP server is a front end beside the CLI's commands: the
    /// library under it must not reach back into it, or a change to one
    /// door would change what the other does.
    #[test]
    fn nothing_else_in_the_library_depends_on_the_server() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                // The server itself, and the command line (`codexa mcp`
                // starts it), are the front ends, not the library under them.
                if ["mcp", "cli", "bin", "main.rs"].contains(&rel.as_str()) {
                    continue;
                }
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    if code.contains("crate::mcp") || code.contains("super::mcp") {
                        offenders.push(format!("src/{rel}:{}", i + 1));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "{offenders:?}");
    }
}
