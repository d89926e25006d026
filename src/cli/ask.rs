//! `codexa ask "PHRASE"`: the prompt-first door. Resolves a
//! phrase from the catalogue (`commands/*.yaml`, then the project's
//! `.codexa/commands/*.yaml`) to the deterministic command it stands for,
//! says which on stderr, and runs it by re-executing this binary with the
//! argv — never a shell — and the global flags given to `ask`. The exit code
//! is the command's.

use crate::Result;
use crate::domain::aliases::{self, Catalogue};
use crate::store::Store;
use clap::ValueEnum;
use serde::Serialize;

use super::{Ctx, ExitStatus, GlobalArgs};
use crate::cli::ui::{self, ColorWhen};

/// Run the command a phrase stands for: `codexa ask "approve design for CH-010"`.
///
/// Run the command a phrase stands for, e.g. `codexa ask "approve design
/// for CH-010"` runs `codexa approve CH-010 --kind design`. Phrases match
/// case-insensitively; `--list` shows them all. An unknown phrase exits 2
/// with the closest phrases.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The phrase (quote it, or give it as several words).
    #[arg(value_name = "PHRASE", required_unless_present = "list")]
    pub phrase: Vec<String>,
    /// Print the command (`--format json`: {phrase, command, argv}) and run
    /// nothing.
    #[arg(long, conflicts_with = "list")]
    pub dry_run: bool,
    /// List every phrase and the command it stands for.
    #[arg(long)]
    pub list: bool,
}

#[derive(Serialize)]
struct ListRow<'a> {
    phrase: &'a str,
    command: String,
    argv: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    source: &'a str,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let workdir = Store::locate(&ctx.cwd).ok().map(|s| s.workdir);
    let catalogue = Catalogue::load(workdir.as_deref())?;
    if args.list {
        return list(ctx, &catalogue);
    }
    let phrase = args.phrase.join(" ");
    let resolved = match catalogue.resolve(&phrase) {
        Ok(r) => r,
        Err(unresolved) => {
            ui::print_error(&unresolved.to_error());
            return Ok(ExitStatus::Usage);
        }
    };
    if args.dry_run {
        if ctx.printer.is_json() {
            ctx.printer.json(&resolved)?;
        } else {
            ctx.printer.line(&resolved.command)?;
        }
        return Ok(ExitStatus::Success);
    }
    ctx.printer.status(&format!("→ {}", resolved.command));
    ctx.printer.flush()?;
    let status = aliases::command(&globals(&ctx.global), &resolved.argv)?
        .status()
        .map_err(|e| crate::Error::io("could not run the command").caused_by(e))?;
    Ok(ExitStatus::of_child(status))
}

/// The global flags as given, to pass on to the command.
fn globals(g: &GlobalArgs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(f) = g.format
        && let Some(v) = f.to_possible_value()
    {
        out.extend(["--format".to_string(), v.get_name().to_string()]);
    }
    if g.quiet {
        out.push("--quiet".into());
    }
    if g.color != ColorWhen::Auto
        && let Some(v) = g.color.to_possible_value()
    {
        out.extend(["--color".to_string(), v.get_name().to_string()]);
    }
    if let Some(d) = &g.dir {
        out.push("-C".into());
        out.push(d.to_string_lossy().into_owned());
    }
    if let Some(s) = &g.speaker {
        out.extend(["--as".to_string(), s.clone()]);
    }
    out
}

fn list(ctx: &Ctx, catalogue: &Catalogue) -> Result<ExitStatus> {
    let rows: Vec<ListRow> = catalogue
        .entries
        .iter()
        .map(|e| ListRow {
            phrase: &e.phrase,
            command: aliases::display_template(&e.argv),
            argv: &e.argv,
            description: e.description.as_deref(),
            source: &e.source,
        })
        .collect();
    if ctx.printer.is_json() {
        ctx.printer.json(&rows)?;
        return Ok(ExitStatus::Success);
    }
    let width = rows.iter().map(|r| r.phrase.len()).max().unwrap_or(0);
    for r in &rows {
        ctx.printer
            .line(&format!("{:<width$}  {}", r.phrase, r.command))?;
    }
    Ok(ExitStatus::Success)
}
