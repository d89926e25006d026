//! The end of a writer's chain: what the next append links to, and whether a
//! crash left a torn (unterminated) last line.
//!
//! Only the last few kilobytes of the last segment are read, so the cost of
//! an append does not grow with the log.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::Result;
use crate::store::event::Event;
use crate::store::segment::{self, SegmentFile};

/// A line a crash left without its newline.
#[derive(Debug, Clone)]
pub struct TornLine {
    pub segment: SegmentFile,
    /// 1-based line number of the fragment in its segment.
    pub line: u64,
    pub bytes: Vec<u8>,
    /// True when the fragment already ends in a newline (a repair that was
    /// interrupted after terminating it) and only the repair event is due.
    pub terminated: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ChainTail {
    /// The last complete event, if any.
    pub last: Option<Event>,
    /// The segment new lines go to (the last one), if any exists.
    pub segment: Option<SegmentFile>,
    pub torn: Option<TornLine>,
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
    let segments = segment::list_writer(events_dir, writer)?;
    let mut tail = ChainTail {
        segment: segments.last().cloned(),
        ..ChainTail::default()
    };
    if let Some(seg) = segments.last()
        && seg.len > 0
    {
        let bytes = read_last_bytes(&seg.path, seg.len, 64 * 1024)?;
        if bytes.last() != Some(&b'\n') {
            let whole = fs_err::read(&seg.path)?;
            let start = whole.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let line = whole[..start].iter().filter(|b| **b == b'\n').count() as u64 + 1;
            tail.torn = Some(TornLine {
                segment: seg.clone(),
                line,
                bytes: whole[start..].to_vec(),
                terminated: false,
            });
        } else if let Some(torn) = unparseable_last_line(seg, &bytes)? {
            tail.torn = Some(torn);
        }
    }
    // The last parseable line, looking back through segments if the last
    // one holds only a fragment.
    for seg in segments.iter().rev() {
        if seg.len == 0 {
            continue;
        }
        if let Some(event) = last_event_in(&seg.path, seg.len)? {
            tail.last = Some(event);
            break;
        }
    }
    Ok(tail)
}

/// A terminated last line that is not an event and not yet named by a repair
/// event (the repair was interrupted between its two writes).
fn unparseable_last_line(seg: &SegmentFile, window: &[u8]) -> Result<Option<TornLine>> {
    let body = &window[..window.len() - 1];
    let start = body.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    if start == 0 && (window.len() as u64) < seg.len {
        return Ok(None); // a line longer than the window: not a fragment
    }
    let last = &body[start..];
    if serde_json::from_slice::<Event>(last).is_ok() {
        return Ok(None);
    }
    let whole = fs_err::read(&seg.path)?;
    let line = whole.iter().filter(|b| **b == b'\n').count() as u64;
    Ok(Some(TornLine {
        segment: seg.clone(),
        line,
        bytes: last.to_vec(),
        terminated: true,
    }))
}

fn read_last_bytes(path: &Path, len: u64, want: u64) -> Result<Vec<u8>> {
    let mut f = fs_err::File::open(path)?;
    let start = len.saturating_sub(want);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    f.by_ref().take(len - start).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The last complete line of a segment that parses as an event. Reads a
/// growing window from the end until one complete line fits.
fn last_event_in(path: &Path, len: u64) -> Result<Option<Event>> {
    let mut want = 64 * 1024;
    loop {
        let bytes = read_last_bytes(path, len, want)?;
        let whole_file = want >= len;
        // Complete lines only: drop an unterminated tail.
        let end = match bytes.iter().rposition(|b| *b == b'\n') {
            Some(p) => p,
            None if whole_file => return Ok(None),
            None => {
                want *= 4;
                continue;
            }
        };
        let mut lines: Vec<&[u8]> = bytes[..end].split(|b| *b == b'\n').collect();
        // Without the whole file the first piece may be a partial line.
        let first_is_partial = !whole_file;
        while let Some(line) = lines.pop() {
            if lines.is_empty() && first_is_partial {
                break;
            }
            if let Ok(event) = serde_json::from_slice::<Event>(line) {
                return Ok(Some(event));
            }
        }
        if whole_file {
            return Ok(None);
        }
        want *= 4;
    }
}
