//! `codexa toolcall start|succeed|fail`: a run step's tool calls.

use crate::Result;
use crate::domain::runs::tool_calls::{self, Ending, Source, Starting};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_json};

/// Tool calls of a run's step: start one, then say how it ended.
///
/// `codexa inspect run ID` shows them under their steps, with durations.
/// Agents need not call these: with `runs.record_tool_calls: true`, the
/// tool calls an agent's hooks report are recorded on the running run it
/// holds.
#[derive(clap::Subcommand, Debug)]
pub enum ToolcallCommand {
    Start(StartArgs),
    Succeed(SucceedArgs),
    Fail(FailArgs),
}

/// Record that a tool call began. Prints its id.
#[derive(clap::Args, Debug)]
pub struct StartArgs {
    /// The step it belongs to.
    pub step: String,
    /// The tool's name.
    #[arg(long)]
    pub tool: String,
    /// What it was given: JSON inline, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON")]
    pub input: Option<String>,
}

/// Record that a tool call succeeded.
#[derive(clap::Args, Debug)]
pub struct SucceedArgs {
    pub toolcall: String,
    /// What it returned: JSON inline, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON")]
    pub output: Option<String>,
}

/// Record that a tool call failed.
#[derive(clap::Args, Debug)]
pub struct FailArgs {
    pub toolcall: String,
    /// What went wrong.
    #[arg(long)]
    pub error: String,
    /// What it returned, if anything: JSON inline, `@FILE`, or `-`.
    #[arg(long, value_name = "JSON")]
    pub output: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: ToolcallCommand) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    let output = |o: Option<String>| o.as_deref().map(|o| read_json(o, "--output")).transpose();
    let call = match cmd {
        ToolcallCommand::Start(a) => {
            let input = match a.input.as_deref() {
                Some(i) => read_json(i, "--input")?,
                None => serde_json::Value::Null,
            };
            let starting = Starting {
                step: &a.step,
                tool: &a.tool,
                input,
                source: Source::Command,
                tool_use_id: None,
            };
            tool_calls::start(&ws, &who, &starting)?
        }
        ToolcallCommand::Succeed(a) => {
            let ending = Ending::Succeeded {
                output: output(a.output)?,
            };
            tool_calls::finish(&ws, &who, &a.toolcall, &ending)?
        }
        ToolcallCommand::Fail(a) => {
            let ending = Ending::Failed {
                error: a.error,
                output: output(a.output)?,
            };
            tool_calls::finish(&ws, &who, &a.toolcall, &ending)?
        }
    };
    if ctx.printer.is_json() {
        ctx.printer.json(&call)?;
    } else {
        ctx.printer.line(&call.id)?;
        ctx.printer.status(&format!(
            "{} {} {}{}",
            call.id,
            call.tool,
            call.status,
            call.duration_ms
                .map(|d| format!(" after {d} ms"))
                .unwrap_or_default()
        ));
    }
    Ok(ExitStatus::Success)
}
