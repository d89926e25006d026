//! Tool calls of a run's steps: recorded by a worker (`codexa toolcall
//! start|succeed|fail`), or from an agent's own hooks while it holds a
//! running run (`runs.record_tool_calls`), with no command from it.

use serde_json::{Value, json};

use super::fold::{self, Run, ToolCall};
use super::{event, load_status, open_for_work, run_of_child, vouch_for_work};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::Index;
use crate::store::{Event, NewEvent};
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

/// The longest tool name or tool-use id kept from a hook: anything
/// longer is not a real one, and would only make the log's lines huge.
const MAX_NAME: usize = 128;

fn started_event(run: &Run, speaker: &Speaker, s: &Starting) -> Result<NewEvent> {
    let tool = s.tool.trim();
    if tool.is_empty() || tool.len() > MAX_NAME || tool.chars().any(char::is_control) {
        return Err(Error::user(format!(
            "`--tool` must be a name of 1 to {MAX_NAME} characters"
        ))
        .hint("`--tool Bash`, say"));
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
        "tool": tool,
        "input": s.input,
        "source": s.source.as_str(),
    });
    if let Some(id) = s.tool_use_id {
        data["tool_use_id"] = json!(id);
    }
    let mut e = event(run, "run.toolcall_started", speaker, data);
    if let Some(id) = s.tool_use_id {
        // A hook that fires twice for one call records it once.
        e.idempotency_key = Some(format!("run.toolcall_started:{}:{id}", run.id));
    }
    Ok(e)
}

/// The event that ends the call `started` began, at `now_ms`. Keyed by
/// the call, so a second ending finds the first instead of recording.
fn ended_event(
    run: &Run,
    started: &Event,
    speaker: &Speaker,
    ending: &Ending,
    now_ms: i64,
) -> NewEvent {
    let call = fold::child_id("tc", &started.id);
    let began = crate::clock::parse_ms(&started.ts).unwrap_or(now_ms);
    let mut data = json!({ "toolcall": call, "duration_ms": (now_ms - began).max(0) });
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
    let mut e = event(run, kind, speaker, data);
    e.idempotency_key = Some(format!("run.toolcall_ended:{call}"));
    e
}

/// A tool call as its events make it.
fn call_of(started: &Event, ended: Option<&Event>) -> ToolCall {
    let mut call = ToolCall::started(started);
    if let Some(e) = ended {
        // An ending of this very call: it cannot be refused.
        let _ = call.end(e);
    }
    call
}

/// `codexa toolcall start STEP --tool NAME --input JSON`.
pub fn start(ws: &Workspace, speaker: &Speaker, s: &Starting) -> Result<ToolCall> {
    let (report, ()) = ws.append_planned(|index| {
        let run = run_of_child(index, ws, s.step, "step")?;
        vouch_for_work(&run, speaker)?;
        Ok((vec![started_event(&run, speaker, s)?], ()))
    })?;
    let made = report
        .results
        .first()
        .ok_or_else(|| Error::internal("starting a tool call appended nothing"))?;
    Ok(call_of(&made.event, None))
}

/// `codexa toolcall succeed|fail TC`.
pub fn finish(ws: &Workspace, speaker: &Speaker, id: &str, ending: &Ending) -> Result<ToolCall> {
    if let Ending::Failed { error, .. } = ending
        && error.trim().is_empty()
    {
        return Err(Error::user("a failed tool call needs its error").hint("`--error \"exit 1\"`"));
    }
    let now = crate::clock::now_ms();
    let (report, started) = ws.append_planned(|index| {
        let started = super::event_of(index, ws, id)?
            .filter(|e| e.kind == "run.toolcall_started")
            .ok_or_else(|| {
                Error::not_found(format!("no tool call `{id}`"))
                    .hint("`codexa inspect run ID` shows a run's tool calls with their ids")
            })?;
        let run = super::load_status(index, ws, &started.stream.id)?;
        vouch_for_work(&run, speaker)?;
        Ok((
            vec![ended_event(&run, &started, speaker, ending, now)],
            started,
        ))
    })?;
    let ended = report
        .results
        .first()
        .ok_or_else(|| Error::internal("ending a tool call appended nothing"))?;
    if !ended.new {
        return Err(Error::conflict(format!(
            "tool call {id} already ended ({} at {})",
            ended.event.kind.trim_start_matches("run.toolcall_"),
            ended.event.ts
        )));
    }
    Ok(call_of(&started, Some(&ended.event)))
}

/// The running run `participant` holds, if any: the latest it started.
fn held_running(index: &Index, ws: &Workspace, participant: &str) -> Result<Option<Run>> {
    let mut held = None;
    for id in index.open_streams("run")? {
        let run = load_status(index, ws, &id)?;
        let holds = run.lease.as_ref().is_some_and(|l| l.worker == participant);
        if run.status == fold::Status::Running && holds {
            held = Some(run);
        }
    }
    Ok(held)
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
/// Nothing when the agent holds no running run. Only the run's own stream
/// is read, never its tool calls: the cost stays flat however long the
/// run has been going.
pub fn from_hook(ws: &Workspace, agent: &Speaker, event: &str, payload: &Value) -> Result<()> {
    let get = |k: &str| payload.get(k).and_then(Value::as_str);
    let (Some(tool), Some(use_id)) = (get("tool_name"), get("tool_use_id")) else {
        return Ok(());
    };
    let fits =
        |t: &str| !t.trim().is_empty() && t.len() <= MAX_NAME && !t.chars().any(char::is_control);
    if !fits(tool) || !fits(use_id) {
        return Ok(());
    }
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
                let key = format!("run.toolcall_started:{}:{use_id}", run.id);
                let Some(started) = index.event_by_key(&ws.store.events_dir(), &key)? else {
                    return Ok((Vec::new(), ()));
                };
                let response = payload.get("tool_response").map(|r| bounded(Some(r)));
                let failed_with = payload
                    .get("error")
                    .map(|e| bounded(Some(e)))
                    .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_string))
                    .or_else(|| {
                        let r = response.as_ref()?;
                        let is_error = r.get("is_error").and_then(Value::as_bool) == Some(true);
                        (is_error || event == "PostToolUseFailure").then(|| {
                            r.get("error")
                                .and_then(Value::as_str)
                                .unwrap_or("the tool reported an error")
                                .chars()
                                .take(KEPT_BYTES)
                                .collect()
                        })
                    });
                let ending = match failed_with {
                    Some(error) => Ending::Failed {
                        error,
                        output: response,
                    },
                    None => Ending::Succeeded { output: response },
                };
                Ok((vec![ended_event(&run, &started, agent, &ending, now)], ()))
            })?;
        }
        _ => {}
    }
    Ok(())
}
