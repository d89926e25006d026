//! `codexa events import`.

use serde::Deserialize;
use serde_json::Value;

use crate::domain::identity::{self, Speaker};
use crate::store::{Actor, NewEvent, StreamRef};
use crate::{Error, Result};

use crate::cli::{Ctx, ExitStatus, read_input};

/// Append many events from JSON Lines, in one process.
///
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

/// Where the lines come from. A file is read twice, streaming (check every
/// line, then append in batches), so a million-line import does not hold a
/// million parsed events; stdin cannot be re-read and is kept as text.
enum Input {
    File(std::path::PathBuf),
    Stdin(String),
}

impl Input {
    fn lines(&self) -> Result<Box<dyn Iterator<Item = std::io::Result<String>> + '_>> {
        use std::io::BufRead;
        Ok(match self {
            Input::File(path) => Box::new(
                std::io::BufReader::with_capacity(1 << 20, fs_err::File::open(path)?).lines(),
            ),
            Input::Stdin(text) => Box::new(text.lines().map(|l| Ok(l.to_string()))),
        })
    }
}

/// One line as an event, or an error naming the line.
fn parse_line(source: &str, number: usize, line: &str, speaker: &Speaker) -> Result<NewEvent> {
    let at = |msg: String| {
        Error::user(format!("{source} line {number}: {msg}")).hint(
            "each line is {\"type\": …, \"stream\": \"TYPE:ID\", \"data\": {…}}; nothing was imported",
        )
    };
    let parsed: ImportLine = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
    let mut e = NewEvent::new(
        &parsed.kind,
        stream_of(&parsed.stream).map_err(|e| at(e.message().to_string()))?,
        match &parsed.actor {
            Some(a) => {
                let actor = actor_of(a).map_err(|e| at(e.message().to_string()))?;
                identity::vouch(speaker, &actor).map_err(|e| at(e.message().to_string()))?;
                actor
            }
            None => speaker.actor(),
        },
        parsed.data,
    );
    e.idempotency_key = parsed.idempotency_key;
    e.correlation_id = parsed.correlation_id;
    e.causation_id = parsed.causation_id;
    e.validate().map_err(|err| at(err.message().to_string()))?;
    if crate::store::event::refused_to_scripts_on(&e.kind, &e.stream.kind) {
        return Err(at(format!(
            "`{}` on `{}` is codexa's own to write; scripts may not import it",
            e.kind, e.stream
        )));
    }
    crate::store::event::refuse_reserved_key(e.idempotency_key.as_deref())
        .map_err(|err| at(err.message().to_string()))?;
    crate::config::validate_event_data(&e.kind, &e.data)
        .map_err(|err| at(err.message().to_string()))?;
    Ok(e)
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let input = if args.input == "-" {
        Input::Stdin(read_input("-", "events")?)
    } else {
        let path = std::path::PathBuf::from(&args.input);
        if !path.is_file() {
            return Err(Error::user(format!(
                "could not read events from {}: no such file",
                args.input
            ))
            .hint("pass a JSON Lines file, or `-` to read stdin"));
        }
        Input::File(path)
    };
    let source = if args.input == "-" {
        "stdin"
    } else {
        &args.input
    };
    let speaker = identity::resolve(&ws.store, &ws.config, None)?;
    let read_error =
        |e: std::io::Error| Error::user(format!("could not read {source}")).caused_by(e);

    // Pass 1: every line must be a valid event before anything is appended.
    let mut total = 0usize;
    for (i, line) in input.lines()?.enumerate() {
        let line = line.map_err(read_error)?;
        if !line.trim().is_empty() {
            parse_line(source, i + 1, &line, &speaker)?;
            total += 1;
        }
    }
    // Pass 2: append in batches.
    let (mut new, mut existing) = (0u64, 0u64);
    let (mut first_seq, mut last_seq) = (None, None);
    let mut batch = Vec::with_capacity(BATCH.min(total));
    let mut lines = input.lines()?.enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let line = line.map_err(read_error)?;
        if !line.trim().is_empty() {
            batch.push(parse_line(source, i + 1, &line, &speaker)?);
        }
        if batch.len() == BATCH || (lines.peek().is_none() && !batch.is_empty()) {
            let report = ws.append(std::mem::take(&mut batch))?;
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
    Ok(ExitStatus::Success)
}
