//! `codexa events import`.

use serde::Deserialize;
use serde_json::Value;

use codexa::store::{Actor, NewEvent, StreamRef};
use codexa::workspace::default_actor;
use codexa::{Error, Result};

use crate::commands::{Ctx, read_input};

/// Append many events from JSON Lines (a file, or `-` for stdin), each line
/// `{"type": …, "stream": "TYPE:ID", "data": {…}}` with optional `actor`,
/// `idempotency_key`, `correlation_id`, `causation_id`. Every line is checked
/// before the first is appended: one bad line changes nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// JSON Lines file, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    pub input: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    #[serde(rename = "type")]
    kind: String,
    stream: Value,
    data: Value,
    #[serde(default)]
    actor: Option<Value>,
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
    #[serde(default)]
    causation_id: Option<String>,
}

/// Events per lock hold: long imports let other writers in between.
const BATCH: usize = 5_000;

fn stream_of(v: &Value) -> Result<StreamRef> {
    match v {
        Value::String(s) => StreamRef::parse(s),
        other => serde_json::from_value(other.clone())
            .map_err(|_| Error::user("`stream` must be \"TYPE:ID\" or {\"type\", \"id\"}")),
    }
}

fn actor_of(v: &Value) -> Result<Actor> {
    match v {
        Value::String(s) => Actor::parse(s),
        other => {
            let a: Actor = serde_json::from_value(other.clone())
                .map_err(|_| Error::user("`actor` must be \"KIND:ID\" or {\"kind\", \"id\"}"))?;
            Actor::parse(&a.to_string())
        }
    }
}

pub fn run(ctx: &Ctx, args: Args) -> Result<u8> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let text = read_input(
        &if args.input == "-" {
            "-".to_string()
        } else {
            format!("@{}", args.input)
        },
        "events",
    )?;
    let source = if args.input == "-" {
        "stdin"
    } else {
        &args.input
    };
    let fallback = default_actor(&ws.store);
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| {
            Error::user(format!("{source} line {}: {msg}", i + 1))
                .hint("each line is {\"type\": …, \"stream\": \"TYPE:ID\", \"data\": {…}}; nothing was imported")
        };
        let parsed: ImportLine = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let mut e = NewEvent::new(
            &parsed.kind,
            stream_of(&parsed.stream).map_err(|e| at(e.message().to_string()))?,
            match &parsed.actor {
                Some(a) => actor_of(a).map_err(|e| at(e.message().to_string()))?,
                None => fallback.clone(),
            },
            parsed.data,
        );
        e.idempotency_key = parsed.idempotency_key;
        e.correlation_id = parsed.correlation_id;
        e.causation_id = parsed.causation_id;
        e.validate().map_err(|err| at(err.message().to_string()))?;
        codexa::config::validate_event_data(&e.kind, &e.data)
            .map_err(|err| at(err.message().to_string()))?;
        events.push(e);
    }
    let total = events.len();
    let (mut new, mut existing) = (0u64, 0u64);
    let (mut first_seq, mut last_seq) = (None, None);
    let mut rest = events;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(BATCH));
        let report = ws.append(std::mem::replace(&mut rest, tail))?;
        for r in report.results {
            if r.new {
                new += 1;
                first_seq.get_or_insert(r.event.seq);
                last_seq = Some(r.event.seq);
            } else {
                existing += 1;
            }
        }
    }
    if ctx.printer.is_json() {
        ctx.printer.json(&serde_json::json!({
            "lines": total,
            "appended": new,
            "existing": existing,
            "first_seq": first_seq,
            "last_seq": last_seq,
        }))?;
    } else {
        ctx.printer.line(&format!(
            "imported {new} event{} ({existing} already recorded)",
            if new == 1 { "" } else { "s" }
        ))?;
    }
    Ok(0)
}
