//! The governance report (`codexa report governance`): who asked for what
//! and who answered, what the gate refused, when the kill switch stopped
//! something, what the guards blocked, and whether the log's chains
//! verify — filled from the views and rendered with the template
//! `governance.md.j2` (overridable in `.codexa/templates/`).
//!
//! Publishing writes `.codexa/reports/governance-<date>.md` atomically and
//! appends `report.published` with the file's hash (and the hash of the
//! bytes it replaced, when the day's file changes). The report depends only
//! on governance events in its window and on whether the log verifies
//! (never on a message posted since, nor on earlier publications), so
//! publishing twice from the same inputs on the same day writes the same
//! bytes and records nothing: the file already holds them and the newest
//! publication of that path says so. A file written by a publication that
//! crashed before its event is recorded on the next try.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use super::Analytics;
use super::reports::{Window, ts_text};
use codexa::error::Result;
use codexa::store::verify::{self, DirSource};
use codexa::store::{NewEvent, Store, StreamRef};
use codexa::workspace::Workspace;

/// Where published reports go, relative to the work tree.
pub const REPORTS_DIR: &str = ".codexa/reports";
/// The template the report is rendered from.
pub const TEMPLATE: &str = "governance.md.j2";
/// The event a publication appends.
pub const PUBLISHED: &str = "report.published";

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub decision: String,
    pub by: String,
    pub at: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalLine {
    pub approval_id: String,
    pub kind: String,
    pub action: String,
    pub subject: String,
    pub requested_by: String,
    pub requested_at: String,
    pub reason: Option<String>,
    pub status: String,
    pub decisions: Vec<Decision>,
}

/// A decision of the gate (a denial, or one the kill switch forced).
#[derive(Debug, Clone, Serialize)]
pub struct GateLine {
    pub ts: String,
    pub action: String,
    pub subject: Option<String>,
    pub actor: String,
    pub zone: Option<String>,
    pub reason_code: String,
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockLine {
    pub ts: String,
    pub action: String,
    pub participant: String,
    pub reason_code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chain {
    pub ok: bool,
    pub writers: usize,
    pub faults: Vec<verify::Fault>,
}

/// Everything the template gets.
#[derive(Debug, Clone, Serialize)]
pub struct Governance {
    /// The day of the report (UTC), as in its file name.
    pub date: String,
    pub window: Window,
    /// The newest governance event the report covers.
    pub through: Option<String>,
    pub approvals: Vec<ApprovalLine>,
    /// Requests by status (approved, denied, held, pending, expired).
    pub approval_status: std::collections::BTreeMap<String, usize>,
    pub denials: Vec<GateLine>,
    pub kill_switch: Vec<GateLine>,
    pub blocks: Vec<BlockLine>,
    pub decisions: u64,
    pub chain: Chain,
}

impl Analytics {
    fn gate_lines(&self, condition: &str, window: &Window) -> Result<Vec<GateLine>> {
        self.rows(
            &format!(
                "SELECT {}, coalesce(action, '?'), subject, coalesce(actor, '?'), zone, \
                        coalesce(reason_code, '?'), rule \
                 FROM policy_decisions WHERE {condition} AND {} ORDER BY ts, event_id",
                ts_text("ts"),
                window.sql("ts")
            ),
            |r| {
                Ok(GateLine {
                    ts: r.get(0)?,
                    action: r.get(1)?,
                    subject: r.get(2)?,
                    actor: r.get(3)?,
                    zone: r.get(4)?,
                    reason_code: r.get(5)?,
                    rule: r.get(6)?,
                })
            },
        )
    }

    /// The report's figures over `window`, with the chain's verification.
    pub fn governance(&self, store: &Store, window: &Window, date: &str) -> Result<Governance> {
        let from = format!("approvals WHERE {}", window.sql("requested_at"));
        let mut approvals = self.rows(
            &format!(
                "SELECT approval_id, kind, coalesce(action, ''), coalesce(subject, ''), \
                        coalesce(requested_by, ''), {}, reason, status \
                 FROM {from} ORDER BY requested_at, approval_id",
                ts_text("requested_at")
            ),
            |r| {
                Ok(ApprovalLine {
                    approval_id: r.get(0)?,
                    kind: r.get(1)?,
                    action: r.get(2)?,
                    subject: r.get(3)?,
                    requested_by: r.get(4)?,
                    requested_at: r.get(5)?,
                    reason: r.get(6)?,
                    status: r.get(7)?,
                    decisions: Vec::new(),
                })
            },
        )?;
        let decided = self.rows(
            &format!(
                "SELECT stream_id, data->>'decision', coalesce(data->>'by', actor_id), {}, \
                        data->>'reason' \
                 FROM events WHERE type = 'approval.decided' AND stream_type = 'approval' \
                   AND data->>'decision' IN ('approve', 'deny', 'hold') AND {} \
                 ORDER BY ts, id",
                ts_text("ts"),
                Window {
                    since: None,
                    until: window.until.clone()
                }
                .sql("ts")
            ),
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Decision {
                        decision: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        by: r.get(2)?,
                        at: r.get(3)?,
                        reason: r.get(4)?,
                    },
                ))
            },
        )?;
        for (id, d) in decided {
            if let Some(a) = approvals.iter_mut().find(|a| a.approval_id == id) {
                a.decisions.push(d);
            }
        }
        let blocks = self.rows(
            &format!(
                "SELECT {}, coalesce(action, '?'), coalesce(participant, '?'), \
                        coalesce(reason_code, '?'), coalesce(message, '') \
                 FROM governance_blocks WHERE {} ORDER BY ts, event_id",
                ts_text("ts"),
                window.sql("ts")
            ),
            |r| {
                Ok(BlockLine {
                    ts: r.get(0)?,
                    action: r.get(1)?,
                    participant: r.get(2)?,
                    reason_code: r.get(3)?,
                    message: r.get(4)?,
                })
            },
        )?;
        let through = self
            .rows(
                &format!(
                    "SELECT {} FROM events WHERE (type LIKE 'approval.%' OR type = 'policy.evaluated' \
                     OR type = 'governance.blocked') AND {} ORDER BY ts DESC LIMIT 1",
                    ts_text("ts"),
                    window.sql("ts")
                ),
                |r| r.get::<_, String>(0),
            )?
            .pop();
        let decisions = self.count(&format!(
            "SELECT count(*) FROM policy_decisions WHERE {}",
            window.sql("ts")
        ))?;
        let mut approval_status = std::collections::BTreeMap::new();
        for a in &approvals {
            *approval_status.entry(a.status.clone()).or_insert(0) += 1;
        }
        Ok(Governance {
            date: date.to_string(),
            window: window.clone(),
            through,
            approvals,
            approval_status,
            denials: self.gate_lines("decision = 'deny'", window)?,
            kill_switch: self.gate_lines(
                &format!(
                    "reason_code = '{}'",
                    codexa::domain::policy::KILL_SWITCH_REASON
                ),
                window,
            )?,
            blocks,
            decisions: decisions.max(0) as u64,
            chain: chain(store)?,
        })
    }
}

/// Verify every chain as `codexa events verify` does.
fn chain(store: &Store) -> Result<Chain> {
    if !store.exists() {
        return Ok(Chain {
            ok: true,
            writers: 0,
            faults: Vec::new(),
        });
    }
    let source = DirSource::new(store)?;
    let mut report = verify::verify(&source, &|_| {})?;
    verify::check_local(store, &source, &mut report)?;
    Ok(Chain {
        ok: report.ok,
        writers: report.writers.len(),
        faults: report.faults,
    })
}

/// Render the report with the project's template (or the built-in one).
pub fn render(store: &Store, report: &Governance) -> Result<String> {
    codexa::templates::render(&store.workdir, TEMPLATE, report)
}

/// What publishing did.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// Relative to the work tree.
    pub path: String,
    pub sha256: String,
    /// False when this very report was already published.
    pub new: bool,
    pub event_id: String,
}

/// The file a report of `date` is published to.
pub fn report_path(date: &str) -> String {
    format!("{REPORTS_DIR}/governance-{date}.md")
}

/// Write the report and record it. The file is written (atomically) only
/// when its bytes differ; the event is appended once per path and hash.
pub fn publish(
    ws: &Workspace,
    actor: codexa::store::Actor,
    report: &Governance,
    markdown: &str,
) -> Result<Published> {
    let rel = report_path(&report.date);
    let path: PathBuf = ws.store.workdir.join(&rel);
    let bytes = markdown.as_bytes();
    let sha256 = codexa::fsutil::sha256_tagged(bytes);
    let latest = latest_publication(ws, &rel)?;
    let before = std::fs::read(&path).ok();
    // Already published: the file holds these bytes and the newest
    // publication of the path says so.
    if before.as_deref() == Some(bytes)
        && let Some(e) = latest
            .as_ref()
            .filter(|e| e.data["sha256"] == sha256.as_str())
    {
        return Ok(Published {
            path: rel,
            sha256,
            new: false,
            event_id: e.id.clone(),
        });
    }
    // The day's file holds the day's latest publication; the event says
    // which bytes it replaced (commit the reports to keep every version).
    let replaces = before
        .as_deref()
        .filter(|old| *old != bytes)
        .map(codexa::fsutil::sha256_tagged);
    if before.as_deref() != Some(bytes) {
        codexa::fsutil::write_atomic(&path, bytes)?;
    }
    let mut event = NewEvent::new(
        PUBLISHED,
        StreamRef {
            kind: "report".into(),
            id: "governance".into(),
        },
        actor,
        json!({
            "report": "governance",
            "path": rel,
            "sha256": sha256,
            "since": report.window.since,
            "until": report.window.until,
            "chain_ok": report.chain.ok,
            "replaces": replaces,
        }),
    );
    // Two publications of the same change at once record it once: the key
    // names the bytes and the publication they follow.
    event.idempotency_key = Some(format!(
        "report.governance:{rel}:{sha256}:after:{}",
        latest.as_ref().map_or("-", |e| e.id.as_str())
    ));
    let appended = ws.append(vec![event])?;
    let first = appended.results.into_iter().next();
    Ok(Published {
        path: rel,
        sha256,
        new: first.as_ref().is_some_and(|a| a.new),
        event_id: first.map(|a| a.event.id).unwrap_or_default(),
    })
}

/// The newest `report.published` of `rel`, if any.
fn latest_publication(ws: &Workspace, rel: &str) -> Result<Option<codexa::store::Event>> {
    if !ws.store.exists() {
        return Ok(None);
    }
    let index = codexa::store::index::Index::open(&ws.store)?;
    let events = index.events(
        &ws.store.events_dir(),
        &codexa::store::index::Filter {
            kind: Some(PUBLISHED.into()),
            stream_type: Some("report".into()),
            stream_id: Some("governance".into()),
            ..codexa::store::index::Filter::default()
        },
        None,
        false,
    )?;
    Ok(events.into_iter().rev().find(|e| e.data["path"] == rel))
}
