//! Daily snapshots (`codexa snapshot`): the day's figures written to
//! `.codexa/reports/snapshots/<date>.json`, tracked with the code, so trends
//! survive however the log is later shared or trimmed; `codexa analyze
//! trend` reads them back.
//!
//! A snapshot is a function of the log up to the end of its day: taking it
//! again the same day rewrites the same file with the figures so far (and
//! leaves the file untouched when they have not changed).
//!
//! The format only grows: every field added later has a default, so a
//! snapshot written before it still reads.

pub mod agents;
pub mod trust;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Analytics;
use super::reports::{Window, count};
use codexa::error::{Error, Result};
use codexa::workspace::Workspace;

/// Where snapshots go, relative to the work tree.
pub const SNAPSHOTS_DIR: &str = ".codexa/reports/snapshots";

/// What happened on the day.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Day {
    pub events: u64,
    pub messages: u64,
    pub actors: u64,
    pub approvals_requested: u64,
    pub approvals_answered: u64,
    /// Gate decisions by decision.
    pub policy: BTreeMap<String, u64>,
    pub governance_blocks: u64,
    /// Trigger jobs requested that day, by outcome.
    pub triggers: BTreeMap<String, u64>,
    pub agent_sessions: u64,
    pub discover_runs: u64,
}

/// Where things stood at the end of the day.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    pub events: u64,
    pub messages: u64,
    pub threads: u64,
    pub open_threads: u64,
    /// Approvals still pending or held.
    pub approvals_waiting: u64,
    /// The latest whole-repository discover run, if any.
    pub files: Option<u64>,
    pub code: Option<u64>,
    pub hotspots: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    pub date: String,
    pub day: Day,
    pub totals: Totals,
    /// Each agent's figures and trust levels, by name.
    #[serde(default)]
    pub agents: BTreeMap<String, agents::Agent>,
}

/// The first instant of `date` and of the day after, as envelope times.
fn day_bounds(date: &str) -> Result<(String, String)> {
    let d: jiff::civil::Date = date
        .parse()
        .map_err(|_| Error::user(format!("`{date}` is not a date")).hint("use YYYY-MM-DD"))?;
    let next = d
        .tomorrow()
        .map_err(|_| Error::user(format!("`{date}` has no next day")))?;
    Ok((
        format!("{d}T00:00:00.000Z"),
        format!("{next}T00:00:00.000Z"),
    ))
}

impl Analytics {
    /// The figures of `date` (YYYY-MM-DD, UTC); the agents' come from
    /// their trust ledgers in `ws`.
    pub fn snapshot(&self, ws: &Workspace, date: &str) -> Result<Snapshot> {
        let (start, end) = day_bounds(date)?;
        let span = (
            codexa::clock::parse_ms(&start).unwrap_or(0),
            codexa::clock::parse_ms(&end).unwrap_or(i64::MAX),
        );
        let day = Window {
            since: Some(start),
            until: Some(end.clone()),
        };
        let upto = Window {
            since: None,
            until: Some(end),
        };
        let pairs = |sql: String| -> Result<BTreeMap<String, u64>> {
            Ok(self
                .rows(&sql, |r| Ok((r.get::<_, String>(0)?, count(r, 1)?)))?
                .into_iter()
                .collect())
        };
        let d = day.sql("ts");
        let figures = self.rows(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE type = 'message.posted'), \
                        count(DISTINCT actor_kind || ':' || actor_id), \
                        count(*) FILTER (WHERE type = 'approval.requested'), \
                        count(*) FILTER (WHERE type = 'governance.blocked'), \
                        count(*) FILTER (WHERE type = 'discover.completed'), \
                        count(DISTINCT stream_id) FILTER (WHERE type LIKE 'agent.%') \
                 FROM events WHERE {d}"
            ),
            |r| {
                Ok([
                    count(r, 0)?,
                    count(r, 1)?,
                    count(r, 2)?,
                    count(r, 3)?,
                    count(r, 4)?,
                    count(r, 5)?,
                    count(r, 6)?,
                ])
            },
        )?;
        let [events, messages, actors, requested, blocks, runs, sessions] =
            figures.first().copied().unwrap_or_default();
        let answered = self.count(&format!(
            "SELECT count(*) FROM approvals WHERE {}",
            day.sql("answered_at")
        ))?;
        let u = upto.sql("ts");
        let totals = self.rows(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE type = 'message.posted') FROM events WHERE {u}"
            ),
            |r| Ok([count(r, 0)?, count(r, 1)?]),
        )?;
        let [all_events, all_messages] = totals.first().copied().unwrap_or_default();
        let threads = self.rows(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE closed_at IS NULL OR NOT ({})) \
                 FROM threads WHERE {}",
                upto.sql("closed_at"),
                upto.sql("created_at")
            ),
            |r| Ok([count(r, 0)?, count(r, 1)?]),
        )?;
        let [all_threads, open_threads] = threads.first().copied().unwrap_or_default();
        // As `analyze approvals` counts them: pending or held now.
        let waiting = self.count(&format!(
            "SELECT count(*) FROM approvals WHERE {} AND status IN ('pending', 'held')",
            upto.sql("requested_at")
        ))?;
        let latest = self.rows(
            &format!(
                "SELECT files, code, CAST(to_json(hotspots) AS VARCHAR) FROM discover_runs \
                 WHERE scope = 'repository' AND {u} ORDER BY ts DESC, event_id DESC LIMIT 1"
            ),
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )?;
        let (files, code, hotspots) = latest.into_iter().next().unwrap_or_default();
        Ok(Snapshot {
            date: date.to_string(),
            day: Day {
                events,
                messages,
                actors,
                approvals_requested: requested,
                approvals_answered: answered.max(0) as u64,
                policy: pairs(format!(
                    "SELECT coalesce(decision, '?'), count(*) FROM policy_decisions WHERE {d} GROUP BY ALL"
                ))?,
                governance_blocks: blocks,
                triggers: pairs(format!(
                    "SELECT outcome, count(*) FROM triggers WHERE {} GROUP BY ALL",
                    day.sql("requested_at")
                ))?,
                agent_sessions: sessions,
                discover_runs: runs,
            },
            totals: Totals {
                events: all_events,
                messages: all_messages,
                threads: all_threads,
                open_threads,
                approvals_waiting: waiting.max(0) as u64,
                files: files.map(|f| f.max(0) as u64),
                code: code.map(|c| c.max(0) as u64),
                hotspots: hotspots
                    .and_then(|h| serde_json::from_str::<Vec<String>>(&h).ok())
                    .map(|mut h| {
                        h.truncate(10);
                        h
                    })
                    .unwrap_or_default(),
            },
            agents: agents::all(ws, span)?,
        })
    }
}

/// The file of one day's snapshot.
pub fn path(workdir: &Path, date: &str) -> PathBuf {
    workdir.join(SNAPSHOTS_DIR).join(format!("{date}.json"))
}

/// Write `snap`; false when the file already held exactly this.
pub fn write(workdir: &Path, snap: &Snapshot) -> Result<bool> {
    let path = path(workdir, &snap.date);
    let mut text = serde_json::to_string_pretty(snap)
        .map_err(|e| Error::io(format!("cannot encode the snapshot: {e}")))?;
    text.push('\n');
    codexa::fsutil::write_if_changed(&path, text.as_bytes())
}

/// The snapshots of the days `window` touches, oldest first: snapshots
/// are per day, so only the dates of `--since` and `--until` count.
pub fn read_window(workdir: &Path, window: &Window) -> Result<Vec<Snapshot>> {
    let day = |t: &Option<String>| t.as_deref().map(|s| s[..10].to_string());
    read_all(
        workdir,
        day(&window.since).as_deref(),
        day(&window.until).as_deref(),
    )
}

/// Every snapshot on disk between `since` and `until` (dates, inclusive of
/// `since`, exclusive of `until`), oldest first. A file that does not parse
/// is an error naming it.
pub fn read_all(workdir: &Path, since: Option<&str>, until: Option<&str>) -> Result<Vec<Snapshot>> {
    let dir = workdir.join(SNAPSHOTS_DIR);
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.len() == "YYYY-MM-DD.json".len()
                    && n.ends_with(".json")
                    && n[..10].parse::<jiff::civil::Date>().is_ok()
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let date = &name[..10];
        if since.is_some_and(|s| date < s) || until.is_some_and(|u| date >= u) {
            continue;
        }
        let file = dir.join(&name);
        let text = fs_err::read_to_string(&file)?;
        let snap: Snapshot = serde_json::from_str(&text).map_err(|e| {
            Error::user(format!("{} line {}: {e}", file.display(), e.line()))
                .hint("fix the file, or delete it and run `codexa snapshot` on that day again")
        })?;
        out.push(snap);
    }
    Ok(out)
}
