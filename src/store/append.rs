//! Appending: the one way events enter this clone's chain.
//!
//! Under the store lock: settle the writer (create, or fork after a copy),
//! read the chain's tail, repair a torn last line explicitly, catch the
//! index up and answer repeated idempotency keys from it, then write the new
//! lines with one `write` per segment, fsync, and release. On a failed
//! write (a full disk) the unacknowledged bytes are cut off again, so a
//! failure never leaves a torn line behind.

use std::io::Write;

use serde_json::json;

use crate::clock;
use crate::error::{Error, Result};
use crate::fsutil::sync_dir;
use crate::store::chain_tail::{self, ChainTail};
use crate::store::event::{ENVELOPE_VERSION, Event, NewEvent};
use crate::store::head::{self, Head, PendingRepair};
use crate::store::index::Index;
use crate::store::lock::StoreLock;
use crate::store::segment::{SegmentFile, segment_name};
use crate::store::writer::{self, WriterState};
use crate::store::{Actor, Store, StreamRef};

/// What happened to one requested event.
#[derive(Debug, Clone)]
pub struct Appended {
    pub event: Event,
    /// False when an earlier event with the same idempotency key answered.
    pub new: bool,
}

/// Everything one append call did, including housekeeping events.
#[derive(Debug, Clone, Default)]
pub struct AppendReport {
    /// One per requested event, in request order.
    pub results: Vec<Appended>,
    /// Events the store added on its own (repair, fork), in chain order.
    pub housekeeping: Vec<Event>,
    /// Set when a guard refused the events: what was appended instead
    /// (e.g. `governance.blocked`). `results` is then empty.
    pub blocked: Option<Event>,
}

/// A check run under the store lock, with the index caught up, after
/// idempotent replays are settled and before anything new is appended. It
/// returns the event to record instead when the append must not happen.
/// Running it under the lock is what makes a limit (posts per minute,
/// agent messages in a row) exact when several processes post at once.
pub type Guard<'a> = &'a dyn Fn(&Index) -> Result<Option<NewEvent>>;

pub fn system_actor() -> Actor {
    Actor {
        kind: "service".into(),
        id: "codexa".into(),
    }
}

impl Store {
    /// The writer id this clone appends under, creating the store if needed.
    pub fn ensure_writer(&self) -> Result<WriterState> {
        let _lock = StoreLock::acquire(&self.lock_path())?;
        writer::ensure(&self.writer_file(), &self.common_dir)
    }

    /// Append `events` to this clone's chain, in order, with a guard that
    /// may refuse them (see `Guard`).
    pub fn append_guarded(
        &self,
        events: Vec<NewEvent>,
        guard: Option<Guard>,
    ) -> Result<AppendReport> {
        for e in &events {
            e.validate()?;
        }
        let _lock = StoreLock::acquire(&self.lock_path())?;
        let state = writer::ensure(&self.writer_file(), &self.common_dir)?;
        self.append_locked_guarded(state, events, guard)
    }

    /// Decide what to append from the log as it stands, and append it, in
    /// one hold of the store lock: `plan` sees the index caught up with
    /// every line, and nothing can be appended between its look and the
    /// write. This is what makes a claim exact: two processes claiming the
    /// same run take turns, and the second sees the first's claim. `plan`
    /// also returns what the caller needs besides the events (say, a
    /// refusal to report after recording what was observed).
    pub fn append_planned<T>(
        &self,
        plan: impl FnOnce(&Index) -> Result<(Vec<NewEvent>, T)>,
    ) -> Result<(AppendReport, T)> {
        let _lock = StoreLock::acquire(&self.lock_path())?;
        let state = writer::ensure(&self.writer_file(), &self.common_dir)?;
        let (events, out) = {
            let index = Index::open_locked(self)?;
            plan(&index)?
        };
        for e in &events {
            e.validate()?;
        }
        if events.is_empty() {
            return Ok((AppendReport::default(), out));
        }
        Ok((self.append_locked(state, events)?, out))
    }

    /// The body of `append`, for callers that already hold the lock.
    pub(crate) fn append_locked(
        &self,
        state: WriterState,
        events: Vec<NewEvent>,
    ) -> Result<AppendReport> {
        self.append_locked_guarded(state, events, None)
    }

    fn append_locked_guarded(
        &self,
        state: WriterState,
        events: Vec<NewEvent>,
        guard: Option<Guard>,
    ) -> Result<AppendReport> {
        let report = self.append_chained(state, events, guard)?;
        let written = report
            .results
            .iter()
            .filter(|a| a.new)
            .map(|a| &a.event)
            .chain(&report.housekeeping)
            .chain(&report.blocked);
        if written.into_iter().any(crate::store::trust_epoch::touches) {
            crate::store::trust_epoch::bump(self);
        }
        Ok(report)
    }

    fn append_chained(
        &self,
        state: WriterState,
        events: Vec<NewEvent>,
        guard: Option<Guard>,
    ) -> Result<AppendReport> {
        let writer_id = state.file.writer.clone();
        let events_dir = self.events_dir();
        // A record left by an earlier writer id (before a fork) says nothing
        // about this chain.
        let recorded = head::read(&self.head_file())
            .map_err(|why| {
                Error::integrity(format!(
                    "this clone's event chain is damaged, so nothing more is appended to it: its head record {} {why}, so the chain's end cannot be checked",
                    self.head_file().display()
                ))
                .hint(DAMAGE_HINT)
            })?
            .filter(|h| h.writer == writer_id);
        let repairing = recorded.as_ref().map_or(&[][..], |h| &h.repairing[..]);
        let mut tail = chain_tail::load(&events_dir, &writer_id, repairing)?;
        refuse_damage(self, &writer_id, &tail, recorded.as_ref())?;
        let mut report = AppendReport::default();
        let mut chain = Chain::new(self, &writer_id, &tail, recorded);

        if !tail.fragments.is_empty() {
            // Terminating a fragment makes it a complete line; name it first,
            // durably, so a crash before its repair event is written leaves a
            // line the next append recognises rather than damage.
            let segment = tail.segment.as_ref().map_or(1, |s| s.number);
            head::record_durably(
                &self.head_file(),
                &Head {
                    writer: writer_id.clone(),
                    seq: tail.last.as_ref().map_or(0, |e| e.seq),
                    hash: tail.last.as_ref().map(|e| e.hash.clone()),
                    repairing: tail
                        .fragments
                        .iter()
                        .map(|f| PendingRepair {
                            segment: segment_name(segment),
                            line: f.line,
                            sha256: crate::fsutil::sha256_tagged(&f.bytes),
                        })
                        .collect(),
                },
            )?;
        }
        if tail.needs_newline {
            // Terminate the last line in place: a fragment becomes a line of
            // its own (named below), or a whole event gets its lost newline.
            let seg = tail
                .segment
                .as_ref()
                .expect("a torn line sits in a segment");
            let mut f = fs_err::OpenOptions::new().append(true).open(&seg.path)?;
            f.write_all(b"\n")?;
            f.sync_data()?;
            chain.segment_len += 1;
        }
        for fragment in std::mem::take(&mut tail.fragments) {
            let segment = tail.segment.as_ref().map_or(1, |s| s.number);
            let repair = NewEvent::new(
                "log.repaired",
                StreamRef {
                    kind: "writer".into(),
                    id: writer_id.clone(),
                },
                system_actor(),
                json!({
                    "segment": segment_name(segment),
                    "line": fragment.line,
                    "bytes": fragment.bytes.len(),
                    "sha256": crate::fsutil::sha256_tagged(&fragment.bytes),
                    "reason": "a write cut off by a crash; the fragment is kept, not extended",
                }),
            );
            chain.push(repair, true);
        }
        // A new chain of a forked writer opens with the record of the fork
        // (from writer.json, so it is written even if the command that
        // forked was cut short).
        if let (None, Some(from)) = (&tail.last, &state.file.forked_from) {
            let from_tail = chain_tail::load(&events_dir, from, &[])?;
            let notice = NewEvent::new(
                "writer.forked_from",
                StreamRef {
                    kind: "writer".into(),
                    id: writer_id.clone(),
                },
                system_actor(),
                json!({
                    "from": from,
                    "from_seq": from_tail.last.as_ref().map_or(0, |e| e.seq),
                    "reason": state.file.fork_reason.clone().unwrap_or_default(),
                    "previous_fingerprint": state.file.previous_fingerprint,
                    "fingerprint": state.file.fingerprint,
                }),
            );
            chain.push(notice, false);
        }
        report.housekeeping = chain.pending.clone();

        let needs_index = guard.is_some() || events.iter().any(|e| e.idempotency_key.is_some());
        let index = if needs_index {
            Some(Index::open_locked(self)?)
        } else {
            None
        };
        // First settle replays: an event whose key is already recorded (in
        // the log, or earlier in this call) answers with the first event.
        let mut replays = Vec::new();
        for new in &events {
            if let (Some(key), Some(index)) = (&new.idempotency_key, &index)
                && let Some(event) = index.event_by_key(&events_dir, key)?
            {
                replays.push(Some(Appended { event, new: false }));
            } else {
                replays.push(None);
            }
        }
        let any_new = replays.iter().any(Option::is_none);
        if any_new
            && let (Some(guard), Some(index)) = (guard, &index)
            && let Some(instead) = guard(index)?
        {
            report.blocked = Some(chain.push(instead, false));
            chain.write()?;
            return Ok(report);
        }
        for (new, replay) in events.into_iter().zip(replays) {
            if let Some(appended) = replay {
                report.results.push(appended);
                continue;
            }
            if let Some(key) = &new.idempotency_key
                && let Some(existing) = chain.pending_with_key(key)
            {
                report.results.push(Appended {
                    event: existing,
                    new: false,
                });
                continue;
            }
            let event = chain.push(new, false);
            report.results.push(Appended { event, new: true });
        }
        chain.write()?;
        Ok(report)
    }
}

/// New lines being linked onto a chain, and where they will go.
struct Chain<'a> {
    store: &'a Store,
    writer: String,
    seq: u64,
    prev: Option<String>,
    last_ms: i64,
    /// The last event's id: ids rise with seq even within one millisecond.
    last_id: Option<ulid::Ulid>,
    segment: u32,
    segment_len: u64,
    pending: Vec<Event>,
    /// The stored form of each pending event.
    lines: Vec<Vec<u8>>,
    /// Segment each pending line goes to.
    placement: Vec<u32>,
    /// The head record as it was read, to replace after the write.
    recorded: Option<Head>,
}

impl<'a> Chain<'a> {
    fn new(store: &'a Store, writer: &str, tail: &ChainTail, recorded: Option<Head>) -> Self {
        let (segment, segment_len) = match &tail.segment {
            Some(SegmentFile { number, len, .. }) => (*number, *len),
            None => (1, 0),
        };
        Chain {
            store,
            writer: writer.to_string(),
            seq: tail.next_seq(),
            prev: tail.last.as_ref().map(|e| e.hash.clone()),
            last_ms: tail.last_ms(),
            last_id: tail
                .last
                .as_ref()
                .and_then(|e| e.id.strip_prefix("evt_"))
                .and_then(|u| ulid::Ulid::from_string(u).ok()),
            segment,
            segment_len,
            pending: Vec::new(),
            lines: Vec::new(),
            placement: Vec::new(),
            recorded,
        }
    }

    fn pending_with_key(&self, key: &str) -> Option<Event> {
        self.pending
            .iter()
            .find(|e| e.idempotency_key.as_deref() == Some(key))
            .cloned()
    }

    /// Link one event; `pin` keeps it in the current segment whatever its
    /// size (a repair event stays beside the fragment it names).
    fn push(&mut self, new: NewEvent, pin: bool) -> Event {
        // `ts` never goes backwards within a writer.
        let ms = clock::now_ms().max(self.last_ms);
        let context = format!("{}:{}", self.writer, self.seq);
        // Queries sort by `(ts, id)`: within one millisecond (an import, a
        // frozen test clock) the id must still rise with seq, or the chain
        // would read back shuffled. Monotonic ULIDs: the previous id plus one.
        let mut id = clock::ulid_at(ms, &context);
        if let Some(prev) = self.last_id
            && prev.timestamp_ms() == id.timestamp_ms()
            && id <= prev
        {
            id = prev.increment().unwrap_or(id);
        }
        self.last_id = Some(id);
        let mut event = Event {
            v: ENVELOPE_VERSION,
            id: format!("evt_{id}"),
            seq: self.seq,
            ts: clock::format_ms(ms),
            writer: self.writer.clone(),
            actor: new.actor,
            kind: new.kind,
            stream: new.stream,
            correlation_id: new.correlation_id,
            causation_id: new.causation_id,
            idempotency_key: new.idempotency_key,
            provenance: new.provenance,
            data: new.data,
            prev: self.prev.clone(),
            hash: String::new(),
        };
        let line = event.seal();
        let line_len = line.len() as u64 + 1;
        if !pin
            && self.segment_len > 0
            && self.segment_len + line_len > self.store.segment_max_bytes()
        {
            self.segment += 1;
            self.segment_len = 0;
        }
        self.segment_len += line_len;
        self.seq += 1;
        self.last_ms = ms;
        self.prev = Some(event.hash.clone());
        self.pending.push(event.clone());
        self.lines.push(line);
        self.placement.push(self.segment);
        event
    }

    /// Write every pending line, then record the new end in the head
    /// record (also when nothing was pending, so a store from before the
    /// record, or one whose record fell behind in a crash, gets it).
    fn write(self) -> Result<()> {
        if !self.pending.is_empty() {
            self.write_lines()?;
        }
        let now = Head {
            writer: self.writer.clone(),
            seq: self.seq - 1,
            hash: self.prev.clone(),
            repairing: Vec::new(),
        };
        if self.recorded.as_ref() != Some(&now) {
            // The lines are already durable: a record that fails to be
            // written only stays behind, which is harmless, so the append
            // still succeeds (reporting a failure would invite a retry that
            // appends twice).
            let _ = head::record(&self.store.head_file(), &now);
        }
        Ok(())
    }

    /// Every pending line, one write and one fsync per segment.
    fn write_lines(&self) -> Result<()> {
        let dir = self.store.writer_dir(&self.writer);
        if !dir.exists() {
            fs_err::create_dir_all(&dir)?;
            // The new writer folder must survive a crash as much as its lines.
            sync_dir(&self.store.events_dir());
        }
        // Every segment this call touched and its length before: a failure
        // anywhere cuts all of them back, since nothing was acknowledged.
        let mut touched: Vec<(std::path::PathBuf, u64)> = Vec::new();
        let mut i = 0;
        while i < self.pending.len() {
            let segment = self.placement[i];
            let mut buf = Vec::new();
            while i < self.pending.len() && self.placement[i] == segment {
                buf.extend_from_slice(&self.lines[i]);
                buf.push(b'\n');
                i += 1;
            }
            let path = dir.join(segment_name(segment));
            let result = append_synced(&path, &buf, &dir, &mut touched);
            if let Err(e) = result {
                for (path, before) in &touched {
                    if let Ok(f) = std::fs::OpenOptions::new().write(true).open(path) {
                        let _ = f.set_len(*before);
                        let _ = f.sync_data();
                    }
                }
                return Err(
                    Error::io(format!("could not append to {}: {e}", path.display()))
                        .hint("free disk space and retry; nothing was written")
                        .caused_by(e),
                );
            }
        }
        Ok(())
    }
}

/// Refuse to append after a damaged end: more lines would bury it.
fn refuse_damage(
    store: &Store,
    writer: &str,
    tail: &ChainTail,
    recorded: Option<&Head>,
) -> Result<()> {
    let (place, message) = if let Some(d) = &tail.damage {
        (
            format!("{} line {}", d.file.display(), d.line),
            d.message.clone(),
        )
    } else if let Some(message) = recorded.and_then(|h| {
        head::damage(
            h,
            tail.last.as_ref().map_or(0, |e| e.seq),
            tail.last.as_ref().map(|e| e.hash.as_str()),
        )
    }) {
        (store.writer_dir(writer).display().to_string(), message)
    } else {
        return Ok(());
    };
    Err(Error::integrity(format!(
        "this clone's event chain is damaged, so nothing more is appended to it: {place}: {message}"
    ))
    .hint(DAMAGE_HINT))
}

/// What to do about a damaged chain: said the same way by every refusal.
pub const DAMAGE_HINT: &str = "nothing was written; a person runs `codexa doctor` to see how to recover (`codexa events verify` names the damage)";

/// Append `buf` to `path` and fsync, noting the file's prior length.
fn append_synced(
    path: &std::path::Path,
    buf: &[u8],
    dir: &std::path::Path,
    touched: &mut Vec<(std::path::PathBuf, u64)>,
) -> std::io::Result<()> {
    let existed = path.exists();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    touched.push((path.to_path_buf(), f.metadata()?.len()));
    f.write_all(buf)?;
    f.sync_data()?;
    if !existed {
        sync_dir(dir);
    }
    Ok(())
}
