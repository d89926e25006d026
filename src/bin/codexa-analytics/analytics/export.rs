//! `codexa export parquet DIR`: one Parquet file per view, for other tools
//! (pandas, polars, Spark, DuckDB itself). Every file is written under a
//! temporary name first and all are renamed once all are written, so a
//! failed export replaces none of the files already in DIR (DIR itself is
//! created first when missing).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Access, Analytics, Progress, VIEWS, db_error, literal};
use codexa::error::{Error, Result};
use codexa::store::Store;

/// One file written.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub view: String,
    pub path: PathBuf,
    pub rows: u64,
}

/// Write every view to `dir/<view>.parquet`.
pub fn parquet(store: &Store, dir: &Path, progress: &dyn Progress) -> Result<Vec<Exported>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::user(format!("{} is not a folder", dir.display()))
            .hint("give a folder to write the Parquet files into (it is created if missing)"));
    }
    fs_err::create_dir_all(dir)?;
    let db = Analytics::open_with(store, progress, Access::Open)?;
    let mut done: Vec<(PathBuf, Exported)> = Vec::new();
    let cleanup = |done: &[(PathBuf, Exported)]| {
        for (tmp, _) in done {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (view, _) in VIEWS {
        let target = dir.join(format!("{view}.parquet"));
        let tmp = dir.join(format!(".{view}.parquet.{}.tmp", std::process::id()));
        let copy = format!(
            "COPY (SELECT * FROM {view}) TO {} (FORMAT parquet)",
            literal(&tmp.to_string_lossy())
        );
        match db.conn.execute(&copy, []) {
            Ok(rows) => done.push((
                tmp,
                Exported {
                    view: view.to_string(),
                    path: target,
                    rows: rows as u64,
                },
            )),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                cleanup(&done);
                return Err(db_error(&format!("cannot write {}", target.display()), e));
            }
        }
    }
    let mut out = Vec::with_capacity(done.len());
    for (tmp, exported) in done {
        fs_err::rename(&tmp, &exported.path)?;
        out.push(exported);
    }
    codexa::fsutil::sync_dir(dir);
    Ok(out)
}
