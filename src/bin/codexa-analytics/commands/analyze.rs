//! `codexa analyze REPORT`: the built-in reports, as text or JSON.

mod runs;
mod trust;

use std::collections::BTreeMap;

use crate::analytics::reports::Spread;
use crate::analytics::snapshot;
use codexa::Result;
use codexa::cli::ui::Printer;

use super::{duration, open, window, window_text};
use codexa::cli::analytics::{AnalyzeCommand, WindowArgs};
use codexa::cli::{Ctx, ExitStatus};

pub fn run(ctx: &Ctx, command: AnalyzeCommand) -> Result<ExitStatus> {
    match command {
        AnalyzeCommand::Activity(w) => activity(ctx, &w),
        AnalyzeCommand::Triggers(w) => triggers(ctx, &w),
        AnalyzeCommand::Approvals(w) => approvals(ctx, &w),
        AnalyzeCommand::Policy(w) => policy(ctx, &w),
        AnalyzeCommand::Discover(w) => discover(ctx, &w),
        AnalyzeCommand::Runs(w) => runs::runs(ctx, &w),
        AnalyzeCommand::Trend(w) => trend(ctx, &w),
        AnalyzeCommand::Trust(w) => trust::trust(ctx, &w),
    }
}

fn n(v: u64) -> String {
    v.to_string()
}

/// Counts as `3 delivered, 1 failed`.
fn tally(counts: &BTreeMap<String, u64>) -> String {
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    parts.join(", ")
}

/// A table set off by a blank line, one row per item.
fn table<T>(
    p: &Printer,
    header: &[&str],
    items: &[T],
    row: impl Fn(&T) -> Vec<String>,
) -> Result<()> {
    p.line("")?;
    p.table(header, &items.iter().map(row).collect::<Vec<_>>())
}

/// `p50 12.0 s, p95 40.3 s, max 58.0 s (n=14)`.
fn spread(s: &Spread) -> String {
    if s.count == 0 {
        return "no data".into();
    }
    format!(
        "p50 {}, p95 {}, max {} (n={})",
        duration(s.p50),
        duration(s.p95),
        duration(s.max),
        s.count
    )
}

fn activity(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let report = db.activity(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&report).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Activity, {}: {} events, {} messages, {} actors over {} day(s)",
        window_text(&report.window),
        report.events,
        report.messages,
        report.actors,
        report.days
    ))?;
    if report.rows.is_empty() {
        return Ok(ExitStatus::Success);
    }
    table(
        p,
        &["day", "actor", "events", "messages"],
        &report.rows,
        |r| vec![r.day.clone(), r.actor.clone(), n(r.events), n(r.messages)],
    )?;
    Ok(ExitStatus::Success)
}

fn triggers(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let r = db.triggers(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&r).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Triggers, {}: {} job(s)",
        window_text(&r.window),
        r.jobs
    ))?;
    if r.jobs == 0 {
        return Ok(ExitStatus::Success);
    }
    p.line(&format!("  outcomes:   {}", tally(&r.outcomes)))?;
    p.line(&format!(
        "  fallback:   {} delivered through `codex exec resume`",
        r.fell_back
    ))?;
    p.line(&format!(
        "  deferred:   {} job(s) waited for a quiet pane ({} re-checks)",
        r.deferred_jobs, r.deferrals
    ))?;
    p.line(&format!("  defer time: {}", spread(&r.defer_ms)))?;
    p.line(&format!("  latency:    {}", spread(&r.latency_ms)))?;
    if !r.reasons.is_empty() {
        let reasons: Vec<String> = r.reasons.iter().map(|(k, v)| format!("{k} {v}")).collect();
        p.line(&format!("  reasons:    {}", reasons.join(", ")))?;
    }
    table(
        p,
        &["target", "jobs", "delivered", "fell back", "failed"],
        &r.targets,
        |t| {
            vec![
                t.target.clone(),
                n(t.jobs),
                n(t.delivered),
                n(t.fell_back),
                n(t.failed),
            ]
        },
    )?;
    Ok(ExitStatus::Success)
}

fn approvals(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let r = db.approvals(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&r).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Approvals, {}: {} requested",
        window_text(&r.window),
        r.requested
    ))?;
    if r.requested == 0 {
        return Ok(ExitStatus::Success);
    }
    p.line(&format!("  status:     {}", tally(&r.by_status)))?;
    p.line(&format!("  turnaround: {}", spread(&r.turnaround_ms)))?;
    table(
        p,
        &["kind", "requested", "approved", "denied", "waiting"],
        &r.by_kind,
        |k| {
            vec![
                k.kind.clone(),
                n(k.requested),
                n(k.approved),
                n(k.denied),
                n(k.waiting),
            ]
        },
    )?;
    if !r.waiting.is_empty() {
        p.line("")?;
        p.line("Waiting for a decision, oldest first:")?;
        let rows: Vec<Vec<String>> = r
            .waiting
            .iter()
            .map(|a| {
                vec![
                    a.approval_id.clone(),
                    a.kind.clone(),
                    a.action.clone(),
                    a.subject.clone(),
                    a.requested_by.clone(),
                    a.status.clone(),
                    duration(Some(a.age_ms as f64)),
                ]
            })
            .collect();
        p.table(
            &[
                "approval",
                "kind",
                "action",
                "subject",
                "requested by",
                "status",
                "age",
            ],
            &rows,
        )?;
    }
    Ok(ExitStatus::Success)
}

fn policy(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let r = db.policy(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&r).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Policy, {}: {} decision(s){}",
        window_text(&r.window),
        r.decisions,
        if r.by_decision.is_empty() {
            String::new()
        } else {
            format!(" ({})", tally(&r.by_decision))
        }
    ))?;
    p.line(&format!(
        "  kill switch: {} action(s) stopped",
        r.kill_switch
    ))?;
    p.line(&format!(
        "  approvals:   {} allowed by an approval",
        r.approved
    ))?;
    p.line(&format!(
        "  blocks:      {}",
        if r.blocks.is_empty() {
            "none".to_string()
        } else {
            tally(&r.blocks)
        }
    ))?;
    if !r.reasons.is_empty() {
        table(p, &["decision", "reason", "count"], &r.reasons, |x| {
            vec![x.decision.clone(), x.reason_code.clone(), n(x.count)]
        })?;
    }
    Ok(ExitStatus::Success)
}

fn discover(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let r = db.discover(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&r).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Discover, {}: {} run(s)",
        window_text(&r.window),
        r.runs.len()
    ))?;
    if r.runs.is_empty() {
        p.status("run `codexa discover` to map the repository");
        return Ok(ExitStatus::Success);
    }
    let rows: Vec<Vec<String>> = r
        .runs
        .iter()
        .map(|x| {
            vec![
                x.ts.clone(),
                x.head
                    .as_deref()
                    .map(|h| h.chars().take(10).collect())
                    .unwrap_or_else(|| "-".into()),
                n(x.files),
                n(x.code),
                n(x.commits),
                n(x.zones),
                n(x.cached_files),
                n(x.total_ms),
            ]
        })
        .collect();
    p.line("")?;
    p.table(
        &[
            "run", "head", "files", "code", "commits", "zones", "cached", "ms",
        ],
        &rows,
    )?;
    let m = &r.hotspots;
    if let (Some(from), Some(to)) = (&m.from, &m.to) {
        p.line("")?;
        p.line(&format!(
            "Hotspots from {from} to {to}: {} entered, {} left, {} moved, {} unchanged",
            m.entered.len(),
            m.left.len(),
            m.moved.len(),
            m.unchanged
        ))?;
        for e in &m.entered {
            p.line(&format!("  + #{:<3} {}", e.rank, e.path))?;
        }
        for e in &m.moved {
            let arrow = if e.to < e.from { "↑" } else { "↓" };
            p.line(&format!(
                "  {arrow} #{:<3} {} (was #{})",
                e.to, e.path, e.from
            ))?;
        }
        for e in &m.left {
            p.line(&format!("  - was #{:<3} {}", e.rank, e.path))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// What the snapshot reports say when there is none in the window.
fn no_snapshots(p: &Printer) -> Result<ExitStatus> {
    p.line("No snapshots yet.")?;
    p.status(
        "`codexa snapshot` records the day's figures; run it daily (cron, CI) to build a trend",
    );
    Ok(ExitStatus::Success)
}

fn trend(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let snaps = snapshot::read_window(&ctx.store()?.workdir, &window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&snaps).map(|()| ExitStatus::Success);
    }
    if snaps.is_empty() {
        return no_snapshots(p);
    }
    let opt = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |x| x.to_string());
    let rows: Vec<Vec<String>> = snaps
        .iter()
        .map(|s| {
            vec![
                s.date.clone(),
                n(s.day.events),
                n(s.day.messages),
                n(s.day.actors),
                n(s.day.policy.get("deny").copied().unwrap_or(0)),
                n(s.day.governance_blocks),
                n(s.day.triggers.get("delivered").copied().unwrap_or(0)),
                n(s.totals.approvals_waiting),
                n(s.totals.open_threads),
                opt(s.totals.code),
            ]
        })
        .collect();
    p.table(
        &[
            "date",
            "events",
            "messages",
            "actors",
            "denied",
            "blocked",
            "woken",
            "waiting",
            "open threads",
            "code",
        ],
        &rows,
    )?;
    Ok(ExitStatus::Success)
}
