//! `codexa discover`: map the repository and write the manifests. The work
//! is `crate::discover::run`; this draws the progress bar and prints the
//! summary and what changed since the last run.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::Result;
use crate::discover::run::{self, Options, Progress, Summary};

use super::{Ctx, ExitStatus};

/// Map the repository: languages and lines (tokei's counts), complexity,
/// git churn and co-change coupling, components and their purpose,
/// hotspots and change zones; writes .codexa/manifests/ and records
/// `discover.completed`. The same commit and config write the same bytes.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Look deeper at one folder or file (functions, coupling partners):
    /// writes .codexa/manifests/focus/<path>.md and leaves the rest alone.
    #[arg(long, value_name = "PATH")]
    pub focus: Option<String>,
    /// The config file to use instead of .codexa/config.yaml; it must be
    /// the repository's own.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// An indicatif bar on a terminal's stderr, nothing elsewhere.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name.to_string());
    }
    fn tick(&self, done: u64) {
        self.0.set_position(done);
    }
    fn done(&self) {
        self.0.finish_and_clear();
    }
}

fn bar(ctx: &Ctx) -> Bar {
    if ctx.printer.quiet || !std::io::stderr().is_terminal() {
        return Bar(indicatif::ProgressBar::hidden());
    }
    let b = indicatif::ProgressBar::new(0);
    b.set_style(
        indicatif::ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    Bar(b)
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let ws = ctx.workspace()?;
    if let Some(cfg) = &args.config {
        let own = ws.store.workdir.join(".codexa/config.yaml");
        let same = cfg
            .canonicalize()
            .ok()
            .is_some_and(|c| own.canonicalize().ok() == Some(c));
        if !same {
            return Err(crate::Error::user(format!(
                "--config {}: discover reads the repository's .codexa/config.yaml (with its `extends:` layers)",
                cfg.display()
            ))
            .hint("put shared settings in a layer named by `extends:` in .codexa/config.yaml"));
        }
    }
    let progress = bar(ctx);
    let summary = run::run(&ws, &Options { focus: args.focus }, &progress)?;
    if ctx.printer.is_json() {
        ctx.printer.json(&summary)?;
    } else {
        print(ctx, &summary)?;
    }
    Ok(ExitStatus::Success)
}

fn print(ctx: &Ctx, s: &Summary) -> Result<()> {
    let p = &ctx.printer;
    let head = s
        .head
        .as_deref()
        .map(|h| &h[..h.len().min(12)])
        .unwrap_or("no commits");
    p.line(&format!(
        "{} files, {} lines of code, {} commits read, {} components, {} hotspots, {} zones (at {head})",
        s.files,
        s.code,
        s.commits,
        s.components,
        s.hotspots.len(),
        s.zones.len()
    ))?;
    let written: Vec<&str> = s
        .outputs
        .iter()
        .filter(|o| o.changed)
        .map(|o| o.path.as_str())
        .collect();
    if written.is_empty() {
        p.line("manifests unchanged")?;
    } else {
        for w in written {
            p.line(&format!("wrote {w}"))?;
        }
    }
    let c = &s.changes;
    if s.focus.is_none() {
        if !c.previous {
            p.line("first run: nothing to compare with")?;
        } else {
            let mut said = false;
            for (what, list) in [
                ("new hotspot", &c.new_hotspots),
                ("no longer a hotspot", &c.gone_hotspots),
                ("zone moved", &c.zones_moved),
                ("zone gone", &c.zones_gone),
                ("component added", &c.components_added),
                ("component removed", &c.components_removed),
            ] {
                for item in list {
                    p.line(&format!("{what}: {item}"))?;
                    said = true;
                }
            }
            if !said {
                p.line("no change since the last run")?;
            }
        }
    }
    for (path, why) in &s.unreadable {
        p.warning(&format!("could not read {path}: {why} (skipped)"));
    }
    let t: Vec<String> = s
        .timings_ms
        .iter()
        .map(|(k, v)| format!("{k} {v} ms"))
        .collect();
    p.status(&format!("timings: {}", t.join(", ")));
    Ok(())
}
