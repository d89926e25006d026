//! `codexa sql`: one read-only question over the views. The statement is
//! prepared on its own first, so a syntax error shows DuckDB's message with
//! the position in what the person typed; then it runs wrapped, so DuckDB
//! itself renders every value (as text for tables and CSV, as JSON for
//! JSON), whatever the types.

use serde::Serialize;

use super::Analytics;
use crate::error::{Error, Result};

/// Statements that only read, by their first word.
const READING: &[&str] = &[
    "select",
    "with",
    "from",
    "values",
    "table",
    "describe",
    "summarize",
    "show",
    "pivot",
    "unpivot",
];

/// A query's answer: column names and rows, every value as DuckDB prints
/// it (none for NULL), or rows as JSON objects.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// The statement, refused unless it reads.
fn check(sql: &str) -> Result<&str> {
    let trimmed = sql.trim().trim_end_matches(';').trim();
    if trimmed.is_empty() {
        return Err(Error::user("no SQL given")
            .hint("e.g. codexa sql \"SELECT type, count(*) FROM events GROUP BY type\""));
    }
    let first = trimmed
        .split(|c: char| c.is_whitespace() || c == '(')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !READING.contains(&first.as_str()) {
        return Err(Error::user(format!(
            "`codexa sql` only reads: `{}` is not a query",
            first.to_ascii_uppercase()
        ))
        .hint("ask with SELECT (or WITH, FROM, DESCRIBE, SUMMARIZE); the log changes only through codexa's commands"));
    }
    Ok(trimmed)
}

/// DuckDB's message for a bad statement, as a user error.
fn bad_sql(e: duckdb::Error) -> Error {
    Error::user(format!("SQL error: {e}"))
        .hint("`codexa sql --schema` lists the views and their columns")
}

impl Analytics {
    /// Run `sql`; every value as text.
    pub fn query(&self, sql: &str) -> Result<Answer> {
        let sql = check(sql)?;
        // Parse and bind alone: positions in errors are the user's.
        self.conn.prepare(sql).map_err(bad_sql)?;
        let wrapped = format!("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ({sql}) AS q");
        let mut stmt = self.conn.prepare(&wrapped).map_err(bad_sql)?;
        let mut rows = stmt.query([]).map_err(bad_sql)?;
        let columns: Vec<String> = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(bad_sql)? {
            let mut values = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                values.push(row.get::<_, Option<String>>(i).map_err(bad_sql)?);
            }
            out.push(values);
        }
        Ok(Answer { columns, rows: out })
    }

    /// Run `sql`; each row as a JSON object (DuckDB's own conversion, so
    /// numbers stay numbers and nested values stay nested).
    pub fn query_json(&self, sql: &str) -> Result<Vec<String>> {
        let sql = check(sql)?;
        self.conn.prepare(sql).map_err(bad_sql)?;
        let wrapped = format!("SELECT CAST(to_json(q) AS VARCHAR) FROM ({sql}) AS q");
        let mut stmt = self.conn.prepare(&wrapped).map_err(bad_sql)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(bad_sql)?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(bad_sql)
    }

    /// Every view's columns and types, in order.
    pub fn schema(&self) -> Result<Vec<ViewSchema>> {
        let mut out = Vec::new();
        for (view, about) in super::VIEWS {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT column_name, data_type FROM information_schema.columns \
                     WHERE table_name = ? ORDER BY ordinal_position",
                )
                .map_err(bad_sql)?;
            let columns = stmt
                .query_map([view], |r| {
                    Ok(Column {
                        name: r.get(0)?,
                        r#type: r.get(1)?,
                    })
                })
                .map_err(bad_sql)?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(bad_sql)?;
            out.push(ViewSchema {
                view: view.to_string(),
                about: about.to_string(),
                columns,
            });
        }
        Ok(out)
    }
}

/// One view, for `codexa sql --schema`.
#[derive(Debug, Clone, Serialize)]
pub struct ViewSchema {
    pub view: String,
    pub about: String,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub r#type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reading_statements_pass() {
        assert!(check("SELECT 1").is_ok());
        assert!(check("  with x as (select 1) select * from x;").is_ok());
        assert!(check("(SELECT 1)").is_ok());
        let e = check("DELETE FROM events").err().unwrap();
        assert!(
            e.message().contains("`DELETE` is not a query"),
            "{}",
            e.message()
        );
        assert!(check("COPY events TO 'x.csv'").is_err());
        assert!(check("ATTACH 'x.db'").is_err());
        assert!(check("  ").is_err());
    }
}
