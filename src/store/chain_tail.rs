//! The end of a writer's chain: what the next append links to, and what a
//! crash left behind.
//!
//! Normally only the last few kilobytes of the last segment are read, so the
//! cost of an append does not grow with the log. When the segment does not
//! end in a complete event (a crash mid-write, or a crash during an earlier
//! repair) the whole segment is read and every trailing non-event line is
//! reported, so each can be named by its own `log.repaired` event.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::Result;
use crate::store::event::{Event, recompute_line_hash};
use crate::store::segment::{self, SegmentFile};

/// A line that is not an event, after the chain's last event.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// 1-based line number in its segment.
    pub line: u64,
    pub bytes: Vec<u8>,
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

/// Read the tail of `writer`'s chain.
pub fn load(events_dir: &Path, writer: &str) -> Result<ChainTail> {
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
    // The common case: the segment ends with a complete event.
    let window = read_last_bytes(&last_seg.path, last_seg.len, 64 * 1024)?;
    if window.last() == Some(&b'\n') {
        let body = &window[..window.len() - 1];
        let start = body.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let whole_line = start > 0 || window.len() as u64 == last_seg.len;
        if whole_line && let Ok(event) = serde_json::from_slice::<Event>(&body[start..]) {
            tail.last = Some(event);
            return Ok(tail);
        }
    }
    // Otherwise read the whole segment and walk back over non-event lines.
    let whole = fs_err::read(&last_seg.path)?;
    let terminated = whole.last() == Some(&b'\n');
    let body = if terminated {
        &whole[..whole.len() - 1]
    } else {
        &whole[..]
    };
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let mut fragments = Vec::new();
    let mut found = None;
    for (i, line) in lines.iter().enumerate().rev() {
        if let Ok(event) = serde_json::from_slice::<Event>(line) {
            found = Some((i, event));
            break;
        }
        fragments.push(Fragment {
            line: i as u64 + 1,
            bytes: line.to_vec(),
        });
    }
    fragments.reverse();
    // Whatever follows goes beside the damage, in this segment.
    tail.segment = Some(last_seg.clone());
    tail.needs_newline = !terminated;
    match found {
        Some((i, event)) => {
            // A whole event whose newline was lost is adopted, not repaired:
            // it is the last line, complete, and links to the one before.
            if !terminated && i + 1 == lines.len() {
                let before = lines[..i]
                    .iter()
                    .rev()
                    .find_map(|l| serde_json::from_slice::<Event>(l).ok())
                    .or(last_event_before(
                        events_dir,
                        writer,
                        &numbers,
                        last_seg.number,
                    )?);
                if links(&event, before.as_ref(), lines[i]) {
                    tail.last = Some(event);
                    tail.fragments = fragments;
                    return Ok(tail);
                }
                tail.fragments = vec![Fragment {
                    line: i as u64 + 1,
                    bytes: lines[i].to_vec(),
                }];
                tail.last = before;
                return Ok(tail);
            }
            tail.last = Some(event);
        }
        None => tail.last = last_event_before(events_dir, writer, &numbers, last_seg.number)?,
    }
    tail.fragments = fragments;
    Ok(tail)
}

/// Does `event` (stored as `line`) continue the chain after `before`?
fn links(event: &Event, before: Option<&Event>, line: &[u8]) -> bool {
    let (seq, prev) = match before {
        Some(b) => (b.seq + 1, Some(b.hash.as_str())),
        None => (1, None),
    };
    event.seq == seq
        && event.prev.as_deref() == prev
        && recompute_line_hash(line).as_deref() == Some(event.hash.as_str())
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
