//! The commands that ask the history: `sql`, `analyze`, `export parquet`,
//! `report governance` and `snapshot`. Their arguments are defined with
//! the rest of the command line (`codexa::cli::analytics`); the work is in
//! `crate::analytics`; these run it and print.

pub mod analyze;
pub mod export;
pub mod report;
pub mod snapshot;
pub mod sql;

use std::cell::RefCell;

use crate::analytics::reports::Window;
use crate::analytics::{Analytics, Progress};
use codexa::Result;
use codexa::store::Store;

use codexa::cli::analytics::{AnalyticsCommand, WindowArgs};
use codexa::cli::{Ctx, ExitStatus};

/// Runs an analytics command in this process.
pub fn run(ctx: &Ctx, command: AnalyticsCommand) -> Result<ExitStatus> {
    match command {
        AnalyticsCommand::Sql(args) => sql::run(ctx, args),
        AnalyticsCommand::Analyze(cmd) => analyze::run(ctx, cmd),
        AnalyticsCommand::Export(cmd) => export::run(ctx, cmd),
        AnalyticsCommand::Report(cmd) => report::run(ctx, cmd),
        AnalyticsCommand::Snapshot(args) => snapshot::run(ctx, args),
    }
}

/// The reporting window `--since`/`--until` give.
fn window(args: &WindowArgs) -> Result<Window> {
    if let (Some(s), Some(u)) = (&args.since, &args.until)
        && s >= u
    {
        return Err(
            codexa::Error::user(format!("--since {s} is not before --until {u}"))
                .hint("give an earlier --since or a later --until"),
        );
    }
    Ok(Window {
        since: args.since.clone(),
        until: args.until.clone(),
    })
}

/// A progress bar on stderr for the first scan of a long log (hidden when
/// stderr is not a terminal or under --quiet), made only when there is one.
struct ScanBar<'a> {
    ctx: &'a Ctx,
    bar: RefCell<Option<indicatif::ProgressBar>>,
}

impl Progress for ScanBar<'_> {
    fn begin(&self, total_bytes: u64) {
        *self.bar.borrow_mut() = Some(self.ctx.printer.progress(total_bytes, "reading the log"));
    }
    fn advance(&self, bytes: u64) {
        if let Some(b) = self.bar.borrow().as_ref() {
            b.inc(bytes);
        }
    }
    fn end(&self) {
        if let Some(b) = self.bar.borrow_mut().take() {
            b.finish_and_clear();
        }
    }
}

fn scan_bar(ctx: &Ctx) -> ScanBar<'_> {
    ScanBar {
        ctx,
        bar: RefCell::new(None),
    }
}

/// The store and its log, loaded for questions.
fn open(ctx: &Ctx) -> Result<(Store, Analytics)> {
    let store = ctx.store()?;
    let db = Analytics::open(&store, &scan_bar(ctx))?;
    Ok((store, db))
}

/// A duration in ms for people: `850 ms`, `12.4 s`, `3.2 min`, `5.0 h`.
fn duration(ms: Option<f64>) -> String {
    match ms {
        None => "-".into(),
        Some(ms) if ms < 1_000.0 => format!("{ms:.0} ms"),
        Some(ms) if ms < 60_000.0 => format!("{:.1} s", ms / 1_000.0),
        Some(ms) if ms < 3_600_000.0 => format!("{:.1} min", ms / 60_000.0),
        Some(ms) if ms < 86_400_000.0 => format!("{:.1} h", ms / 3_600_000.0),
        Some(ms) => format!("{:.1} d", ms / 86_400_000.0),
    }
}

/// The window in words, for report headings.
fn window_text(w: &Window) -> String {
    match (&w.since, &w.until) {
        (None, None) => "all history".into(),
        (Some(s), None) => format!("since {s}"),
        (None, Some(u)) => format!("until {u}"),
        (Some(s), Some(u)) => format!("{s} to {u}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(None), "-");
        assert_eq!(duration(Some(850.0)), "850 ms");
        assert_eq!(duration(Some(12_400.0)), "12.4 s");
        assert_eq!(duration(Some(192_000.0)), "3.2 min");
        assert_eq!(duration(Some(18_000_000.0)), "5.0 h");
    }
}
