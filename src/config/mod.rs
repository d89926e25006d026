//! Config, policy and schemas (DESIGN §4, §6): reading `.codexa/config.yaml`
//! through its `extends` layers, validating it and `.codexa/policy.yaml`
//! against the embedded JSON Schemas with every problem traced to a file and
//! line, and the resolved config's hash that events carry as provenance.
//! Everything here reports problems as data (`Finding`s) so `doctor` can show
//! them all at once; `load` turns the first into an error for commands that
//! simply need a valid config.

pub mod layers;
pub mod schema;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::fsutil::sha256_tagged;

pub use layers::Env;

/// The project config, relative to the work dir.
pub const CONFIG_FILE: &str = ".codexa/config.yaml";
/// The policy, relative to the work dir.
pub const POLICY_FILE: &str = ".codexa/policy.yaml";

/// Defaults the foundation relies on; the schema declares the same values.
pub const DEFAULT_SEGMENT_MAX_BYTES: u64 = 4_194_304;
pub const DEFAULT_SYNC_REMOTE: &str = "origin";

/// What `codexa init` writes under `.codexa/` (path relative to `.codexa/`,
/// contents). No `.gitignore`: the log and its caches live in the git
/// directory, so nothing under `.codexa/` is derived.
pub const EXAMPLE_FILES: &[(&str, &str)] = &[
    (
        "config.yaml",
        include_str!("../../.codexa-example/config.yaml"),
    ),
    (
        "policy.yaml",
        include_str!("../../.codexa-example/policy.yaml"),
    ),
];

/// One file that went into the resolved config, in merge order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub path: PathBuf,
    pub sha256: String,
}

/// The typed settings the store and sync read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub segment_max_bytes: u64,
    pub sync_remote: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            segment_max_bytes: DEFAULT_SEGMENT_MAX_BYTES,
            sync_remote: DEFAULT_SYNC_REMOTE.to_string(),
        }
    }
}

impl Settings {
    fn from_value(v: &Value) -> Settings {
        let d = Settings::default();
        Settings {
            segment_max_bytes: v
                .pointer("/store/segment_max_bytes")
                .and_then(Value::as_u64)
                .unwrap_or(d.segment_max_bytes),
            sync_remote: v
                .pointer("/sync/remote")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or(d.sync_remote),
        }
    }
}

/// The config after layering and validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// Every layer merged, `extends` removed, schema defaults filled in: the
    /// values codexa actually uses.
    pub value: Value,
    pub settings: Settings,
    pub layers: Vec<Layer>,
    /// `sha256:` of the RFC 8785 canonical JSON of `value`: the provenance
    /// events record. Defaults are included so a change of default in a new
    /// codexa shows as a new hash.
    pub hash: String,
}

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

/// What `codexa doctor config` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigReport {
    pub findings: Vec<Finding>,
    pub layers: Vec<Layer>,
    /// Present when the config is valid.
    pub resolved_hash: Option<String>,
    /// Present when the config is valid.
    pub resolved: Option<Value>,
}

/// Resolve and validate the config of the work tree at `workdir`, using
/// `$HOME` and `$CODEXA_CONFIG_HOME` for the user layer. A missing
/// `.codexa/config.yaml` gives the defaults and no layers (the user layer is
/// only read for an initialised workspace).
pub fn load(workdir: &Path) -> Result<Resolved> {
    load_with(workdir, &Env::from_process())
}

/// [`load`] with an explicit environment.
pub fn load_with(workdir: &Path, env: &Env) -> Result<Resolved> {
    let eval = evaluate(workdir, env);
    let mut errors = eval.findings.iter().filter(|f| f.status == Status::Error);
    if let Some(first) = errors.next() {
        let more = errors.count();
        let mut hint = first.fix.clone().unwrap_or_default();
        if more > 0 {
            if !hint.is_empty() {
                hint.push_str("; ");
            }
            hint.push_str(&format!(
                "{more} more problem{}: run `codexa doctor config` to see them all",
                if more == 1 { "" } else { "s" }
            ));
        }
        let err = Error::user(format!("invalid config: {}", first.message));
        return Err(if hint.is_empty() { err } else { err.hint(hint) });
    }
    eval.resolved.ok_or_else(|| {
        // evaluate() leaves `resolved` empty only alongside an error finding.
        Error::user("invalid config").hint("run `codexa doctor config`")
    })
}

/// Check the config the way [`load`] reads it, reporting every problem as a
/// finding, plus one ok finding per layer read (with its sha256) and a
/// final "config valid" when all is well. Never fails.
pub fn doctor_config(workdir: &Path) -> ConfigReport {
    doctor_config_with(workdir, &Env::from_process())
}

/// [`doctor_config`] with an explicit environment.
pub fn doctor_config_with(workdir: &Path, env: &Env) -> ConfigReport {
    let eval = evaluate(workdir, env);
    ConfigReport {
        findings: eval.findings,
        layers: eval.layers,
        resolved_hash: eval.resolved.as_ref().map(|r| r.hash.clone()),
        resolved: eval.resolved.map(|r| r.value),
    }
}

struct Evaluation {
    findings: Vec<Finding>,
    layers: Vec<Layer>,
    resolved: Option<Resolved>,
}

fn evaluate(workdir: &Path, env: &Env) -> Evaluation {
    let repo_file = workdir.join(CONFIG_FILE);
    let mut findings = Vec::new();
    match repo_file.try_exists() {
        Ok(true) => {}
        Ok(false) => {
            findings.push(Finding::warn(
                "config.file",
                format!("no {CONFIG_FILE}; built-in defaults apply"),
                Some("codexa init".into()),
                Some(CONFIG_FILE.into()),
            ));
            let resolved = finish(serde_json::json!({"version": 1}), Vec::new());
            return Evaluation {
                findings,
                layers: Vec::new(),
                resolved: Some(resolved),
            };
        }
        Err(e) => {
            findings.push(Finding::error(
                "config.read",
                format!("cannot check {CONFIG_FILE}: {e}"),
                Some(format!(
                    "check the permissions of {}",
                    workdir.join(".codexa").display()
                )),
                Some(CONFIG_FILE.into()),
                None,
            ));
            return Evaluation {
                findings,
                layers: Vec::new(),
                resolved: None,
            };
        }
    }

    let stack = layers::resolve(&repo_file, workdir, env);
    let layers: Vec<Layer> = stack
        .layers
        .iter()
        .map(|l| Layer {
            path: l.path.clone(),
            sha256: l.sha256.clone(),
        })
        .collect();
    for l in &stack.layers {
        findings.push(Finding::ok(
            "config.layer",
            format!("read {} ({})", l.shown, l.sha256),
            Some(l.shown.clone()),
        ));
    }
    if !stack.problems.is_empty() {
        // Without every layer the merged value means little; schema errors
        // from it would only mislead (e.g. `version` missing because the
        // layer setting it failed to read).
        findings.extend(stack.problems);
        return Evaluation {
            findings,
            layers,
            resolved: None,
        };
    }

    let merged = layers::merge(&stack.layers);
    // A config already found valid (same merged value, same codexa) need not
    // be validated again: compiling the schema was a fifth of a short
    // command's CPU. The record lives in the store's cache, never in
    // `.codexa/`.
    let key = format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        crate::fsutil::sha256_tagged(&crate::store::event::canonical(&merged))
    );
    let known_valid = env
        .valid_cache
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|k| k.trim() == key);
    let issues = if known_valid {
        Ok(Vec::new())
    } else {
        schema::validate("config", &merged)
    };
    if let (Ok(found), Some(path), false) = (&issues, &env.valid_cache, known_valid)
        && found.is_empty()
        && path.parent().is_some_and(Path::is_dir)
    {
        // Best effort: a failure only means validating again next time.
        let _ = crate::fsutil::write_atomic(path, key.as_bytes());
    }
    let issues = match issues {
        Ok(issues) => issues,
        Err(e) => {
            findings.push(Finding::error("config.schema", e, None, None, None));
            return Evaluation {
                findings,
                layers,
                resolved: None,
            };
        }
    };
    if !issues.is_empty() {
        // Report in reading order: by layer, then line, so a user can fix
        // top to bottom (jsonschema's order follows the schema instead).
        let mut located: Vec<_> = issues
            .iter()
            .map(|issue| {
                let at = layers::origin(&stack.layers, &issue.pointer);
                let order = at.map(|(l, line)| {
                    let idx = stack.layers.iter().position(|x| std::ptr::eq(x, l));
                    (idx.unwrap_or(usize::MAX), line)
                });
                (
                    order.unwrap_or((usize::MAX, 0)),
                    issue,
                    at.map(|(l, line)| (l.shown.clone(), line)),
                )
            })
            .collect();
        located.sort_by_key(|(order, _, _)| *order);
        for (_, issue, at) in located {
            findings.push(issue_finding("config.schema", issue, at));
        }
        return Evaluation {
            findings,
            layers,
            resolved: None,
        };
    }
    findings.push(Finding::ok("config.schema", "config valid", None));
    let resolved = finish(merged, layers.clone());
    Evaluation {
        findings,
        layers,
        resolved: Some(resolved),
    }
}

/// Fill defaults and hash a valid merged config.
fn finish(mut value: Value, layers: Vec<Layer>) -> Resolved {
    schema::apply_defaults("config", &mut value);
    // The schema gives `extends` a default too, but it names inputs, not
    // settings, and is never part of the resolved value.
    if let Some(obj) = value.as_object_mut() {
        obj.remove("extends");
    }
    let settings = Settings::from_value(&value);
    let hash = canonical_hash(&value);
    Resolved {
        value,
        settings,
        layers,
        hash,
    }
}

fn canonical_hash(value: &Value) -> String {
    // Canonicalising a serde_json::Value cannot fail: its keys are strings
    // and its numbers finite. The fallback keeps this total regardless.
    let bytes =
        serde_json_canonicalizer::to_vec(value).unwrap_or_else(|_| value.to_string().into_bytes());
    sha256_tagged(&bytes)
}

/// A schema issue as a finding, located at `file:line` when known.
fn issue_finding(check: &str, issue: &schema::Issue, located: Option<(String, usize)>) -> Finding {
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
    let findings = check_file(schema_name, path, shown);
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
    let prefix = schema_name.replace('/', ".");
    let read = |suffix: &str| format!("{prefix}.{suffix}");
    let bytes = match fs_err::read(path) {
        Ok(b) => b,
        Err(e) => {
            return vec![Finding::error(
                &read("read"),
                format!("cannot read {shown}: {}", crate::error::chain_text(&e)),
                Some(format!("check that {shown} is a readable file")),
                Some(shown.into()),
                None,
            )];
        }
    };
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

/// Check an event's `data` against `schemas/events/<kind>.schema.json` when
/// codexa has one; types without a schema pass (the set grows over time).
pub fn validate_event_data(kind: &str, data: &Value) -> Result<()> {
    let name = format!("events/{kind}");
    if schema::source(&name).is_none() {
        return Ok(());
    }
    match schema::validate(&name, data) {
        Ok(issues) if issues.is_empty() => Ok(()),
        Ok(issues) => Err(Error::user(format!(
            "`{kind}` event data does not match its schema: {}",
            issue_texts(&issues).join("; ")
        ))
        .hint(format!("see schemas/events/{kind}.schema.json"))),
        // A broken embedded schema is codexa's bug, not the caller's input.
        Err(e) => Err(Error::new(ErrorKind::Internal, e)),
    }
}

/// Problems with an event envelope against `schemas/event.schema.json`;
/// empty when it conforms.
pub fn validate_envelope(event: &Value) -> Vec<String> {
    match schema::validate("event", event) {
        Ok(issues) => issue_texts(&issues),
        Err(e) => vec![e],
    }
}

fn issue_texts(issues: &[schema::Issue]) -> Vec<String> {
    issues
        .iter()
        .map(|i| match &i.detail {
            Some(d) => format!("{} ({d})", i.what),
            None => i.what.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repo(text: &str) -> (tempfile::TempDir, PathBuf, Env) {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        std::fs::create_dir_all(w.join(".codexa")).unwrap();
        std::fs::write(w.join(CONFIG_FILE), text).unwrap();
        let env = Env {
            home: Some(t.path().join("home")),
            config_home: None,
            valid_cache: None,
        };
        (t, w, env)
    }

    fn errors(r: &ConfigReport) -> Vec<&Finding> {
        r.findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .collect()
    }

    #[test]
    fn missing_file_gives_defaults() {
        let t = tempfile::tempdir().unwrap();
        let env = Env::default();
        let r = load_with(t.path(), &env).unwrap();
        assert!(r.layers.is_empty());
        assert_eq!(r.settings, Settings::default());
        assert_eq!(r.value["version"], 1);
        assert!(r.hash.starts_with("sha256:"));
        let report = doctor_config_with(t.path(), &env);
        assert_eq!(report.findings[0].status, Status::Warn);
        assert_eq!(report.findings[0].fix.as_deref(), Some("codexa init"));
        assert_eq!(report.resolved_hash.as_deref(), Some(r.hash.as_str()));
    }

    #[test]
    fn example_config_loads_to_defaults() {
        let (_t, w, env) = repo(EXAMPLE_FILES[0].1);
        let r = load_with(&w, &env).unwrap();
        assert_eq!(r.settings, Settings::default());
        assert_eq!(r.layers.len(), 1);
        assert!(r.value.get("extends").is_none());
        // Identical to having no file at all: the example pins nothing.
        let none = load_with(tempfile::tempdir().unwrap().path(), &env).unwrap();
        assert_eq!(r.value, none.value);
        assert_eq!(r.hash, none.hash);
    }

    #[test]
    fn settings_and_hash_follow_values() {
        let (_t, w, env) =
            repo("version: 1\nstore:\n  segment_max_bytes: 65536\nsync:\n  remote: upstream\n");
        let r = load_with(&w, &env).unwrap();
        assert_eq!(r.settings.segment_max_bytes, 65536);
        assert_eq!(r.settings.sync_remote, "upstream");
        let canon = serde_json_canonicalizer::to_vec(&r.value).unwrap();
        assert_eq!(r.hash, sha256_tagged(&canon));
        assert_eq!(
            r.layers[0].sha256,
            sha256_tagged(std::fs::read(w.join(CONFIG_FILE)).unwrap().as_slice())
        );
    }

    #[test]
    fn doctor_reports_layers_then_valid() {
        let (_t, w, env) = repo("version: 1\n");
        let r = doctor_config_with(&w, &env);
        assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
        assert_eq!(r.findings[0].check, "config.layer");
        assert!(r.findings[0].message.contains("sha256:"));
        assert_eq!(r.findings[1].message, "config valid");
        assert!(r.resolved.is_some() && r.resolved_hash.is_some());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["findings"][1]["status"], "ok");
    }

    #[test]
    fn unknown_key_with_line_and_suggestion() {
        let (_t, w, env) =
            repo("version: 1\nsync:\n  remote: origin\nstore:\n  segmnt_max_bytes: 70000\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1, "{:?}", r.findings);
        assert_eq!(
            errs[0].message,
            "unknown key `segmnt_max_bytes` in `store` at .codexa/config.yaml:5; did you mean `segment_max_bytes`?"
        );
        assert_eq!(errs[0].line, Some(5));
        assert_eq!(errs[0].file.as_deref(), Some(".codexa/config.yaml"));
        assert_eq!(
            errs[0].fix.as_deref(),
            Some("rename `segmnt_max_bytes` to `segment_max_bytes` at .codexa/config.yaml:5")
        );
        assert!(r.resolved.is_none() && r.resolved_hash.is_none());

        let err = load_with(&w, &env).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::User);
        assert!(
            err.message().contains(".codexa/config.yaml:5"),
            "{}",
            err.message()
        );
        assert!(err.hint_text().unwrap().contains("rename"));
    }

    #[test]
    fn unknown_top_level_key() {
        let (_t, w, env) = repo("version: 1\nsyncc:\n  remote: x\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(
            errs[0].message,
            "unknown key `syncc` at .codexa/config.yaml:2; did you mean `sync`?"
        );
    }

    #[test]
    fn error_in_extended_layer_names_that_layer() {
        let (t, w, env) = repo("version: 1\nextends: [../team.yaml]\nsync:\n  remote: origin\n");
        std::fs::write(
            w.join("team.yaml"),
            "# team defaults\nstore:\n  segment_max_bytes: 1024\n",
        )
        .unwrap();
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1, "{:?}", r.findings);
        assert_eq!(errs[0].file.as_deref(), Some("team.yaml"));
        assert_eq!(errs[0].line, Some(3));
        assert!(
            errs[0].message.contains("`store.segment_max_bytes`"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].message.contains("65536"), "{}", errs[0].message);
        // Overridden in the repo file, the bad value no longer matters.
        std::fs::write(
            w.join(CONFIG_FILE),
            "version: 1\nextends: [../team.yaml]\nstore:\n  segment_max_bytes: 65536\n",
        )
        .unwrap();
        let r = load_with(&w, &env).unwrap();
        assert_eq!(r.settings.segment_max_bytes, 65536);
        assert_eq!(r.layers.len(), 2);
        drop(t);
    }

    #[test]
    fn yaml_syntax_error_is_an_error_with_line() {
        let (_t, w, env) = repo("version: 1\nsync:\n  remote: \"origin\n");
        let err = load_with(&w, &env).unwrap_err();
        assert!(
            err.message()
                .starts_with("invalid config: .codexa/config.yaml:"),
            "{}",
            err.message()
        );
        assert!(
            err.message().contains("YAML syntax error"),
            "{}",
            err.message()
        );
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs[0].check, "config.yaml");
        assert!(errs[0].line.unwrap() >= 3);
    }

    #[test]
    fn missing_extends_target_is_reported_with_fix() {
        let (_t, w, env) = repo("version: 1\nextends:\n  - ../gone.yaml\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].fix.as_deref().unwrap().contains("create gone.yaml"));
        assert!(load_with(&w, &env).is_err());
    }

    #[test]
    fn missing_version_points_at_repo_file() {
        let (_t, w, env) = repo("sync:\n  remote: origin\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(
            errs[0].message,
            "missing required key `version` at .codexa/config.yaml:1"
        );
        assert_eq!(
            errs[0].fix.as_deref(),
            Some("add `version: 1` at the top level (.codexa/config.yaml:1)")
        );
    }

    #[test]
    fn several_problems_are_all_reported() {
        let (_t, w, env) = repo(
            "version: 2\nagents:\n  bob:\n    provider: gpt\n    role: reviewer\n    colour: red\n",
        );
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 3, "{:#?}", errs);
        let lines: Vec<_> = errs.iter().map(|f| f.line.unwrap()).collect();
        assert!(
            lines.contains(&1) && lines.contains(&4) && lines.contains(&6),
            "{lines:?}"
        );
        let err = load_with(&w, &env).unwrap_err();
        assert!(
            err.hint_text().unwrap().contains("2 more problems"),
            "{:?}",
            err.hint_text()
        );
    }

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

    #[test]
    fn event_data_validation() {
        assert!(validate_event_data("thread.created", &json!({"anything": 1})).is_ok());
        let good = json!({
            "segment": "000001.jsonl", "line": 3, "bytes": 10,
            "sha256": format!("sha256:{}", "a".repeat(64)), "reason": "torn"
        });
        assert!(validate_event_data("log.repaired", &good).is_ok());
        let mut bad = good.clone();
        bad["segment"] = json!("1.jsonl");
        let err = validate_event_data("log.repaired", &bad).unwrap_err();
        assert!(err.message().contains("`segment`"), "{}", err.message());
    }

    #[test]
    fn envelope_validation() {
        let hash = format!("sha256:{}", "0".repeat(64));
        let mut ev = json!({
            "v": 1, "id": "evt_01JABCDEFGHJKMNPQRSTVWXYZ0", "seq": 1,
            "ts": "2025-01-02T03:04:05.678Z", "writer": "wr_01JABC",
            "actor": {"kind": "agent", "id": "worker-a"}, "type": "thread.created",
            "stream": {"type": "thread", "id": "th_1"}, "correlation_id": null,
            "causation_id": null, "idempotency_key": null, "provenance": null,
            "data": {}, "prev": null, "hash": hash, "future_field": true
        });
        assert_eq!(validate_envelope(&ev), Vec::<String>::new());
        ev["seq"] = json!(0);
        ev["actor"]["kind"] = json!("robot");
        ev.as_object_mut().unwrap().remove("hash");
        let problems = validate_envelope(&ev);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    /// Every commented-out key in the example config is at its default:
    /// uncommenting them all must change neither value nor hash, and must
    /// cover every setting the schema fills in.
    #[test]
    fn example_config_comments_are_the_defaults() {
        let uncommented: String = EXAMPLE_FILES[0]
            .1
            .lines()
            .map(|l| {
                let key = l.strip_prefix("# ").filter(|rest| {
                    let t = rest.trim_start();
                    let name: String = t
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    !name.is_empty()
                        && (t[name.len()..].starts_with(": ") || &t[name.len()..] == ":")
                });
                format!("{}\n", key.unwrap_or(l))
            })
            .collect();
        let (_t, w, env) = repo(&uncommented);
        let pinned = load_with(&w, &env).unwrap();
        let stock = load_with(tempfile::tempdir().unwrap().path(), &Env::default()).unwrap();
        assert_eq!(pinned.value, stock.value, "{uncommented}");
        assert_eq!(pinned.hash, stock.hash);
        // And the uncommented file spells out every default-bearing setting.
        let explicit = yaml::parse(&uncommented).unwrap().value;
        let mut filled = explicit.clone();
        schema::apply_defaults("config", &mut filled);
        assert_eq!(filled, explicit, "the example lacks a commented default");
    }

    #[test]
    fn example_files_are_the_checked_in_ones() {
        let names: Vec<_> = EXAMPLE_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["config.yaml", "policy.yaml"]);
    }
}
