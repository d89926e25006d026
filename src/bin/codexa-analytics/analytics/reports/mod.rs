//! The built-in reports of `codexa analyze`: each a handful of queries over
//! the views, limited to a time window, returning a serialisable figure set
//! (the command prints it as text or JSON).
//!
//! Percentiles are DuckDB's `quantile_cont`: linear interpolation between
//! the two nearest ranks, the definition numpy and most dashboards use.

mod activity;
mod approvals;
mod discover;
mod policy;
mod runs;
mod triggers;

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Analytics, db_error, literal};
use codexa::error::Result;

/// `[since, until)`, as envelope timestamps (`clock::parse_time_arg`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Window {
    pub since: Option<String>,
    pub until: Option<String>,
}

/// A timestamp in the envelope's form, as a SQL TIMESTAMP.
pub(crate) fn timestamp(ts: &str) -> String {
    format!("CAST({} AS TIMESTAMP)", literal(ts.trim_end_matches('Z')))
}

/// A TIMESTAMP column rendered back in the envelope's form.
pub(crate) fn ts_text(column: &str) -> String {
    format!("strftime({column}, '%Y-%m-%dT%H:%M:%S.%gZ')")
}

impl Window {
    /// `column` within the window, as a SQL condition.
    pub(crate) fn sql(&self, column: &str) -> String {
        let mut parts = vec!["TRUE".to_string()];
        if let Some(s) = &self.since {
            parts.push(format!("{column} >= {}", timestamp(s)));
        }
        if let Some(u) = &self.until {
            parts.push(format!("{column} < {}", timestamp(u)));
        }
        parts.join(" AND ")
    }
}

/// How a duration is spread: p50 and p95 by linear interpolation, and the
/// largest; none of them when there is nothing to measure.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Spread {
    pub count: u64,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
}

impl Analytics {
    /// Rows of `sql`, each mapped by `f`.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        mut f: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self
            .conn
            .prepare(sql)
            .map_err(|e| db_error("a report's query failed", e))?;
        let rows = stmt
            .query_map([], |r| f(r))
            .map_err(|e| db_error("a report's query failed", e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| db_error("a report's query failed", e))
    }

    /// Counts by key from `sql`, whose rows are a text key and a count.
    pub(crate) fn tally(&self, sql: &str) -> Result<BTreeMap<String, u64>> {
        Ok(self
            .rows(sql, |r| Ok((r.get::<_, String>(0)?, count(r, 1)?)))?
            .into_iter()
            .collect())
    }

    /// The spread of `expr` over the rows of `from` (a FROM … WHERE …
    /// clause) where it is not NULL.
    pub(crate) fn spread(&self, expr: &str, from: &str) -> Result<Spread> {
        let sql = format!(
            "SELECT count({expr}), quantile_cont({expr}, 0.5), quantile_cont({expr}, 0.95), \
             max({expr}) FROM {from}"
        );
        let mut out = self.rows(&sql, |r| {
            Ok(Spread {
                count: r.get::<_, i64>(0)?.max(0) as u64,
                p50: r.get::<_, Option<f64>>(1)?,
                p95: r.get::<_, Option<f64>>(2)?,
                max: r.get::<_, Option<f64>>(3)?,
            })
        })?;
        Ok(out.pop().unwrap_or_default())
    }
}

/// A count from a row, never negative.
pub(crate) fn count(r: &duckdb::Row<'_>, i: usize) -> duckdb::Result<u64> {
    Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
}
