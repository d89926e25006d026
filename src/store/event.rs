//! The event envelope: one canonical JSON object per line,
//! hash-chained within a writer.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const ENVELOPE_VERSION: u32 = 1;

/// Who acted: `{kind: user|agent|service, id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub kind: String,
    pub id: String,
}

impl Actor {
    pub const KINDS: [&'static str; 3] = ["user", "agent", "service"];

    /// Parse `KIND:ID`, e.g. `agent:worker-a`.
    pub fn parse(text: &str) -> Result<Self> {
        let (kind, id) = text.split_once(':').ok_or_else(|| {
            Error::user(format!("actor `{text}` is not KIND:ID"))
                .hint("write e.g. `--actor user:alice` or `--actor agent:worker-a`")
        })?;
        if !Self::KINDS.contains(&kind) {
            return Err(Error::user(format!(
                "actor kind `{kind}` is not one of user, agent, service"
            ))
            .hint("write e.g. `--actor agent:worker-a`"));
        }
        if id.is_empty() {
            return Err(Error::user(format!("actor `{text}` has an empty id")));
        }
        Ok(Actor {
            kind: kind.to_string(),
            id: id.to_string(),
        })
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

/// What an event is about: `{type, id}`, e.g. `{type: thread, id: th_…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

impl StreamRef {
    /// Parse `TYPE:ID`, e.g. `thread:th_01J…`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.split_once(':') {
            Some((kind, id)) if valid_name(kind) && !id.is_empty() => Ok(StreamRef {
                kind: kind.to_string(),
                id: id.to_string(),
            }),
            _ => Err(Error::user(format!("stream `{text}` is not TYPE:ID"))
                .hint("write e.g. `--stream thread:th_01` or `--stream workspace:main`")),
        }
    }
}

impl std::fmt::Display for StreamRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

/// Event types codexa's own commands write, with rules the low-level door
/// (`events append`/`import`) would bypass: who may decide an approval,
/// governance on posts, the chain's housekeeping. Scripts may not write
/// them; they go through the commands that check them.
pub const RESERVED_PREFIXES: &[&str] = &[
    "agent.",
    "approval.",
    "discover.",
    "loop.",
    "policy.",
    "report.",
    "message.",
    "thread.",
    "governance.",
    // Runs, their leases and incidents: only the commands that check the
    // lease token and the run's status may write them.
    "run.",
    "incident.",
    // What a person decided about an agent's earned trust.
    "trust.",
    // The request a trigger job is run on: only one that passed the gate.
    "trigger.requested",
    "writer.",
    "worktree.",
    "log.",
    "workspace.",
];

/// Is `kind` one of codexa's own event types (see `RESERVED_PREFIXES`)?
pub fn reserved_type(kind: &str) -> bool {
    RESERVED_PREFIXES.iter().any(|p| kind.starts_with(p))
}

/// Set for tests that build a log with codexa's own types at chosen times
/// (`events append`/`import` then take them). Like the other test
/// settings, ignored by a process an agent's program runs.
pub const TEST_APPEND_RESERVED_ENV: &str = "CODEXA_TEST_APPEND_RESERVED";

/// `reserved_type`, unless this is a test building its log.
pub fn refused_to_scripts(kind: &str) -> bool {
    reserved_type(kind) && crate::clock::test_setting(TEST_APPEND_RESERVED_ENV).is_none()
}

/// Stream types whose every event is codexa's to write: a script's own
/// type on a run's stream would show in the run as if it were part of it.
pub const RESERVED_STREAMS: &[&str] = &["run", "run_work", "incident", "trust"];

/// May a script (`events append`/`import`) not write an event of `kind`
/// on a stream of `stream_type`? Codexa's own types anywhere, and any
/// type on codexa's own streams.
pub fn refused_to_scripts_on(kind: &str, stream_type: &str) -> bool {
    (reserved_type(kind) || RESERVED_STREAMS.contains(&stream_type))
        && crate::clock::test_setting(TEST_APPEND_RESERVED_ENV).is_none()
}

/// Event types and stream types: lowercase words joined by `.`, `_` or `-`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// An event as stored. Field order here is irrelevant: lines are written as
/// RFC 8785 canonical JSON, which sorts keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub v: u32,
    pub id: String,
    pub seq: u64,
    pub ts: String,
    pub writer: String,
    pub actor: Actor,
    #[serde(rename = "type")]
    pub kind: String,
    pub stream: StreamRef,
    pub correlation_id: Option<String>,
    pub causation_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub provenance: Option<Value>,
    pub data: Value,
    pub prev: Option<String>,
    pub hash: String,
}

/// `events` grouped by stream id, each group in the order given, the
/// groups in the order their streams first appear: what a reader folding
/// many streams from one query (approvals, runs, incidents) needs.
pub fn by_stream(events: Vec<Event>) -> Vec<(String, Vec<Event>)> {
    let mut groups: Vec<(String, Vec<Event>)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for e in events {
        match at.get(&e.stream.id) {
            Some(&i) => groups[i].1.push(e),
            None => {
                at.insert(e.stream.id.clone(), groups.len());
                groups.push((e.stream.id.clone(), vec![e]));
            }
        }
    }
    groups
}

#[cfg(test)]
impl Event {
    /// An event of `kind` with `data` by `agent:worker-a` on `x:1`, every
    /// other field a plain default: for unit tests of what reads events.
    pub fn sample(kind: &str, data: Value) -> Event {
        Event {
            v: ENVELOPE_VERSION,
            id: "evt_1".into(),
            seq: 1,
            ts: "2026-01-01T00:00:00.000Z".into(),
            writer: "wr_1".into(),
            actor: Actor {
                kind: "agent".into(),
                id: "worker-a".into(),
            },
            kind: kind.into(),
            stream: StreamRef {
                kind: "x".into(),
                id: "1".into(),
            },
            correlation_id: None,
            causation_id: None,
            idempotency_key: None,
            provenance: None,
            data,
            prev: None,
            hash: String::new(),
        }
    }
}

/// What a caller supplies; the store fills in id, seq, ts, writer, prev, hash.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub stream: StreamRef,
    pub actor: Actor,
    pub data: Value,
    pub correlation_id: Option<String>,
    pub causation_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub provenance: Option<Value>,
}

impl NewEvent {
    pub fn new(kind: &str, stream: StreamRef, actor: Actor, data: Value) -> Self {
        NewEvent {
            kind: kind.to_string(),
            stream,
            actor,
            data,
            correlation_id: None,
            causation_id: None,
            idempotency_key: None,
            provenance: None,
        }
    }

    /// Check what a script can get wrong before anything touches the disk.
    pub fn validate(&self) -> Result<()> {
        if !valid_name(&self.kind) {
            return Err(
                Error::user(format!("event type `{}` is not a valid name", self.kind))
                    .hint("use lowercase words joined by dots, e.g. `note.added`"),
            );
        }
        if !valid_name(&self.stream.kind) {
            return Err(Error::user(format!(
                "stream type `{}` is not a valid name",
                self.stream.kind
            )));
        }
        if !self.data.is_object() {
            return Err(Error::user("event data must be a JSON object")
                .hint("wrap the value, e.g. `{\"value\": 3}`"));
        }
        Ok(())
    }
}

impl Event {
    /// The canonical bytes the hash covers: the event without `hash`.
    pub fn body_canonical(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).expect("an event always serialises");
        if let Value::Object(map) = &mut value {
            map.remove("hash");
        }
        canonical(&value)
    }

    pub fn compute_hash(&self) -> String {
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(self.body_canonical()))
        )
    }

    /// Compute and set `hash`, returning the line as stored (without its
    /// newline).
    ///
    /// The envelope's keys are fixed, so the canonical object is assembled
    /// member by member in RFC 8785 key order, each value canonicalised
    /// once: the same bytes as canonicalising the whole event twice (with
    /// and without `hash`, as the unit test checks), at half the cost, which
    /// is most of what an import spends.
    pub fn seal(&mut self) -> Vec<u8> {
        fn c<T: Serialize>(v: &T) -> Vec<u8> {
            serde_json_canonicalizer::to_vec(v).expect("envelope values always canonicalise")
        }
        // Sorted by UTF-16 code units, as RFC 8785 requires.
        let members: [(&str, Vec<u8>); 14] = [
            ("actor", c(&self.actor)),
            ("causation_id", c(&self.causation_id)),
            ("correlation_id", c(&self.correlation_id)),
            ("data", c(&self.data)),
            ("id", c(&self.id)),
            ("idempotency_key", c(&self.idempotency_key)),
            ("prev", c(&self.prev)),
            ("provenance", c(&self.provenance)),
            ("seq", c(&self.seq)),
            ("stream", c(&self.stream)),
            ("ts", c(&self.ts)),
            ("type", c(&self.kind)),
            ("v", c(&self.v)),
            ("writer", c(&self.writer)),
        ];
        let assemble = |hash: Option<&str>| {
            let mut out = Vec::with_capacity(
                members
                    .iter()
                    .map(|(k, v)| k.len() + v.len() + 4)
                    .sum::<usize>()
                    + 90,
            );
            out.push(b'{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if *key == "id"
                    && let Some(h) = hash
                {
                    out.extend_from_slice(b"\"hash\":\"");
                    out.extend_from_slice(h.as_bytes());
                    out.extend_from_slice(b"\",");
                }
                out.push(b'"');
                out.extend_from_slice(key.as_bytes());
                out.extend_from_slice(b"\":");
                out.extend_from_slice(value);
            }
            out.push(b'}');
            out
        };
        self.hash = format!("sha256:{}", hex::encode(Sha256::digest(assemble(None))));
        assemble(Some(&self.hash))
    }

    /// The line as stored, without its newline.
    pub fn to_line(&self) -> Vec<u8> {
        canonical(&serde_json::to_value(self).expect("an event always serialises"))
    }

    pub fn stream_label(&self) -> String {
        self.stream.to_string()
    }
}

/// RFC 8785 canonical JSON.
pub fn canonical(value: &Value) -> Vec<u8> {
    serde_json_canonicalizer::to_vec(value).expect("a JSON value always canonicalises")
}

/// Recompute the hash of a stored line the slow, general way: parse, drop
/// `hash`, canonicalise. Used for lines not written canonically and to
/// confirm a fast-path mismatch.
pub fn recompute_line_hash(line: &[u8]) -> Option<String> {
    let mut value: Value = serde_json::from_slice(line).ok()?;
    value.as_object_mut()?.remove("hash");
    Some(format!(
        "sha256:{}",
        hex::encode(Sha256::digest(canonical(&value)))
    ))
}

/// Where codexa's own idempotency keys live: its event types' namespaces
/// (`approval.requested:…`, `report.governance:…`) and the seeding of
/// planned threads (`seed:…`).
const SEED_KEY_PREFIX: &str = "seed:";

/// The namespace `key` takes from codexa's own commands, if it does. An
/// event a script or an agent recorded under such a key first would make
/// the command that later uses it find "its" event already there and skip
/// its own (an approval request answered by a planted message).
pub fn reserved_key(key: &str) -> Option<&'static str> {
    RESERVED_PREFIXES
        .iter()
        .copied()
        .chain([SEED_KEY_PREFIX])
        .find(|p| key.starts_with(p))
}

/// Refuse a key a caller chose (`events append|import`, `post`, the MCP
/// `post` tool) when it is in one of codexa's own namespaces.
pub fn refuse_reserved_key(key: Option<&str>) -> crate::error::Result<()> {
    match key.and_then(|k| reserved_key(k).map(|ns| (k, ns))) {
        None => Ok(()),
        Some((key, namespace)) => Err(crate::error::Error::user(format!(
            "idempotency key `{key}` is in codexa's own namespace `{namespace}`; only codexa's commands may use it"
        ))
        .hint("choose a key of your own, e.g. `mytool:<id>` (codexa's commands key their events under their event types and `seed:`)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Event {
        Event {
            v: 1,
            id: "evt_01".into(),
            seq: 1,
            ts: "2026-01-01T00:00:00.000Z".into(),
            writer: "wr_1".into(),
            actor: Actor::parse("user:alice").unwrap(),
            kind: "note.added".into(),
            stream: StreamRef::parse("note:n1").unwrap(),
            correlation_id: None,
            causation_id: None,
            idempotency_key: None,
            provenance: None,
            data: serde_json::json!({"b": 1, "a": "é"}),
            prev: None,
            hash: String::new(),
        }
    }

    #[test]
    fn line_is_canonical_and_hash_excludes_itself() {
        let mut e = sample();
        let line = e.seal();
        assert_eq!(line, e.to_line());
        assert_eq!(e.hash, e.compute_hash());
        // Every optional member set, and data that needs escaping and
        // key sorting by UTF-16 code units.
        let mut full = sample();
        full.correlation_id = Some("c\"1".into());
        full.causation_id = Some("evt_x".into());
        full.idempotency_key = Some("k\u{1F600}".into());
        full.provenance = Some(serde_json::json!({"config": "sha256:ab"}));
        full.prev = Some("sha256:00".into());
        full.data = serde_json::json!({"\u{e9}": 1.5e30, "a\nb": [null, true, "\u{1F600}"], "\u{10000}": 0, "\u{ffff}": -0.0});
        let full_line = full.seal();
        assert_eq!(full_line, full.to_line());
        assert_eq!(full.hash, full.compute_hash());
        let text = String::from_utf8(line.clone()).unwrap();
        assert!(text.starts_with("{\"actor\":{\"id\":\"alice\",\"kind\":\"user\"}"));
        assert!(text.contains("\"data\":{\"a\":\"é\",\"b\":1},\"hash\":\"sha256:"));
        assert_eq!(recompute_line_hash(&line).unwrap(), e.hash);
    }

    #[test]
    fn actor_and_stream_parsing_reject_bad_input() {
        assert!(Actor::parse("robot:x").is_err());
        assert!(Actor::parse("agent").is_err());
        assert!(StreamRef::parse("Thread:1").is_err());
        assert_eq!(StreamRef::parse("thread:th_1").unwrap().id, "th_1");
    }
}

#[cfg(test)]
mod key_tests {
    use super::reserved_key;

    #[test]
    fn codexas_own_keys_are_reserved() {
        assert_eq!(reserved_key("approval.requested:x"), Some("approval."));
        assert_eq!(reserved_key("report.governance:a:b"), Some("report."));
        assert_eq!(reserved_key("seed:th_1:p:c"), Some("seed:"));
        assert_eq!(reserved_key("mytool:42"), None);
        assert_eq!(reserved_key("approvals-import-7"), None);
    }

    /// Every key prefix codexa's own code writes (`format!("<prefix>:…")`
    /// setting an idempotency key, or building a `key`) is reserved,
    /// so a new one cannot be added without this door closing on it.
    #[test]
    fn every_key_codexa_writes_is_reserved() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let keyed = line.contains("idempotency_key = Some(format!(")
                        || line.contains("let key = format!(");
                    if !keyed {
                        continue;
                    }
                    // The format string: on this line or the next.
                    let tail = lines[i..(i + 2).min(lines.len())].join(" ");
                    let Some(start) = tail.find("format!(").map(|at| at + "format!(".len()) else {
                        continue;
                    };
                    let Some(literal) = tail[start..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let prefix: String = literal
                        .chars()
                        .take_while(|c| *c != '{' && *c != '"')
                        .collect();
                    // Keys name their namespace before a colon.
                    if prefix.ends_with(':') {
                        found.push((path.display().to_string(), prefix));
                    }
                }
            }
        }
        for expected in ["approval.requested:", "report.governance:", "seed:"] {
            assert!(
                found.iter().any(|(_, p)| p == expected),
                "the scan no longer finds `{expected}`: {found:?}"
            );
        }
        for (file, prefix) in &found {
            assert!(
                reserved_key(prefix).is_some(),
                "{file}: `{prefix}` is not reserved"
            );
        }
    }
}
