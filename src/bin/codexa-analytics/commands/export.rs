//! `codexa export parquet DIR`.

use crate::analytics::export;
use codexa::Result;

use super::scan_bar;
use codexa::cli::analytics::ExportCommand;
use codexa::cli::{Ctx, ExitStatus};

pub fn run(ctx: &Ctx, command: ExportCommand) -> Result<ExitStatus> {
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
        return p.json(&files).map(|()| ExitStatus::Success);
    }
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|f| vec![f.path.display().to_string(), f.rows.to_string()])
        .collect();
    p.table(&["file", "rows"], &rows)?;
    Ok(ExitStatus::Success)
}
