//! `codexa analyze runs` as text.

use codexa::Result;
use codexa::cli::analytics::WindowArgs;
use codexa::cli::{Ctx, ExitStatus};

use super::super::{duration, open, window, window_text};
use super::{n, spread, table, tally};

pub fn runs(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let r = db.runs(&window(w)?)?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&r).map(|()| ExitStatus::Success);
    }
    p.line(&format!(
        "Runs, {}: {} created",
        window_text(&r.window),
        r.created
    ))?;
    if r.created > 0 {
        p.line(&format!("  status:     {}", tally(&r.by_status)))?;
        p.line(&format!("  queue wait: {}", spread(&r.queue_wait_ms)))?;
        p.line(&format!("  run time:   {}", spread(&r.run_ms)))?;
        p.line(&format!(
            "  leases:     {} expired without a heartbeat, on {} run(s)",
            r.lease_expiries, r.runs_with_expiries
        ))?;
    }
    if !r.days.is_empty() {
        table(
            p,
            &["day", "created", "completed", "failed", "cancelled"],
            &r.days,
            |d| {
                vec![
                    d.day.clone(),
                    n(d.created),
                    n(d.completed),
                    n(d.failed),
                    n(d.cancelled),
                ]
            },
        )?;
    }
    if !r.failure_reasons.is_empty() {
        table(p, &["failure reason", "runs"], &r.failure_reasons, |f| {
            vec![f.reason.clone(), n(f.runs)]
        })?;
    }
    p.line("")?;
    p.line(&format!(
        "Incidents: {} opened, {} still open",
        r.incidents_opened,
        r.open_incidents.len()
    ))?;
    if !r.open_incidents.is_empty() {
        let rows: Vec<Vec<String>> = r
            .open_incidents
            .iter()
            .map(|i| {
                vec![
                    i.incident_id.clone(),
                    i.severity.clone(),
                    i.run_id.clone().unwrap_or_else(|| "-".into()),
                    duration(Some(i.age_ms as f64)),
                    i.title.clone(),
                ]
            })
            .collect();
        p.table(&["incident", "severity", "run", "age", "title"], &rows)?;
    }
    Ok(ExitStatus::Success)
}
