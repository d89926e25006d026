//! `codexa sync`.

use crate::Result;

use super::{Ctx, ExitStatus};

/// Publish and merge the event log on the `codexa/state` branch.
///
/// Publish this clone's events on the `codexa/state` branch and merge other
/// clones' events from the remote's. Only that branch moves: the work tree,
/// your index, HEAD, hooks and code branches are never touched. Without a
/// remote, the branch is updated locally.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The git remote to share through (default: `sync.remote` in config,
    /// which defaults to `origin`).
    #[arg(long, value_name = "REMOTE")]
    pub remote: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    ws.require_initialized()?;
    let repo = ws.store.repo()?;
    let remote = match args.remote {
        Some(r) => Some(r),
        None => {
            let configured = ws.config.sync.remote.clone();
            if repo.find_remote(&configured).is_ok() {
                Some(configured)
            } else {
                ctx.printer.status(&format!(
                    "no remote `{configured}`: publishing codexa/state locally only"
                ));
                None
            }
        }
    };
    let report = crate::sync::sync(&ws.store, remote.as_deref())?;
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&report)?;
        return Ok(ExitStatus::Success);
    }
    let published: u64 = report.published.values().sum();
    match (&report.commit, report.committed) {
        (Some(c), true) => p.line(&format!(
            "codexa/state {}: {published} new event(s) published",
            &c[..12]
        ))?,
        (Some(c), false) => p.line(&format!("codexa/state {} is up to date", &c[..12]))?,
        (None, _) => p.line("nothing to publish yet")?,
    }
    if report.imported > 0 {
        p.line(&format!(
            "imported {} event(s) from other clones",
            report.imported
        ))?;
    }
    if let Some(r) = &report.remote {
        if report.pushed {
            p.line(&format!("pushed codexa/state to {r}"))?;
        } else {
            p.status(&format!("{r} already has this codexa/state"));
        }
    }
    if let Some(w) = &report.new_writer {
        p.warning(&format!(
            "this clone now writes as {w} (its old writer id was shared with a copy)"
        ));
    }
    for w in &report.withheld {
        p.warning(&format!(
            "not published: events/{w} is a foreign writer folder (not this clone's, not received through sync, not accepted); see `codexa events verify`"
        ));
    }
    for f in &report.forks {
        p.warning(&format!(
            "fork: {} differs on both sides ({} local bytes, {} remote); the remote's copy is kept at {}",
            f.path, f.local_bytes, f.remote_bytes, f.kept_as
        ));
    }
    Ok(ExitStatus::Success)
}
