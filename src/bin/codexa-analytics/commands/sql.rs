//! `codexa sql`: ask the event log a question in SQL (DuckDB), reading
//! only. The work is in `crate::analytics`.

use codexa::Result;

use super::open;
use codexa::cli::analytics::SqlArgs;
use codexa::cli::{Ctx, ExitStatus};

/// A CSV field, quoted when it must be (RFC 4180).
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

pub fn run(ctx: &Ctx, args: SqlArgs) -> Result<ExitStatus> {
    let (_, db) = open(ctx)?;
    let p = &ctx.printer;
    if args.schema {
        let schema = db.schema()?;
        if p.is_json() {
            return p.json(&schema).map(|()| ExitStatus::Success);
        }
        for v in &schema {
            p.line(&format!("{}: {}", v.view, v.about))?;
            for c in &v.columns {
                p.line(&format!("  {:<20} {}", c.name, c.r#type))?;
            }
        }
        return Ok(ExitStatus::Success);
    }
    let query = args.query.unwrap_or_default();
    if p.is_json() {
        let rows = db.query_json(&query)?;
        // Data for scripts: written exactly, as JSON and CSV always are.
        p.raw_line(format!("[{}]", rows.join(",\n")).as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let answer = db.query(&query)?;
    if p.is_csv() {
        let header: Vec<String> = answer.columns.iter().map(|c| csv_field(c)).collect();
        p.raw_line(header.join(",").as_bytes())?;
        for row in &answer.rows {
            let fields: Vec<String> = row
                .iter()
                .map(|v| csv_field(v.as_deref().unwrap_or("")))
                .collect();
            p.raw_line(fields.join(",").as_bytes())?;
        }
        return Ok(ExitStatus::Success);
    }
    let header: Vec<&str> = answer.columns.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = answer
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| v.clone().unwrap_or_else(|| "NULL".into()))
                .collect()
        })
        .collect();
    p.table(&header, &rows)?;
    p.status(&format!(
        "{} rows ({} events read)",
        answer.rows.len(),
        db.events
    ));
    Ok(ExitStatus::Success)
}
