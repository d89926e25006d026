//! `codexa events accept`.

use crate::domain::identity;
use crate::store::head::{self, Head};
use crate::store::segment::valid_writer_id;
use crate::store::trust::{self, ACCEPTED};
use crate::store::verify::{self, DirSource};
use crate::store::{NewEvent, StreamRef, chain_tail};
use crate::{Error, Result};
use serde_json::json;

use crate::cli::{Ctx, ExitStatus};

/// Let a writer folder count that codexa cannot vouch for (people only).
///
/// Let a writer folder count that codexa cannot vouch for: a foreign one
/// (not this clone's, not received through `codexa sync`, e.g. copied in by
/// hand), whose events count from then on, later lines included; or this
/// clone's own chain after its newest lines were lost, as it now ends.
/// Only people accept; the decision is recorded as `writer.accepted`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The writer id: the folder's name under events/ (`wr_…`).
    #[arg(value_name = "WRITER")]
    pub writer: String,
    /// Why, for the record.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let who = identity::resolve(&ws.store, &ws.config, ctx.speaker.as_deref())?;
    if who.is_agent() {
        return Err(Error::user(format!(
            "agent {} may not accept writer folders: only a person decides which chains count",
            who.name
        ))
        .hint("tell the person you work for what `codexa events verify` reports; they decide"));
    }
    let writer = args.writer.trim();
    if !valid_writer_id(writer) || !ws.store.writer_dir(writer).is_dir() {
        return Err(Error::user(format!(
            "no writer folder `{writer}` in {}",
            ws.store.events_dir().display()
        ))
        .hint("`codexa events verify` names foreign folders; pass one of those ids"));
    }
    let own = crate::store::writer::read(&ws.store.writer_file())?;
    let (data, note) = if own.as_ref().is_some_and(|w| w.writer == writer) {
        match accept_own_end(&ws.store, writer)? {
            Some(data) => (data, "its end as it now is"),
            None => return already(ctx, writer, "this clone's own chain, which is whole"),
        }
    } else {
        if let Some(why) = trust::why_trusted(&ws.store, writer)? {
            return already(ctx, writer, why);
        }
        (
            whole_chain(&ws.store, writer)?,
            "its events count from now on",
        )
    };
    let mut data = data;
    if let Some(reason) = &args.reason {
        data["reason"] = json!(reason);
    }
    let event = NewEvent::new(
        ACCEPTED,
        StreamRef {
            kind: "writer".into(),
            id: writer.to_string(),
        },
        who.actor(),
        data,
    );
    let report = ws.append(vec![event])?;
    let event = report
        .results
        .into_iter()
        .next()
        .map(|a| a.event)
        .ok_or_else(|| Error::internal("append returned no event"))?;
    if ctx.printer.is_json() {
        ctx.printer.raw_line(&event.to_line())?;
    } else {
        ctx.printer.line(&event.id)?;
        ctx.printer.status(&format!(
            "accepted {writer} up to seq {} ({note}); recorded as {ACCEPTED}",
            event.data["seq"]
        ));
    }
    Ok(ExitStatus::Success)
}

fn already(ctx: &Ctx, writer: &str, why: &str) -> Result<ExitStatus> {
    if ctx.printer.is_json() {
        ctx.printer
            .json(&json!({"writer": writer, "accepted": false, "already": why}))?;
    } else {
        ctx.printer
            .status(&format!("{writer} already counts: {why}; nothing recorded"));
    }
    Ok(ExitStatus::Success)
}

/// A foreign chain is accepted only when it verifies: a person accepts
/// where it came from, not damage.
fn whole_chain(store: &crate::store::Store, writer: &str) -> Result<serde_json::Value> {
    let report = verify::verify(&DirSource::new(store)?, &|_| {})?;
    if let Some(f) = report.faults.iter().find(|f| f.writer == writer) {
        return Err(Error::integrity(format!(
            "{writer}'s chain does not verify ({} line {}: {}), so it cannot be accepted",
            f.file, f.line, f.message
        ))
        .hint("ask whoever wrote it for an intact copy; nothing was recorded"));
    }
    let summary = report.writers.iter().find(|w| w.writer == writer);
    Ok(json!({
        "writer": writer,
        "seq": summary.map_or(0, |w| w.last_seq),
        "hash": summary.and_then(|w| w.last_hash.clone()),
    }))
}

/// This clone's chain lost its newest lines: record its current end as the
/// head, so appends go on from there, and say what was lost. `None` when
/// nothing was lost. A damaged line is not accepted: only lines lost whole.
fn accept_own_end(store: &crate::store::Store, writer: &str) -> Result<Option<serde_json::Value>> {
    let _lock = crate::store::lock::StoreLock::acquire(&store.lock_path())?;
    // A person accepting the chain's end replaces a record that cannot be
    // read as well as one that names lost lines.
    let read = head::read(&store.head_file());
    let unreadable = read.as_ref().err().cloned();
    let recorded = read.ok().flatten().filter(|h| h.writer == writer);
    let repairing = recorded.as_ref().map_or(&[][..], |h| &h.repairing[..]);
    let tail = chain_tail::load(&store.events_dir(), writer, repairing)?;
    if let Some(d) = &tail.damage {
        return Err(Error::integrity(format!(
            "{} line {}: {}: a damaged line cannot be accepted",
            d.file.display(),
            d.line,
            d.message
        ))
        .hint("restore the segment from a backup or `git show codexa/state:events/…`, or move the line out by hand (keep a copy); nothing was recorded"));
    }
    let seq = tail.last.as_ref().map_or(0, |e| e.seq);
    let hash = tail.last.as_ref().map(|e| e.hash.clone());
    let lost = match (recorded, unreadable) {
        (_, Some(why)) => json!({ "head_unreadable": why }),
        (Some(recorded), None) if head::damage(&recorded, seq, hash.as_deref()).is_some() => {
            json!({ "lost": {"seq": recorded.seq, "hash": recorded.hash} })
        }
        _ => return Ok(None),
    };
    head::record_durably(
        &store.head_file(),
        &Head {
            writer: writer.to_string(),
            seq,
            hash: hash.clone(),
            repairing: Vec::new(),
        },
    )?;
    let mut data = json!({ "writer": writer, "seq": seq, "hash": hash });
    if let (Some(data), Some(lost)) = (data.as_object_mut(), lost.as_object()) {
        data.extend(lost.clone());
    }
    Ok(Some(data))
}
