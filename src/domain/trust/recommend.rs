//! Recommend → approve: when an agent's requests of one action on one
//! subject keep being approved (`trust.recommend_after` times, with no
//! denial, hold or incident in the window), propose the policy rule that
//! would stop asking, with the approvals behind it. A person accepts it
//! (the rule is written into `.codexa/policy.yaml`, where git reviews it
//! like code) or declines it (not proposed again until the evidence
//! changes: a recommendation's id is a hash of its evidence).

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use super::ledger::{self, FactKind, Ledger};
use super::level::{self, Scope, Tier};
use crate::config;
use crate::domain::identity::Speaker;
use crate::domain::policy::Policy;
use crate::error::{Error, Result};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// `rec_` and 12 hex digits of the hash of agent, action, subject and
    /// evidence.
    pub id: String,
    pub agent: String,
    pub action: String,
    pub subject: String,
    /// The level the agent has earned for it, which the rule requires.
    pub tier: Tier,
    /// The id the proposed rule takes.
    pub rule_id: String,
    /// The rule as it would be written.
    pub rule: String,
    /// What accepting it changes in `.codexa/policy.yaml`.
    pub diff: String,
    /// The approvals it stands on, oldest first.
    pub evidence: Vec<String>,
}

/// Lowercase letters, digits and dashes only: a rule id from free text.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

/// A YAML scalar, quoted the JSON way (valid YAML) when plain would not do.
fn scalar(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && text.starts_with(|c: char| c.is_ascii_alphanumeric());
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

fn rule_block(rule_id: &str, agent: &str, action: &str, subject: &str, tier: Tier) -> String {
    format!(
        "  # Earned: approved every time it was asked (`codexa trust show`).\n  \
         - id: {rule_id}\n    \
         action: {action}\n    \
         actor: {}\n    \
         subject: {}\n    \
         trust: {{min: {}}}\n    \
         decision: allow\n    \
         reason_code: earned_trust\n",
        scalar(&format!("agent:{agent}")),
        scalar(subject),
        tier.as_str()
    )
}

/// `policy` with `block` as its first rule (first match decides, so the
/// earned rule must come before the one that asks).
fn with_rule(policy: &str, block: &str) -> String {
    let mut lines: Vec<&str> = policy.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("rules:"))
        .map(|i| (i, bare_rules_key(lines[i])));
    let mut out = match at {
        Some((i, "rules:")) => {
            lines.insert(i + 1, block.trim_end_matches('\n'));
            lines.join("\n")
        }
        Some((i, line)) if line.trim_start_matches("rules:").trim() == "[]" => {
            let replaced = format!("rules:\n{}", block.trim_end_matches('\n'));
            lines[i] = &replaced;
            lines.join("\n")
        }
        _ => format!("{}\nrules:\n{block}", policy.trim_end()),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A `rules:` line without its trailing comment.
fn bare_rules_key(line: &str) -> &str {
    line.split_once(" #")
        .map_or(line, |(key, _)| key)
        .trim_end()
}

/// The policy file's text as it stands (the built-in one when absent).
fn policy_text(workdir: &Path) -> Result<String> {
    let path = workdir.join(config::POLICY_FILE);
    if !path.exists() {
        return Ok(crate::domain::policy::BUILTIN.to_string());
    }
    fs_err::read_to_string(&path)
        .map_err(|e| Error::io(format!("cannot read {}", config::POLICY_FILE)).caused_by(e))
}

fn declined(ws: &Workspace) -> Result<Vec<String>> {
    super::recorded(ws, "trust.declined", "rec")
}

/// What `ledger` earns a recommendation for, as of `now_ms`.
fn for_ledger(
    ws: &Workspace,
    l: &Ledger,
    policy: &Policy,
    text: &str,
    now_ms: i64,
) -> Vec<Recommendation> {
    let cfg = &ws.config.trust;
    let since = l
        .last_incident_ms()
        .unwrap_or(i64::MIN)
        .max(now_ms - cfg.window_days * DAY_MS);
    let counted = || {
        l.facts
            .iter()
            .filter(|f| f.at_ms > since && f.at_ms <= now_ms)
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for f in counted().filter(|f| f.kind == FactKind::Approved) {
        let key = (f.action.clone(), f.subject.clone().unwrap_or_default());
        if !pairs.contains(&key) {
            pairs.push(key);
        }
    }
    let mut out = Vec::new();
    for (action, subject) in pairs {
        let same = |f: &&ledger::Fact| f.action == action && f.subject.as_deref() == Some(&subject);
        let evidence: Vec<String> = counted()
            .filter(same)
            .filter(|f| f.kind == FactKind::Approved)
            .map(|f| f.source.clone())
            .collect();
        let blocked = counted().filter(same).any(|f| {
            matches!(
                f.kind,
                FactKind::Denied | FactKind::Held | FactKind::PolicyDenied
            )
        });
        // A subject an approval took literally must not become a pattern
        // in a rule (`origin/*` approved as such is not every branch).
        let pattern = subject.contains(['*', '?', '[', ']', '{', '}']);
        if blocked || pattern || evidence.len() < cfg.recommend_after {
            continue;
        }
        let scope = Scope {
            action: &action,
            subject: Some(&subject),
        };
        let tier = level::level(l, scope, now_ms, cfg).tier;
        if tier == Tier::New {
            continue;
        }
        // The slug reads well; the hash keeps `origin/x` and `origin-x` apart.
        let named =
            crate::fsutil::sha256_tagged(format!("{}\0{action}\0{subject}", l.agent).as_bytes());
        let rule_id = format!(
            "earned-{}-{}",
            slug(&format!("{}-{action}-{subject}", l.agent)),
            &named["sha256:".len().."sha256:".len() + 6]
        );
        if policy
            .rules
            .iter()
            .any(|r| r.id.as_deref() == Some(&rule_id))
        {
            continue;
        }
        let hash = crate::fsutil::sha256_tagged(
            format!("{}\0{action}\0{subject}\0{}", l.agent, evidence.join(",")).as_bytes(),
        );
        let rule = rule_block(&rule_id, &l.agent, &action, &subject, tier);
        let changed = with_rule(text, &rule);
        let diff = similar::TextDiff::from_lines(text, &changed)
            .unified_diff()
            .header(config::POLICY_FILE, config::POLICY_FILE)
            .to_string();
        out.push(Recommendation {
            id: format!("rec_{}", &hash["sha256:".len().."sha256:".len() + 12]),
            agent: l.agent.clone(),
            action,
            subject,
            tier,
            rule_id,
            rule,
            diff,
            evidence,
        });
    }
    out
}

/// `codexa trust recommend [AGENT]`: what could stop being asked, as of
/// `now_ms`; declined recommendations and rules already in the policy are
/// left out.
pub fn recommendations(
    ws: &Workspace,
    agent: Option<&str>,
    now_ms: i64,
) -> Result<Vec<Recommendation>> {
    let policy = Policy::load(&ws.store.workdir, &ws.policy_cache())?;
    let text = policy_text(&ws.store.workdir)?;
    let gone = declined(ws)?;
    let agents = match agent {
        Some(a) => vec![a.to_string()],
        None => ledger::agents(ws)?,
    };
    let mut out = Vec::new();
    for a in agents {
        let l = ledger::gather(ws, &a, now_ms)?;
        out.extend(
            for_ledger(ws, &l, &policy, &text, now_ms)
                .into_iter()
                .filter(|r| !gone.contains(&r.id)),
        );
    }
    Ok(out)
}

fn find(ws: &Workspace, id: &str, now_ms: i64) -> Result<Recommendation> {
    recommendations(ws, None, now_ms)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| {
            Error::not_found(format!("no recommendation `{id}`"))
                .hint("it may be accepted or declined already, or its evidence changed: list them with `codexa trust recommend`")
        })
}

fn record(
    ws: &Workspace,
    speaker: &Speaker,
    kind: &str,
    rec: &Recommendation,
    reason: Option<&str>,
) -> Result<()> {
    let mut data = json!({
        "rec": rec.id,
        "agent": rec.agent,
        "action": rec.action,
        "subject": rec.subject,
        "tier": rec.tier,
        "rule": rec.rule_id,
        "evidence": rec.evidence,
    });
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        data["reason"] = json!(r);
    }
    let mut e = NewEvent::new(
        kind,
        StreamRef {
            kind: "trust".into(),
            id: rec.agent.clone(),
        },
        speaker.actor(),
        data,
    );
    e.idempotency_key = Some(format!("{kind}:{}", rec.id));
    ws.append(vec![e])?;
    Ok(())
}

/// `codexa trust accept REC`: a person writes the recommended rule into
/// `.codexa/policy.yaml` (checked against the schema first, written
/// atomically) and the decision is recorded.
pub fn accept(ws: &Workspace, speaker: &Speaker, id: &str) -> Result<Recommendation> {
    super::person_only(speaker, "accept a trust recommendation")?;
    let lock_path = ws.store.cache_dir().join("policy.lock");
    let _lock = crate::store::lock::acquire(&lock_path, "the policy file")?;
    let now = crate::clock::now_ms();
    let rec = find(ws, id, now)?;
    let text = policy_text(&ws.store.workdir)?;
    let changed = with_rule(&text, &rec.rule);
    let path = ws.store.workdir.join(config::POLICY_FILE);
    exactly_the_rule(&text, &changed, &rec)?;
    config::require_valid_bytes(
        "policy",
        &path,
        changed.as_bytes(),
        config::POLICY_FILE,
        "policy",
        "the policy with the earned rule would not be valid; add the rule by hand",
    )?;
    crate::fsutil::write_atomic(&path, changed.as_bytes())?;
    record(ws, speaker, "trust.accepted", &rec, None)?;
    Ok(rec)
}

/// What accepting writes must be the one rule recommended and nothing
/// else: read both policies back and compare.
fn exactly_the_rule(before: &str, after: &str, rec: &Recommendation) -> Result<()> {
    // The policy's own layout (a flow-style `rules: [...]`, say) can keep
    // the rule from going in as one block: then a person adds it by hand.
    let by_hand = || {
        Error::user(format!(
            "{} is laid out so that the rule for {} cannot be added as one block; nothing was written",
            config::POLICY_FILE,
            rec.id
        ))
        .hint(format!(
            "add it by hand as the first of `rules:` (it is not proposed again once its id is there):\n{}",
            rec.rule
        ))
    };
    let read = |text: &str| {
        config::yaml::parse(text)
            .map(|doc| Policy::from_value(&doc.value, config::POLICY_FILE).rules)
            .map_err(|_| by_hand())
    };
    let (old, new) = (read(before)?, read(after)?);
    let Some(added) = new.first() else {
        return Err(by_hand());
    };
    let fits = new.len() == old.len() + 1
        && new[1..] == old[..]
        && added.id.as_deref() == Some(rec.rule_id.as_str())
        && added.action == rec.action
        && added.actor.as_deref() == Some(format!("agent:{}", rec.agent).as_str())
        && added.subject.as_deref() == Some(rec.subject.as_str())
        && added.trust == Some(rec.tier)
        && added.role.is_none()
        && added.zone.is_none()
        && added.decision == crate::domain::policy::Verdict::Allow;
    if fits { Ok(()) } else { Err(by_hand()) }
}

/// `codexa trust decline REC`: a person says no; it is not proposed again
/// until the evidence changes.
pub fn decline(
    ws: &Workspace,
    speaker: &Speaker,
    id: &str,
    reason: Option<&str>,
) -> Result<Recommendation> {
    super::person_only(speaker, "decline a trust recommendation")?;
    let rec = find(ws, id, crate::clock::now_ms())?;
    record(ws, speaker, "trust.declined", &rec, reason)?;
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "  - id: x\n    action: a\n    decision: allow\n    reason_code: r\n";

    #[test]
    fn the_rule_goes_first_whatever_the_rules_list_looks_like() {
        let listed = "version: 1\nrules:\n  - id: y\n    action: b\n";
        assert_eq!(
            with_rule(listed, BLOCK),
            "version: 1\nrules:\n  - id: x\n    action: a\n    decision: allow\n    reason_code: r\n  - id: y\n    action: b\n"
        );
        assert!(with_rule("version: 1\nrules: []\n", BLOCK).contains("rules:\n  - id: x"));
        assert!(with_rule("version: 1\n", BLOCK).ends_with(
            "rules:\n  - id: x\n    action: a\n    decision: allow\n    reason_code: r\n"
        ));
    }

    #[test]
    fn a_policy_the_rule_cannot_go_into_as_one_block_is_left_to_a_person() {
        let rec = Recommendation {
            id: "rec_000000000000".into(),
            agent: "worker-a".into(),
            action: "git.push".into(),
            subject: "origin/x".into(),
            tier: Tier::Proven,
            rule_id: "earned-x".into(),
            rule: rule_block("earned-x", "worker-a", "git.push", "origin/x", Tier::Proven),
            diff: String::new(),
            evidence: Vec::new(),
        };
        let flow = "version: 1\nrules: [{action: a, decision: allow, reason_code: r}]\n";
        let err = exactly_the_rule(flow, &with_rule(flow, &rec.rule), &rec).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::User);
        assert!(err.to_string().contains("nothing was written"), "{err}");
        let block = "version: 1\nrules:\n  - {action: a, decision: allow, reason_code: r}\n";
        assert!(exactly_the_rule(block, &with_rule(block, &rec.rule), &rec).is_ok());
    }

    #[test]
    fn ids_and_scalars_are_safe_yaml() {
        assert_eq!(
            slug("worker-a-git.push-origin/feature x"),
            "worker-a-git-push-origin-feature-x"
        );
        assert_eq!(scalar("origin/feature"), "origin/feature");
        assert_eq!(scalar("agent:worker-a"), "\"agent:worker-a\"");
        assert_eq!(scalar("a: b # c"), "\"a: b # c\"");
    }
}
