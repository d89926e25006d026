//! Proving the log unaltered: every writer chain has gapless `seq` from 1,
//! each `prev` is the previous line's `hash`, each `hash` recomputes, ids are
//! unique, and the only non-event lines are crash fragments named by the
//! `log.repaired` event right after them.
//!
//! Lines codexa writes are RFC 8785 canonical JSON with `hash` right after
//! `data`, so the canonical form without `hash` is the line with that one
//! member cut out: the fast path hashes the line's own bytes around it, no
//! re-serialisation. Anything else (a line another tool wrote, a mismatch)
//! takes the general path: parse, drop `hash`, canonicalise, hash. Segments
//! are checked in parallel and linked afterwards.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::store::event::recompute_line_hash;
use crate::store::segment::segment_name;
use crate::store::view::LineView;

/// Where verification reads segments from: the store, or a git tree.
pub trait SegmentSource: Sync {
    fn writers(&self) -> Result<Vec<String>>;
    /// Segment numbers of a writer, in order.
    fn segments(&self, writer: &str) -> Result<Vec<u32>>;
    fn read(&self, writer: &str, number: u32) -> Result<Vec<u8>>;
    /// How a segment is named in messages (a path, or `REF:path`).
    fn label(&self, writer: &str, number: u32) -> String;
}

/// The segment files under a store's `events/`, each read up to the length
/// it had when the source was made (see `Store::stable_segments`).
pub struct DirSource {
    events_dir: std::path::PathBuf,
    files: std::collections::BTreeMap<String, std::collections::BTreeMap<u32, u64>>,
    /// This clone's head record, read with the lengths (see
    /// `Store::stable_segments_and_head`), or why it cannot be read.
    head: crate::store::head::Recorded,
}

impl DirSource {
    pub fn new(store: &crate::store::Store) -> Result<DirSource> {
        let mut files: std::collections::BTreeMap<String, std::collections::BTreeMap<u32, u64>> =
            Default::default();
        let (segments, head) = store.stable_segments_and_head()?;
        for seg in segments {
            files
                .entry(seg.writer)
                .or_default()
                .insert(seg.number, seg.len);
        }
        Ok(DirSource {
            events_dir: store.events_dir(),
            files,
            head,
        })
    }

    /// Total bytes to verify.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().flat_map(|s| s.values()).sum()
    }
}

impl SegmentSource for DirSource {
    fn writers(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }
    fn segments(&self, writer: &str) -> Result<Vec<u32>> {
        Ok(self.files[writer].keys().copied().collect())
    }
    fn read(&self, writer: &str, number: u32) -> Result<Vec<u8>> {
        use std::io::Read;
        let len = self.files[writer][&number];
        let mut buf = Vec::with_capacity(len as usize);
        fs_err::File::open(self.events_dir.join(writer).join(segment_name(number)))?
            .take(len)
            .read_to_end(&mut buf)?;
        Ok(buf)
    }
    fn label(&self, writer: &str, number: u32) -> String {
        self.events_dir
            .join(writer)
            .join(segment_name(number))
            .display()
            .to_string()
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fault {
    pub file: String,
    pub line: u64,
    pub writer: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WriterSummary {
    pub writer: String,
    pub segments: usize,
    pub events: u64,
    pub last_seq: u64,
    pub last_hash: Option<String>,
    pub repaired_fragments: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: u64,
    pub bytes: u64,
    pub writers: Vec<WriterSummary>,
    pub faults: Vec<Fault>,
    /// Writer folders that do not count (see `store::trust`); local store only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<String>,
}

#[derive(Deserialize)]
struct RepairData<'a> {
    #[serde(borrow)]
    segment: Cow<'a, str>,
    line: u64,
    #[serde(borrow)]
    sha256: Cow<'a, str>,
}

struct SegmentResult {
    number: u32,
    first: Option<(u64, Option<String>, u64)>,
    last: Option<(u64, String)>,
    ids: Vec<(u128, u64)>,
    events: u64,
    bytes: u64,
    repaired: u64,
    fault: Option<Fault>,
}

/// Verify every writer chain `source` holds.
pub fn verify(source: &dyn SegmentSource, progress: &(dyn Fn(u64) + Sync)) -> Result<VerifyReport> {
    let writers = source.writers()?;
    let mut jobs = Vec::new();
    for w in &writers {
        for n in source.segments(w)? {
            jobs.push((w.clone(), n));
        }
    }
    let results: Vec<Result<(String, SegmentResult)>> = jobs
        .par_iter()
        .map(|(w, n)| {
            let bytes = source.read(w, *n)?;
            let r = check_segment(w, *n, &bytes, &source.label(w, *n));
            progress(bytes.len() as u64);
            Ok((w.clone(), r))
        })
        .collect();

    let mut report = VerifyReport {
        ok: true,
        events: 0,
        bytes: 0,
        writers: Vec::new(),
        faults: Vec::new(),
        foreign: Vec::new(),
    };
    let mut all_ids: Vec<(u128, String, u32, u64)> = Vec::new();
    let mut by_writer: std::collections::BTreeMap<String, Vec<SegmentResult>> = Default::default();
    for r in results {
        let (w, seg) = r?;
        by_writer.entry(w).or_default().push(seg);
    }
    for (writer, mut segs) in by_writer {
        segs.sort_by_key(|s| s.number);
        let mut summary = WriterSummary {
            writer: writer.clone(),
            segments: segs.len(),
            events: 0,
            last_seq: 0,
            last_hash: None,
            repaired_fragments: 0,
        };
        let mut writer_fault: Option<Fault> = None;
        for (i, seg) in segs.iter().enumerate() {
            let label = source.label(&writer, seg.number);
            summary.events += seg.events;
            summary.repaired_fragments += seg.repaired;
            report.bytes += seg.bytes;
            for (id, line) in &seg.ids {
                all_ids.push((*id, writer.clone(), seg.number, *line));
            }
            if writer_fault.is_some() {
                continue;
            }
            if seg.number as usize != i + 1 {
                writer_fault = Some(Fault {
                    file: label.clone(),
                    line: 0,
                    writer: writer.clone(),
                    message: format!(
                        "segment {} is missing before this one",
                        segment_name(i as u32 + 1)
                    ),
                });
                continue;
            }
            if let Some((seq, prev, line)) = &seg.first {
                let want_seq = summary.last_seq + 1;
                if *seq != want_seq {
                    writer_fault = Some(Fault {
                        file: label.clone(),
                        line: *line,
                        writer: writer.clone(),
                        message: format!(
                            "seq {seq} where {want_seq} was expected (a gap or a repeat)"
                        ),
                    });
                } else if *prev != summary.last_hash {
                    writer_fault = Some(Fault {
                        file: label.clone(),
                        line: *line,
                        writer: writer.clone(),
                        message: "prev does not match the hash of the previous event".into(),
                    });
                }
            }
            if writer_fault.is_none() {
                writer_fault = seg.fault.clone();
            }
            if let Some((seq, hash)) = &seg.last {
                summary.last_seq = *seq;
                summary.last_hash = Some(hash.clone());
            }
        }
        report.events += summary.events;
        report.faults.extend(writer_fault);
        report.writers.push(summary);
    }
    all_ids.sort_unstable();
    for pair in all_ids.windows(2) {
        if pair[0].0 == pair[1].0 {
            let (_, w, n, line) = &pair[1];
            report.faults.push(Fault {
                file: source.label(w, *n),
                line: *line,
                writer: w.clone(),
                message: format!(
                    "event id evt_{} is used twice (also in {} line {})",
                    ulid::Ulid(pair[0].0),
                    source.label(&pair[0].1, pair[0].2),
                    pair[0].3
                ),
            });
            break;
        }
    }
    report.faults.sort();
    report.ok = report.faults.is_empty();
    Ok(report)
}

fn check_segment(writer: &str, number: u32, bytes: &[u8], label: &str) -> SegmentResult {
    let mut r = SegmentResult {
        number,
        first: None,
        last: None,
        ids: Vec::new(),
        events: 0,
        bytes: bytes.len() as u64,
        repaired: 0,
        fault: None,
    };
    let fault = |line: u64, message: String| Fault {
        file: label.to_string(),
        line,
        writer: writer.to_string(),
        message,
    };
    let mut prev_hash: Option<String> = None;
    let mut prev_seq: Option<u64> = None;
    // Non-event lines not yet named by a repair event: (line, sha256).
    let mut fragments: Vec<(u64, String)> = Vec::new();
    let mut pos = 0usize;
    let mut line_no = 0u64;
    let mut digest_hex = [0u8; 64];
    let fault_found = 'scan: {
        while pos < bytes.len() {
            line_no += 1;
            let (line, next) = match memchr::memchr(b'\n', &bytes[pos..]) {
                Some(nl) => (&bytes[pos..pos + nl], pos + nl + 1),
                None => {
                    break 'scan Some(fault(
                        line_no,
                        "torn last line: a write was cut off (crash?); the next append repairs it"
                            .into(),
                    ));
                }
            };
            pos = next;
            let Some(view) = LineView::parse(line) else {
                fragments.push((line_no, crate::fsutil::sha256_tagged(line)));
                continue;
            };
            // A crash fragment must be named by a `log.repaired` event before
            // the chain goes on with anything else.
            let repaired = (view.kind == "log.repaired")
                .then(|| serde_json::from_str::<RepairData>(view.data.get()).ok())
                .flatten()
                .and_then(|d| {
                    fragments.iter().position(|(l, sha)| {
                        d.segment == segment_name(number) && d.line == *l && d.sha256 == *sha
                    })
                });
            match repaired {
                Some(i) => {
                    fragments.remove(i);
                    r.repaired += 1;
                }
                None if !fragments.is_empty() => {
                    break 'scan Some(fault(
                        fragments[0].0,
                        "line is not a valid event and no repair event names it (damaged or altered)"
                            .into(),
                    ));
                }
                None => {}
            }
            if view.writer != writer {
                break 'scan Some(fault(
                    line_no,
                    format!(
                        "event names writer {} but sits in {writer}'s chain",
                        view.writer
                    ),
                ));
            }
            if let Some(ps) = prev_seq {
                if view.seq != ps + 1 {
                    break 'scan Some(fault(
                        line_no,
                        format!(
                            "seq {} where {} was expected (a gap or a repeat)",
                            view.seq,
                            ps + 1
                        ),
                    ));
                }
                if view.prev != prev_hash.as_deref() {
                    break 'scan Some(fault(
                        line_no,
                        "prev does not match the hash of the previous event".into(),
                    ));
                }
            } else {
                r.first = Some((view.seq, view.prev.map(str::to_string), line_no));
            }
            if !hash_matches(line, &view, &mut digest_hex) {
                break 'scan Some(fault(
                    line_no,
                    "hash does not match the event's content (altered)".into(),
                ));
            }
            let Some(id) = view
                .id
                .strip_prefix("evt_")
                .and_then(|u| ulid::Ulid::from_string(u).ok())
            else {
                break 'scan Some(fault(
                    line_no,
                    format!("`{}` is not an evt_ULID id", view.id),
                ));
            };
            r.ids.push((id.0, line_no));
            r.events += 1;
            prev_seq = Some(view.seq);
            prev_hash = Some(view.hash.to_string());
        }
        if let Some((frag_line, _)) = fragments.first() {
            break 'scan Some(fault(
                *frag_line,
                "line is not a valid event and no repair event names it".into(),
            ));
        }
        None
    };
    r.fault = fault_found;
    if let (Some(seq), Some(hash)) = (prev_seq, prev_hash) {
        r.last = Some((seq, hash));
    }
    r
}

/// What only the local store can show, added to `report` (made from
/// `source`): this clone's chain against its head record as it stood when
/// the source was made (lines cut off the end, a deleted newest segment),
/// and foreign writer folders.
pub fn check_local(
    store: &crate::store::Store,
    source: &DirSource,
    report: &mut VerifyReport,
) -> Result<()> {
    use crate::store::{head, trust};
    let own = crate::store::writer::read(&store.writer_file())?;
    if let (Some(own), Err(why)) = (&own, &source.head) {
        report.faults.push(Fault {
            file: store.head_file().display().to_string(),
            line: 0,
            writer: own.writer.clone(),
            message: format!(
                "the head record {why}: the end of this clone's chain cannot be checked"
            ),
        });
    }
    if let Some(own) = own
        && let Ok(Some(recorded)) = &source.head
        && recorded.writer == own.writer
        && !report.faults.iter().any(|f| f.writer == own.writer)
    {
        let summary = report.writers.iter().find(|w| w.writer == own.writer);
        let last_seq = summary.map_or(0, |w| w.last_seq);
        let last_hash = summary.and_then(|w| w.last_hash.as_deref());
        if let Some(message) = head::damage(recorded, last_seq, last_hash) {
            report.faults.push(Fault {
                file: store.writer_dir(&own.writer).display().to_string(),
                line: 0,
                writer: own.writer.clone(),
                message,
            });
        }
    }
    report.foreign = trust::foreign_writers(store)?;
    for w in &report.foreign {
        report.faults.push(Fault {
            file: store.writer_dir(w).display().to_string(),
            line: 0,
            writer: w.clone(),
            message: format!(
                "foreign writer folder: not this clone's, not received through `codexa sync` (not on codexa/state) and not accepted, so its events are ignored; a person who knows where it came from accepts it with `codexa events accept {w}`"
            ),
        });
    }
    report.faults.sort();
    report.ok = report.faults.is_empty();
    Ok(())
}

/// Fast path first (hash the line around its `hash` member), then the
/// general recomputation.
fn hash_matches(line: &[u8], view: &LineView, hex_buf: &mut [u8; 64]) -> bool {
    let Some(expected) = view.hash.strip_prefix("sha256:") else {
        return false;
    };
    let data = view.data.get();
    let data_end = data.as_ptr() as usize - line.as_ptr() as usize + data.len();
    let member_len = ",\"hash\":\"\"".len() + view.hash.len();
    let tail = &line[data_end..];
    if tail.len() >= member_len
        && tail.starts_with(b",\"hash\":\"")
        && &tail[9..9 + view.hash.len()] == view.hash.as_bytes()
        && tail[member_len - 1] == b'"'
    {
        let digest = Sha256::new()
            .chain_update(&line[..data_end])
            .chain_update(&tail[member_len..])
            .finalize();
        if hex::encode_to_slice(digest, hex_buf).is_ok() && &hex_buf[..] == expected.as_bytes() {
            return true;
        }
    }
    recompute_line_hash(line).is_some_and(|h| h == view.hash)
}
