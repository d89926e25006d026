//! Governance guards on agent traffic: authority (who may post to
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
use crate::config::{Authority, Decision, GovernanceConfig};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{Event, NewEvent, StreamRef};

/// May `from` address `to` with `action`, under `governance.authority`? The
/// first matching rule decides, with the rule's number for the reason;
/// `from`/`to` patterns match a name, `role:<role>` or `user:<name>`, with
/// `*` as a wildcard.
pub fn authority(
    governance: &GovernanceConfig,
    action: &str,
    from: &[String],
    to: &[String],
) -> (bool, Option<String>) {
    let Authority { default, rules } = &governance.authority;
    for (i, rule) in rules.iter().enumerate() {
        let covers = rule
            .actions
            .as_ref()
            .is_none_or(|a| a.is_empty() || a.iter().any(|a| a == action));
        if covers
            && from.iter().any(|l| glob(&rule.from, l))
            && to.iter().any(|l| glob(&rule.to, l))
        {
            return (
                rule.decision == Decision::Allow,
                Some(format!("authority rule {}", i + 1)),
            );
        }
    }
    (*default == Decision::Allow, None)
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

/// The checks for `speaker` posting to `thread_id` at `now` (ms since the
/// epoch), whose participants are given with the labels authority rules
/// match on; in order: authority, loop guard, rate guard.
pub fn check_post(
    settings: &GovernanceConfig,
    index: &Index,
    events_dir: &std::path::Path,
    speaker: &Speaker,
    thread_id: &str,
    participants: &[(String, Vec<String>)],
    now: i64,
) -> Result<Option<Blocked>> {
    if !participants.iter().any(|(name, _)| *name == speaker.name) {
        let from = speaker.labels();
        for (to, labels) in participants {
            let (allowed, why) = authority(settings, "post", &from, labels);
            if !allowed {
                return Ok(Some(refusal(
                    "post",
                    speaker,
                    "authority_denied",
                    format!(
                        "{} may not post to a thread it is not in that addresses {to} ({})",
                        speaker.name,
                        why.unwrap_or_else(|| "governance.authority.default is deny".into())
                    ),
                    None,
                )));
            }
        }
    }
    if let Some(b) = loop_guard(settings, index, speaker, thread_id, "post")? {
        return Ok(Some(b));
    }
    rate_guard(
        settings,
        index,
        events_dir,
        speaker,
        "message.posted",
        "post",
        now,
    )
}

/// The checks for `speaker` waking someone at `now`, about `thread` when
/// the wake is: the thread's loop guard (agents waking agents on a thread
/// no person has spoken in for a while) and the rate guard on wakes.
pub fn check_wake(
    settings: &GovernanceConfig,
    index: &Index,
    events_dir: &std::path::Path,
    speaker: &Speaker,
    thread: Option<&str>,
    now: i64,
) -> Result<Option<Blocked>> {
    if let Some(th) = thread
        && let Some(b) = loop_guard(settings, index, speaker, th, "wake")?
    {
        return Ok(Some(b));
    }
    rate_guard(
        settings,
        index,
        events_dir,
        speaker,
        "trigger.requested",
        "wake",
        now,
    )
}

/// A refusal of `action` by `speaker`.
pub fn refusal(
    action: &str,
    speaker: &Speaker,
    reason_code: &str,
    message: String,
    clears_at: Option<String>,
) -> Blocked {
    Blocked {
        action: action.into(),
        participant: speaker.name.clone(),
        reason_code: reason_code.into(),
        message,
        clears_at,
    }
}

/// An agent may not go on where the thread's last messages are all from
/// agents: a person must speak first.
fn loop_guard(
    settings: &GovernanceConfig,
    index: &Index,
    speaker: &Speaker,
    thread_id: &str,
    action: &str,
) -> Result<Option<Blocked>> {
    if !speaker.is_agent() {
        return Ok(None);
    }
    // From the index alone: a guard runs on every post, and a long
    // limit must not mean reading that many messages each time.
    let n = settings.loop_guard.max_agent_messages;
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
        return Ok(Some(refusal(
            action,
            speaker,
            "loop_guard",
            format!(
                "the last {n} messages in this thread are all from agents; a person must post before agents continue"
            ),
            None,
        )));
    }
    Ok(None)
}

/// At most `governance.rate_guard.max_posts_per_minute` events of `kind`
/// by `speaker` in the minute before `now`.
fn rate_guard(
    settings: &GovernanceConfig,
    index: &Index,
    events_dir: &std::path::Path,
    speaker: &Speaker,
    kind: &str,
    action: &str,
    now: i64,
) -> Result<Option<Blocked>> {
    let window_ms = 60_000;
    // The last minute as measured by this clock, ending now. `ts` never
    // goes backwards within a writer, so once a clock ran ahead (a skewed
    // machine, a test clock used in a real repository) every later post
    // carries that future time: counting everything since a minute ago
    // would count them all, for as long as the future lasts, and lock the
    // participant out. A post dated less than a minute ahead (another
    // clone's clock a little fast) still counts; one further ahead cannot
    // be placed in the window and does not.
    let mine = Filter {
        kind: Some(kind.into()),
        actor_kind: Some(speaker.kind.clone()),
        actor_id: Some(speaker.name.clone()),
        since: Some(clock::format_ms(now - window_ms)),
        until: Some(clock::format_ms(now + window_ms)),
        ..Filter::default()
    };
    let max = settings.rate_guard.max_posts_per_minute;
    let count = index.count_matching(&mine)? as usize;
    if count >= max {
        // It clears when the oldest post that still counts leaves the
        // window: the `max`-th newest.
        let newest = events_at(index, events_dir, &mine, Some(max as u64), true)?;
        let clears = newest
            .first()
            .and_then(|oldest| clock::parse_ms(&oldest.ts))
            .map_or(now + window_ms, |t| t + window_ms);
        let did = if action == "post" {
            "posted"
        } else {
            "woken others"
        };
        return Ok(Some(refusal(
            action,
            speaker,
            "rate_limited",
            format!(
                "{} has {did} {count} times in the last minute (limit {max})",
                speaker.name
            ),
            Some(clock::format_ms(clears)),
        )));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

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
        let config = Config::from_value(
            json!({"governance": {"authority": {"default": "allow", "rules": [
                {"from": "role:worker", "to": "role:*", "actions": ["post"], "decision": "deny"},
                {"from": "*", "to": "*", "decision": "allow"}
            ]}}}),
        )
        .unwrap();
        let s = &config.governance;
        let worker = vec!["w".to_string(), "role:worker".to_string()];
        assert!(!authority(s, "post", &worker, &["role:lead".into()]).0);
        assert!(authority(s, "wake", &worker, &["role:lead".into()]).0);
        assert_eq!(s.loop_guard.max_agent_messages, 8);
        assert_eq!(s.rate_guard.max_posts_per_minute, 30);
    }

    #[test]
    fn the_rate_guard_counts_the_minute_ending_now_and_says_when_it_clears() {
        let (_dir, ws) = crate::workspace::temporary();
        let lead = Speaker::agent("lead", Some("claude"));
        let post = || {
            let thread = StreamRef {
                kind: "thread".into(),
                id: "th_1".into(),
            };
            let e = NewEvent::new(
                "message.posted",
                thread,
                lead.actor(),
                json!({"body": "hi"}),
            );
            let report = ws.append(vec![e]).unwrap();
            clock::parse_ms(&report.results[0].event.ts).unwrap()
        };
        let (first, second) = (post(), post());
        let mut settings = crate::config::defaults().governance.clone();
        settings.rate_guard.max_posts_per_minute = 2;
        let index = Index::open(&ws.store).unwrap();
        let participants = [("lead".to_string(), lead.labels())];
        let check = |now: i64| {
            let events = ws.store.events_dir();
            check_post(
                &settings,
                &index,
                &events,
                &lead,
                "th_1",
                &participants,
                now,
            )
            .unwrap()
        };

        let blocked = check(second + 1_000).expect("a third post within the minute");
        assert_eq!(blocked.reason_code, "rate_limited");
        // When the older of the two leaves the window.
        let clears = first + 60_000;
        assert_eq!(blocked.clears_at, Some(clock::format_ms(clears)));
        assert!(check(clears + 1).is_none(), "one post left in the window");
        // Posts dated further ahead than the window (a clock that ran
        // ahead) cannot be placed in it, and do not count.
        assert!(check(first - 60_001).is_none());
        assert!(check(first - 59_000).is_some());
    }
}
