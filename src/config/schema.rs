//! The JSON Schemas in `schemas/`, embedded in the binary so validation never
//! depends on where codexa was installed from, and the translation of
//! jsonschema's errors into issues a person can act on: which key, what is
//! wrong, what to write instead (with a "did you mean" for near-miss keys).

use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::text::edit_distance;

/// Every embedded schema by name: `config`, `policy`, `event` (the envelope)
/// and `events/<type>` (one event type's `data`).
pub const SCHEMAS: &[(&str, &str)] = &[
    ("config", include_str!("../../schemas/config.schema.json")),
    ("policy", include_str!("../../schemas/policy.schema.json")),
    ("event", include_str!("../../schemas/event.schema.json")),
    (
        "commands",
        include_str!("../../schemas/commands.schema.json"),
    ),
    (
        "system_manifest",
        include_str!("../../schemas/system_manifest.schema.json"),
    ),
    (
        "loop_plan",
        include_str!("../../schemas/loop_plan.schema.json"),
    ),
    (
        "events/workspace.initialized",
        include_str!("../../schemas/events/workspace.initialized.schema.json"),
    ),
    (
        "events/writer.forked_from",
        include_str!("../../schemas/events/writer.forked_from.schema.json"),
    ),
    (
        "events/writer.accepted",
        include_str!("../../schemas/events/writer.accepted.schema.json"),
    ),
    (
        "events/log.repaired",
        include_str!("../../schemas/events/log.repaired.schema.json"),
    ),
    (
        "events/policy.evaluated",
        include_str!("../../schemas/events/policy.evaluated.schema.json"),
    ),
    (
        "events/approval.requested",
        include_str!("../../schemas/events/approval.requested.schema.json"),
    ),
    (
        "events/approval.decided",
        include_str!("../../schemas/events/approval.decided.schema.json"),
    ),
    (
        "events/agent.session_started",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.session_bound",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.turn_started",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.turn_completed",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.waiting_approval",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.waiting_input",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/agent.session_ended",
        include_str!("../../schemas/events/agent.schema.json"),
    ),
    (
        "events/trigger.requested",
        include_str!("../../schemas/events/trigger.requested.schema.json"),
    ),
    (
        "events/trigger.deferred",
        include_str!("../../schemas/events/trigger.deferred.schema.json"),
    ),
    (
        "events/trigger.attempted",
        include_str!("../../schemas/events/trigger.attempted.schema.json"),
    ),
    (
        "events/trigger.delivered",
        include_str!("../../schemas/events/trigger.delivered.schema.json"),
    ),
    (
        "events/trigger.failed",
        include_str!("../../schemas/events/trigger.failed.schema.json"),
    ),
    (
        "events/worktree.created",
        include_str!("../../schemas/events/worktree.created.schema.json"),
    ),
    (
        "events/worktree.removed",
        include_str!("../../schemas/events/worktree.removed.schema.json"),
    ),
    (
        "events/report.published",
        include_str!("../../schemas/events/report.published.schema.json"),
    ),
    (
        "events/run.created",
        include_str!("../../schemas/events/run.created.schema.json"),
    ),
    (
        "events/run.claimed",
        include_str!("../../schemas/events/run.claimed.schema.json"),
    ),
    (
        "events/run.heartbeat",
        include_str!("../../schemas/events/run.heartbeat.schema.json"),
    ),
    (
        "events/run.lease_renewed",
        include_str!("../../schemas/events/run.lease_renewed.schema.json"),
    ),
    (
        "events/run.released",
        include_str!("../../schemas/events/run.released.schema.json"),
    ),
    (
        "events/run.started",
        include_str!("../../schemas/events/run.started.schema.json"),
    ),
    (
        "events/run.completed",
        include_str!("../../schemas/events/run.completed.schema.json"),
    ),
    (
        "events/run.failed",
        include_str!("../../schemas/events/run.failed.schema.json"),
    ),
    (
        "events/run.cancelled",
        include_str!("../../schemas/events/run.cancelled.schema.json"),
    ),
    (
        "events/run.lease_expired",
        include_str!("../../schemas/events/run.lease_expired.schema.json"),
    ),
    (
        "events/run.step_added",
        include_str!("../../schemas/events/run.step_added.schema.json"),
    ),
    (
        "events/run.toolcall_started",
        include_str!("../../schemas/events/run.toolcall_started.schema.json"),
    ),
    (
        "events/run.toolcall_succeeded",
        include_str!("../../schemas/events/run.toolcall_succeeded.schema.json"),
    ),
    (
        "events/run.toolcall_failed",
        include_str!("../../schemas/events/run.toolcall_failed.schema.json"),
    ),
    (
        "events/run.artifact_added",
        include_str!("../../schemas/events/run.artifact_added.schema.json"),
    ),
    (
        "events/incident.opened",
        include_str!("../../schemas/events/incident.opened.schema.json"),
    ),
    (
        "events/incident.resolved",
        include_str!("../../schemas/events/incident.resolved.schema.json"),
    ),
    (
        "events/trust.accepted",
        include_str!("../../schemas/events/trust.accepted.schema.json"),
    ),
    (
        "events/trust.declined",
        include_str!("../../schemas/events/trust.declined.schema.json"),
    ),
    (
        "events/trust.constraint_retired",
        include_str!("../../schemas/events/trust.constraint_retired.schema.json"),
    ),
];

struct Compiled {
    schema: Value,
    validator: Validator,
}

/// A schema's parsed JSON, once per process. Filling defaults needs only
/// this, not a compiled validator.
fn parsed(name: &str) -> Option<&'static Result<Value, String>> {
    static CELLS: [OnceLock<Result<Value, String>>; SCHEMAS.len()] =
        [const { OnceLock::new() }; SCHEMAS.len()];
    let i = SCHEMAS.iter().position(|(n, _)| *n == name)?;
    Some(CELLS[i].get_or_init(|| {
        serde_json::from_str::<Value>(SCHEMAS[i].1)
            .map_err(|e| format!("schemas/{name}.schema.json is not JSON: {e}"))
    }))
}

/// A schema compiled once per process, when first used: a command that
/// appends one event compiles only the schemas it touches (compiling all of
/// them was a fifth of an append's CPU). A schema that fails to compile is a
/// bug in codexa itself (tests compile them all), reported as an issue
/// rather than a panic so `doctor` still prints everything else.
fn compiled(name: &str) -> Option<&'static Result<Compiled, String>> {
    static CELLS: [OnceLock<Result<Compiled, String>>; SCHEMAS.len()] =
        [const { OnceLock::new() }; SCHEMAS.len()];
    let i = SCHEMAS.iter().position(|(n, _)| *n == name)?;
    Some(CELLS[i].get_or_init(|| {
        let schema = parsed(name).expect("listed above").clone()?;
        jsonschema::validator_for(&schema)
            .map(|validator| Compiled { schema, validator })
            .map_err(|e| format!("schemas/{name}.schema.json does not compile: {e}"))
    }))
}

/// The embedded source of a schema, by name.
pub fn source(name: &str) -> Option<&'static str> {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// What to do about an issue. Rendered by the caller, which knows the file
/// and line the offending pointer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// A key close to a known one: rename it.
    Rename { from: String, to: String },
    /// A key nothing like a known one: remove it.
    Remove { key: String, known: Vec<String> },
    /// A required key is absent: add it.
    Add {
        key: String,
        parent: String,
        example: Option<String>,
    },
    /// A value is wrong: edit it.
    Edit {
        path: String,
        expected: Option<String>,
    },
}

/// One schema violation, located by JSON pointer into the instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The pointer whose line to report (the offending key itself for
    /// unknown keys, the enclosing object for missing ones).
    pub pointer: String,
    /// What is wrong, without location, e.g. "unknown key `segmnt`".
    pub what: String,
    /// Said after the location, e.g. "did you mean `segment`?".
    pub detail: Option<String>,
    pub remedy: Remedy,
}

impl Issue {
    /// The fix as text to paste or follow, given where the pointer lives.
    pub fn fix(&self, at: &str) -> String {
        match &self.remedy {
            Remedy::Rename { from, to } => format!("rename `{from}` to `{to}` at {at}"),
            Remedy::Remove { key, known } if known.is_empty() => {
                format!("remove `{key}` at {at}; no keys are allowed there")
            }
            Remedy::Remove { key, known } => format!(
                "remove `{key}` at {at} (keys allowed there: {})",
                known.join(", ")
            ),
            Remedy::Add {
                key,
                parent,
                example,
            } => {
                let place = if parent.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("under `{parent}`")
                };
                match example {
                    Some(ex) => format!("add `{ex}` {place} ({at})"),
                    None => format!("add `{key}` {place} ({at})"),
                }
            }
            Remedy::Edit { path, expected } => match expected {
                Some(e) => format!("edit `{path}` at {at}: {e}"),
                None => format!("edit `{path}` at {at}"),
            },
        }
    }
}

/// Validate `instance` against the named schema. `Err` only when the name is
/// unknown or the embedded schema is broken.
pub fn validate(name: &str, instance: &Value) -> Result<Vec<Issue>, String> {
    let compiled = match compiled(name) {
        Some(Ok(c)) => c,
        Some(Err(e)) => return Err(e.clone()),
        None => return Err(format!("no schema named `{name}`")),
    };
    let mut issues = Vec::new();
    for error in compiled.validator.iter_errors(instance) {
        let pointer = error.instance_path().as_str().to_string();
        let sub = schema_at(&compiled.schema, &pointer);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(sub.unwrap_or(&Value::Null));
                for key in unexpected {
                    issues.push(unknown_key(&pointer, key, &known));
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default().to_string();
                let example = sub
                    .and_then(|s| s.get("properties"))
                    .and_then(|p| p.get(&key))
                    .and_then(|p| resolve_ref(&compiled.schema, p))
                    .and_then(|p| p.get("const").or_else(|| p.get("default")))
                    .filter(|v| !v.is_object() && !v.is_array())
                    .map(|v| format!("{key}: {}", scalar_text(v)));
                issues.push(Issue {
                    pointer: pointer.clone(),
                    what: if pointer.is_empty() {
                        format!("missing required key `{key}`")
                    } else {
                        format!("missing required key `{key}` in `{}`", dotted(&pointer))
                    },
                    detail: None,
                    remedy: Remedy::Add {
                        key,
                        parent: dotted(&pointer),
                        example,
                    },
                });
            }
            _ => {
                let path = if pointer.is_empty() {
                    "(top level)".to_string()
                } else {
                    dotted(&pointer)
                };
                let expected = sub
                    .and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                issues.push(Issue {
                    pointer: pointer.clone(),
                    what: format!("`{path}`: {error}"),
                    detail: None,
                    remedy: Remedy::Edit { path, expected },
                });
            }
        }
    }
    Ok(issues)
}

fn unknown_key(parent: &str, key: &str, known: &[String]) -> Issue {
    let pointer = format!("{parent}/{}", super::yaml::escape_segment(key));
    let suggestion = suggest(key, known);
    let place = if parent.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", dotted(parent))
    };
    Issue {
        pointer,
        what: format!("unknown key `{key}`{place}"),
        detail: suggestion.as_ref().map(|s| format!("did you mean `{s}`?")),
        remedy: match suggestion {
            Some(to) => Remedy::Rename {
                from: key.to_string(),
                to,
            },
            None => Remedy::Remove {
                key: key.to_string(),
                known: known.to_vec(),
            },
        },
    }
}

/// The closest known key within edit distance 2 (ties go to the first in
/// sorted order, so the suggestion is stable).
pub fn suggest(key: &str, known: &[String]) -> Option<String> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= 2)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, k)| k.clone())
}

fn known_keys(schema: &Value) -> Vec<String> {
    let mut keys: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// Follow a local `$ref` (`#/…`); our schemas use no other kind.
fn resolve_ref<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut cur = schema;
    // A chain of refs is short; the bound only guards against a loop.
    for _ in 0..8 {
        match cur.get("$ref").and_then(Value::as_str) {
            Some(r) => cur = root.pointer(r.strip_prefix('#')?)?,
            None => return Some(cur),
        }
    }
    None
}

/// The subschema describing the instance at `pointer`, walking `properties`,
/// `additionalProperties` and `items` the way our schemas are built.
fn schema_at<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut cur = resolve_ref(root, root)?;
    if pointer.is_empty() {
        return Some(cur);
    }
    for raw in pointer[1..].split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        let next = cur
            .get("properties")
            .and_then(|p| p.get(&seg))
            .or_else(|| cur.get("items").filter(|_| seg.parse::<usize>().is_ok()))
            .or_else(|| cur.get("additionalProperties").filter(|a| a.is_object()))?;
        cur = resolve_ref(root, next)?;
    }
    Some(cur)
}

/// A pointer as a person writes the path: `/rules/2/decision` →
/// `rules[2].decision`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    if pointer.is_empty() {
        return out;
    }
    for raw in pointer[1..].split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if seg.parse::<usize>().is_ok() && !out.is_empty() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Fill in every `default` the schema declares for properties the instance
/// leaves out, descending into objects, so the resolved config shows (and
/// its hash covers) the values codexa will really use.
pub fn apply_defaults(name: &str, instance: &mut Value) {
    if let Some(Ok(schema)) = parsed(name) {
        fill(schema, schema, instance);
    }
}

fn fill(root: &Value, schema: &Value, instance: &mut Value) {
    let Some(schema) = resolve_ref(root, schema) else {
        return;
    };
    let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        instance.as_object_mut(),
    ) else {
        return;
    };
    for (key, sub) in props {
        let sub = resolve_ref(root, sub).unwrap_or(sub);
        if !obj.contains_key(key)
            && let Some(default) = sub.get("default")
        {
            obj.insert(key.clone(), default.clone());
        }
        if let Some(child) = obj.get_mut(key) {
            fill(root, sub, child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_compiles() {
        for (name, _) in SCHEMAS {
            assert!(
                matches!(compiled(name), Some(Ok(_))),
                "{name}: {:?}",
                compiled(name).and_then(|r| r.as_ref().err())
            );
        }
    }

    #[test]
    fn every_config_property_has_description_and_default() {
        fn walk(root: &Value, schema: &Value, path: &str) {
            let schema = resolve_ref(root, schema).unwrap();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, sub) in props {
                    let sub_r = resolve_ref(root, sub).unwrap();
                    let p = format!("{path}.{k}");
                    assert!(
                        sub.get("description").is_some() || sub_r.get("description").is_some(),
                        "{p} has no description"
                    );
                    walk(root, sub, &p);
                }
            }
        }
        let schema: Value = serde_json::from_str(source("config").unwrap()).unwrap();
        walk(&schema, &schema, "");
        // Top-level and settable leaf properties carry defaults.
        for k in [
            "version",
            "extends",
            "store",
            "sync",
            "agents",
            "governance",
            "kill_switch",
            "redaction",
            "trigger",
            "worktrees",
            "tmux",
            "runs",
            "trust",
        ] {
            assert!(
                schema["properties"][k].get("default").is_some(),
                "{k} has no default"
            );
        }
    }

    #[test]
    fn unknown_key_suggests_near_miss() {
        let issues = validate(
            "config",
            &json!({"version": 1, "store": {"segmnt_max_bytes": 70000}}),
        )
        .unwrap();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].pointer, "/store/segmnt_max_bytes");
        assert_eq!(issues[0].what, "unknown key `segmnt_max_bytes` in `store`");
        assert_eq!(
            issues[0].detail.as_deref(),
            Some("did you mean `segment_max_bytes`?")
        );
    }

    #[test]
    fn unknown_key_far_from_any_lists_known() {
        let issues = validate("config", &json!({"version": 1, "flavour": "x"})).unwrap();
        assert_eq!(issues[0].detail, None);
        let fix = issues[0].fix("f:2");
        assert!(fix.starts_with("remove `flavour` at f:2"), "{fix}");
        assert!(fix.contains("store, sync"), "{fix}");
    }

    #[test]
    fn missing_version_suggests_line() {
        let issues = validate("config", &json!({})).unwrap();
        assert_eq!(issues[0].what, "missing required key `version`");
        assert_eq!(
            issues[0].fix("c.yaml:1"),
            "add `version: 1` at the top level (c.yaml:1)"
        );
    }

    #[test]
    fn wrong_value_names_dotted_path() {
        let issues = validate("policy", &json!({"version": 1, "default": {"decision": "allow", "reason_code": "x"}, "rules": [{"action": "git.push", "decision": "maybe", "reason_code": "x"}]})).unwrap();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].pointer, "/rules/0/decision");
        assert!(
            issues[0].what.starts_with("`rules[0].decision`:"),
            "{}",
            issues[0].what
        );
    }

    #[test]
    fn suggestion_distance() {
        let known = vec!["remote".to_string(), "segment_max_bytes".to_string()];
        assert_eq!(suggest("remot", &known).as_deref(), Some("remote"));
        assert_eq!(suggest("Remote", &known).as_deref(), Some("remote"));
        assert_eq!(suggest("rmt", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn defaults_fill_objects() {
        let mut v = json!({"version": 1, "sync": {"remote": "upstream"}});
        apply_defaults("config", &mut v);
        assert_eq!(v["store"]["segment_max_bytes"], 4194304);
        assert_eq!(v["sync"]["remote"], "upstream");
        assert_eq!(v["governance"]["loop_guard"]["max_agent_messages"], 8);
        assert_eq!(v["governance"]["rate_guard"]["max_posts_per_minute"], 30);
        assert_eq!(v["kill_switch"]["external_write"], false);
    }

    #[test]
    fn dotted_paths() {
        assert_eq!(dotted("/rules/2/decision"), "rules[2].decision");
        assert_eq!(dotted("/a~1b/c"), "a/b.c");
        assert_eq!(dotted(""), "");
    }
}
