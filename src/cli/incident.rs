//! `codexa incident open|list|show|resolve`.

use crate::Result;
use crate::domain::incidents::{self, Incident, Opening};

use super::thread::speaker;
use super::{Ctx, ExitStatus};

/// Incidents: trouble a person should look at.
///
/// codexa opens one itself when a running run's lease runs out. Opening
/// with `--idempotency-key K` while an incident with that key is open
/// returns the open one (a monitor reporting the same trouble every
/// minute makes one incident). An agent resolves only incidents it opened
/// (exit 3 otherwise).
#[derive(clap::Subcommand, Debug)]
pub enum IncidentCommand {
    Open(OpenArgs),
    List(ListArgs),
    Show(ShowArgs),
    Resolve(ResolveArgs),
}

/// Open an incident. Prints its id.
#[derive(clap::Args, Debug)]
pub struct OpenArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long, value_parser = ["low", "medium", "high", "critical"])]
    pub severity: String,
    /// The run it concerns.
    #[arg(long)]
    pub run: Option<String>,
    /// While an incident with this key is open, return it instead.
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// What happened, in more words.
    #[arg(long)]
    pub detail: Option<String>,
}

/// List open incidents, oldest first.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Resolved ones too.
    #[arg(long)]
    pub all: bool,
}

/// One incident.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub id: String,
}

/// Resolve an open incident.
#[derive(clap::Args, Debug)]
pub struct ResolveArgs {
    pub id: String,
    /// What was done about it.
    #[arg(long)]
    pub resolution: Option<String>,
}

pub fn run(ctx: &Ctx, cmd: IncidentCommand) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    match cmd {
        IncidentCommand::Open(a) => {
            let opening = Opening {
                title: &a.title,
                severity: &a.severity,
                run: a.run.as_deref(),
                agent: None,
                key: a.idempotency_key.as_deref(),
                detail: a.detail.as_deref(),
            };
            let (incident, new) = incidents::open(&ws, &who, &opening)?;
            if ctx.printer.is_json() {
                ctx.printer
                    .json(&serde_json::json!({ "incident": incident, "new": new }))?;
            } else {
                ctx.printer.line(&incident.id)?;
                if !new {
                    ctx.printer.status(&format!(
                        "{} is already open with that key (since {})",
                        incident.id, incident.opened_at
                    ));
                }
            }
        }
        IncidentCommand::List(a) => {
            let list = incidents::list(&ws, a.all)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&list)?;
            } else if list.is_empty() {
                ctx.printer.status("no incidents");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.clone(),
                            i.status.to_string(),
                            i.severity.clone(),
                            i.run.clone().unwrap_or_else(|| "-".into()),
                            i.opened_at.clone(),
                            i.title.clone(),
                        ]
                    })
                    .collect();
                ctx.printer.table(
                    &["INCIDENT", "STATUS", "SEVERITY", "RUN", "OPENED", "TITLE"],
                    &rows,
                )?;
            }
        }
        IncidentCommand::Show(a) => print(ctx, &incidents::load(&ws, &a.id)?)?,
        IncidentCommand::Resolve(a) => print(
            ctx,
            &incidents::resolve(&ws, &who, &a.id, a.resolution.as_deref())?,
        )?,
    }
    Ok(ExitStatus::Success)
}

fn print(ctx: &Ctx, i: &Incident) -> Result<()> {
    if ctx.printer.is_json() {
        return ctx.printer.json(i);
    }
    let p = &ctx.printer;
    p.line(&format!("{}  \"{}\"", i.id, i.title))?;
    p.line(&format!("  status    {}", i.status))?;
    p.line(&format!("  severity  {}", i.severity))?;
    p.line(&format!("  opened    {} by {}", i.opened_at, i.opened_by))?;
    for (label, value) in [("run", &i.run), ("key", &i.key), ("detail", &i.detail)] {
        if let Some(v) = value {
            p.line(&format!("  {label:<9} {v}"))?;
        }
    }
    if let (Some(at), Some(by)) = (&i.resolved_at, &i.resolved_by) {
        p.line(&format!("  resolved  {at} by {by}"))?;
    }
    if let Some(r) = &i.resolution {
        p.line(&format!("  how       {r}"))?;
    }
    Ok(())
}
