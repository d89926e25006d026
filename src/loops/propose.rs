//! From ranked zones to proposed changes: each candidate gets the next
//! change number and the policy gate's answer for implementing it, in the
//! policy zone its risk maps to; a deny leaves it out with the reason, and
//! a zone planned in the latest plan is left out too. Each change says why
//! it is proposed and with what evidence from the manifest. Nothing here
//! reads or writes files: `plan` gathers the inputs.

use super::format::{Change, GateAnswer, LeftOut, Required, ZoneRef};
use super::rank::{goal_words, rank};
use super::{ACTION, APPROVAL_KIND, CHANGE_PREFIX, format_id};
use crate::discover::manifest::{Hotspot, ModelCoupling, ZoneEntry};
use crate::domain::policy::{Decision, Verdict};
use crate::error::Result;

/// The policy zone a change's risk puts it in.
pub fn gate_zone(risk: &str) -> &'static str {
    match risk {
        "high" => "high_stakes",
        "low" => "sandbox",
        _ => "supervised",
    }
}

/// What the manifest says about a zone's files: each hotspot's measures,
/// then the couplings between its files.
fn evidence(zone: &ZoneEntry, hotspots: &[Hotspot], couplings: &[ModelCoupling]) -> Vec<String> {
    let mut out: Vec<String> = zone
        .files
        .iter()
        .filter_map(|f| hotspots.iter().find(|h| h.path == *f))
        .map(|h| {
            format!(
                "`{}`: complexity {} × {} revisions = {} (churn {} lines, {} author{}, last changed {})",
                h.path,
                h.complexity,
                h.revisions,
                h.score,
                h.churn,
                h.authors,
                if h.authors == 1 { "" } else { "s" },
                h.last_change
            )
        })
        .collect();
    out.extend(
        couplings
            .iter()
            .filter(|c| zone.files.contains(&c.a) && zone.files.contains(&c.b))
            .map(|c| {
                format!(
                    "`{}` ↔ `{}`: {} % coupled ({} shared revisions)",
                    c.a, c.b, c.degree, c.shared
                )
            }),
    );
    out
}

/// Why a zone is in the plan, in one or two sentences.
fn why(
    zone: &ZoneEntry,
    place: usize,
    total: usize,
    hot: usize,
    goal: Option<&str>,
    matched: &[String],
) -> String {
    let files = zone.files.len();
    let detail = match (hot, files) {
        (0, _) => "its files change together".to_string(),
        (1, 1) => "its file is a hotspot (complex and often changed)".to_string(),
        (2, 2) => "both its files are hotspots (complex and often changed)".to_string(),
        (h, f) if h == f => {
            format!("all {f} of its files are hotspots (complex and often changed)")
        }
        (1, f) => format!("1 of its {f} files is a hotspot (complex and often changed)"),
        (h, f) => format!("{h} of its {f} files are hotspots (complex and often changed)"),
    };
    let mut text = format!(
        "{} `{}` is change zone {place} of {total} by score ({}, {} risk): {detail}.",
        zone.id, zone.name, zone.score, zone.risk
    );
    if goal.is_some() {
        if matched.is_empty() {
            text.push_str(" None of the goal's words appear in its name or files; it is planned for its score.");
        } else {
            let list: Vec<String> = matched.iter().map(|w| format!("`{w}`")).collect();
            text.push_str(&format!(" It matches the goal on {}.", list.join(", ")));
        }
    }
    text
}

/// The gate, as `propose` asks it: (change id, policy zone, suggested
/// participant) → its decision.
pub type Gate<'a> = dyn FnMut(&str, &str, Option<&str>) -> Result<Decision> + 'a;

/// A change of the latest plan, whose zone is not planned again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// Its files, sorted.
    pub files: Vec<String>,
    pub change: String,
    pub loop_id: String,
}

/// Everything a proposal is made from, already read.
pub struct Inputs<'a> {
    pub zones: &'a [ZoneEntry],
    pub hotspots: &'a [Hotspot],
    pub couplings: &'a [ModelCoupling],
    pub goal: Option<&'a str>,
    pub max: usize,
    /// The first change number to give out.
    pub next_change: u32,
    /// Agents to suggest, in the order they take turns.
    pub agents: &'a [String],
    /// The latest plan's changes.
    pub planned: &'a [Earlier],
}

/// The changes and what was left out, asking `ask(change id, policy zone,
/// participant)` for the gate's answer on each candidate.
pub fn propose(inputs: &Inputs, ask: &mut Gate<'_>) -> Result<(Vec<Change>, Vec<LeftOut>)> {
    let words = inputs.goal.map(goal_words).unwrap_or_default();
    let mut changes: Vec<Change> = Vec::new();
    let mut left_out: Vec<LeftOut> = Vec::new();
    let mut next = inputs.next_change;
    for (i, matched) in rank(inputs.zones, &words) {
        if changes.len() >= inputs.max {
            break;
        }
        let zone = &inputs.zones[i];
        let zone_ref = ZoneRef {
            id: zone.id.clone(),
            name: zone.name.clone(),
        };
        let mut files = zone.files.clone();
        files.sort();
        if let Some(e) = inputs.planned.iter().find(|e| e.files == files) {
            left_out.push(LeftOut {
                id: None,
                zone: zone_ref,
                reason: format!("already planned as {} in {}", e.change, e.loop_id),
            });
            continue;
        }
        let id = format_id(CHANGE_PREFIX, next);
        next += 1;
        let participant = (!inputs.agents.is_empty())
            .then(|| inputs.agents[changes.len() % inputs.agents.len()].clone());
        let policy_zone = gate_zone(&zone.risk);
        let d = ask(&id, policy_zone, participant.as_deref())?;
        let answer = GateAnswer {
            zone: d.zone.clone(),
            decision: d.decision.as_str().to_string(),
            reason_code: d.reason_code.clone(),
            rule: d.rule.clone(),
        };
        if d.decision == Verdict::Deny {
            left_out.push(LeftOut {
                id: Some(id),
                zone: zone_ref,
                reason: format!(
                    "denied by policy: {}{}",
                    d.reason_code,
                    d.rule
                        .as_deref()
                        .map(|r| format!(" (rule {r})"))
                        .unwrap_or_default()
                ),
            });
            continue;
        }
        let approvals = if d.decision == Verdict::RequireApproval {
            vec![Required {
                kind: APPROVAL_KIND.into(),
                action: ACTION.into(),
                subject: id.clone(),
            }]
        } else {
            Vec::new()
        };
        let hot = zone
            .files
            .iter()
            .filter(|f| inputs.hotspots.iter().any(|h| h.path == **f))
            .count();
        changes.push(Change {
            why: why(zone, i + 1, inputs.zones.len(), hot, inputs.goal, &matched),
            evidence: evidence(zone, inputs.hotspots, inputs.couplings),
            id,
            zone: zone_ref,
            files: zone.files.clone(),
            risk: zone.risk.clone(),
            score: zone.score,
            goal_matches: matched,
            participant,
            gate: answer,
            approvals,
        });
    }
    Ok((changes, left_out))
}

#[cfg(test)]
mod tests {
    use super::super::rank::tests::zones;
    use super::*;

    fn decision(ch: &str, zone: &str, verdict: Verdict) -> Decision {
        Decision {
            action: ACTION.into(),
            subject: Some(ch.into()),
            zone: zone.into(),
            actor: "agent:x".into(),
            role: "worker".into(),
            decision: verdict,
            reason_code: match verdict {
                Verdict::RequireApproval => "design_review_required",
                Verdict::Deny => "frozen",
                Verdict::Allow => "default_allow",
            }
            .into(),
            rule: (verdict != Verdict::Allow).then(|| "r".to_string()),
            approval: None,
        }
    }

    /// The example policy's answer: high stakes need a design approval.
    fn example_gate(ch: &str, zone: &str, _: Option<&str>) -> Result<Decision> {
        let v = if zone == "high_stakes" {
            Verdict::RequireApproval
        } else {
            Verdict::Allow
        };
        Ok(decision(ch, zone, v))
    }

    fn inputs<'a>(
        zones: &'a [ZoneEntry],
        agents: &'a [String],
        planned: &'a [Earlier],
    ) -> Inputs<'a> {
        Inputs {
            zones,
            hotspots: &[],
            couplings: &[],
            goal: None,
            max: 5,
            next_change: 1,
            agents,
            planned,
        }
    }

    #[test]
    fn risk_maps_to_policy_zones() {
        assert_eq!(gate_zone("high"), "high_stakes");
        assert_eq!(gate_zone("medium"), "supervised");
        assert_eq!(gate_zone("low"), "sandbox");
    }

    #[test]
    fn numbers_continue_agents_take_turns_and_high_risk_needs_design() {
        let z = zones();
        let agents = vec!["worker-a".to_string(), "worker-b".to_string()];
        let mut i = inputs(&z, &agents, &[]);
        i.next_change = 12;
        let (changes, left) = propose(&i, &mut example_gate).unwrap();
        assert!(left.is_empty());
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["CH-012", "CH-013", "CH-014", "CH-015"]);
        let who: Vec<Option<&str>> = changes.iter().map(|c| c.participant.as_deref()).collect();
        assert_eq!(
            who,
            vec![
                Some("worker-a"),
                Some("worker-b"),
                Some("worker-a"),
                Some("worker-b")
            ]
        );
        assert_eq!(
            changes[0].approvals,
            vec![Required {
                kind: "design".into(),
                action: "change.implement".into(),
                subject: "CH-012".into()
            }]
        );
        assert!(changes[1..].iter().all(|c| c.approvals.is_empty()));
        assert_eq!(changes[0].gate.zone, "high_stakes");
        assert_eq!(changes[2].gate.zone, "sandbox");
    }

    #[test]
    fn max_limits_and_no_agents_means_no_participant() {
        let z = zones();
        let mut i = inputs(&z, &[], &[]);
        i.max = 1;
        let (changes, _) = propose(&i, &mut example_gate).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].participant, None);
    }

    #[test]
    fn denied_changes_keep_their_number_and_do_not_take_a_turn() {
        let z = zones();
        let agents = vec!["worker-a".to_string(), "worker-b".to_string()];
        let i = inputs(&z, &agents, &[]);
        let mut gate = |ch: &str, zone: &str, _: Option<&str>| -> Result<Decision> {
            Ok(decision(
                ch,
                zone,
                if ch == "CH-002" {
                    Verdict::Deny
                } else {
                    Verdict::Allow
                },
            ))
        };
        let (changes, left) = propose(&i, &mut gate).unwrap();
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["CH-001", "CH-003", "CH-004"]);
        assert_eq!(changes[1].participant.as_deref(), Some("worker-b"));
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id.as_deref(), Some("CH-002"));
        assert_eq!(left[0].zone.id, "Z-02");
        assert_eq!(left[0].reason, "denied by policy: frozen (rule r)");
    }

    #[test]
    fn zones_planned_in_the_latest_plan_are_left_out() {
        let z = zones();
        // Same files in another order is the same zone.
        let planned = vec![Earlier {
            files: vec![
                "src/billing/invoice.rs".to_string(),
                "src/billing/tax.rs".to_string(),
            ],
            change: "CH-003".to_string(),
            loop_id: "LP-001".to_string(),
        }];
        let mut i = inputs(&z, &[], &planned);
        i.next_change = 4;
        let (changes, left) = propose(&i, &mut example_gate).unwrap();
        assert_eq!(changes[0].id, "CH-004");
        assert_eq!(changes[0].zone.id, "Z-02");
        assert_eq!(left[0].id, None);
        assert_eq!(left[0].reason, "already planned as CH-003 in LP-001");
    }

    #[test]
    fn why_and_evidence_come_from_the_manifest() {
        let z = zones();
        let hotspots = vec![Hotspot {
            path: "src/billing/tax.rs".into(),
            score: 600,
            complexity: 40,
            estimated: false,
            revisions: 15,
            churn: 321,
            authors: 1,
            last_change: "2025-12-01".into(),
        }];
        let couplings = vec![ModelCoupling {
            a: "src/billing/invoice.rs".into(),
            b: "src/billing/tax.rs".into(),
            degree: 75,
            shared: 6,
        }];
        let mut i = inputs(&z, &[], &[]);
        i.hotspots = &hotspots;
        i.couplings = &couplings;
        i.goal = Some("billing taxes");
        let (changes, _) = propose(&i, &mut example_gate).unwrap();
        assert_eq!(
            changes[0].why,
            "Z-01 `src/billing` is change zone 1 of 4 by score (900, high risk): 1 of its 2 files is a hotspot (complex and often changed). It matches the goal on `billing`."
        );
        assert_eq!(
            changes[0].evidence,
            vec![
                "`src/billing/tax.rs`: complexity 40 × 15 revisions = 600 (churn 321 lines, 1 author, last changed 2025-12-01)",
                "`src/billing/invoice.rs` ↔ `src/billing/tax.rs`: 75 % coupled (6 shared revisions)",
            ]
        );
        assert!(
            changes[1].why.ends_with("it is planned for its score."),
            "{}",
            changes[1].why
        );
    }
}
