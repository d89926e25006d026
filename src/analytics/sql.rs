//! `codexa sql`: one read-only question over the views. The statement is
//! prepared on its own first, so a syntax error shows DuckDB's message with
//! the position in what the person typed; then it runs wrapped, so DuckDB
//! itself renders every value (as text for tables and CSV, as JSON for
//! JSON), whatever the types.

use serde::Serialize;

use super::Analytics;
use crate::error::{Error, Result};

/// First words of queries, for telling "not a query" from "not only a
/// query" in the refusal.
const READING: &[&str] = &[
    "SELECT",
    "WITH",
    "FROM",
    "VALUES",
    "TABLE",
    "DESCRIBE",
    "SUMMARIZE",
    "SHOW",
];

/// A query's answer: column names and rows, every value as DuckDB prints
/// it (none for NULL), or rows as JSON objects.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// DuckDB's message for a bad statement, as a user error.
fn bad_sql(e: duckdb::Error) -> Error {
    Error::user(format!("SQL error: {e}"))
        .hint("`codexa sql --schema` lists the views and their columns")
}

/// The first word of `sql`, for messages.
fn first_word(sql: &str) -> String {
    sql.split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase()
}

impl Analytics {
    /// Vet `sql` with DuckDB's own parser, handing it over as a value
    /// (`json_serialize_sql`, which parses and never runs): it must be one
    /// statement, and a query; anything else is refused before DuckDB is
    /// asked to prepare it (preparing text of several statements would run
    /// all but the last). Returns the statement as DuckDB renders it back,
    /// ready to be wrapped.
    fn vet(&self, sql: &str) -> Result<String> {
        if sql.trim().trim_matches(';').trim().is_empty() {
            return Err(Error::user("no SQL given")
                .hint("e.g. codexa sql \"SELECT type, count(*) FROM events GROUP BY type\""));
        }
        let parsed: String = self
            .conn
            .query_row(
                "SELECT CAST(json_serialize_sql(?) AS VARCHAR)",
                [sql],
                |r| r.get(0),
            )
            .map_err(bad_sql)?;
        let tree: serde_json::Value = serde_json::from_str(&parsed)
            .map_err(|e| Error::io(format!("DuckDB's parse of the query is not JSON: {e}")))?;
        if tree["error"] == true {
            if tree["error_type"] == "parser" {
                // Text that does not parse runs nothing when prepared, and
                // DuckDB's own error then points into it.
                if let Err(e) = self.conn.prepare(sql) {
                    return Err(bad_sql(e));
                }
                return Err(Error::user(format!(
                    "SQL error: {}",
                    tree["error_message"]
                        .as_str()
                        .unwrap_or("the query does not parse")
                )));
            }
            let first = first_word(sql);
            let what = if READING.contains(&first.as_str()) {
                "one query at a time, and this text holds a statement that is not one".to_string()
            } else {
                format!("`{first}` is not a query")
            };
            return Err(Error::user(format!("`codexa sql` only reads: {what}"))
                .hint("ask with SELECT (or WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW); the log changes only through codexa's commands"));
        }
        let statements = tree["statements"].as_array().map_or(0, Vec::len);
        if statements != 1 {
            return Err(Error::user(format!(
                "`codexa sql` takes one statement at a time ({statements} given)"
            ))
            .hint("run each query as its own `codexa sql \"…\"`"));
        }
        self.conn
            .query_row(
                "SELECT json_deserialize_sql(CAST(? AS JSON))",
                [&parsed],
                |r| r.get::<_, String>(0),
            )
            .map_err(bad_sql)
    }

    /// Vet `sql`, bind it as given (so errors point into what the person
    /// typed), and return it as DuckDB renders it back.
    fn vetted(&self, sql: &str) -> Result<String> {
        let query = self.vet(sql)?;
        self.conn.prepare(sql).map_err(bad_sql)?;
        Ok(query)
    }

    /// Run `sql`; every value as text.
    pub fn query(&self, sql: &str) -> Result<Answer> {
        let sql = self.vetted(sql)?;
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
        let sql = self.vetted(sql)?;
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
    fn first_words_skip_punctuation() {
        assert_eq!(first_word("  (select 1)"), "SELECT");
        assert_eq!(first_word("-- c\nDELETE x"), "C");
        assert_eq!(first_word(""), "");
    }
}
