//! `codexa export parquet DIR`.

use std::path::PathBuf;

use codexa::Result;
use codexa::analytics::export;

use super::{Ctx, scan_bar};

/// Write the history out for other tools.
#[derive(clap::Subcommand, Debug)]
pub enum ExportCommand {
    /// One Parquet file per view (`events.parquet`, `messages.parquet`, …;
    /// `codexa sql --schema` lists them) in DIR, created if missing.
    /// Existing files of the same names are replaced, all at once at the end.
    Parquet {
        /// The folder to write into.
        #[arg(value_name = "DIR")]
        folder: PathBuf,
    },
}

pub fn run(ctx: &Ctx, command: ExportCommand) -> Result<u8> {
    // Not `dir`: that is the global `-C DIR`'s id, which clap would merge.
    let ExportCommand::Parquet { folder: dir } = command;
    let store = ctx.store()?;
    let dir = if dir.is_absolute() {
        dir
    } else {
        ctx.cwd.join(dir)
    };
    let files = export::parquet(&store, &dir, &scan_bar(ctx))?;
    let p = &ctx.printer;
    if p.is_json() {
        return p.json(&files).map(|()| 0);
    }
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|f| vec![f.path.display().to_string(), f.rows.to_string()])
        .collect();
    p.table(&["file", "rows"], &rows)?;
    Ok(0)
}
