//! The resolved config as types: one struct a section of
//! `schemas/config.schema.json`, read once per process from the merged value
//! after it passed the schema and had the schema's defaults filled in.
//!
//! The schema is the one place for defaults and bounds: a field here has no
//! default of its own (a key the schema gives a default is always present by
//! the time it is read) and no range check (the schema's `minimum` and
//! `maximum` already held). A key the schema leaves optional, with no
//! default, is an `Option`. Every struct refuses keys it does not know, so a
//! key the schema gains without a field here fails the tests that read the
//! defaults, instead of being silently ignored.

use std::sync::OnceLock;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{Layer, schema};
use crate::agents::actions;
use crate::agents::hooks::Permission;
use crate::fsutil::sha256_tagged;

/// The resolved config: every section typed, plus the merged value and the
/// files it came from, which provenance and `doctor` show as they are.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub version: u64,
    pub store: StoreConfig,
    pub sync: SyncConfig,
    /// Participants by name, in the order the config lists them.
    pub agents: IndexMap<String, AgentConfig>,
    pub governance: GovernanceConfig,
    pub kill_switch: KillSwitchConfig,
    pub approvals: ApprovalsConfig,
    pub hooks: HooksConfig,
    pub discover: DiscoverConfig,
    pub watch: WatchConfig,
    pub trigger: TriggerConfig,
    pub tmux: TmuxConfig,
    pub worktrees: WorktreesConfig,
    pub runs: RunsConfig,
    pub trust: TrustConfig,
    pub redaction: RedactionConfig,
    /// Every layer merged, `extends` removed, schema defaults filled in: the
    /// values codexa actually uses, as `doctor config` prints them.
    #[serde(skip)]
    pub value: Value,
    #[serde(skip)]
    pub layers: Vec<Layer>,
    /// `sha256:` of the RFC 8785 canonical JSON of `value`: the provenance
    /// events record. Defaults are included so a change of default in a new
    /// codexa shows as a new hash.
    #[serde(skip)]
    pub hash: String,
}

/// `store:`, the event log in the git directory.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    #[serde(deserialize_with = "whole")]
    pub segment_max_bytes: u64,
}

/// `sync:`, sharing the log on the codexa/state branch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    pub remote: String,
}

/// One participant under `agents:`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    pub provider: String,
    pub role: String,
    pub pane: Option<String>,
    pub command: Option<Vec<String>>,
}

/// `governance:`, the guards on agent traffic.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceConfig {
    pub loop_guard: LoopGuard,
    pub rate_guard: RateGuard,
    pub authority: Authority,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoopGuard {
    #[serde(deserialize_with = "whole")]
    pub max_agent_messages: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateGuard {
    #[serde(deserialize_with = "whole")]
    pub max_posts_per_minute: usize,
}

/// Who may post to or wake whom.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub default: Decision,
    pub rules: Vec<AuthorityRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRule {
    pub from: String,
    pub to: String,
    /// Absent (or empty): every action.
    pub actions: Option<Vec<String>>,
    pub decision: Decision,
}

/// `kill_switch:`, emergency stops.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KillSwitchConfig {
    pub external_write: bool,
}

/// `approvals:`, how approval decisions are trusted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalsConfig {
    pub require_signature: bool,
    /// As written; without it, git's `user.signingKey`.
    pub signing_key: Option<String>,
}

/// `hooks:`, enforcement through the agents' hooks.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HooksConfig {
    pub fail_mode: Permission,
    #[serde(deserialize_with = "whole")]
    pub budget_ms: u64,
    /// The user's rules, consulted before the built-in ones.
    pub actions: Vec<actions::Rule>,
}

/// `discover:`, how the repository is mapped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverConfig {
    pub exclude: Vec<String>,
    #[serde(deserialize_with = "whole")]
    pub history_commits: usize,
    #[serde(deserialize_with = "whole")]
    pub max_parse_bytes: u64,
    #[serde(deserialize_with = "whole")]
    pub hotspots: usize,
    pub coupling: Coupling,
}

/// Co-change coupling thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coupling {
    #[serde(deserialize_with = "whole")]
    pub min_revisions: u32,
    #[serde(deserialize_with = "whole")]
    pub min_shared: u32,
    #[serde(deserialize_with = "whole")]
    pub min_degree: u32,
    #[serde(deserialize_with = "whole")]
    pub max_changeset: usize,
}

/// `watch:`, how agent state is read. Times are in milliseconds, signed
/// like the clock they are added to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchConfig {
    #[serde(deserialize_with = "whole")]
    pub poll_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub stable_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub stale_running_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub disagree_ms: i64,
    /// Extra agent programs by provider, in the order the config lists
    /// them.
    pub agents: IndexMap<String, Vec<String>>,
    pub patterns: WatchPatterns,
}

/// `watch.patterns`: a kind given replaces its built-in list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchPatterns {
    pub approval: Option<Vec<String>>,
    pub input: Option<Vec<String>>,
    pub error: Option<Vec<String>>,
    pub busy: Option<Vec<String>>,
    pub prompt: Option<Vec<String>>,
    pub placeholder: Option<Vec<String>>,
}

impl WatchPatterns {
    /// The configured list for a kind, by its name in the schema.
    pub fn get(&self, kind: &str) -> Option<&[String]> {
        match kind {
            "approval" => &self.approval,
            "input" => &self.input,
            "error" => &self.error,
            "busy" => &self.busy,
            "prompt" => &self.prompt,
            "placeholder" => &self.placeholder,
            _ => &None,
        }
        .as_deref()
    }
}

/// `trigger:`, how `codexa trigger` waits, types, confirms and falls back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerConfig {
    #[serde(deserialize_with = "whole")]
    pub quiet_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub recheck_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub max_defer_ms: i64,
    #[serde(deserialize_with = "whole")]
    pub enter_delay_ms: i64,
    pub enter_retries_ms: Vec<i64>,
    #[serde(deserialize_with = "whole")]
    pub send_keys_max_bytes: usize,
    #[serde(deserialize_with = "whole")]
    pub max_handoffs: u32,
    #[serde(deserialize_with = "whole")]
    pub resume_timeout_ms: i64,
    pub resume: ResumeConfig,
}

/// `trigger.resume`: the fallback's argument vector per provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeConfig {
    pub codex: Vec<String>,
    pub claude: Vec<String>,
}

/// `tmux:`, where `codexa start` opens agents' windows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TmuxConfig {
    pub session: Option<String>,
    #[serde(deserialize_with = "whole")]
    pub stop_grace_ms: i64,
}

/// `worktrees:`, where agents' worktrees go and what they get copied.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorktreesConfig {
    pub dir: Option<String>,
    pub copy: Vec<String>,
}

/// `runs:`, leases, artifacts and recorded tool calls of durable work.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunsConfig {
    #[serde(deserialize_with = "whole")]
    pub lease_ttl_ms: i64,
    pub kinds: IndexMap<String, RunKindConfig>,
    #[serde(deserialize_with = "whole")]
    pub artifact_max_bytes: u64,
    pub record_tool_calls: bool,
}

impl RunsConfig {
    /// The lease length for a run of `kind`.
    pub fn ttl_ms(&self, kind: &str) -> i64 {
        self.kinds
            .get(kind)
            .map_or(self.lease_ttl_ms, |k| k.lease_ttl_ms)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunKindConfig {
    #[serde(deserialize_with = "whole")]
    pub lease_ttl_ms: i64,
}

/// `trust:`, how an agent's history becomes a trust level.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustConfig {
    #[serde(deserialize_with = "whole")]
    pub window_days: i64,
    #[serde(deserialize_with = "whole")]
    pub recent_days: i64,
    pub levels: TrustLevels,
    #[serde(deserialize_with = "whole")]
    pub recommend_after: usize,
}

/// `trust.levels`: the score each level needs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustLevels {
    pub learning: f64,
    pub trusted: f64,
    pub proven: f64,
}

/// `redaction:`, text masked before it is written or shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionConfig {
    pub patterns: Vec<RedactionPattern>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionPattern {
    pub name: String,
    pub regex: String,
}

/// The integer types a config number is read into.
trait Whole: TryFrom<u64> {
    const MAX: Self;
}

impl Whole for u32 {
    const MAX: u32 = u32::MAX;
}

impl Whole for u64 {
    const MAX: u64 = u64::MAX;
}

impl Whole for usize {
    const MAX: usize = usize::MAX;
}

impl Whole for i64 {
    const MAX: i64 = i64::MAX;
}

/// A schema `integer`, which admits what YAML reads as a float when it has
/// no fraction (`65536.0`, `1e6`), and no upper bound for some keys. A
/// number too large for its type is that type's largest: a limit set past
/// what codexa can count is no limit. (Every minimum is at least 0, so
/// nothing negative gets here.)
fn whole<'de, D: Deserializer<'de>, T: Whole>(d: D) -> Result<T, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    // A float cast to an integer saturates: 1e300 is u64::MAX.
    let n = n
        .as_u64()
        .unwrap_or_else(|| n.as_f64().unwrap_or_default() as u64);
    Ok(T::try_from(n).unwrap_or(T::MAX))
}

impl Config {
    /// Read a merged config value that passed the schema: fill in the
    /// schema's defaults, drop `extends` (it names inputs, not settings,
    /// though the schema gives it a default too), read every section into
    /// its type and hash the result. `Err` says how the value and the types
    /// disagree, which for a value the schema accepted is codexa's bug.
    pub fn from_value(mut value: Value) -> Result<Config, String> {
        schema::apply_defaults("config", &mut value);
        if let Some(obj) = value.as_object_mut() {
            obj.remove("extends");
        }
        let mut config = Config::deserialize(&value).map_err(|e| e.to_string())?;
        config.hash = canonical_hash(&value);
        config.value = value;
        Ok(config)
    }
}

/// The config of a work tree without `.codexa/config.yaml`: the schema's
/// defaults, read once per process.
pub fn defaults() -> &'static Config {
    static DEFAULTS: OnceLock<Config> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        Config::from_value(serde_json::json!({"version": 1}))
            .expect("the schema's defaults fit the config's types (tested)")
    })
}

fn canonical_hash(value: &Value) -> String {
    // Canonicalising a serde_json::Value cannot fail: its keys are strings
    // and its numbers finite. The fallback keeps this total regardless.
    let bytes =
        serde_json_canonicalizer::to_vec(value).unwrap_or_else(|_| value.to_string().into_bytes());
    sha256_tagged(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_defaults_read_into_the_types() {
        let d = defaults();
        assert_eq!(d.store.segment_max_bytes, 4_194_304);
        assert_eq!(d.sync.remote, "origin");
        assert_eq!(d.hooks.fail_mode, Permission::Ask);
        assert_eq!(d.hooks.budget_ms, 4000);
        assert_eq!(d.watch.poll_ms, 1000);
        assert!(d.agents.is_empty() && d.watch.patterns.get("busy").is_none());
        assert_eq!(d.value["store"]["segment_max_bytes"], 4_194_304);
        assert!(d.value.get("extends").is_none());
        assert!(d.hash.starts_with("sha256:"));
    }

    /// Every key the schema allows, the optional ones too, has a field.
    #[test]
    fn every_key_the_schema_allows_reads() {
        let full = json!({
            "version": 1,
            "extends": ["../team.yaml"],
            "agents": {"w": {"provider": "claude", "role": "worker", "pane": "%1"}},
            "governance": {"authority": {"default": "deny", "rules": [
                {"from": "*", "to": "role:lead", "actions": ["wake"], "decision": "allow"}
            ]}},
            "approvals": {"require_signature": true, "signing_key": "~/.ssh/k"},
            "hooks": {"fail_mode": "deny", "budget_ms": 300, "actions": [
                {"tool": "Bash", "command": "make*", "outside_repo": false,
                 "action": "external.write", "subject": "{command}"}
            ]},
            "watch": {"agents": {"other": ["my-agent"]}, "patterns": {
                "approval": ["a"], "input": ["i"], "error": ["e"], "busy": ["b"], "prompt": ["p"]
            }},
            "redaction": {"patterns": [{"name": "t", "regex": "T-[0-9]+"}]}
        });
        assert_eq!(schema::validate("config", &full), Ok(Vec::new()));
        let c = Config::from_value(full).unwrap();
        assert_eq!(c.agents["w"].pane.as_deref(), Some("%1"));
        assert_eq!(c.governance.authority.default, Decision::Deny);
        assert_eq!(c.hooks.actions[0].outside_repo, Some(false));
        assert_eq!(c.watch.patterns.get("prompt"), Some(&["p".to_string()][..]));
        assert_eq!(c.approvals.signing_key.as_deref(), Some("~/.ssh/k"));
    }

    #[test]
    fn whole_numbers_written_as_floats_read_and_huge_ones_saturate() {
        let v = json!({"version": 1, "store": {"segment_max_bytes": 65536.0},
                       "discover": {"max_parse_bytes": 1e300, "coupling": {"min_shared": 1e10}}});
        assert_eq!(schema::validate("config", &v), Ok(Vec::new()));
        let c = Config::from_value(v).unwrap();
        assert_eq!(c.store.segment_max_bytes, 65536);
        assert_eq!(c.discover.max_parse_bytes, u64::MAX);
        assert_eq!(c.discover.coupling.min_shared, u32::MAX);
    }
}
