//! Governance guards on agent traffic (seed 000): authority (who may post to
//! a thread they are not in), the loop guard (agents talking among
//! themselves for too long without a person) and the rate guard (posts per
//! participant per minute). They run under the store lock with the index
//! caught up (see `store::append::Guard`), so limits hold exactly when
//! several processes post at once. A refusal is recorded as
//! `governance.blocked`, never dropped silently.

use serde::Serialize;
use serde_json::Value;
#[cfg(test)]
use serde_json::json;

use crate::clock;
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{Event, NewEvent, StreamRef};

#[derive(Debug, Clone)]
pub struct Rule {
    pub from: String,
    pub to: String,
    pub actions: Vec<String>,
    pub allow: bool,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub max_agent_messages: usize,
    pub max_posts_per_minute: usize,
    pub default_allow: bool,
    pub rules: Vec<Rule>,
}

impl Settings {
    /// From the resolved config's `governance:` (schema defaults applied).
    pub fn from_config(config: &Value) -> Settings {
        let g = config.get("governance").cloned().unwrap_or(Value::Null);
        let num = |ptr: &str, default: usize| {
            g.pointer(ptr)
                .and_then(Value::as_u64)
                .map_or(default, |n| n as usize)
        };
        let rules = g
            .pointer("/authority/rules")
            .and_then(Value::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .map(|r| Rule {
                        from: r["from"].as_str().unwrap_or("*").to_string(),
                        to: r["to"].as_str().unwrap_or("*").to_string(),
                        actions: r["actions"]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|x| x.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        allow: r["decision"].as_str() == Some("allow"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Settings {
            max_agent_messages: num("/loop_guard/max_agent_messages", 8),
            max_posts_per_minute: num("/rate_guard/max_posts_per_minute", 30),
            default_allow: g.pointer("/authority/default").and_then(Value::as_str) != Some("deny"),
            rules,
        }
    }

    /// May `from` address `to` with `action`? The first matching rule
    /// decides; `from`/`to` patterns match a name, `role:<role>` or
    /// `user:<name>`, with `*` as a wildcard.
    pub fn authority(
        &self,
        action: &str,
        from: &[String],
        to: &[String],
    ) -> (bool, Option<String>) {
        for (i, rule) in self.rules.iter().enumerate() {
            let covers = rule.actions.is_empty() || rule.actions.iter().any(|a| a == action);
            if covers
                && from.iter().any(|l| glob(&rule.from, l))
                && to.iter().any(|l| glob(&rule.to, l))
            {
                return (rule.allow, Some(format!("authority rule {}", i + 1)));
            }
        }
        (self.default_allow, None)
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// A refusal: what, why (a stable reason code), and when it clears.
#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    pub action: String,
    pub participant: String,
    pub reason_code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clears_at: Option<String>,
}

impl Blocked {
    /// `blocked: REASON_CODE: what was refused (clears at …)`.
    pub fn describe(&self) -> String {
        let clears = self
            .clears_at
            .as_ref()
            .map(|c| format!(" (clears at {c})"))
            .unwrap_or_default();
        format!("blocked: {}: {}{clears}", self.reason_code, self.message)
    }

    /// The refusal as an error (kind `Blocked`), with what to do about it.
    pub fn to_error(&self) -> Error {
        Error::blocked(self.describe()).hint(self.hint())
    }

    /// What the refused participant can do about it.
    pub fn hint(&self) -> &'static str {
        match self.reason_code.as_str() {
            "loop_guard" => "a person posting in the thread lets agents continue; do not retry now",
            "rate_limited" => "wait until clears_at, then post again",
            _ => {
                "ask to be added to the thread, or see `governance.authority` in .codexa/config.yaml"
            }
        }
    }

    pub fn event(&self, speaker: &Speaker, stream: StreamRef) -> NewEvent {
        NewEvent::new(
            "governance.blocked",
            stream,
            speaker.actor(),
            serde_json::to_value(self).unwrap_or(Value::Null),
        )
    }

    pub fn from_event(e: &Event) -> Option<Blocked> {
        Some(Blocked {
            action: e.data.get("action")?.as_str()?.to_string(),
            participant: e.data.get("participant")?.as_str()?.to_string(),
            reason_code: e.data.get("reason_code")?.as_str()?.to_string(),
            message: e.data.get("message")?.as_str()?.to_string(),
            clears_at: e
                .data
                .get("clears_at")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

fn events_at(
    index: &Index,
    events_dir: &std::path::Path,
    filter: &Filter,
    limit: Option<u64>,
    last: bool,
) -> Result<Vec<Event>> {
    index.events(events_dir, filter, limit, last)
}

/// The checks for `speaker` posting to `thread_id`, whose participants are
/// given with the labels authority rules match on; in order: authority, loop
/// guard, rate guard.
pub fn check_post(
    settings: &Settings,
    index: &Index,
    events_dir: &std::path::Path,
    speaker: &Speaker,
    thread_id: &str,
    participants: &[(String, Vec<String>)],
) -> Result<Option<Blocked>> {
    let blocked = |reason_code: &str, message: String, clears_at: Option<String>| {
        Some(Blocked {
            action: "post".into(),
            participant: speaker.name.clone(),
            reason_code: reason_code.into(),
            message,
            clears_at,
        })
    };
    if !participants.iter().any(|(name, _)| *name == speaker.name) {
        let from = speaker.labels();
        for (to, labels) in participants {
            let (allowed, why) = settings.authority("post", &from, labels);
            if !allowed {
                return Ok(blocked(
                    "authority_denied",
                    format!(
                        "{} may not post to a thread it is not in that addresses {to} ({})",
                        speaker.name,
                        why.unwrap_or_else(|| "governance.authority.default is deny".into())
                    ),
                    None,
                ));
            }
        }
    }
    if speaker.is_agent() {
        // From the index alone: a guard runs on every post, and a long
        // limit must not mean reading that many messages each time.
        let n = settings.max_agent_messages;
        let recent = index.recent_actor_kinds(
            &Filter {
                kind: Some("message.posted".into()),
                stream_type: Some("thread".into()),
                stream_id: Some(thread_id.to_string()),
                ..Filter::default()
            },
            n as u64,
        )?;
        if recent.len() >= n && recent.iter().all(|k| k == "agent") {
            return Ok(blocked(
                "loop_guard",
                format!(
                    "the last {n} messages in this thread are all from agents; a person must post before agents continue"
                ),
                None,
            ));
        }
    }
    let window_ms = 60_000;
    let now = clock::now_ms();
    // The last minute as measured by this clock, ending now. `ts` never
    // goes backwards within a writer, so once a clock ran ahead (a skewed
    // machine, a test clock used in a real repository) every later post
    // carries that future time: counting everything since a minute ago
    // would count them all, for as long as the future lasts, and lock the
    // participant out. A post dated less than a minute ahead (another
    // clone's clock a little fast) still counts; one further ahead cannot
    // be placed in the window and does not.
    let mine = Filter {
        kind: Some("message.posted".into()),
        actor_kind: Some(speaker.kind.clone()),
        actor_id: Some(speaker.name.clone()),
        since: Some(clock::format_ms(now - window_ms)),
        until: Some(clock::format_ms(now + window_ms)),
        ..Filter::default()
    };
    let max = settings.max_posts_per_minute;
    let count = index.count_matching(&mine)? as usize;
    if count >= max {
        // It clears when the oldest post that still counts leaves the
        // window: the `max`-th newest.
        let newest = events_at(index, events_dir, &mine, Some(max as u64), true)?;
        let clears = newest
            .first()
            .and_then(|oldest| clock::parse_ms(&oldest.ts))
            .map_or(now + window_ms, |t| t + window_ms);
        return Ok(blocked(
            "rate_limited",
            format!(
                "{} has posted {count} times in the last minute (limit {max})",
                speaker.name
            ),
            Some(clock::format_ms(clears)),
        ));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*", "anything"));
        assert!(glob("role:*", "role:worker"));
        assert!(glob("worker-*", "worker-a"));
        assert!(!glob("worker-*", "lead"));
        assert!(glob("a*c*e", "abcde"));
        assert!(!glob("a*c*e", "abcd"));
    }

    #[test]
    fn authority_first_match_decides() {
        let s = Settings::from_config(
            &json!({"governance": {"authority": {"default": "allow", "rules": [
                {"from": "role:worker", "to": "role:*", "actions": ["post"], "decision": "deny"},
                {"from": "*", "to": "*", "decision": "allow"}
            ]}}}),
        );
        let worker = vec!["w".to_string(), "role:worker".to_string()];
        assert!(!s.authority("post", &worker, &["role:lead".into()]).0);
        assert!(s.authority("wake", &worker, &["role:lead".into()]).0);
        assert_eq!(s.max_agent_messages, 8);
        assert_eq!(s.max_posts_per_minute, 30);
    }
}
