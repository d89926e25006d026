//! Doctor findings: one check's outcome (ok, warn or error) with where it
//! points and how to fix it. Everything in this module reports problems as
//! findings so `doctor` can show them all at once; commands that only need
//! a valid file turn the first into an error.

use serde::Serialize;

use super::schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Error,
}

/// One doctor check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: String,
    pub status: Status,
    pub message: String,
    /// A command to run or an edit to make.
    pub fix: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl Finding {
    pub fn ok(check: &str, message: impl Into<String>, file: Option<String>) -> Finding {
        Finding {
            check: check.to_string(),
            status: Status::Ok,
            message: message.into(),
            fix: None,
            file,
            line: None,
        }
    }

    pub fn warn(
        check: &str,
        message: impl Into<String>,
        fix: Option<String>,
        file: Option<String>,
    ) -> Finding {
        Finding {
            check: check.to_string(),
            status: Status::Warn,
            message: message.into(),
            fix,
            file,
            line: None,
        }
    }

    pub fn error(
        check: &str,
        message: impl Into<String>,
        fix: Option<String>,
        file: Option<String>,
        line: Option<usize>,
    ) -> Finding {
        Finding {
            check: check.to_string(),
            status: Status::Error,
            message: message.into(),
            fix,
            file,
            line,
        }
    }
}

/// A schema issue as a finding, located at `file:line` when known.
pub(super) fn issue_finding(
    check: &str,
    issue: &schema::Issue,
    located: Option<(String, usize)>,
) -> Finding {
    let detail = issue
        .detail
        .as_ref()
        .map(|d| format!("; {d}"))
        .unwrap_or_default();
    match located {
        Some((file, line)) => {
            let at = format!("{file}:{line}");
            Finding::error(
                check,
                format!("{} at {at}{detail}", issue.what),
                Some(issue.fix(&at)),
                Some(file),
                Some(line),
            )
        }
        None => Finding::error(
            check,
            format!("{}{detail}", issue.what),
            Some(issue.fix("(no line known)")),
            None,
            None,
        ),
    }
}
