//! Checking events against their embedded schemas: the envelope every
//! event shares, and the `data` of the event types that have a schema.

use serde_json::Value;

use super::schema;
use crate::error::{Error, ErrorKind, Result};

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
}
