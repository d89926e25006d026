//! `codexa events verify`.

use crate::store::verify::{self, DirSource, VerifyReport};
use crate::{Result, sync};

use crate::cli::ui::{BAD, OK};
use crate::cli::{Ctx, ExitStatus};

/// Check every writer chain: seq, prev links, hashes, ids; and that no
/// writer folder is foreign.
///
/// Check every writer chain: gapless `seq` from 1, each `prev` the previous
/// line's hash, every hash recomputed over RFC 8785 canonical JSON, unique
/// ids, and crash fragments named by a repair event; in the local store
/// also that this clone's chain still reaches what it last appended, and
/// that no writer folder is foreign. Exits 1 naming the file and line of
/// the first fault: a CI guard.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Verify a commit's `events/` instead of the local store, e.g.
    /// `origin/codexa/state` after `git fetch origin codexa/state`.
    #[arg(long, value_name = "REF")]
    pub r#ref: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let report = match &args.r#ref {
        Some(r) => {
            let bar = ctx.printer.progress(0, "verifying");
            let report = sync::verify_ref(store.repo()?, r, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            report
        }
        None => {
            let source = DirSource::new(&store)?;
            let bar = ctx.printer.progress(source.total_bytes(), "verifying");
            let mut report = verify::verify(&source, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            report.faults.extend(sync::check_published(&store)?);
            if store.exists() {
                verify::check_local(&store, &source, &mut report)?;
            }
            report.ok = report.faults.is_empty();
            report
        }
    };
    print_report(ctx, &report)?;
    Ok(if report.ok {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn print_report(ctx: &Ctx, report: &VerifyReport) -> Result<()> {
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(report);
    }
    for f in &report.faults {
        let place = match f.line {
            0 => f.file.clone(),
            n => format!("{} line {n}", f.file),
        };
        p.line(&format!("{BAD}FAIL{BAD:#} {place}: {}", f.message))?;
    }
    for w in &report.writers {
        let repaired = if w.repaired_fragments > 0 {
            format!(", {} repaired crash fragment(s)", w.repaired_fragments)
        } else {
            String::new()
        };
        if report.foreign.contains(&w.writer) {
            p.line(&format!(
                "{}: foreign, {} event(s) ignored (see FAIL above)",
                w.writer, w.events
            ))?;
        } else if report.faults.iter().any(|f| f.writer == w.writer) {
            p.line(&format!(
                "{}: stops being valid after seq {} (see FAIL above)",
                w.writer, w.last_seq
            ))?;
        } else {
            p.line(&format!(
                "{}: {} events in {} segment(s), seq 1..{}{repaired}",
                w.writer, w.events, w.segments, w.last_seq
            ))?;
        }
    }
    if report.ok {
        p.line(&format!(
            "{OK}ok{OK:#}: {} events in {} chain(s), {} bytes verified",
            report.events,
            report.writers.len(),
            report.bytes
        ))?;
    } else if report
        .faults
        .iter()
        .all(|f| report.foreign.contains(&f.writer))
    {
        p.hint("foreign folders count once a person who knows where they came from runs `codexa events accept WRITER`; `codexa doctor` says more");
    } else {
        p.hint("a changed or missing line cannot be repaired here: restore the store from a clone or `git show codexa/state:events/…`; `codexa doctor` says how to recover");
    }
    Ok(())
}
