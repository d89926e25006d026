//! Planning loops: `codexa loop plan` turns what `discover` found (the
//! change zones of `.codexa/manifests/system_manifest.yaml`) into a plan of
//! proposed changes, `CH-nnn`, each with the approvals the policy asks for;
//! `codexa seed --from loop-plan` renders each change into the prompt an
//! agent gets, opens those approvals and can post the prompts to a thread.
//!
//! A loop lives in `.codexa/loops/<LP-nnn>/`: `plan.yaml` (schema
//! `schemas/loop_plan.schema.json`), `plan.md` for people, and
//! `seeds/<CH-nnn>.md`. Those files are tracked with the code, so a plan is
//! reviewed like code; the log records `loop.planned` and `loop.seeded` on
//! the stream `loop:<LP-nnn>`.
//!
//! Numbers are never reused: a new loop takes the number after every
//! existing folder and every loop the log has seen, and change numbers
//! continue across all plans (a `CH-004` in a review comment names one
//! change for good, even after its folder is deleted).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Result;
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

pub mod files;
pub mod format;
pub mod plan;
pub mod propose;
pub mod rank;
pub mod seed;

/// Where loops live, relative to the work tree.
pub const LOOPS: &str = ".codexa/loops";
/// The manifest a plan is made from, relative to the work tree.
pub const MANIFEST: &str = crate::discover::manifest::SYSTEM_MANIFEST;
/// The action a planned change is, as the policy gate sees it.
pub const ACTION: &str = "change.implement";
/// The approval kind a gated change needs: a person approves its design.
pub const APPROVAL_KIND: &str = "design";
/// Loop and change id prefixes.
pub const LOOP_PREFIX: &str = "LP";
pub const CHANGE_PREFIX: &str = "CH";
/// The stream type of loop events (`loop:LP-001`).
pub const STREAM: &str = "loop";

/// Numbers stop here: an id past it (a folder named `LP-4294967295`) is
/// not one of codexa's, so counting on from it can never overflow.
pub const MAX_NUMBER: u32 = 999_999;

/// `LP-007` → 7 for prefix `LP`: the prefix, a dash and three to six
/// digits, nothing else.
pub fn number(id: &str, prefix: &str) -> Option<u32> {
    let digits = id.strip_prefix(prefix)?.strip_prefix('-')?;
    if !(3..=6).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n <= MAX_NUMBER)
}

/// 7 → `LP-007`.
pub fn format_id(prefix: &str, n: u32) -> String {
    format!("{prefix}-{n:03}")
}

/// The loops folder of a work tree.
pub fn loops_dir(workdir: &Path) -> PathBuf {
    workdir.join(LOOPS)
}

/// `.codexa/loops/<id>/plan.yaml`, as shown to people.
pub fn plan_file(id: &str) -> String {
    format!("{LOOPS}/{id}/plan.yaml")
}

/// Every loop folder (`LP-nnn`), lowest number first. Other entries are
/// left alone: the folder is people's too.
pub fn existing(workdir: &Path) -> Result<Vec<(u32, String)>> {
    let dir = loops_dir(workdir);
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(crate::Error::io(format!("cannot read {LOOPS}")).caused_by(e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(n) = number(&name, LOOP_PREFIX)
            && entry.path().is_dir()
        {
            out.push((n, name));
        }
    }
    out.sort();
    Ok(out)
}

/// What the log says earlier plans used: each `loop.planned`'s loop number
/// and the change numbers it gave out (planned or left out by a deny).
/// A deleted folder thus never frees its numbers.
pub fn numbers_in_log(ws: &Workspace) -> Result<(u32, u32)> {
    if !ws.store.exists() {
        return Ok((0, 0));
    }
    let index = Index::open(&ws.store)?;
    let events = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some(plan::EVENT.into()),
            stream_type: Some(STREAM.into()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    let mut lp = 0;
    let mut ch = 0;
    for e in events {
        lp = lp.max(number(&e.stream.id, LOOP_PREFIX).unwrap_or(0));
        for key in ["changes", "left_out"] {
            for id in e.data[key].as_array().into_iter().flatten() {
                ch = ch.max(
                    id.as_str()
                        .and_then(|s| number(s, CHANGE_PREFIX))
                        .unwrap_or(0),
                );
            }
        }
    }
    Ok((lp, ch))
}

/// The highest change number a plan document gave out: its changes and the
/// changes a deny left out.
pub fn highest_change(plan: &Value) -> u32 {
    let mut ch = 0;
    for key in ["changes", "left_out"] {
        for c in plan[key].as_array().into_iter().flatten() {
            ch = ch.max(
                c["id"]
                    .as_str()
                    .and_then(|s| number(s, CHANGE_PREFIX))
                    .unwrap_or(0),
            );
        }
    }
    ch
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_have_a_prefix_and_three_or_more_digits() {
        assert_eq!(number("LP-007", "LP"), Some(7));
        assert_eq!(number("LP-1234", "LP"), Some(1234));
        assert_eq!(number("CH-010", "CH"), Some(10));
        assert_eq!(number("LP-07", "LP"), None);
        assert_eq!(number("LP-00x", "LP"), None);
        assert_eq!(number("CH-010", "LP"), None);
        assert_eq!(number("LP007", "LP"), None);
        assert_eq!(number("LP-+12", "LP"), None);
        assert_eq!(number("LP-4294967295", "LP"), None, "past the last number");
        assert_eq!(format_id("LP", 7), "LP-007");
        assert_eq!(format_id("CH", 1234), "CH-1234");
        assert_eq!(number(&format_id("CH", 1234), "CH"), Some(1234));
    }

    #[test]
    fn loop_folders_are_found_in_number_order() {
        let dir = tempfile::tempdir().unwrap();
        assert!(existing(dir.path()).unwrap().is_empty());
        for name in ["LP-010", "LP-002", "notes", "LP-3"] {
            std::fs::create_dir_all(loops_dir(dir.path()).join(name)).unwrap();
        }
        std::fs::write(loops_dir(dir.path()).join("LP-011"), "a file, not a loop").unwrap();
        assert_eq!(
            existing(dir.path()).unwrap(),
            vec![(2, "LP-002".to_string()), (10, "LP-010".to_string())]
        );
    }

    #[test]
    fn the_highest_change_counts_denied_ones() {
        let plan = json!({
            "changes": [{"id": "CH-004"}, {"id": "CH-006"}],
            "left_out": [{"id": "CH-007"}, {"id": null}],
        });
        assert_eq!(highest_change(&plan), 7);
        assert_eq!(highest_change(&json!({})), 0);
    }
}
