//! `codexa events append`.

use crate::domain::identity;
use crate::store::{Actor, NewEvent, StreamRef};
use crate::{Error, Result};

use crate::cli::{Ctx, ExitStatus, read_json};

/// Append one event (for scripts).
///
/// Append one event to this clone's chain and print its id. With an
/// idempotency key already in the log, print the first event's id and
/// append nothing.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event type, e.g. `note.added`.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// What the event is about, as TYPE:ID, e.g. `thread:th_01`.
    #[arg(long, value_name = "TYPE:ID")]
    pub stream: String,
    /// The payload: a JSON object, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub data: String,
    /// Who acts, as KIND:ID (user, agent or service). Default:
    /// `agent:$CODEXA_AGENT`, else the git user.
    #[arg(long, value_name = "KIND:ID")]
    pub actor: Option<String>,
    /// Retrying with the same key returns the first event.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Groups events of one piece of work, for drill-down.
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// The event that caused this one.
    #[arg(long, value_name = "ID")]
    pub causation_id: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    let stream = StreamRef::parse(&args.stream)?;
    if crate::store::event::refused_to_scripts_on(&args.kind, &stream.kind) {
        return Err(crate::Error::user(format!(
            "`{}` on `{}` is codexa's own to write; scripts may not append it",
            args.kind, args.stream
        ))
        .hint("use the command that writes it (post, thread, approve, run, policy eval …), or a type and stream of your own such as `note.added` on `note:1`"));
    }
    crate::store::event::refuse_reserved_key(args.idempotency_key.as_deref())?;
    let data = read_json(&args.data, "--data")?;
    let speaker = identity::resolve(&ws.store, &ws.config, None)?;
    let actor = match &args.actor {
        Some(a) => {
            let actor = Actor::parse(a)?;
            identity::vouch(&speaker, &actor)?;
            actor
        }
        None => speaker.actor(),
    };
    let mut event = NewEvent::new(&args.kind, stream, actor, data);
    event.idempotency_key = args.idempotency_key;
    event.correlation_id = args.correlation_id;
    event.causation_id = args.causation_id;
    let report = ws.append(vec![event])?;
    for h in &report.housekeeping {
        ctx.printer
            .status(&format!("note: recorded {} ({})", h.kind, h.id));
    }
    let result = report
        .results
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("append returned no event"))?;
    if ctx.printer.is_json() {
        ctx.printer.raw_line(&result.event.to_line())?;
    } else {
        ctx.printer.line(&result.event.id)?;
        if result.new {
            ctx.printer.status(&format!(
                "appended {} (seq {}) to {}",
                result.event.kind, result.event.seq, result.event.writer
            ));
        } else {
            ctx.printer
                .status("already recorded under this idempotency key; nothing appended");
        }
    }
    Ok(ExitStatus::Success)
}
