//! An agent's trust level for one kind of action, from its ledger. Pure.
//!
//! Only facts within the window (`trust.window_days`) count, and only
//! those after the latest incident on the agent's work: an incident
//! resets what it earned. Over what is left, for the actions (and
//! subjects) asked about:
//!
//! - each approval granted scores +1;
//! - each denial (by a person, or by a policy rule) scores −1, or −3 when
//!   it is recent (within `trust.recent_days`);
//! - each hold scores −0.5.
//!
//! The level is the highest whose score the total reaches (`trust.levels`:
//! learning 1, trusted 5, proven 10 by default), and `proven` also needs
//! no denial at all in what counts. Below `learning` an agent is `new`.

use serde::Serialize;

use super::ledger::{FactKind, Ledger};
use crate::config::TrustConfig;
use crate::domain::governance::glob;
use crate::domain::policy::action_glob;

const DAY_MS: i64 = 86_400_000;

/// The levels, least trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    New,
    Learning,
    Trusted,
    Proven,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::New, Tier::Learning, Tier::Trusted, Tier::Proven];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::New => "new",
            Tier::Learning => "learning",
            Tier::Trusted => "trusted",
            Tier::Proven => "proven",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// Which actions a level is for: an action glob and, optionally, a
/// subject glob (as a policy rule names them).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub action: &'a str,
    pub subject: Option<&'a str>,
}

/// A level and what it stands on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    pub tier: Tier,
    pub score: f64,
    pub approved: u32,
    pub denied: u32,
    pub held: u32,
    /// Counting from here: the window's start, or the latest incident.
    pub since: String,
    /// Why, in one line.
    pub why: String,
}

impl Level {
    /// No history at all: `new`.
    pub fn unearned() -> Level {
        Level {
            tier: Tier::New,
            score: 0.0,
            approved: 0,
            denied: 0,
            held: 0,
            since: String::new(),
            why: "no history".into(),
        }
    }
}

/// The level `ledger` earns for `scope` at `now_ms`.
pub fn level(ledger: &Ledger, scope: Scope, now_ms: i64, cfg: &TrustConfig) -> Level {
    let window_start = now_ms - cfg.window_days * DAY_MS;
    let incident = ledger.last_incident_ms().filter(|at| *at > window_start);
    let since = incident.unwrap_or(window_start);
    let recent = now_ms - cfg.recent_days * DAY_MS;
    let (mut approved, mut denied, mut held, mut score) = (0u32, 0u32, 0u32, 0f64);
    for f in &ledger.facts {
        let fits = f.at_ms > since
            && f.at_ms <= now_ms
            && action_glob(scope.action, &f.action)
            && scope
                .subject
                .is_none_or(|s| f.subject.as_deref().is_some_and(|x| glob(s, x)));
        if !fits {
            continue;
        }
        match f.kind {
            FactKind::Approved => {
                approved += 1;
                score += 1.0;
            }
            FactKind::Denied | FactKind::PolicyDenied => {
                denied += 1;
                score -= if f.at_ms >= recent { 3.0 } else { 1.0 };
            }
            FactKind::Held => {
                held += 1;
                score -= 0.5;
            }
            FactKind::Asked => {}
        }
    }
    // Each level needs at least what the one below it needs, whatever the
    // config says: a higher level is never the easier one to reach.
    let l = &cfg.levels;
    let trusted = l.trusted.max(l.learning);
    let proven = l.proven.max(trusted);
    let tier = if score >= proven && denied == 0 {
        Tier::Proven
    } else if score >= trusted {
        Tier::Trusted
    } else if score >= l.learning {
        Tier::Learning
    } else {
        Tier::New
    };
    let from = match incident {
        Some(_) => "since the incident of",
        None => "since",
    };
    let why = format!(
        "{approved} approved, {denied} denied, {held} held on `{}`{} {from} {}: score {score}",
        scope.action,
        scope.subject.map(|s| format!(" `{s}`")).unwrap_or_default(),
        crate::clock::format_ms(since),
    );
    Level {
        tier,
        score,
        approved,
        denied,
        held,
        since: crate::clock::format_ms(since),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TrustLevels;
    use crate::domain::trust::ledger::Fact;

    fn cfg() -> TrustConfig {
        TrustConfig {
            window_days: 30,
            recent_days: 7,
            levels: TrustLevels {
                learning: 1.0,
                trusted: 5.0,
                proven: 10.0,
            },
            recommend_after: 10,
        }
    }

    fn fact(kind: FactKind, day: i64) -> Fact {
        Fact {
            kind,
            action: "git.push".into(),
            subject: Some("origin/feature".into()),
            at_ms: day * DAY_MS,
            source: format!("appr_{day}"),
            reason: None,
        }
    }

    const NOW: i64 = 100 * DAY_MS;
    const PUSH: Scope = Scope {
        action: "git.push",
        subject: Some("origin/*"),
    };

    fn ledger(facts: Vec<Fact>) -> Ledger {
        Ledger {
            agent: "worker-a".into(),
            facts,
            ..Ledger::default()
        }
    }

    #[test]
    fn ten_approvals_and_no_denial_are_proven() {
        let l = ledger((90..100).map(|d| fact(FactKind::Approved, d)).collect());
        let got = level(&l, PUSH, NOW, &cfg());
        assert_eq!((got.tier, got.approved), (Tier::Proven, 10));
    }

    #[test]
    fn a_recent_denial_weighs_three_times_an_old_one() {
        let mut facts: Vec<Fact> = (80..92).map(|d| fact(FactKind::Approved, d)).collect();
        facts.push(fact(FactKind::Denied, 75));
        let old = level(&ledger(facts.clone()), PUSH, NOW, &cfg());
        assert_eq!(
            (old.score, old.tier),
            (11.0, Tier::Trusted),
            "no denial for proven"
        );
        facts.push(fact(FactKind::Denied, 98));
        let recent = level(&ledger(facts), PUSH, NOW, &cfg());
        assert_eq!((recent.score, recent.tier), (8.0, Tier::Trusted));
    }

    #[test]
    fn outside_the_window_or_the_scope_nothing_counts() {
        let mut facts: Vec<Fact> = (10..30).map(|d| fact(FactKind::Approved, d)).collect();
        let mut other = fact(FactKind::Approved, 95);
        other.action = "git.push.force".into();
        facts.push(other);
        let got = level(&ledger(facts), PUSH, NOW, &cfg());
        assert_eq!((got.tier, got.approved), (Tier::New, 0));
    }

    #[test]
    fn an_incident_resets_what_was_earned() {
        let mut l = ledger((80..95).map(|d| fact(FactKind::Approved, d)).collect());
        l.incidents.push(crate::domain::incidents::Incident {
            id: "inc_1".into(),
            title: "t".into(),
            severity: "high".into(),
            status: "open",
            run: None,
            agent: Some("worker-a".into()),
            key: None,
            detail: None,
            opened_at: crate::clock::format_ms(96 * DAY_MS),
            opened_by: "user:ann".into(),
            resolved_at: None,
            resolved_by: None,
            resolution: None,
        });
        let got = level(&l, PUSH, NOW, &cfg());
        assert_eq!((got.tier, got.approved), (Tier::New, 0));
        assert!(got.why.contains("since the incident of"), "{}", got.why);
    }
}
