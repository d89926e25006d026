//! `plan.yaml`'s format: the types a plan is written from and `seed` reads
//! it back into, and the check of a new plan against
//! `schemas/loop_plan.schema.json` before anything is written.

use serde::{Deserialize, Serialize};

use crate::config::schema;
use crate::error::{Error, Result};

/// Plan format version.
pub const VERSION: u32 = 1;
/// The schema `plan.yaml` is checked against.
pub const SCHEMA: &str = "loop_plan";

/// `plan.yaml` (schema `schemas/loop_plan.schema.json`); also what
/// `loop plan --format json` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub id: String,
    pub goal: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub max: usize,
    pub manifest: ManifestRef,
    pub changes: Vec<Change>,
    /// Candidates not planned, with why: already planned, or denied.
    pub left_out: Vec<LeftOut>,
    /// What was waiting on people when the plan was made.
    pub open_approvals: Vec<OpenApproval>,
    pub open_threads: Vec<OpenThread>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestRef {
    pub path: String,
    /// The commit discover read.
    pub head: Option<String>,
    /// Of the manifest's bytes, so a later reader can tell it changed.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    pub zone: ZoneRef,
    pub files: Vec<String>,
    /// The zone's risk: high, medium or low.
    pub risk: String,
    pub score: u64,
    pub why: String,
    pub evidence: Vec<String>,
    /// The goal's words found in the zone's name or files.
    pub goal_matches: Vec<String>,
    /// The configured agent suggested to implement it.
    pub participant: Option<String>,
    /// What the policy gate answered.
    pub gate: GateAnswer,
    pub approvals: Vec<Required>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateAnswer {
    /// The policy zone the risk maps to.
    pub zone: String,
    pub decision: String,
    pub reason_code: String,
    pub rule: Option<String>,
}

/// An approval a change needs before it is implemented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Required {
    pub kind: String,
    pub action: String,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The number a denied change was given (never reused); none for a
    /// zone that is already planned.
    pub id: Option<String>,
    pub zone: ZoneRef,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenApproval {
    pub id: String,
    pub kind: String,
    pub action: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenThread {
    pub id: String,
    pub title: String,
}

/// Check a value about to be written against `schemas/loop_plan.schema.json`.
/// A failure is codexa's bug, not the user's: say so.
pub fn check_schema(plan: &Plan) -> Result<()> {
    let value = serde_json::to_value(plan)
        .map_err(|e| Error::io(format!("could not encode the plan: {e}")))?;
    let issues = schema::validate(SCHEMA, &value).map_err(Error::internal)?;
    if let Some(first) = issues.first() {
        return Err(Error::internal(format!(
            "the plan does not match schemas/loop_plan.schema.json: {} ({} problem(s))",
            first.what,
            issues.len()
        ))
        .report_with("the manifest"));
    }
    Ok(())
}
