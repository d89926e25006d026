//! `codexa doctor`.

use crate::config::{self, Finding, Status};
use crate::store::Store;
use crate::{Result, doctor};
use serde::Serialize;

use super::{Ctx, ExitStatus};
use crate::cli::ui::{BAD, OK, WARN};

/// Check config, policy, event chains and tools; print fixes.
///
/// Check everything codexa depends on and print one line per check, with a
/// command to paste for each problem. Exits 1 when any check is an error.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub only: Option<Only>,
}

#[derive(clap::Subcommand, Debug)]
pub enum Only {
    /// Resolve `extends:` layers, validate against the schema, and print the
    /// provenance (sha256 of every layer and of the resolved config).
    Config,
}

#[derive(Serialize)]
struct Report {
    ok: bool,
    findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<config::ConfigReport>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let store = Store::locate(&ctx.cwd).ok();
    let workdir = store
        .as_ref()
        .map(|s| s.workdir.clone())
        .unwrap_or_else(|| ctx.cwd.clone());
    let mut config_report = config::doctor_config(&workdir);
    let mut findings = std::mem::take(&mut config_report.findings);
    if args.only.is_none() {
        findings.extend(doctor::checks(&workdir, store.as_ref()));
    }
    let ok = !findings.iter().any(|f| f.status == Status::Error);
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&Report {
            ok,
            findings,
            config: Some(config_report),
        })?;
    } else {
        for f in &findings {
            let (style, word) = match f.status {
                Status::Ok => (OK, "ok   "),
                Status::Warn => (WARN, "warn "),
                Status::Error => (BAD, "error"),
            };
            let place = match (&f.file, f.line) {
                (Some(file), _) if f.message.contains(file.as_str()) => String::new(),
                (Some(file), Some(line)) => format!(" ({file}:{line})"),
                (Some(file), None) => format!(" ({file})"),
                _ => String::new(),
            };
            p.line(&format!(
                "{style}{word}{style:#} {:<16} {}{place}",
                f.check, f.message
            ))?;
            if let Some(fix) = &f.fix
                && f.status != Status::Ok
            {
                p.line(&format!("      fix: {fix}"))?;
            }
        }
        for layer in &config_report.layers {
            p.line(&format!("layer {} {}", layer.sha256, layer.path.display()))?;
        }
        if let Some(h) = &config_report.resolved_hash {
            p.line(&format!("resolved config {h}"))?;
        }
    }
    Ok(if ok {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
