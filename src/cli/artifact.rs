//! `codexa artifact add|list|show|cat`: what runs' steps produced.

use std::io::Write;
use std::path::PathBuf;

use crate::Result;
use crate::domain::runs::artifacts::{self, Content, Listing};

use super::thread::speaker;
use super::{Ctx, ExitStatus, read_json};

/// Artifacts of runs' steps: text, JSON, files (stored by content under
/// `.codexa/artifacts/`, once however often added) and URIs.
///
/// Secrets are masked before anything is stored, as in the log. Anything
/// over `runs.artifact_max_bytes` is refused with nothing written.
#[derive(clap::Subcommand, Debug)]
pub enum ArtifactCommand {
    Add(AddArgs),
    List(ListArgs),
    Show(ShowArgs),
    Cat(ShowArgs),
}

/// Attach an artifact to a step. Prints its id.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("content").required(true).args(["text", "json", "file", "uri"])))]
pub struct AddArgs {
    /// The step that produced it.
    pub step: String,
    #[arg(long)]
    pub text: Option<String>,
    /// JSON inline, `@FILE`, or `-` for stdin.
    #[arg(long, value_name = "JSON")]
    pub json: Option<String>,
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Recorded, not fetched.
    #[arg(long)]
    pub uri: Option<String>,
    /// A name to show (default: a file's name).
    #[arg(long)]
    pub name: Option<String>,
}

/// List artifacts, oldest first: all, or one run's or step's.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub run: Option<String>,
    #[arg(long)]
    pub step: Option<String>,
}

/// One artifact: `show` describes it, `cat` prints its content (checked
/// against its hash) or its URI.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub id: String,
}

pub fn run(ctx: &Ctx, cmd: ArtifactCommand) -> Result<ExitStatus> {
    let (ws, who) = speaker(ctx)?;
    match cmd {
        ArtifactCommand::Add(a) => {
            let content = match (a.text, a.json, a.file, a.uri) {
                (Some(t), ..) => Content::Text(t),
                (_, Some(j), ..) => Content::Json(read_json(&j, "--json")?),
                (_, _, Some(f), _) => Content::File(f),
                (_, _, _, Some(u)) => Content::Uri(u),
                _ => unreachable!("clap requires one of --text, --json, --file, --uri"),
            };
            let added = artifacts::add(&ws, &who, &a.step, &content, a.name.as_deref())?;
            if ctx.printer.is_json() {
                ctx.printer.json(&added)?;
                return Ok(ExitStatus::Success);
            }
            ctx.printer.line(&added.artifact.id)?;
            for (name, n) in &added.masked {
                ctx.printer
                    .warning(&format!("masked {n} × {name} before storing"));
            }
            if added.deduplicated {
                ctx.printer
                    .status("the same content was stored already; kept one copy");
            }
        }
        ArtifactCommand::List(a) => {
            let list = artifacts::list(
                &ws,
                &Listing {
                    run: a.run.as_deref(),
                    step: a.step.as_deref(),
                },
            )?;
            if ctx.printer.is_json() {
                ctx.printer.json(&list)?;
                return Ok(ExitStatus::Success);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|x| {
                    vec![
                        x.id.clone(),
                        x.kind.clone(),
                        x.bytes.map_or("-".into(), |b| b.to_string()),
                        x.run.clone(),
                        x.step.clone(),
                        x.name.clone().or(x.uri.clone()).unwrap_or_default(),
                    ]
                })
                .collect();
            ctx.printer
                .table(&["ARTIFACT", "KIND", "BYTES", "RUN", "STEP", "NAME"], &rows)?;
        }
        ArtifactCommand::Show(a) => {
            let x = artifacts::show(&ws, &a.id)?;
            if ctx.printer.is_json() {
                ctx.printer.json(&x)?;
                return Ok(ExitStatus::Success);
            }
            let p = &ctx.printer;
            p.line(&x.id)?;
            p.line(&format!("  kind     {}", x.kind))?;
            p.line(&format!("  run      {}", x.run))?;
            p.line(&format!("  step     {}", x.step))?;
            for (label, value) in [("name", &x.name), ("uri", &x.uri), ("sha256", &x.sha256)] {
                if let Some(v) = value {
                    p.line(&format!("  {label:<8} {v}"))?;
                }
            }
            if let Some(b) = x.bytes {
                p.line(&format!("  bytes    {b}"))?;
            }
            let e = &x.events[0];
            p.line(&format!("  added    {} by {}", e.ts, e.actor))?;
        }
        ArtifactCommand::Cat(a) => {
            let x = artifacts::show(&ws, &a.id)?;
            let bytes = artifacts::content(&ws, &x)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| crate::Error::io("writing the artifact to stdout").caused_by(e))?;
        }
    }
    Ok(ExitStatus::Success)
}
