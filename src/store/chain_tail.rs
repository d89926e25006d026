//! The end of a writer's chain: what the next append links to, what a
//! crash left behind, and whether the end was damaged.
//!
//! Normally only the last few kilobytes of the last segment are read, so the
//! cost of an append does not grow with the log: the last line must be a
//! whole event whose hash recomputes and which links to the line before it.
//! Anything else reads the whole segment and sorts out what it holds:
//!
//! - a last line without its newline is a write cut off by a crash: a
//!   fragment to repair (or, when it is a whole linked event that lost only
//!   its newline, that event);
//! - a complete line that is not an event is damage, unless the head record
//!   names it as a fragment a repair was terminating when it was cut short;
//! - a last event whose hash does not recompute, or which does not link to
//!   the event before it, is damage.
//!
//! Damage is reported, never repaired: appending after it would bury it.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::store::event::{Event, recompute_line_hash};
use crate::store::head::PendingRepair;
use crate::store::segment::{self, SegmentFile};

/// A line that is not an event, after the chain's last event.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// 1-based line number in its segment.
    pub line: u64,
    pub bytes: Vec<u8>,
}

/// Why the end of a chain cannot be appended to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub file: PathBuf,
    /// 1-based line number (0: the file as a whole).
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct ChainTail {
    /// The last complete event, if any.
    pub last: Option<Event>,
    /// The segment new lines go to (the last one), if any exists.
    pub segment: Option<SegmentFile>,
    /// Unnamed fragments after `last`, in order.
    pub fragments: Vec<Fragment>,
    /// The segment ends without a newline: one must be written before
    /// anything else (terminating a fragment, or an event whose newline
    /// never made it to disk).
    pub needs_newline: bool,
    /// Set when the end of the chain is damaged rather than torn.
    pub damage: Option<Damage>,
}

impl ChainTail {
    pub fn next_seq(&self) -> u64 {
        self.last.as_ref().map_or(1, |e| e.seq + 1)
    }

    pub fn last_ms(&self) -> i64 {
        self.last
            .as_ref()
            .and_then(|e| crate::clock::parse_ms(&e.ts))
            .unwrap_or(i64::MIN)
    }
}

/// Read the tail of `writer`'s chain. `repairing` lists the fragments an
/// interrupted repair had started terminating (from the head record).
pub fn load(events_dir: &Path, writer: &str, repairing: &[PendingRepair]) -> Result<ChainTail> {
    let numbers = segment::numbers(events_dir, writer)?;
    let mut tail = ChainTail::default();
    // Only the last non-empty segment matters (an empty one after it is a
    // rollover cut short by a crash); earlier ones are never even stat'ed.
    let mut last_seg = None;
    for n in numbers.iter().rev() {
        let seg = segment::stat(events_dir, writer, *n)?;
        if tail.segment.is_none() {
            tail.segment = Some(seg.clone());
        }
        if seg.len > 0 {
            last_seg = Some(seg);
            break;
        }
    }
    let Some(last_seg) = last_seg else {
        return Ok(tail);
    };
    let last_seg = &last_seg;
    // The common case: the segment ends with a whole, sound event. A few
    // kilobytes hold the last two lines of nearly every log (one `read`
    // rather than four on every append); a longer last line is looked for
    // in a wider window, where the line before it may be cut off (and its
    // link then goes unchecked, as it would for any line that long).
    for (want, prev_required) in [(8 * 1024, true), (64 * 1024, false)] {
        let window = read_last_bytes(&last_seg.path, last_seg.len, want)?;
        let whole_file = window.len() as u64 == last_seg.len;
        if let Some((event, prev_checked)) = sound_last_line(&window, whole_file)
            && (prev_checked || !prev_required)
        {
            tail.last = Some(event);
            return Ok(tail);
        }
        if whole_file {
            break;
        }
    }
    // Otherwise read the whole segment and sort out its end.
    let whole = fs_err::read(&last_seg.path)?;
    let terminated = whole.last() == Some(&b'\n');
    let body = if terminated {
        &whole[..whole.len() - 1]
    } else {
        &whole[..]
    };
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    // Whatever follows goes beside the damage, in this segment.
    tail.segment = Some(last_seg.clone());
    tail.needs_newline = !terminated;
    let segment_name = segment::segment_name(last_seg.number);
    let damage = |line: usize, message: &str| Damage {
        file: last_seg.path.clone(),
        line: line as u64 + 1,
        message: message.to_string(),
    };
    let mut complete = lines.len();
    let mut fragments = Vec::new();
    if !terminated {
        // The torn last line: a fragment, or a whole event that lost only
        // its newline, which is adopted when it links.
        complete -= 1;
        let torn = lines[complete];
        if let Ok(event) = serde_json::from_slice::<Event>(torn) {
            let before = event_before(
                events_dir,
                writer,
                &numbers,
                last_seg.number,
                &lines[..complete],
            )?;
            if hash_sound(torn, &event) && links(&event, before.as_ref()) {
                tail.last = Some(event);
                return Ok(tail);
            }
        }
        fragments.push(Fragment {
            line: complete as u64 + 1,
            bytes: torn.to_vec(),
        });
    }
    // Complete lines after the last event: only fragments a cut-short
    // repair vouches for.
    let mut found = None;
    for i in (0..complete).rev() {
        if let Ok(event) = serde_json::from_slice::<Event>(lines[i]) {
            found = Some((i, event));
            break;
        }
        let vouched = repairing.iter().any(|r| {
            r.segment == segment_name
                && r.line == i as u64 + 1
                && r.sha256 == crate::fsutil::sha256_tagged(lines[i])
        });
        if !vouched {
            tail.damage = Some(damage(
                i,
                "a complete line (it ends with a newline) that is not an event: not a write cut off by a crash, but damage or a line written by something other than codexa",
            ));
            return Ok(tail);
        }
        fragments.push(Fragment {
            line: i as u64 + 1,
            bytes: lines[i].to_vec(),
        });
    }
    fragments.reverse();
    tail.fragments = fragments;
    match found {
        Some((i, event)) => {
            if !hash_sound(lines[i], &event) {
                tail.damage = Some(damage(
                    i,
                    "the last event's hash does not match its content (altered)",
                ));
                return Ok(tail);
            }
            let before = event_before(events_dir, writer, &numbers, last_seg.number, &lines[..i])?;
            if !links(&event, before.as_ref()) {
                tail.damage = Some(damage(
                    i,
                    "the last event does not follow the one before it (its seq or prev does not link)",
                ));
                return Ok(tail);
            }
            tail.last = Some(event);
        }
        None => tail.last = last_event_before(events_dir, writer, &numbers, last_seg.number)?,
    }
    Ok(tail)
}

/// The fast path: the window ends with a whole line that is an event whose
/// hash recomputes and, when the line before it is in the window and is an
/// event, follows that one. `None` sends the caller to the full reading.
/// With whether the line before it was whole in `window` and so checked
/// (or there is none).
fn sound_last_line(window: &[u8], window_is_file: bool) -> Option<(Event, bool)> {
    let body = window.strip_suffix(b"\n")?;
    let start = body.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    if start == 0 && !window_is_file {
        return None;
    }
    let line = &body[start..];
    let event = serde_json::from_slice::<Event>(line).ok()?;
    if !hash_sound(line, &event) {
        return None;
    }
    if start == 0 {
        return Some((event, true));
    }
    let prev_body = &body[..start - 1];
    let prev_start = prev_body
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let prev_whole = prev_start > 0 || window_is_file;
    if prev_whole
        && let Ok(prev) = serde_json::from_slice::<Event>(&prev_body[prev_start..])
        && !links(&event, Some(&prev))
    {
        return None;
    }
    Some((event, prev_whole))
}

/// The last event before the lines `earlier` end: in them, else in the
/// segments before `number`.
fn event_before(
    events_dir: &Path,
    writer: &str,
    numbers: &[u32],
    number: u32,
    earlier: &[&[u8]],
) -> Result<Option<Event>> {
    match earlier
        .iter()
        .rev()
        .find_map(|l| serde_json::from_slice::<Event>(l).ok())
    {
        Some(e) => Ok(Some(e)),
        None => last_event_before(events_dir, writer, numbers, number),
    }
}

/// Does `event` continue the chain after `before` (its seq and prev; the
/// hash of its own line is `hash_sound`'s)?
fn links(event: &Event, before: Option<&Event>) -> bool {
    let (seq, prev) = match before {
        Some(b) => (b.seq + 1, Some(b.hash.as_str())),
        None => (1, None),
    };
    event.seq == seq && event.prev.as_deref() == prev
}

/// Does `line` hash to what its `event` says?
fn hash_sound(line: &[u8], event: &Event) -> bool {
    recompute_line_hash(line).as_deref() == Some(event.hash.as_str())
}

/// The last event in the segments before `number`.
fn last_event_before(
    events_dir: &Path,
    writer: &str,
    numbers: &[u32],
    number: u32,
) -> Result<Option<Event>> {
    for n in numbers.iter().rev().filter(|n| **n < number) {
        let whole = fs_err::read(events_dir.join(writer).join(segment::segment_name(*n)))?;
        if let Some(e) = whole
            .split(|b| *b == b'\n')
            .rev()
            .find_map(|l| serde_json::from_slice::<Event>(l).ok())
        {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

fn read_last_bytes(path: &Path, len: u64, want: u64) -> Result<Vec<u8>> {
    let mut f = fs_err::File::open(path)?;
    let start = len.saturating_sub(want);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    f.by_ref().take(len - start).read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, StreamRef};

    /// A chain of `n` sealed events of writer `wr_t`, as stored lines.
    fn chain(n: u64) -> Vec<Vec<u8>> {
        padded_chain(n, 0)
    }

    /// `chain`, each event carrying `pad` more bytes of data.
    fn padded_chain(n: u64, pad: usize) -> Vec<Vec<u8>> {
        let mut prev = None;
        (1..=n)
            .map(|seq| {
                let mut e = Event {
                    v: 1,
                    id: format!("evt_01JC00000000000000000000{seq:02}"),
                    seq,
                    ts: "2026-01-01T00:00:00.000Z".into(),
                    writer: "wr_t".into(),
                    actor: Actor::parse("user:alice").unwrap(),
                    kind: "note.added".into(),
                    stream: StreamRef::parse("note:n").unwrap(),
                    correlation_id: None,
                    causation_id: None,
                    idempotency_key: None,
                    provenance: None,
                    data: if pad == 0 {
                        serde_json::json!({"seq": seq})
                    } else {
                        serde_json::json!({"seq": seq, "pad": "x".repeat(pad)})
                    },
                    prev: prev.clone(),
                    hash: String::new(),
                };
                let line = e.seal();
                prev = Some(e.hash);
                line
            })
            .collect()
    }

    fn store_with(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let events = tmp.path().join("events");
        std::fs::create_dir_all(events.join("wr_t")).unwrap();
        std::fs::write(events.join("wr_t").join("000001.jsonl"), bytes).unwrap();
        (tmp, events)
    }

    fn joined(lines: &[Vec<u8>]) -> Vec<u8> {
        lines
            .iter()
            .flat_map(|l| l.iter().copied().chain([b'\n']))
            .collect()
    }

    #[test]
    fn a_sound_end_is_read_from_the_window() {
        let (_t, events) = store_with(&joined(&chain(3)));
        let tail = load(&events, "wr_t", &[]).unwrap();
        assert_eq!(tail.last.unwrap().seq, 3);
        assert!(tail.damage.is_none() && tail.fragments.is_empty() && !tail.needs_newline);
    }

    #[test]
    fn a_line_without_its_newline_is_a_fragment_a_complete_one_is_damage() {
        let lines = chain(3);
        let mut torn = joined(&lines[..2]);
        torn.extend_from_slice(&lines[2][..20]);
        let (_t, events) = store_with(&torn);
        let tail = load(&events, "wr_t", &[]).unwrap();
        assert!(tail.damage.is_none());
        assert_eq!(tail.last.unwrap().seq, 2);
        assert_eq!(tail.fragments.len(), 1);
        assert!(tail.needs_newline);

        torn.push(b'\n');
        let (_t, events) = store_with(&torn);
        let tail = load(&events, "wr_t", &[]).unwrap();
        let damage = tail.damage.unwrap();
        assert_eq!(damage.line, 3);
        assert!(
            damage.message.contains("complete line"),
            "{}",
            damage.message
        );

        // Unless a cut-short repair named it before terminating it.
        let vouched = PendingRepair {
            segment: "000001.jsonl".into(),
            line: 3,
            sha256: crate::fsutil::sha256_tagged(&lines[2][..20]),
        };
        let tail = load(&events, "wr_t", &[vouched]).unwrap();
        assert!(tail.damage.is_none());
        assert_eq!(tail.fragments.len(), 1);
        assert_eq!(tail.last.unwrap().seq, 2);
    }

    #[test]
    fn an_altered_or_unlinked_last_event_is_damage() {
        let lines = chain(3);
        let mut altered = lines.clone();
        let text = String::from_utf8(altered[2].clone()).unwrap();
        altered[2] = text.replace(r#"{"seq":3}"#, r#"{"seq":9}"#).into_bytes();
        let (_t, events) = store_with(&joined(&altered));
        let damage = load(&events, "wr_t", &[]).unwrap().damage.unwrap();
        assert_eq!(damage.line, 3);
        assert!(damage.message.contains("hash"), "{}", damage.message);

        // Line 2 dropped: line 3 is sound on its own but does not follow.
        let (_t, events) = store_with(&joined(&[lines[0].clone(), lines[2].clone()]));
        let damage = load(&events, "wr_t", &[]).unwrap().damage.unwrap();
        assert_eq!(damage.line, 2);
        assert!(damage.message.contains("link"), "{}", damage.message);
    }

    #[test]
    fn lines_longer_than_the_first_window_are_still_linked() {
        // Two lines do not fit in the first few kilobytes read: the wider
        // window still finds the end sound, and still sees a missing line.
        let lines = padded_chain(3, 6 * 1024);
        let (_t, events) = store_with(&joined(&lines));
        let tail = load(&events, "wr_t", &[]).unwrap();
        assert_eq!(tail.last.unwrap().seq, 3);
        assert!(tail.damage.is_none());

        let (_t, events) = store_with(&joined(&[lines[0].clone(), lines[2].clone()]));
        let damage = load(&events, "wr_t", &[]).unwrap().damage.unwrap();
        assert!(damage.message.contains("link"), "{}", damage.message);
    }
}
