//! The policy gate: a pure decision —
//! `allow`, `deny` or `require_approval` with a stable reason code — for an
//! action someone wants to take, so agents' hooks, scripts and people all
//! ask the same question and get the same answer.
//!
//! A decision is made in three steps, each able to override the one before:
//!
//! 1. **Rules**, from `.codexa/policy.yaml` (or, without one, the example
//!    file `codexa init` writes), in order: the first whose every given
//!    field matches decides; none matching, `default` decides.
//! 2. **The kill switch** (`kill_switch.external_write` in config, or
//!    `CODEXA_KILL_SWITCH_EXTERNAL_WRITE=1`) denies every `external.**`
//!    action whatever the rules and approvals say: it is the brake a person
//!    pulls when something is going wrong, so nothing may release it but
//!    that person.
//! 3. **Approvals**: a `require_approval` becomes `allow` with reason
//!    `approved:<id>` when a person approved the same (action, subject) and
//!    the approval has not expired (see `approvals`).
//!
//! Nothing here touches the store; the caller passes the approval it found,
//! which keeps the rule table testable as a table.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::config::{self, KillSwitchConfig, ValidCache, yaml};
use crate::domain::governance::glob;
use crate::domain::identity::Speaker;
use crate::domain::trust::{Level, Tier};
use crate::error::{Error, Result};

/// Setting this to `1` (or `true`) pulls the kill switch for external writes
/// without editing config, e.g. from a shell that is watching agents.
pub const KILL_SWITCH_ENV: &str = "CODEXA_KILL_SWITCH_EXTERNAL_WRITE";
/// The actions the kill switch stops: everything under `external.`, however
/// many words deep (`external.write`, `external.http.post`), and every kind
/// of push (`git.push`, `git.push.force`, …), which writes to another
/// machine just the same.
pub const KILL_SWITCH_ACTIONS: &[&str] = &["external.**", "git.push.**"];
/// The reason code of a decision forced by the kill switch.
pub const KILL_SWITCH_REASON: &str = "kill_switch";

/// The zones a rule or an action can be in, least guarded first.
pub const ZONES: &[&str] = &["sandbox", "supervised", "high_stakes"];
/// The zone of an action no `zones:` entry claims.
pub const DEFAULT_ZONE: &str = "supervised";

/// The policy used when `.codexa/policy.yaml` is missing: the same file
/// `codexa init` writes, so "no file" and "the file as written" agree.
pub(crate) const BUILTIN: &str = include_str!("../../.codexa-example/policy.yaml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allow,
    Deny,
    RequireApproval,
}

impl Verdict {
    pub fn parse(text: &str) -> Option<Verdict> {
        match text {
            "allow" => Some(Verdict::Allow),
            "deny" => Some(Verdict::Deny),
            "require_approval" => Some(Verdict::RequireApproval),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
            Verdict::RequireApproval => "require_approval",
        }
    }
}

/// One rule; absent fields match anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: Option<String>,
    pub action: String,
    pub actor: Option<String>,
    pub role: Option<String>,
    pub zone: Option<String>,
    pub subject: Option<String>,
    /// The least trust level the actor must have earned for the rule's
    /// action and subject (see `domain::trust`).
    pub trust: Option<Tier>,
    pub decision: Verdict,
    pub reason_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneDef {
    pub name: String,
    pub actions: Vec<String>,
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Where it came from: the policy file, or `built-in`.
    pub source: String,
    pub rules: Vec<Rule>,
    pub default: Verdict,
    pub default_reason: String,
    /// Most guarded first, so an action two zones claim lands in the safer.
    pub zones: Vec<ZoneDef>,
    /// Roles (from `agents:` in config) that may decide approvals besides
    /// people.
    pub approvers: Vec<String>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

impl Policy {
    /// From a policy document already validated against the schema.
    pub fn from_value(v: &Value, source: &str) -> Policy {
        let rules = v
            .get("rules")
            .and_then(Value::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .map(|r| Rule {
                        id: opt_str(r, "id"),
                        action: opt_str(r, "action").unwrap_or_else(|| "**".into()),
                        actor: opt_str(r, "actor"),
                        role: opt_str(r, "role"),
                        zone: opt_str(r, "zone"),
                        subject: opt_str(r, "subject"),
                        // Validation guarantees a level; anything else is
                        // read as the highest, which only a proven actor meets.
                        trust: r.get("trust").map(|t| {
                            t.get("min")
                                .and_then(Value::as_str)
                                .and_then(Tier::parse)
                                .unwrap_or(Tier::Proven)
                        }),
                        // Validation guarantees one of the three; an unknown
                        // word can only come from an unvalidated caller, and
                        // then the safe reading is deny.
                        decision: r
                            .get("decision")
                            .and_then(Value::as_str)
                            .and_then(Verdict::parse)
                            .unwrap_or(Verdict::Deny),
                        reason_code: opt_str(r, "reason_code").unwrap_or_else(|| "rule".into()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let zones = ZONES
            .iter()
            .rev()
            .filter_map(|name| {
                let z = v.get("zones")?.get(name)?;
                Some(ZoneDef {
                    name: name.to_string(),
                    actions: strings(&z["actions"]),
                    paths: strings(&z["paths"]),
                })
            })
            .collect();
        Policy {
            source: source.to_string(),
            rules,
            default: v
                .pointer("/default/decision")
                .and_then(Value::as_str)
                .and_then(Verdict::parse)
                .unwrap_or(Verdict::Allow),
            default_reason: v
                .pointer("/default/reason_code")
                .and_then(Value::as_str)
                .unwrap_or("default_allow")
                .to_string(),
            zones,
            approvers: strings(&v["approvers"]),
        }
    }

    /// The built-in policy (the example file).
    pub fn builtin() -> Policy {
        let doc = yaml::parse(BUILTIN).expect("the example policy is valid YAML");
        Policy::from_value(&doc.value, "built-in")
    }

    /// `.codexa/policy.yaml` under `workdir`, or the built-in policy when
    /// there is none. An invalid file is an error naming `file:line`: a
    /// policy that half-loads would decide things nobody wrote. `valid`
    /// remembers content already checked against the schema, so the gate
    /// does not compile it on every call.
    pub fn load(workdir: &Path, valid: &ValidCache) -> Result<Policy> {
        let path = workdir.join(config::POLICY_FILE);
        if !path.exists() {
            return Ok(Policy::builtin());
        }
        let bytes = fs_err::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", config::POLICY_FILE)).caused_by(e))?;
        let key = ValidCache::key(&bytes);
        if !valid.knows(&key) {
            config::require_valid_bytes(
                "policy",
                &path,
                &bytes,
                config::POLICY_FILE,
                "policy",
                "run `codexa doctor`",
            )?;
            valid.remember(&key);
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::user(format!("{} is not UTF-8 text", config::POLICY_FILE))
                .hint(format!("save {} as UTF-8", config::POLICY_FILE))
        })?;
        let doc = yaml::parse(&text).map_err(|e| {
            Error::user(format!("{}:{}: {}", config::POLICY_FILE, e.line, e.message)).hint(e.fix)
        })?;
        Ok(Policy::from_value(&doc.value, config::POLICY_FILE))
    }

    /// The zone an action (on a subject, when it is a path) is in: the most
    /// guarded zone whose `actions` or `paths` claim it, else `supervised`.
    pub fn zone_of(&self, action: &str, subject: Option<&str>) -> (String, Option<String>) {
        for z in &self.zones {
            if let Some(g) = z.actions.iter().find(|g| action_glob(g, action)) {
                return (
                    z.name.clone(),
                    Some(format!("zones.{}.actions `{g}`", z.name)),
                );
            }
            if let Some(s) = subject
                && let Some(g) = z.paths.iter().find(|g| glob(g, s))
            {
                return (
                    z.name.clone(),
                    Some(format!("zones.{}.paths `{g}`", z.name)),
                );
            }
        }
        (DEFAULT_ZONE.to_string(), None)
    }
}

/// Match an action against an action glob, word by word (words are
/// separated by dots): `*` matches within one word, `**` any number of
/// whole words, including none.
pub fn action_glob(pattern: &str, action: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let a: Vec<&str> = action.split('.').collect();
    words_match(&p, &a)
}

fn words_match(p: &[&str], a: &[&str]) -> bool {
    match p.split_first() {
        None => a.is_empty(),
        Some((&"**", rest)) => (0..=a.len()).any(|skip| words_match(rest, &a[skip..])),
        Some((word, rest)) => match a.split_first() {
            Some((first, tail)) => glob(word, first) && words_match(rest, tail),
            None => false,
        },
    }
}

/// Is `action` a well-formed action name (what rule globs are written for)?
pub fn valid_action(action: &str) -> bool {
    !action.is_empty()
        && action.split('.').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// What is asked: who wants to do what, on what, where.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub action: &'a str,
    pub subject: Option<&'a str>,
    /// Given by the caller; otherwise derived from `zones`.
    pub zone: Option<&'a str>,
    pub actor: &'a Speaker,
}

impl Request<'_> {
    /// Check what a caller can get wrong, with the fix.
    pub fn validate(&self) -> Result<()> {
        if !valid_action(self.action) {
            return Err(Error::user(format!(
                "`{}` is not an action name",
                self.action
            ))
            .hint("actions are lowercase words joined by dots, e.g. `git.push` or `external.write`"));
        }
        if let Some(z) = self.zone
            && !ZONES.contains(&z)
        {
            return Err(Error::user(format!("`{z}` is not a zone"))
                .hint(format!("use one of: {}", ZONES.join(", "))));
        }
        Ok(())
    }
}

/// The gate's answer: the JSON `policy eval` prints and `policy.evaluated`
/// records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub action: String,
    pub subject: Option<String>,
    pub zone: String,
    /// `KIND:ID` of who asked.
    pub actor: String,
    pub role: String,
    pub decision: Verdict,
    pub reason_code: String,
    /// The rule's id, or `#N` (1-based) for a rule without one; none when
    /// `default` decided.
    pub rule: Option<String>,
    /// The approval that turned `require_approval` into `allow`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
}

/// One rule's test in `policy explain`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCheck {
    pub rule: String,
    pub decision: Verdict,
    pub reason_code: String,
    pub matched: bool,
    /// Why it did not match: one text per failing field.
    pub failed: Vec<String>,
    /// True for the rule that decided (the first that matched).
    pub decided: bool,
    /// For a rule that asks for trust, the actor's level and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<Level>,
}

/// The actor's earned level for a rule's action and subject, asked only
/// of rules that require one and whose other fields match.
pub type TrustOf<'a> = &'a dyn Fn(&Rule) -> Level;

/// Everything `policy explain` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub policy: String,
    pub zone: String,
    /// How the zone was found: `given`, a `zones` entry, or the default.
    pub zone_from: String,
    pub rules: Vec<RuleCheck>,
    pub default_used: bool,
    pub kill_switch: KillSwitchStep,
    pub approval: ApprovalStep,
    pub decision: Decision,
}

#[derive(Debug, Clone, Serialize)]
pub struct KillSwitchStep {
    pub on: bool,
    /// Whether the action is an external one the switch covers.
    pub covers_action: bool,
    pub applied: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalStep {
    /// Only a `require_approval` looks for approvals.
    pub looked: bool,
    pub found: Option<String>,
    pub applied: bool,
}

/// Whether the kill switch is on: config `kill_switch.external_write`, or
/// the environment variable.
pub fn kill_switch_on(config: &KillSwitchConfig) -> bool {
    let from_config = config.external_write;
    let from_env = std::env::var(KILL_SWITCH_ENV)
        .map(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            )
        })
        .unwrap_or(false);
    from_config || from_env
}

fn rule_label(rule: &Rule, index: usize) -> String {
    rule.id.clone().unwrap_or_else(|| format!("#{}", index + 1))
}

/// Why `rule` does not match (empty when it does), and the actor's trust
/// level when the rule asks for one and everything else matched.
fn check_rule(
    rule: &Rule,
    req: &Request,
    zone: &str,
    trust_of: TrustOf,
) -> (Vec<String>, Option<Level>) {
    let mut failed = failures(rule, req, zone);
    let Some(min) = rule.trust.filter(|_| failed.is_empty()) else {
        return (failed, None);
    };
    let level = trust_of(rule);
    if level.tier < min {
        failed.push(format!(
            "trust: `{}` is {} ({}), the rule needs {}",
            req.actor.name,
            level.tier.as_str(),
            level.why,
            min.as_str()
        ));
    }
    (failed, Some(level))
}

/// Why `rule` does not match on its plain fields; empty when it does.
fn failures(rule: &Rule, req: &Request, zone: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !action_glob(&rule.action, req.action) {
        out.push(format!(
            "action: `{}` does not match `{}`",
            req.action, rule.action
        ));
    }
    if let Some(a) = &rule.actor {
        let actor = format!("{}:{}", req.actor.kind, req.actor.name);
        if !glob(a, &actor) {
            out.push(format!("actor: `{actor}` does not match `{a}`"));
        }
    }
    if let Some(r) = &rule.role
        && !glob(r, &req.actor.role)
    {
        out.push(format!("role: `{}` is not `{r}`", req.actor.role));
    }
    if let Some(z) = &rule.zone
        && z != zone
    {
        out.push(format!("zone: `{zone}` is not `{z}`"));
    }
    if let Some(s) = &rule.subject {
        match req.subject {
            Some(subject) if glob(s, subject) => {}
            Some(subject) => out.push(format!("subject: `{subject}` does not match `{s}`")),
            None => out.push(format!("subject: none given, the rule needs `{s}`")),
        }
    }
    out
}

/// Decide, showing every step. `approved` is the id of an approval in
/// force for (action, subject), if the caller found one.
pub fn explain(
    policy: &Policy,
    req: &Request,
    kill_switch: bool,
    approved: Option<&str>,
    trust_of: TrustOf,
) -> Explanation {
    let (zone, zone_from) = match req.zone {
        Some(z) => (z.to_string(), "given".to_string()),
        None => {
            let (z, from) = policy.zone_of(req.action, req.subject);
            (z, from.unwrap_or_else(|| "default".into()))
        }
    };
    let mut rules = Vec::new();
    let mut decided: Option<(Verdict, String, String)> = None;
    for (i, rule) in policy.rules.iter().enumerate() {
        let (failed, trust) = check_rule(rule, req, &zone, trust_of);
        let matched = failed.is_empty();
        let decides = matched && decided.is_none();
        if decides {
            decided = Some((rule.decision, rule.reason_code.clone(), rule_label(rule, i)));
        }
        rules.push(RuleCheck {
            rule: rule_label(rule, i),
            decision: rule.decision,
            reason_code: rule.reason_code.clone(),
            matched,
            failed,
            decided: decides,
            trust,
        });
    }
    let default_used = decided.is_none();
    let (mut verdict, mut reason, rule) = match decided {
        Some((v, r, label)) => (v, r, Some(label)),
        None => (policy.default, policy.default_reason.clone(), None),
    };
    let covers = KILL_SWITCH_ACTIONS
        .iter()
        .any(|pattern| action_glob(pattern, req.action));
    let kill = KillSwitchStep {
        on: kill_switch,
        covers_action: covers,
        applied: kill_switch && covers,
    };
    if kill.applied {
        verdict = Verdict::Deny;
        reason = KILL_SWITCH_REASON.to_string();
    }
    let looked = verdict == Verdict::RequireApproval;
    let mut approval = None;
    if looked && let Some(id) = approved {
        verdict = Verdict::Allow;
        reason = format!("approved:{id}");
        approval = Some(id.to_string());
    }
    Explanation {
        policy: policy.source.clone(),
        zone: zone.clone(),
        zone_from,
        rules,
        default_used,
        kill_switch: kill,
        approval: ApprovalStep {
            looked,
            found: approved.map(str::to_string),
            applied: approval.is_some(),
        },
        decision: Decision {
            action: req.action.to_string(),
            subject: req.subject.map(str::to_string),
            zone,
            actor: format!("{}:{}", req.actor.kind, req.actor.name),
            role: req.actor.role.clone(),
            decision: verdict,
            reason_code: reason,
            rule,
            approval,
        },
    }
}

/// Decide: rules, then the kill switch, then approvals.
pub fn evaluate(
    policy: &Policy,
    req: &Request,
    kill_switch: bool,
    approved: Option<&str>,
    trust_of: TrustOf,
) -> Decision {
    explain(policy, req, kill_switch, approved, trust_of).decision
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate's steps for an actor that has earned nothing.
    fn evaluate(p: &Policy, req: &Request, kill: bool, approved: Option<&str>) -> Decision {
        super::evaluate(p, req, kill, approved, &|_| Level::unearned())
    }

    fn explain(p: &Policy, req: &Request, kill: bool, approved: Option<&str>) -> Explanation {
        super::explain(p, req, kill, approved, &|_| Level::unearned())
    }

    fn who(kind: &str, name: &str, role: &str) -> Speaker {
        Speaker {
            name: name.into(),
            kind: kind.into(),
            role: role.into(),
            provider: None,
            under: None,
        }
    }

    /// action, subject, zone, actor → decision, reason code, deciding rule.
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        &'a Speaker,
        Verdict,
        &'a str,
        Option<&'a str>,
    );

    fn fixture() -> Policy {
        let text = include_str!("../../tests/fixtures/policy/matrix.yaml");
        let doc = yaml::parse(text).unwrap();
        let issues = crate::config::schema::validate("policy", &doc.value).unwrap();
        assert!(issues.is_empty(), "fixture invalid: {issues:?}");
        Policy::from_value(&doc.value, "matrix.yaml")
    }

    #[test]
    fn action_globs_work_word_by_word() {
        assert!(action_glob("external.*", "external.write"));
        assert!(!action_glob("external.*", "external.http.post"));
        assert!(action_glob("external.**", "external.http.post"));
        assert!(action_glob("external.**", "external.write"));
        assert!(action_glob("**", "git.push"));
        assert!(action_glob("git.p*", "git.push"));
        assert!(!action_glob("git.p*", "git.fetch"));
        assert!(!action_glob("git.push", "git.push.force"));
        assert!(action_glob("**.push", "git.push"));
        assert!(!action_glob("shell.*", "shellx.exec"));
    }

    /// action × zone × actor/role → decision, from the fixture policy. The
    /// rows exercise first-match order (an earlier rule shadows a later one
    /// that also matches) and the default.
    #[test]
    fn policy_matrix() {
        let p = fixture();
        let lead = who("agent", "lead", "lead");
        let worker = who("agent", "worker-a", "worker");
        let alice = who("user", "alice", "human");
        #[rustfmt::skip]
        let rows: &[Row] = &[
            // action, subject, zone, actor → decision, reason, rule
            ("fs.read", None, None, &worker, Verdict::Allow, "reads_are_free", Some("reads")),
            ("fs.read", None, Some("high_stakes"), &worker, Verdict::Allow, "reads_are_free", Some("reads")),
            ("shell.exec", None, Some("sandbox"), &worker, Verdict::Allow, "sandbox_is_free", Some("sandbox")),
            ("shell.exec", None, None, &worker, Verdict::RequireApproval, "workers_ask_for_shell", Some("worker-shell")),
            ("shell.exec", None, None, &lead, Verdict::Allow, "default_allow", None),
            ("shell.exec", None, Some("high_stakes"), &lead, Verdict::Deny, "high_stakes_agents", Some("high-stakes-agents")),
            ("shell.exec", None, Some("high_stakes"), &alice, Verdict::RequireApproval, "high_stakes_people", Some("#6")),
            // external.* lands in high_stakes through `zones`.
            ("external.write", None, None, &lead, Verdict::Deny, "high_stakes_agents", Some("high-stakes-agents")),
            ("external.write", None, None, &alice, Verdict::RequireApproval, "high_stakes_people", Some("#6")),
            ("git.push", Some("origin/main"), None, &alice, Verdict::Deny, "no_push_to_main", Some("main")),
            ("git.push", Some("origin/feature"), None, &alice, Verdict::RequireApproval, "push_needs_approval", Some("push")),
            ("git.push", None, None, &alice, Verdict::RequireApproval, "push_needs_approval", Some("push")),
            ("git.push", Some("origin/main"), Some("sandbox"), &alice, Verdict::Allow, "sandbox_is_free", Some("sandbox")),
            ("trigger.wake", None, None, &lead, Verdict::Allow, "default_allow", None),
        ];
        for (action, subject, zone, actor, want, reason, rule) in rows {
            let req = Request {
                action,
                subject: *subject,
                zone: *zone,
                actor,
            };
            let d = evaluate(&p, &req, false, None);
            assert_eq!(
                (d.decision, d.reason_code.as_str(), d.rule.as_deref()),
                (*want, *reason, *rule),
                "{action} {subject:?} {zone:?} as {}",
                actor.name
            );
        }
    }

    #[test]
    fn zones_come_from_the_policy_or_default_to_supervised() {
        let p = fixture();
        assert_eq!(p.zone_of("external.write", None).0, "high_stakes");
        assert_eq!(
            p.zone_of("git.push", Some("infra/main.tf")).0,
            "high_stakes"
        );
        assert_eq!(p.zone_of("shell.exec", Some("scratch/x")).0, "sandbox");
        assert_eq!(p.zone_of("shell.exec", None).0, "supervised");
    }

    #[test]
    fn the_builtin_policy_is_the_example() {
        let p = Policy::builtin();
        let alice = who("user", "alice", "human");
        let eval = |action: &str| {
            evaluate(
                &p,
                &Request {
                    action,
                    subject: None,
                    zone: None,
                    actor: &alice,
                },
                false,
                None,
            )
        };
        // People push freely; agents' pushes wait for a person.
        assert_eq!(eval("git.push").decision, Verdict::Allow);
        let bot = who("agent", "bot", "worker");
        for action in [
            "git.push",
            "git.push.force",
            "control.write",
            "shell.opaque",
        ] {
            let req = Request {
                action,
                subject: None,
                zone: None,
                actor: &bot,
            };
            assert_eq!(
                evaluate(&p, &req, false, None).decision,
                Verdict::RequireApproval
            );
        }
        assert_eq!(
            eval("external.http.post").decision,
            Verdict::RequireApproval
        );
        assert_eq!(eval("external.write").decision, Verdict::RequireApproval);
        assert_eq!(eval("fs.read").decision, Verdict::Allow);
    }

    #[test]
    fn the_kill_switch_beats_rules_and_approvals_only_for_external_actions() {
        let p = fixture();
        let alice = who("user", "alice", "human");
        let req = |action| Request {
            action,
            subject: Some("x"),
            zone: Some("sandbox"),
            actor: &alice,
        };
        // Allowed by the sandbox rule, approved too: still denied.
        let d = evaluate(&p, &req("external.http.post"), true, Some("appr_1"));
        assert_eq!(
            (d.decision, d.reason_code.as_str()),
            (Verdict::Deny, "kill_switch")
        );
        assert_eq!(d.approval, None);
        for push in ["git.push", "git.push.force", "git.push.no_verify"] {
            assert_eq!(evaluate(&p, &req(push), true, None).decision, Verdict::Deny);
        }
        let d = evaluate(&p, &req("shell.exec"), true, None);
        assert_eq!(d.decision, Verdict::Allow);
    }

    #[test]
    fn an_approval_turns_require_approval_into_allow_and_nothing_else() {
        let p = fixture();
        let alice = who("user", "alice", "human");
        let req = |subject| Request {
            action: "git.push",
            subject: Some(subject),
            zone: None,
            actor: &alice,
        };
        let d = evaluate(&p, &req("origin/feature"), false, Some("appr_9"));
        assert_eq!(
            (d.decision, d.reason_code.as_str(), d.approval.as_deref()),
            (Verdict::Allow, "approved:appr_9", Some("appr_9"))
        );
        // A deny stays a deny.
        let d = evaluate(&p, &req("origin/main"), false, Some("appr_9"));
        assert_eq!(d.decision, Verdict::Deny);
    }

    #[test]
    fn explain_names_the_failing_fields() {
        let p = fixture();
        let worker = who("agent", "worker-a", "worker");
        let e = explain(
            &p,
            &Request {
                action: "shell.exec",
                subject: None,
                zone: None,
                actor: &worker,
            },
            false,
            None,
        );
        let reads = &e.rules[0];
        assert!(!reads.matched);
        assert!(reads.failed[0].starts_with("action:"), "{:?}", reads.failed);
        let sandbox = e.rules.iter().find(|r| r.rule == "sandbox").unwrap();
        assert_eq!(sandbox.failed, ["zone: `supervised` is not `sandbox`"]);
        assert!(e.rules.iter().filter(|r| r.decided).count() == 1);
        assert_eq!(e.zone_from, "default");
    }
}
