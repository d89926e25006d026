//! `codexa sql`: one read-only question over the views. DuckDB's parser
//! vets the text first (one statement, reading at every level); it is then
//! prepared on its own, so an error shows DuckDB's message with the position
//! in what the person typed; then it runs wrapped (the wrapper vetted too),
//! so DuckDB itself renders every value (as text for tables and CSV, as
//! JSON for JSON), whatever the types.

use serde::Serialize;

use super::Analytics;
use codexa::error::{Error, Result};

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

/// `sql` without the comments before its first word.
fn skip_comments(mut sql: &str) -> &str {
    loop {
        sql = sql.trim_start();
        if let Some(rest) = sql.strip_prefix("--") {
            sql = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = sql.strip_prefix("/*") {
            sql = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return sql;
        }
    }
}

/// The first word of `sql`, for messages.
fn first_word(sql: &str) -> String {
    skip_comments(sql)
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// The query nodes a question may hold. DuckDB parses a data-modifying
/// statement inside a `WITH` (`WITH w AS (COPY … TO …) SELECT …`) as a
/// SELECT whose CTE is a `COPY_QUERY_NODE` or `INSERT_QUERY_NODE`: every
/// node of the tree is checked, not only the top.
const READING_NODES: &[&str] = &[
    "SELECT_NODE",
    "SET_OPERATION_NODE",
    "RECURSIVE_CTE_NODE",
    "CTE_NODE",
];

/// The first thing in a parsed tree a question may not hold: a query node
/// that is not a reading one, or a parameter (`$name`, `?`), which has
/// no value here.
fn not_reading(tree: &serde_json::Value) -> Option<String> {
    match tree {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(kind)) = map.get("type")
                && kind.ends_with("_NODE")
                && !READING_NODES.contains(&kind.as_str())
            {
                return Some(kind.trim_end_matches("_QUERY_NODE").to_string());
            }
            if map.get("class").and_then(|c| c.as_str()) == Some("PARAMETER") {
                return Some("a parameter".to_string());
            }
            map.values().find_map(not_reading)
        }
        serde_json::Value::Array(items) => items.iter().find_map(not_reading),
        _ => None,
    }
}

/// How a refusal reads.
fn refuse(what: String) -> Error {
    Error::user(format!("`codexa sql` only reads: {what}")).hint(
        "ask with one SELECT (or WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW); \
         the log changes only through codexa's commands",
    )
}

impl Analytics {
    /// Vet `sql` with DuckDB's own parser, handing it over as a value
    /// (`json_serialize_sql`, which parses and never runs): it must be one
    /// statement, a query, and read at every level. Text is never handed
    /// to `prepare` before this passes, because preparing text of several
    /// statements runs all but the last.
    fn vet(&self, sql: &str) -> Result<()> {
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
                // Text that does not parse runs nothing when prepared (all
                // of it is parsed first), and DuckDB's own error then
                // points into it.
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
            return Err(refuse(if READING.contains(&first.as_str()) {
                "one query at a time, and this text holds a statement that is not one".to_string()
            } else {
                format!("`{first}` is not a query")
            }));
        }
        let statements = tree["statements"].as_array().map_or(0, Vec::len);
        if statements != 1 {
            return Err(Error::user(format!(
                "`codexa sql` takes one statement at a time ({statements} given)"
            ))
            .hint("run each query as its own `codexa sql \"…\"`"));
        }
        if let Some(what) = not_reading(&tree) {
            return Err(refuse(format!("the query holds {what}")));
        }
        Ok(())
    }

    /// `sql` wrapped by `outer` (which has `{q}` where the query goes), both
    /// vetted: the user's text alone (and bound alone, so errors point into
    /// what was typed), then the wrapped text as the one statement that
    /// runs — so no text could close the wrapper and start another.
    fn wrapped(&self, sql: &str, outer: &str) -> Result<String> {
        let query = skip_comments(sql)
            .trim_end()
            .trim_end_matches(|c: char| c == ';' || c.is_whitespace());
        if query.is_empty() {
            return Err(Error::user("no SQL given")
                .hint("e.g. codexa sql \"SELECT type, count(*) FROM events GROUP BY type\""));
        }
        self.vet(query)?;
        self.conn.prepare(query).map_err(bad_sql)?;
        // On lines of their own: a trailing `-- comment` ends at its line.
        let wrapped = outer.replace("{q}", &format!("\n{query}\n"));
        self.vet(&wrapped).map_err(|_| {
            Error::user("`codexa sql` takes one query, and this text does not stand alone as one")
                .hint("drop anything after the query's end (a `;` and what follows)")
        })?;
        Ok(wrapped)
    }

    /// Run `sql`; every value as text.
    pub fn query(&self, sql: &str) -> Result<Answer> {
        let wrapped = self.wrapped(sql, "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ({q}) AS q")?;
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
        let wrapped = self.wrapped(sql, "SELECT CAST(to_json(q) AS VARCHAR) FROM ({q}) AS q")?;
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
    fn first_words_skip_punctuation_and_comments() {
        assert_eq!(first_word("  (select 1)"), "SELECT");
        assert_eq!(first_word("-- c\n/* d */ DELETE x"), "DELETE");
        assert_eq!(first_word("-- only a comment"), "");
        assert_eq!(first_word(""), "");
    }

    #[test]
    fn nodes_that_write_are_found_at_any_depth() {
        let tree = serde_json::json!({"statements": [{"node": {"type": "SELECT_NODE",
            "cte_map": {"map": [{"value": {"query_node": {"type": "COPY_QUERY_NODE"}}}]}}}]});
        assert_eq!(not_reading(&tree).as_deref(), Some("COPY"));
        let reading = serde_json::json!({"node": {"type": "SET_OPERATION_NODE",
            "left": {"type": "SELECT_NODE"}, "from_table": {"type": "BASE_TABLE"}}});
        assert_eq!(not_reading(&reading), None);
        let param =
            serde_json::json!({"select_list": [{"class": "PARAMETER", "type": "VALUE_PARAMETER"}]});
        assert_eq!(not_reading(&param).as_deref(), Some("a parameter"));
    }
}
