//! `codexa events tail`.

use std::collections::HashMap;
use std::time::Duration;

use crate::Result;
use crate::store::index::{self, Index};
use crate::store::segment;

use super::print_event;
use super::query::FilterArgs;
use crate::cli::{Ctx, ExitStatus};

/// How often a follower looks for new lines: well inside the 200 ms within
/// which other processes' events must appear.
const POLL: Duration = Duration::from_millis(50);

/// Print the latest events and, with --follow, new ones as they arrive.
///
/// Print the latest events (or everything from `--from-seq`), then with
/// `--follow` keep printing new ones as any process appends them.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How many recent events to print first (ignored with --from-seq).
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub lines: u64,
    /// Keep running and print new events as they are appended.
    #[arg(short, long)]
    pub follow: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let store = ctx.store()?;
    let filter = args.filter.to_filter()?;
    let events_dir = store.events_dir();
    let mut positions: HashMap<(String, u32), u64> = HashMap::new();
    if store.exists() {
        let mut index = Index::open(&store)?;
        let (limit, last) = match filter.from_seq {
            Some(_) => (None, false),
            None => (Some(args.lines), true),
        };
        let (pos, backlog) = index.snapshot(&filter, limit, last)?;
        positions = pos;
        let mut reader = index::LineReader::new(&events_dir);
        for loc in backlog {
            print_event(ctx, &reader.read(&loc)?)?;
        }
    }
    ctx.printer.flush()?;
    if !args.follow {
        return Ok(ExitStatus::Success);
    }
    // File sizes at the last look (a torn tail keeps a file longer than its
    // last complete line, which must not wake the follower every poll).
    let mut seen: HashMap<(String, u32), u64> = HashMap::new();
    loop {
        std::thread::sleep(POLL);
        // A cheap look first; only when something grew, take the lengths
        // under the store lock so a line still being written is not shown.
        let sizes: HashMap<(String, u32), u64> = segment::list_all(&events_dir)?
            .into_iter()
            .map(|f| ((f.writer, f.number), f.len))
            .collect();
        if sizes == seen {
            continue;
        }
        seen = sizes;
        let mut printed = false;
        let foreign = crate::store::trust::foreign_writers(&store)?;
        for file in store.stable_segments()? {
            if foreign.contains(&file.writer) {
                continue;
            }
            let key = (file.writer.clone(), file.number);
            let from = positions.get(&key).copied().unwrap_or(0);
            if file.len <= from {
                continue;
            }
            let mut lines = Vec::new();
            let consumed = index::index_file_tail(&file, from, |_, line| {
                lines.push(line.to_vec());
                Ok(())
            })?;
            positions.insert(key, consumed);
            for line in lines {
                let Ok(event) = serde_json::from_slice::<crate::store::Event>(&line) else {
                    continue;
                };
                if filter.matches(&event) {
                    print_event(ctx, &line)?;
                    printed = true;
                }
            }
        }
        if printed {
            ctx.printer.flush()?;
        }
    }
}
