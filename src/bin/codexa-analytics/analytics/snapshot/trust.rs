//! `codexa analyze trust`: each agent's trust over the daily snapshots —
//! its level per action and subject day by day, the approvals, denials and
//! incidents of each day, and the days a level moved. Snapshots only: the
//! levels are what each day recorded, so the trend survives however the
//! log is later shared or trimmed, and the weights of the day apply.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Snapshot;
use super::agents::{LevelRow, Requests};
use crate::analytics::reports::Window;

/// One agent on one snapshot's day.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DayRow {
    pub date: String,
    /// What happened that day.
    #[serde(flatten)]
    pub day: Requests,
    /// Where things stood at the snapshot.
    pub runs_completed: u64,
    pub runs_failed: u64,
    pub open_incidents: u64,
    pub levels: Vec<LevelRow>,
}

/// A level that moved from one snapshot to the next.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub date: String,
    pub action: String,
    pub subject: Option<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgentTrend {
    pub agent: String,
    /// The snapshots' days that hold the agent, oldest first.
    pub days: Vec<DayRow>,
    /// The sums of those days.
    pub total: Requests,
    /// Each level that differs from the snapshot before, oldest first (an
    /// action not yet seen counts as `new`).
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrustTrend {
    pub window: Window,
    pub snapshots: u64,
    /// By agent name.
    pub agents: Vec<AgentTrend>,
}

fn add(sum: &mut Requests, d: &Requests) {
    sum.approvals_asked += d.approvals_asked;
    sum.approved += d.approved;
    sum.denied += d.denied;
    sum.held += d.held;
    sum.policy_denials += d.policy_denials;
    sum.incidents += d.incidents;
}

/// What `rows` say of `l`'s action and subject: its tier, `new` if absent.
fn tier_of<'a>(rows: &'a [LevelRow], l: &LevelRow) -> &'a str {
    rows.iter()
        .find(|r| r.action == l.action && r.subject == l.subject)
        .map_or("new", |r| r.tier.as_str())
}

/// The trend of every agent the snapshots hold (oldest snapshot first).
pub fn trend(window: &Window, snaps: &[Snapshot]) -> TrustTrend {
    let mut by_agent: BTreeMap<&str, AgentTrend> = BTreeMap::new();
    for s in snaps {
        for (name, a) in &s.agents {
            let t = by_agent.entry(name).or_insert_with(|| AgentTrend {
                agent: name.clone(),
                days: Vec::new(),
                total: Requests::default(),
                changes: Vec::new(),
            });
            if let Some(before) = t.days.last() {
                for l in &a.levels {
                    let from = tier_of(&before.levels, l);
                    if from != l.tier {
                        t.changes.push(Change {
                            date: s.date.clone(),
                            action: l.action.clone(),
                            subject: l.subject.clone(),
                            from: from.to_string(),
                            to: l.tier.clone(),
                        });
                    }
                }
            }
            add(&mut t.total, &a.day);
            t.days.push(DayRow {
                date: s.date.clone(),
                day: a.day.clone(),
                runs_completed: a.runs_completed,
                runs_failed: a.runs_failed,
                open_incidents: a.open_incidents,
                levels: a.levels.clone(),
            });
        }
    }
    TrustTrend {
        window: window.clone(),
        snapshots: snaps.len() as u64,
        agents: by_agent.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::snapshot::agents::Agent;

    fn snap(date: &str, tier: &str, approved: u64) -> Snapshot {
        let agent = Agent {
            day: Requests {
                approved,
                ..Requests::default()
            },
            levels: vec![LevelRow {
                action: "git.push".into(),
                subject: Some("origin/feature".into()),
                tier: tier.into(),
                ..LevelRow::default()
            }],
            ..Agent::default()
        };
        Snapshot {
            date: date.into(),
            agents: [("worker-a".to_string(), agent)].into(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn levels_that_move_between_snapshots_are_changes() {
        let snaps = [
            snap("2026-01-01", "learning", 2),
            snap("2026-01-02", "learning", 1),
            snap("2026-01-04", "proven", 7),
        ];
        let t = trend(&Window::default(), &snaps);
        assert_eq!(t.snapshots, 3);
        let a = &t.agents[0];
        assert_eq!(a.days.len(), 3);
        assert_eq!(a.total.approved, 10);
        assert_eq!(
            a.changes,
            [Change {
                date: "2026-01-04".into(),
                action: "git.push".into(),
                subject: Some("origin/feature".into()),
                from: "learning".into(),
                to: "proven".into(),
            }],
            "the first snapshot has nothing before it to move from"
        );
    }

    #[test]
    fn snapshots_written_before_agents_were_recorded_still_read() {
        let old = r#"{"date": "2025-12-31", "day": {"events": 3, "messages": 0, "actors": 1,
            "approvals_requested": 0, "approvals_answered": 0, "policy": {},
            "governance_blocks": 0, "triggers": {}, "agent_sessions": 0, "discover_runs": 0},
            "totals": {"events": 3, "messages": 0, "threads": 0, "open_threads": 0,
            "approvals_waiting": 0, "files": null, "code": null, "hotspots": []}}"#;
        let s: Snapshot = serde_json::from_str(old).unwrap();
        assert!(s.agents.is_empty());
        assert!(trend(&Window::default(), &[s]).agents.is_empty());
    }
}
