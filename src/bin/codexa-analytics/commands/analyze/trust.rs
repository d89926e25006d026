//! `codexa analyze trust` as text: per agent, one row per snapshot with
//! the day's requests and a column per action and subject holding the
//! level, then the days a level moved.

use codexa::Result;
use codexa::cli::analytics::WindowArgs;
use codexa::cli::{Ctx, ExitStatus};

use crate::analytics::snapshot::agents::LevelRow;
use crate::analytics::snapshot::{self, trust::AgentTrend};

use super::super::{window, window_text};
use super::{n, no_snapshots, table};

/// `git.push origin/feature`, or the action alone.
fn scope(action: &str, subject: Option<&str>) -> String {
    match subject {
        Some(s) => format!("{action} {s}"),
        None => action.to_string(),
    }
}

fn label(l: &LevelRow) -> String {
    scope(&l.action, l.subject.as_deref())
}

pub fn trust(ctx: &Ctx, w: &WindowArgs) -> Result<ExitStatus> {
    let window = window(w)?;
    let snaps = snapshot::read_window(&ctx.store()?.workdir, &window)?;
    let t = snapshot::trust::trend(&window, &snaps);
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&t).map(|()| ExitStatus::Success);
    }
    if snaps.is_empty() {
        return no_snapshots(p);
    }
    p.line(&format!(
        "Trust, {}: {} agent(s) over {} snapshot(s)",
        window_text(&t.window),
        t.agents.len(),
        t.snapshots
    ))?;
    for a in &t.agents {
        agent(ctx, a)?;
    }
    Ok(ExitStatus::Success)
}

fn agent(ctx: &Ctx, a: &AgentTrend) -> Result<()> {
    let p = &ctx.printer;
    p.line("")?;
    p.line(&format!(
        "{}: {} asked, {} approved, {} denied, {} held, {} policy denial(s), {} incident(s)",
        a.agent,
        a.total.approvals_asked,
        a.total.approved,
        a.total.denied,
        a.total.held,
        a.total.policy_denials,
        a.total.incidents
    ))?;
    // One column per action and subject any day holds, in the order
    // first seen.
    let mut scopes: Vec<String> = Vec::new();
    for d in &a.days {
        for l in &d.levels {
            let s = label(l);
            if !scopes.contains(&s) {
                scopes.push(s);
            }
        }
    }
    let mut header = vec![
        "date",
        "asked",
        "approved",
        "denied",
        "held",
        "policy denied",
        "incidents",
    ];
    header.extend(scopes.iter().map(String::as_str));
    table(p, &header, &a.days, |d| {
        let mut row = vec![
            d.date.clone(),
            n(d.day.approvals_asked),
            n(d.day.approved),
            n(d.day.denied),
            n(d.day.held),
            n(d.day.policy_denials),
            n(d.day.incidents),
        ];
        row.extend(scopes.iter().map(|s| {
            d.levels
                .iter()
                .find(|l| label(l) == *s)
                .map_or_else(|| "-".to_string(), |l| l.tier.clone())
        }));
        row
    })?;
    for c in &a.changes {
        p.line(&format!(
            "  {}  {}: {} → {}",
            c.date,
            scope(&c.action, c.subject.as_deref()),
            c.from,
            c.to
        ))?;
    }
    Ok(())
}
