//! Secrets never reach git: every string an agent or person writes into the
//! log passes this filter first. Built-in patterns cover common credentials;
//! `redaction.patterns` in config adds more. A match becomes
//! `[REDACTED:<kind>]`, and the event's provenance lists what was redacted
//! where (`provenance.redactions`: kind, JSON pointer, count), so a reader
//! knows text is missing. There is deliberately no way to skip it.
//!
//! The workspace applies it to every event it appends; it depends on
//! nothing but the error type, so the workspace does not depend on the
//! domain built on top of it.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;
use serde_json::Value;

use crate::config::RedactionConfig;
use crate::error::{Error, Result};

/// One redaction: which kind, at which JSON pointer, how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redaction {
    pub kind: String,
    pub path: String,
    pub count: usize,
}

/// Built-in credential shapes, most specific first (an Anthropic key also
/// looks like an OpenAI one), each with the lowercase literals one of which
/// any match must contain. A pattern is compiled and run only when its
/// literal occurs: plain messages, nearly all of them, cost a few substring
/// searches instead of compiling a dozen regexes in every short-lived
/// process (which had been most of a `post`'s CPU). The `password` rule
/// keeps the name and masks only the value.
const BUILT_IN: &[(&str, &[&str], &str)] = &[
    (
        "private_key",
        &["private key"],
        // To the END line, or to the end of the text when it was cut off.
        // PEM and PGP (`… PRIVATE KEY BLOCK-----`) forms.
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)",
    ),
    (
        "aws_access_key",
        &[
            "akia", "asia", "agpa", "aida", "aroa", "anpa", "anva", "aipa",
        ],
        r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b",
    ),
    (
        "aws_secret_key",
        &["aws"],
        r#"(?i)aws.{0,20}?(?:secret|private).{0,20}?['"]?\s*[:=]\s*['"]?[A-Za-z0-9/+]{40}\b"#,
    ),
    (
        "github_token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b",
    ),
    ("gitlab_token", &["glpat-"], r"\bglpat-[A-Za-z0-9_-]{20,}"),
    (
        "anthropic_key",
        &["sk-ant-"],
        r"\bsk-ant-[A-Za-z0-9_-]{20,}",
    ),
    (
        "openai_key",
        &["sk-"],
        r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",
    ),
    ("slack_token", &["xox"], r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    // codexa's own run lease tokens (`codexa run claim`): a command line
    // holding one, reported by an agent's hooks, must not hand it to
    // whoever reads the log.
    (
        "codexa_lease_token",
        &["cxl_"],
        r"\bcxl_[0-9]+_[0-9a-z]{26}\b",
    ),
    (
        "jwt",
        &["eyj"],
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
    ),
    (
        "stripe_key",
        &["_live_", "_test_"],
        r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
    ),
    (
        "bearer_token",
        &["bearer"],
        r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*",
    ),
    (
        "password",
        &["pass", "pwd", "secret", "token", "key"],
        // The name may be any identifier containing a secret word
        // (`DB_PASSWORD`, `STRIPE_SECRET_KEY`, `"db_password"`): `\b` would
        // not see a boundary inside `DB_PASSWORD`, since `_` is a word
        // character. Quoted values may hold spaces.
        r#"(?i)((?:^|[^A-Za-z0-9_])["']?[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*)(?:"[^"\n]*"|'[^'\n]*'|[^\s,;'"]+)"#,
    ),
];

/// A pattern: its name, the literals that gate it (none: always run), and
/// the regex, compiled on first use.
struct Pattern {
    kind: String,
    /// Keep capture groups 1 and 2 (the name and `=`), mask the rest: the
    /// built-in `password` rule only.
    keep_name: bool,
    triggers: &'static [&'static str],
    source: String,
    regex: OnceLock<Regex>,
}

impl Pattern {
    fn regex(&self) -> &Regex {
        // Built-in sources are tested; config sources were compiled once in
        // `from_config` to report errors, so this cannot fail.
        self.regex
            .get_or_init(|| Regex::new(&self.source).expect("checked when loaded"))
    }
}

pub struct Redactor {
    patterns: Vec<Pattern>,
}

impl Redactor {
    /// The built-in patterns plus `redaction.patterns` from the resolved
    /// config.
    pub fn from_config(config: &RedactionConfig) -> Result<Redactor> {
        let mut patterns: Vec<Pattern> = BUILT_IN
            .iter()
            .map(|(kind, triggers, source)| Pattern {
                kind: kind.to_string(),
                keep_name: *kind == "password",
                triggers,
                source: source.to_string(),
                regex: OnceLock::new(),
            })
            .collect();
        for p in &config.patterns {
            let (name, source) = (p.name.clone(), p.regex.as_str());
            let regex = Regex::new(source).map_err(|e| {
                Error::user(format!(
                    "redaction pattern `{name}` is not a valid regex: {e}"
                ))
                .hint("fix `redaction.patterns` in .codexa/config.yaml (Rust regex syntax)")
            })?;
            patterns.push(Pattern {
                kind: name,
                keep_name: false,
                triggers: &[],
                source: source.to_string(),
                regex: OnceLock::from(regex),
            });
        }
        Ok(Redactor { patterns })
    }

    /// Redact one string; returns the new text and what was replaced.
    pub fn text(&self, input: &str) -> (String, Vec<(String, usize)>) {
        let mut text = input.to_string();
        let mut found = Vec::new();
        let lower = input.to_ascii_lowercase();
        for pattern in &self.patterns {
            if !pattern.triggers.is_empty() && !pattern.triggers.iter().any(|t| lower.contains(t)) {
                continue;
            }
            let (kind, regex) = (&pattern.kind, pattern.regex());
            let mut count = 0;
            let marker = format!("[REDACTED:{kind}]");
            let replaced = if pattern.keep_name {
                regex.replace_all(&text, |c: &regex::Captures| {
                    count += 1;
                    format!("{}{}{marker}", &c[1], &c[2])
                })
            } else {
                regex.replace_all(&text, |_: &regex::Captures| {
                    count += 1;
                    marker.clone()
                })
            };
            if count > 0 {
                text = replaced.into_owned();
                found.push((kind.clone(), count));
            }
        }
        (text, found)
    }

    /// Redact every string (and object key) in a JSON value, in place.
    pub fn value(&self, value: &mut Value) -> Vec<Redaction> {
        let mut out = Vec::new();
        self.walk(value, String::new(), &mut out);
        out
    }

    fn walk(&self, value: &mut Value, path: String, out: &mut Vec<Redaction>) {
        match value {
            // codexa's own ids (message ids in read cursors, reply targets)
            // are never secrets, and a broad custom pattern must not
            // rewrite them.
            Value::String(s) if is_codexa_id(s) => {}
            Value::String(s) => {
                let (text, found) = self.text(s);
                for (kind, count) in found {
                    out.push(Redaction {
                        kind,
                        path: path.clone(),
                        count,
                    });
                }
                *s = text;
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(item, format!("{path}/{i}"), out);
                }
            }
            Value::Object(map) => {
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (key, mut item) in entries {
                    let (key, found) = self.text(&key);
                    let here = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                    for (kind, count) in found {
                        out.push(Redaction {
                            kind,
                            path: here.clone(),
                            count,
                        });
                    }
                    // `{"password": "…"}`: the key names a secret, so the
                    // whole value goes, whatever it looks like.
                    if secret_key(&key)
                        && let Value::String(v) = &mut item
                        && !v.is_empty()
                        && !v.starts_with("[REDACTED:")
                    {
                        *v = "[REDACTED:password]".to_string();
                        out.push(Redaction {
                            kind: "password".into(),
                            path: here.clone(),
                            count: 1,
                        });
                    } else {
                        self.walk(&mut item, here, out);
                    }
                    map.insert(key, item);
                }
            }
            _ => {}
        }
    }
}

/// `msg_…`, `evt_…`, `th_…`, `appr_…`, `wr_…` followed by a ULID.
fn is_codexa_id(s: &str) -> bool {
    s.split_once('_').is_some_and(|(prefix, ulid)| {
        matches!(prefix, "msg" | "evt" | "th" | "appr" | "wr")
            && ulid.len() == 26
            && ulid.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Object keys whose string value is a secret by name.
fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace('-', "_");
    matches!(
        k.as_str(),
        "password"
            | "passwd"
            | "pwd"
            | "secret"
            | "client_secret"
            | "api_key"
            | "apikey"
            | "access_token"
            | "auth_token"
            | "refresh_token"
            | "token"
            | "private_key"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> Redactor {
        Redactor::from_config(&crate::config::defaults().redaction).unwrap()
    }

    /// A redactor for a config value written out.
    fn with(config: serde_json::Value) -> Result<Redactor> {
        Redactor::from_config(&crate::config::Config::from_value(config).unwrap().redaction)
    }

    #[test]
    fn built_in_credentials_are_masked() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----";
        let cases = [
            ("key AKIAIOSFODNN7EXAMPLE here", "aws_access_key"),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_key",
            ),
            ("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", "github_token"),
            ("glpat-abcdefghij0123456789", "gitlab_token"),
            ("sk-ant-api03-abcdefghijklmnopqrstuv", "anthropic_key"),
            ("sk-proj-abcdefghijklmnopqrstuvwx", "openai_key"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
                "jwt",
            ),
            (pem, "private_key"),
        ];
        for (input, kind) in cases {
            let (out, found) = r().text(input);
            assert!(
                out.contains(&format!("[REDACTED:{kind}]")),
                "{input} -> {out}"
            );
            assert_eq!(found[0].0, kind, "{input}");
        }
        let (out, _) = r().text("db password=hunter2, user=bob");
        assert_eq!(out, "db password=[REDACTED:password], user=bob");
        // The same assignment in JSON: the key's closing quote sits before `:`.
        let (out, _) = r().text(r#"{"user": "bob", "password": "hunter2"}"#);
        assert_eq!(out, r#"{"user": "bob", "password": [REDACTED:password]}"#);
    }

    #[test]
    fn every_built_in_pattern_compiles_and_its_triggers_are_lowercase() {
        for (kind, triggers, source) in BUILT_IN {
            assert!(Regex::new(source).is_ok(), "{kind}");
            assert!(
                triggers.iter().all(|t| *t == t.to_ascii_lowercase()),
                "{kind}"
            );
        }
    }

    #[test]
    fn secrets_named_by_their_key_and_cut_off_pem_blocks_are_masked() {
        let mut v = serde_json::json!({"user": "bob", "password": "correct horse", "nested": {"API-Key": "abc"}});
        let found = r().value(&mut v);
        assert_eq!(v["password"], "[REDACTED:password]");
        assert_eq!(v["nested"]["API-Key"], "[REDACTED:password]");
        assert_eq!(v["user"], "bob");
        assert_eq!(found.len(), 2);
        let (out, _) = r().text("key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nmore");
        assert_eq!(out, "key:\n[REDACTED:private_key]");
    }

    #[test]
    fn env_files_bearer_tokens_pgp_blocks_and_custom_password_patterns() {
        let env = "DB_PASSWORD=hunter2\nSTRIPE_SECRET_KEY=sk_live_abcdefghijklmnop1234\nSENTRY_AUTH_TOKEN=abc123\nNAME=shop";
        let (out, _) = r().text(env);
        assert!(
            !out.contains("hunter2") && !out.contains("sk_live_") && !out.contains("abc123"),
            "{out}"
        );
        assert!(out.contains("NAME=shop"), "{out}");
        let (out, _) = r().text(r#"config: {"db_password": "correct horse battery"}"#);
        assert!(!out.contains("correct horse"), "{out}");
        let (out, _) = r().text("curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwx'");
        assert!(!out.contains("abcdefghijklmnopqrstuvwx"), "{out}");
        let (out, _) = r().text(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----",
        );
        assert_eq!(out, "[REDACTED:private_key]");
        let custom = with(serde_json::json!({
            "redaction": {"patterns": [{"name": "password", "regex": "hunter[0-9]"}]}
        }))
        .unwrap();
        assert_eq!(
            custom
                .text("x hunter2 y")
                .0
                .matches("[REDACTED:password]")
                .count(),
            1
        );
        let broad = with(serde_json::json!({
            "redaction": {"patterns": [{"name": "ulid", "regex": "[0-9A-Z]{26}"}]}
        }))
        .unwrap();
        let mut v = serde_json::json!({"messages": ["msg_01JB2M5Q1V9ZQ0XK3R7T6W4Y8N"]});
        broad.value(&mut v);
        assert_eq!(v["messages"][0], "msg_01JB2M5Q1V9ZQ0XK3R7T6W4Y8N");
    }

    #[test]
    fn plain_text_is_left_alone() {
        let text = "Refactor the rate limiter; see PR 12 and the AKIA prefix docs.";
        assert_eq!(r().text(text), (text.to_string(), vec![]));
    }

    #[test]
    fn values_are_walked_and_config_patterns_apply() {
        let red = with(serde_json::json!({
            "redaction": {"patterns": [{"name": "ticket", "regex": "TCK-[0-9]+"}]}
        }))
        .unwrap();
        let mut v = serde_json::json!({"body": "see TCK-42", "list": ["AKIAIOSFODNN7EXAMPLE"]});
        let found = red.value(&mut v);
        assert_eq!(v["body"], "see [REDACTED:ticket]");
        assert_eq!(v["list"][0], "[REDACTED:aws_access_key]");
        assert_eq!(found.len(), 2);
        assert!(
            with(serde_json::json!({
                "redaction": {"patterns": [{"name": "bad", "regex": "("}]}
            }))
            .is_err()
        );
    }
}
