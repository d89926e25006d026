//! Checking one file (the policy, a loop's plan, a manifest) against its
//! embedded schema, with every problem traced to a line: as findings for
//! `doctor`, or as the first error for a command that needs the file valid.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::finding::issue_finding;
use super::{Finding, POLICY_FILE, Status, schema, yaml};
use crate::error::{Error, Result};
use crate::fsutil::sha256_tagged;

/// Validate `.codexa/policy.yaml` against the policy schema, with the same
/// file:line reporting as the config. A missing policy is a warning: the
/// domain's built-in defaults apply.
pub fn doctor_policy(workdir: &Path) -> Vec<Finding> {
    let path = workdir.join(POLICY_FILE);
    match path.try_exists() {
        Ok(true) => {}
        Ok(false) => {
            return vec![Finding::warn(
                "policy.file",
                format!("no {POLICY_FILE}; built-in policy defaults apply"),
                Some("codexa init".into()),
                Some(POLICY_FILE.into()),
            )];
        }
        Err(e) => {
            return vec![Finding::error(
                "policy.read",
                format!("cannot check {POLICY_FILE}: {e}"),
                Some(format!(
                    "check the permissions of {}",
                    workdir.join(".codexa").display()
                )),
                Some(POLICY_FILE.into()),
                None,
            )];
        }
    }
    let mut findings = check_file("policy", &path, POLICY_FILE);
    // Rule ids name rules in decisions and reports; a repeated id makes
    // those ambiguous, though the policy still works.
    if !findings.iter().any(|f| f.status == Status::Error)
        && let Ok(text) = fs_err::read_to_string(&path)
        && let Ok(doc) = yaml::parse(&text)
    {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let rules = doc.value.get("rules").and_then(Value::as_array);
        for (i, rule) in rules.into_iter().flatten().enumerate() {
            let Some(id) = rule.get("id").and_then(Value::as_str) else {
                continue;
            };
            let line = doc.lines.get(&format!("/rules/{i}/id")).copied();
            if let Some(first) = seen.get(id) {
                let at = format!("{POLICY_FILE}:{}", line.unwrap_or(0));
                let mut f = Finding::warn(
                    "policy.rules",
                    format!("rule id `{id}` at {at} repeats the id of rule {first}"),
                    Some(format!("rename the rule id at {at}")),
                    Some(POLICY_FILE.into()),
                );
                f.line = line;
                findings.push(f);
            } else {
                seen.insert(id, i);
            }
        }
    }
    findings
}

/// `check_file`, as a command that needs the file valid sees it: the first
/// error becomes an `Error` (what, where, the fix), with a count of the
/// rest; `what` names the file's role (e.g. "policy") and `fallback` is the
/// hint when the finding carries no fix.
pub fn require_valid_file(
    schema_name: &str,
    path: &Path,
    shown: &str,
    what: &str,
    fallback: &str,
) -> Result<()> {
    first_error(&check_file(schema_name, path, shown), shown, what, fallback)
}

/// [`require_valid_file`] over content already read.
pub fn require_valid_bytes(
    schema_name: &str,
    path: &Path,
    bytes: &[u8],
    shown: &str,
    what: &str,
    fallback: &str,
) -> Result<()> {
    let findings = check_bytes(schema_name, path, bytes.to_vec(), shown);
    first_error(&findings, shown, what, fallback)
}

fn first_error(findings: &[Finding], shown: &str, what: &str, fallback: &str) -> Result<()> {
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect();
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let mut hint = first.fix.clone().unwrap_or_default();
    if errors.len() > 1 {
        hint.push_str(&format!(
            "{}{} more problem(s) in {shown}",
            if hint.is_empty() { "" } else { "; " },
            errors.len() - 1
        ));
    }
    Err(
        Error::user(format!("invalid {what}: {}", first.message)).hint(if hint.is_empty() {
            fallback.to_string()
        } else {
            hint
        }),
    )
}

/// Read a YAML (or, by extension, JSON) file and validate it against the
/// named embedded schema (`config`, `policy`, `event`, `events/<type>`).
/// Returns an ok finding with the file's sha256, then either the problems
/// (each with file and line when known) or an ok "<schema> valid". Checks
/// are named `<schema>.read`, `<schema>.yaml`, `<schema>.schema`. The config
/// is checked alone here, without its layers; use [`doctor_config`] for the
/// resolved config.
pub fn check_file(schema_name: &str, path: &Path, shown: &str) -> Vec<Finding> {
    match fs_err::read(path) {
        Ok(bytes) => check_bytes(schema_name, path, bytes, shown),
        Err(e) => vec![Finding::error(
            &format!("{}.read", schema_name.replace('/', ".")),
            format!("cannot read {shown}: {}", crate::error::chain_text(&e)),
            Some(format!("check that {shown} is a readable file")),
            Some(shown.into()),
            None,
        )],
    }
}

/// [`check_file`] over content already read from `path`.
pub fn check_bytes(schema_name: &str, path: &Path, bytes: Vec<u8>, shown: &str) -> Vec<Finding> {
    let prefix = schema_name.replace('/', ".");
    let read = |suffix: &str| format!("{prefix}.{suffix}");
    let mut findings = vec![Finding::ok(
        &read("file"),
        format!("read {shown} ({})", sha256_tagged(&bytes)),
        Some(shown.into()),
    )];
    let Ok(text) = String::from_utf8(bytes) else {
        findings.push(Finding::error(
            &read("yaml"),
            format!("{shown} is not UTF-8 text"),
            Some(format!("save {shown} as UTF-8")),
            Some(shown.into()),
            None,
        ));
        return findings;
    };
    let is_json = path.extension().is_some_and(|e| e == "json");
    let doc = if is_json {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => yaml::Doc {
                value,
                lines: BTreeMap::new(),
            },
            Err(e) => {
                findings.push(Finding::error(
                    &read("json"),
                    format!("{shown}:{}: JSON syntax error: {e}", e.line()),
                    Some(format!("correct the JSON at {shown}:{}", e.line())),
                    Some(shown.into()),
                    Some(e.line()),
                ));
                return findings;
            }
        }
    } else {
        match yaml::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                findings.push(Finding::error(
                    &read("yaml"),
                    format!("{shown}:{}: {}", e.line, e.message),
                    Some(e.fix),
                    Some(shown.into()),
                    Some(e.line),
                ));
                return findings;
            }
        }
    };
    match schema::validate(schema_name, &doc.value) {
        Err(e) => findings.push(Finding::error(
            &read("schema"),
            e,
            None,
            Some(shown.into()),
            None,
        )),
        Ok(issues) if issues.is_empty() => {
            findings.push(Finding::ok(
                &read("schema"),
                format!("{schema_name} valid"),
                Some(shown.into()),
            ));
        }
        Ok(issues) => {
            let mut errors: Vec<Finding> = issues
                .iter()
                .map(|issue| {
                    let located = nearest_line(&doc.lines, &issue.pointer)
                        .map(|line| (shown.to_string(), line));
                    let mut f = issue_finding(&read("schema"), issue, located);
                    f.file.get_or_insert_with(|| shown.to_string());
                    f
                })
                .collect();
            // Top to bottom, as the file reads.
            errors.sort_by_key(|f| f.line.unwrap_or(0));
            findings.extend(errors);
        }
    }
    findings
}

/// The line of `pointer`, or of its nearest ancestor with one.
fn nearest_line(lines: &BTreeMap<String, usize>, pointer: &str) -> Option<usize> {
    let mut p = pointer;
    loop {
        if let Some(l) = lines.get(p) {
            return Some(*l);
        }
        if p.is_empty() {
            return None;
        }
        p = &p[..p.rfind('/').unwrap_or(0)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EXAMPLE_FILES;

    #[test]
    fn policy_example_is_valid_and_problems_have_lines() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join(".codexa")).unwrap();
        let findings = doctor_policy(t.path());
        assert_eq!(findings[0].status, Status::Warn);

        std::fs::write(t.path().join(POLICY_FILE), EXAMPLE_FILES[1].1).unwrap();
        let findings = doctor_policy(t.path());
        assert!(
            findings.iter().all(|f| f.status == Status::Ok),
            "{findings:?}"
        );
        assert_eq!(findings.last().unwrap().message, "policy valid");

        std::fs::write(
            t.path().join(POLICY_FILE),
            "version: 1\ndefault: {decision: allow, reason_code: default_allow}\nrules:\n  - action: git.push\n    decison: deny\n    reason_code: no\n",
        )
        .unwrap();
        let findings = doctor_policy(t.path());
        let errs: Vec<_> = findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .collect();
        assert!(
            errs.iter()
                .any(|f| f.line == Some(5) && f.message.contains("did you mean `decision`?")),
            "{errs:#?}"
        );
        assert!(
            errs.iter().any(|f| f
                .message
                .contains("missing required key `decision` in `rules[0]`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn policy_duplicate_rule_ids_warn() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join(".codexa")).unwrap();
        std::fs::write(
            t.path().join(POLICY_FILE),
            "version: 1\ndefault: {decision: allow, reason_code: default_allow}\nrules:\n  - id: a\n    action: git.push\n    decision: deny\n    reason_code: x\n  - id: a\n    action: shell.exec\n    decision: deny\n    reason_code: y\n",
        )
        .unwrap();
        let findings = doctor_policy(t.path());
        let warn = findings.iter().find(|f| f.status == Status::Warn).unwrap();
        assert_eq!(warn.line, Some(8));
    }
}
