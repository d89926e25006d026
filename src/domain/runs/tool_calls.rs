//! Tool calls of a run's steps: recorded by a worker (`codexa toolcall
//! start|succeed|fail`), or from an agent's own hooks while it holds a
//! running run (`runs.record_tool_calls`), with no command from it.

use serde_json::{Value, json};

use super::fold::{self, Run, ToolCall};
use super::{event, load, load_with, open_for_work, run_of_child, vouch_for_work};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

/// How a tool call ended.
#[derive(Debug, Clone)]
pub enum Ending {
    Succeeded {
        output: Option<Value>,
    },
    Failed {
        error: String,
        output: Option<Value>,
    },
}

/// Where a tool call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Command,
    Hook,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Command => "command",
            Source::Hook => "hook",
        }
    }
}

/// What starting a tool call records.
pub struct Starting<'a> {
    pub step: &'a str,
    pub tool: &'a str,
    pub input: Value,
    pub source: Source,
    pub tool_use_id: Option<&'a str>,
}

fn started_event(run: &Run, speaker: &Speaker, s: &Starting) -> Result<crate::store::NewEvent> {
    if s.tool.trim().is_empty() {
        return Err(Error::user("a tool call needs the tool's name").hint("`--tool Bash`, say"));
    }
    open_for_work(run, "tool calls")?;
    if run.step(s.step).is_none() {
        return Err(Error::not_found(format!(
            "{} has no step `{}`",
            run.id, s.step
        )));
    }
    let mut data = json!({
        "step": s.step,
        "tool": s.tool.trim(),
        "input": s.input,
        "source": s.source.as_str(),
    });
    if let Some(id) = s.tool_use_id {
        data["tool_use_id"] = json!(id);
    }
    Ok(event(run, "run.toolcall_started", speaker, data))
}

fn ended_event(
    run: &Run,
    call: &ToolCall,
    speaker: &Speaker,
    ending: &Ending,
    now_ms: i64,
) -> Result<crate::store::NewEvent> {
    if call.status != "running" {
        return Err(Error::conflict(format!(
            "tool call {} already {}",
            call.id, call.status
        )));
    }
    let started = crate::clock::parse_ms(&call.started_at).unwrap_or(now_ms);
    let mut data = json!({ "toolcall": call.id, "duration_ms": (now_ms - started).max(0) });
    let kind = match ending {
        Ending::Succeeded { output } => {
            if let Some(o) = output {
                data["output"] = o.clone();
            }
            "run.toolcall_succeeded"
        }
        Ending::Failed { error, output } => {
            data["error"] = json!(error);
            if let Some(o) = output {
                data["output"] = o.clone();
            }
            "run.toolcall_failed"
        }
    };
    Ok(event(run, kind, speaker, data))
}

/// `codexa toolcall start STEP --tool NAME --input JSON`.
pub fn start(ws: &Workspace, speaker: &Speaker, s: &Starting) -> Result<ToolCall> {
    let (report, run_id) = ws.append_planned(|index| {
        let run = run_of_child(index, ws, s.step, "step")?;
        vouch_for_work(&run, speaker)?;
        Ok((vec![started_event(&run, speaker, s)?], run.id))
    })?;
    let made = report
        .results
        .first()
        .ok_or_else(|| Error::internal("starting a tool call appended nothing"))?;
    find(ws, &run_id, &fold::child_id("tc", &made.event.id))
}

fn find(ws: &Workspace, run: &str, call: &str) -> Result<ToolCall> {
    load(ws, run)?.tool_call(call).cloned().ok_or_else(|| {
        Error::internal(format!(
            "tool call {call} is not in {run} after recording it"
        ))
    })
}

/// `codexa toolcall succeed|fail TC`.
pub fn finish(ws: &Workspace, speaker: &Speaker, id: &str, ending: &Ending) -> Result<ToolCall> {
    if let Ending::Failed { error, .. } = ending
        && error.trim().is_empty()
    {
        return Err(Error::user("a failed tool call needs its error").hint("`--error \"exit 1\"`"));
    }
    let now = crate::clock::now_ms();
    let (_, run_id) = ws.append_planned(|index| {
        let run = run_of_child(index, ws, id, "tool call")?;
        vouch_for_work(&run, speaker)?;
        let call = run
            .tool_call(id)
            .ok_or_else(|| Error::not_found(format!("no tool call `{id}`")))?;
        Ok((vec![ended_event(&run, call, speaker, ending, now)?], run.id))
    })?;
    find(ws, &run_id, id)
}

/// The running run `participant` holds and started itself, if any: the
/// newest few it started are enough to look at.
fn held_running(index: &Index, ws: &Workspace, participant: &str) -> Result<Option<Run>> {
    let started = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some("run.started".into()),
            actor_id: Some(participant.to_string()),
            ..Filter::default()
        },
        Some(3),
        true,
    )?;
    for e in started.iter().rev() {
        let run = load_with(index, ws, &e.stream.id)?;
        let holds = run.lease.as_ref().is_some_and(|l| l.worker == participant);
        if run.status == fold::Status::Running && holds {
            return Ok(Some(run));
        }
    }
    Ok(None)
}

/// The most of a hook's tool input or response kept on a tool call: a
/// file read or a long command output would otherwise put megabytes into
/// one line of the log.
const KEPT_BYTES: usize = 4096;

/// `value`, or a preview of it when its JSON is longer than [`KEPT_BYTES`].
fn bounded(value: Option<&Value>) -> Value {
    let Some(v) = value else {
        return Value::Null;
    };
    let text = v.to_string();
    if text.len() <= KEPT_BYTES {
        return v.clone();
    }
    let mut end = KEPT_BYTES / 4;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    json!({ "truncated": true, "bytes": text.len(), "preview": &text[..end] })
}

/// The name a step takes when an agent's hooks record a tool call on a
/// run that has no step yet.
const HOOK_STEP: &str = "tool calls";

/// Record what an agent's hook reports about a tool call as a tool call
/// of the running run the agent holds: `PreToolUse` starts one (keyed by
/// its `tool_use_id`), `PostToolUse` ends it with the time it took.
/// Nothing when the agent holds no running run.
pub fn from_hook(ws: &Workspace, agent: &Speaker, event: &str, payload: &Value) -> Result<()> {
    let get = |k: &str| payload.get(k).and_then(Value::as_str);
    let (Some(tool), Some(use_id)) = (get("tool_name"), get("tool_use_id")) else {
        return Ok(());
    };
    let now = crate::clock::now_ms();
    match event {
        "PreToolUse" => {
            // A run without steps gets one first, in its own append: a
            // tool call names its step by the id the step's event gets.
            let (_, needs_step) = ws.append_planned(|index| {
                let Some(run) = held_running(index, ws, &agent.name)? else {
                    return Ok((Vec::new(), None));
                };
                if let Some(step) = run.steps.last() {
                    let s = Starting {
                        step: &step.id,
                        tool,
                        input: bounded(payload.get("tool_input")),
                        source: Source::Hook,
                        tool_use_id: Some(use_id),
                    };
                    return Ok((vec![started_event(&run, agent, &s)?], None));
                }
                Ok((Vec::new(), Some(run.id)))
            })?;
            if let Some(run) = needs_step {
                super::add_step(ws, agent, &run, HOOK_STEP)?;
                return from_hook(ws, agent, event, payload);
            }
        }
        "PostToolUse" | "PostToolUseFailure" => {
            ws.append_planned(|index| {
                let Some(run) = held_running(index, ws, &agent.name)? else {
                    return Ok((Vec::new(), ()));
                };
                let Some(call) =
                    run.steps.iter().flat_map(|s| &s.tool_calls).find(|c| {
                        c.tool_use_id.as_deref() == Some(use_id) && c.status == "running"
                    })
                else {
                    return Ok((Vec::new(), ()));
                };
                let response = payload.get("tool_response").map(|r| bounded(Some(r)));
                let failed_with = payload
                    .get("error")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| {
                        let r = response.as_ref()?;
                        let is_error = r.get("is_error").and_then(Value::as_bool) == Some(true);
                        (is_error || event == "PostToolUseFailure").then(|| {
                            r.get("error")
                                .and_then(Value::as_str)
                                .unwrap_or("the tool reported an error")
                                .to_string()
                        })
                    });
                let ending = match failed_with {
                    Some(error) => Ending::Failed {
                        error,
                        output: response,
                    },
                    None => Ending::Succeeded { output: response },
                };
                Ok((vec![ended_event(&run, call, agent, &ending, now)?], ()))
            })?;
        }
        _ => {}
    }
    Ok(())
}
