//! `codexa loop plan`: the next loop of proposed changes.
//!
//! Each change zone of the system manifest is a candidate. With a goal,
//! zones whose name or files contain the goal's words come first (more
//! words matched first); otherwise, and among equals, the manifest's own
//! order by score decides. A zone whose files are exactly those of a change
//! in the latest plan is left out (it is already planned). Each candidate
//! gets the next change number and is put to the policy gate as the action
//! `change.implement` on that number, in the policy zone its risk maps to
//! (high → high_stakes, medium → supervised, low → sandbox), asked as the
//! agent that would implement it, so a rule on a role or an actor applies:
//! `require_approval` makes the change need a `design` approval, `deny`
//! leaves it out with the reason. Up to `--max` changes are kept.
//!
//! The gate is asked without recording `policy.evaluated`: nobody acts
//! yet, and the answers are in the plan and in `loop.planned`. Everything
//! is read and rendered before anything is written, so a bad input changes
//! nothing.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    ACTION, APPROVAL_KIND, CHANGE_PREFIX, LOOP_PREFIX, LOOPS, MANIFEST, STREAM, existing,
    format_id, highest_change, loops_dir, numbers_in_log, plan_file,
};
use crate::clock;
use crate::config::{self, schema, yaml};
use crate::domain::approvals;
use crate::domain::gate::{self, Question};
use crate::domain::identity::{self, Speaker};
use crate::domain::policy::{Decision, Verdict};
use crate::domain::threads;
use crate::error::{Error, Result};
use crate::fsutil::{sha256_tagged, write_atomic};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// The event a plan appends.
pub const EVENT: &str = "loop.planned";
/// Plan format version.
pub const VERSION: u32 = 1;
/// Changes per loop unless `--max` says otherwise: a loop a person can
/// review in one sitting.
pub const DEFAULT_MAX: usize = 5;
/// The schema `plan.yaml` is checked against.
pub const SCHEMA: &str = "loop_plan";
/// The templates a plan and its seeds are rendered from.
pub const PLAN_TEMPLATE: &str = "plan.md.j2";

/// Words too common to say anything about where a goal points.
const STOP_WORDS: &[&str] = &[
    "and", "are", "all", "any", "but", "can", "for", "from", "has", "have", "into", "its", "let",
    "make", "more", "less", "not", "now", "our", "out", "the", "their", "them", "then", "there",
    "this", "that", "too", "use", "was", "way", "with", "without",
];

// ---------------------------------------------------------------- input

/// What a plan reads of `system_manifest.yaml` (the schema has been
/// checked first, so missing fields are not expected; unknown ones are
/// ignored).
#[derive(Debug, Clone, Deserialize)]
struct Manifest {
    provenance: ManifestProvenance,
    #[serde(default)]
    components: Vec<ComponentIn>,
    #[serde(default)]
    hotspots: Vec<HotspotIn>,
    #[serde(default)]
    zones: Vec<ZoneIn>,
}

#[derive(Debug, Clone, Deserialize)]
struct ManifestProvenance {
    head: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ComponentIn {
    model: String,
}

/// One hotspot of the manifest.
#[derive(Debug, Clone, Deserialize)]
pub struct HotspotIn {
    pub path: String,
    pub score: u64,
    pub complexity: u64,
    pub revisions: u64,
    pub churn: u64,
    pub authors: u64,
    pub last_change: String,
}

/// One change zone of the manifest.
#[derive(Debug, Clone, Deserialize)]
pub struct ZoneIn {
    pub id: String,
    pub name: String,
    pub risk: String,
    pub score: u64,
    pub files: Vec<String>,
}

/// Two files that change together, from a component's system model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coupling {
    pub a: String,
    pub b: String,
    pub degree: u64,
    pub shared: u64,
}

// ---------------------------------------------------------------- output

/// `plan.yaml` (schema `schemas/loop_plan.schema.json`); also what
/// `loop plan --format json` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub id: String,
    pub goal: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub max: usize,
    pub manifest: ManifestRef,
    pub changes: Vec<Change>,
    /// Candidates not planned, with why: already planned, or denied.
    pub left_out: Vec<LeftOut>,
    /// What was waiting on people when the plan was made.
    pub open_approvals: Vec<OpenApproval>,
    pub open_threads: Vec<OpenThread>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestRef {
    pub path: String,
    /// The commit discover read.
    pub head: Option<String>,
    /// Of the manifest's bytes, so a later reader can tell it changed.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    pub zone: ZoneRef,
    pub files: Vec<String>,
    /// The zone's risk: high, medium or low.
    pub risk: String,
    pub score: u64,
    pub why: String,
    pub evidence: Vec<String>,
    /// The goal's words found in the zone's name or files.
    pub goal_matches: Vec<String>,
    /// The configured agent suggested to implement it.
    pub participant: Option<String>,
    /// What the policy gate answered.
    pub gate: GateAnswer,
    pub approvals: Vec<Required>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateAnswer {
    /// The policy zone the risk maps to.
    pub zone: String,
    pub decision: String,
    pub reason_code: String,
    pub rule: Option<String>,
}

/// An approval a change needs before it is implemented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Required {
    pub kind: String,
    pub action: String,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The number a denied change was given (never reused); none for a
    /// zone that is already planned.
    pub id: Option<String>,
    pub zone: ZoneRef,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenApproval {
    pub id: String,
    pub kind: String,
    pub action: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenThread {
    pub id: String,
    pub title: String,
}

// ---------------------------------------------------------------- ranking

/// The words of a goal that can point at files: lowercase, letters and
/// digits, three characters or more, common words dropped, each once, in
/// the order given.
pub fn goal_words(goal: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in goal
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
    {
        if w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The goal words found in a zone's name or one of its files.
pub fn matched_words(zone: &ZoneIn, words: &[String]) -> Vec<String> {
    let name = zone.name.to_lowercase();
    let files: Vec<String> = zone.files.iter().map(|f| f.to_lowercase()).collect();
    words
        .iter()
        .filter(|w| name.contains(w.as_str()) || files.iter().any(|f| f.contains(w.as_str())))
        .cloned()
        .collect()
}

/// Zones in planning order, as indexes into `zones` with the words each
/// matched: more goal words matched first, then higher score, then the
/// manifest's order (its rank), so the same inputs give the same order.
pub fn rank(zones: &[ZoneIn], words: &[String]) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| (i, matched_words(z, words)))
        .collect();
    out.sort_by(|(i, a), (j, b)| {
        b.len()
            .cmp(&a.len())
            .then(zones[*j].score.cmp(&zones[*i].score))
            .then(i.cmp(j))
    });
    out
}

/// The policy zone a change's risk puts it in.
pub fn gate_zone(risk: &str) -> &'static str {
    match risk {
        "high" => "high_stakes",
        "low" => "sandbox",
        _ => "supervised",
    }
}

// ---------------------------------------------------------------- evidence

/// What the manifest says about a zone's files: each hotspot's measures,
/// then the couplings between its files.
fn evidence(zone: &ZoneIn, hotspots: &[HotspotIn], couplings: &[Coupling]) -> Vec<String> {
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
    zone: &ZoneIn,
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

/// The couplings every component's system model lists, once each. They
/// are supporting evidence: a model that is missing or unreadable only
/// means less of it (the manifest, checked against its schema, is what a
/// plan depends on).
fn couplings(root: &Path, components: &[ComponentIn]) -> Vec<Coupling> {
    let dir = root.join(".codexa/manifests");
    let mut out: BTreeSet<Coupling> = BTreeSet::new();
    for c in components {
        let Ok(text) = std::fs::read_to_string(dir.join(&c.model)) else {
            continue;
        };
        let Ok(doc) = yaml::parse(&text) else {
            continue;
        };
        for k in doc.value["couplings"].as_array().into_iter().flatten() {
            if let (Some(a), Some(b)) = (k["a"].as_str(), k["b"].as_str()) {
                out.insert(Coupling {
                    a: a.to_string(),
                    b: b.to_string(),
                    degree: k["degree"].as_u64().unwrap_or(0),
                    shared: k["shared"].as_u64().unwrap_or(0),
                });
            }
        }
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------- proposing

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
    pub zones: &'a [ZoneIn],
    pub hotspots: &'a [HotspotIn],
    pub couplings: &'a [Coupling],
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

// ---------------------------------------------------------------- the command

/// What `loop plan` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub goal: Option<String>,
    pub max: usize,
}

/// What `loop plan` did.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub plan: Plan,
    /// Files written, relative to the work tree.
    pub written: Vec<String>,
    pub event_id: Option<String>,
}

/// Read a loop's `plan.yaml` as a document, or none when the folder has
/// none. A file that is not YAML is an error naming it: its numbers must
/// count, and guessing them could reuse one.
pub fn read_plan_value(root: &Path, id: &str) -> Result<Option<Value>> {
    let shown = plan_file(id);
    let path = root.join(&shown);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {shown}")).caused_by(e)),
    };
    let doc = yaml::parse(&text).map_err(|e| {
        Error::user(format!("{shown}:{}: {}", e.line, e.message))
            .hint(format!("{}; plans are read to number the next one", e.fix))
    })?;
    Ok(Some(doc.value))
}

/// Read and check the manifest: missing is the usual case (discover has
/// not run), so it gets its own message.
fn read_manifest(root: &Path) -> Result<(Manifest, String)> {
    let path = root.join(MANIFEST);
    if !path.is_file() {
        return Err(
            Error::user(format!("no {MANIFEST}: there is nothing to plan from")).hint(
                "run `codexa discover` first: it maps the repository and writes the manifest",
            ),
        );
    }
    config::require_valid_file(
        "system_manifest",
        &path,
        MANIFEST,
        "system manifest",
        "run `codexa discover` to write it again",
    )?;
    let bytes = fs_err::read(&path)?;
    let text = String::from_utf8_lossy(&bytes);
    let doc = yaml::parse(&text).map_err(|e| {
        Error::user(format!("{MANIFEST}:{}: {}", e.line, e.message))
            .hint("run `codexa discover` to write it again")
    })?;
    let manifest: Manifest = serde_json::from_value(doc.value).map_err(|e| {
        Error::user(format!("{MANIFEST}: {e}")).hint("run `codexa discover` to write it again")
    })?;
    Ok((manifest, sha256_tagged(&bytes)))
}

/// Configured participants that are agents (not `role: human`), by name:
/// the order they take turns in, stable whatever order config lists them.
pub fn agents(config: &Value) -> Vec<String> {
    let mut names: Vec<String> = identity::participant_names(config)
        .into_iter()
        .filter(|n| identity::participant(config, n).is_some_and(|p| p.is_agent()))
        .collect();
    names.sort();
    names
}

/// Check a value about to be written against `schemas/loop_plan.schema.json`.
/// A failure is codexa's bug, not the user's: say so.
pub fn check_schema(plan: &Plan) -> Result<()> {
    let value = serde_json::to_value(plan)
        .map_err(|e| Error::io(format!("could not encode the plan: {e}")))?;
    let issues = schema::validate(SCHEMA, &value).map_err(Error::internal)?;
    if let Some(first) = issues.first() {
        return Err(Error::internal(format!(
            "the plan does not match schemas/loop_plan.schema.json: {} ({} problem(s))",
            first.what,
            issues.len()
        ))
        .report_with("the manifest"));
    }
    Ok(())
}

/// `codexa loop plan`.
pub fn plan(ws: &Workspace, speaker: &Speaker, opts: &Options) -> Result<Planned> {
    ws.require_initialized()?;
    if opts.max == 0 {
        return Err(Error::user("--max 0 plans nothing").hint("give --max 1 or more (default 5)"));
    }
    let root = ws.store.workdir.clone();
    let (manifest, manifest_sha) = read_manifest(&root)?;
    if manifest.zones.is_empty() {
        return Err(
            Error::user(format!("{MANIFEST} lists no change zones")).hint(
                "zones come from history: commit some changes, then run `codexa discover` again",
            ),
        );
    }
    let goal = opts
        .goal
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string);

    // Numbers: after every folder and every loop the log has seen.
    let loops = existing(&root)?;
    let (log_lp, log_ch) = numbers_in_log(ws)?;
    let mut highest = log_ch;
    let mut latest: Option<(String, Value)> = None;
    for (_, id) in &loops {
        if let Some(doc) = read_plan_value(&root, id)? {
            highest = highest.max(highest_change(&doc));
            latest = Some((id.clone(), doc));
        }
    }
    let lp_number = loops.last().map(|(n, _)| *n).unwrap_or(0).max(log_lp) + 1;
    let id = format_id(LOOP_PREFIX, lp_number);
    let planned: Vec<Earlier> = latest
        .iter()
        .flat_map(|(lp, doc)| {
            doc["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    let mut files: Vec<String> = c["files"]
                        .as_array()?
                        .iter()
                        .filter_map(|f| f.as_str().map(str::to_string))
                        .collect();
                    files.sort();
                    Some(Earlier {
                        files,
                        change: c["id"].as_str()?.to_string(),
                        loop_id: lp.clone(),
                    })
                })
        })
        .collect();

    let couplings = couplings(&root, &manifest.components);
    let agents = agents(&ws.config.value);
    let inputs = Inputs {
        zones: &manifest.zones,
        hotspots: &manifest.hotspots,
        couplings: &couplings,
        goal: goal.as_deref(),
        max: opts.max,
        next_change: highest + 1,
        agents: &agents,
        planned: &planned,
    };
    let mut ask = |ch: &str, zone: &str, participant: Option<&str>| -> Result<Decision> {
        // Asked as the agent that would implement it: that is who the gate
        // will stop. Without one, as whoever plans.
        let who = participant
            .and_then(|p| identity::participant(&ws.config.value, p))
            .unwrap_or_else(|| speaker.clone());
        Ok(gate::judge(
            ws,
            &who,
            Question {
                action: ACTION,
                subject: Some(ch),
                zone: Some(zone),
            },
        )?
        .decision)
    };
    let (changes, left_out) = propose(&inputs, &mut ask)?;
    if changes.is_empty() {
        let why: Vec<String> = left_out
            .iter()
            .map(|l| format!("{} {}: {}", l.zone.id, l.zone.name, l.reason))
            .collect();
        return Err(Error::user(format!(
            "no change to propose: {}",
            why.join("; ")
        ))
        .hint(match &latest {
            Some((lp, _)) => format!(
                "seed the latest plan with `codexa seed --from loop-plan {lp}`, or run `codexa discover` again for new zones"
            ),
            None => "check .codexa/policy.yaml for a rule denying `change.implement`".to_string(),
        }));
    }

    let open_approvals = approvals::list(ws)?
        .into_iter()
        .filter(|a| a.status == "pending")
        .map(|a| OpenApproval {
            id: a.id,
            kind: a.kind,
            action: a.action,
            subject: a.subject,
        })
        .collect();
    let open_threads = threads::list(ws, None, None)?
        .into_iter()
        .filter(|t| t.is_open())
        .map(|t| OpenThread {
            id: t.id,
            title: t.title,
        })
        .collect();

    let plan = Plan {
        version: VERSION,
        id: id.clone(),
        goal: goal.clone(),
        created_at: clock::format_ms(clock::now_ms()),
        created_by: speaker.name.clone(),
        max: opts.max,
        manifest: ManifestRef {
            path: MANIFEST.into(),
            head: manifest.provenance.head.clone(),
            sha256: manifest_sha,
        },
        changes,
        left_out,
        open_approvals,
        open_threads,
    };
    check_schema(&plan)?;
    let yaml_text = yaml::to_text(&plan)
        .map_err(|e| Error::io(format!("could not write the plan as YAML: {e}")))?;
    let md = crate::templates::render(&root, PLAN_TEMPLATE, &plan)?;

    // Claim the folder: two plans made at once cannot both take a number.
    let dir = loops_dir(&root);
    fs_err::create_dir_all(&dir)?;
    match std::fs::create_dir(dir.join(&id)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::user(format!("{LOOPS}/{id} appeared while planning"))
                .hint("another `codexa loop plan` ran at the same time; run it again"));
        }
        Err(e) => return Err(Error::io(format!("cannot create {LOOPS}/{id}")).caused_by(e)),
    }
    let yaml_path = plan_file(&id);
    let md_path = format!("{LOOPS}/{id}/plan.md");
    write_atomic(&root.join(&yaml_path), yaml_text.as_bytes())?;
    write_atomic(&root.join(&md_path), md.as_bytes())?;

    let denied: Vec<&str> = plan
        .left_out
        .iter()
        .filter_map(|l| l.id.as_deref())
        .collect();
    let data = json!({
        "loop": id,
        "goal": goal,
        "changes": plan.changes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        "left_out": denied,
        "approvals_required": plan
            .changes
            .iter()
            .filter(|c| !c.approvals.is_empty())
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        "head": plan.manifest.head,
        "plan": yaml_path,
    });
    let report = ws.append(vec![NewEvent::new(
        EVENT,
        StreamRef {
            kind: STREAM.into(),
            id: id.clone(),
        },
        speaker.actor(),
        data,
    )])?;
    Ok(Planned {
        plan,
        written: vec![yaml_path, md_path],
        event_id: report.results.first().map(|a| a.event.id.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(id: &str, name: &str, risk: &str, score: u64, files: &[&str]) -> ZoneIn {
        ZoneIn {
            id: id.into(),
            name: name.into(),
            risk: risk.into(),
            score,
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    fn zones() -> Vec<ZoneIn> {
        vec![
            zone(
                "Z-01",
                "src/billing",
                "high",
                900,
                &["src/billing/invoice.rs", "src/billing/tax.rs"],
            ),
            zone(
                "Z-02",
                "src/api/rate.rs",
                "medium",
                300,
                &["src/api/rate.rs"],
            ),
            zone(
                "Z-03",
                "src/auth",
                "low",
                100,
                &["src/auth/login.rs", "src/auth/session.rs"],
            ),
            zone("Z-04", "docs/auth.md", "low", 100, &["docs/auth.md"]),
        ]
    }

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

    fn inputs<'a>(zones: &'a [ZoneIn], agents: &'a [String], planned: &'a [Earlier]) -> Inputs<'a> {
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
    fn goal_words_drop_short_and_common_words() {
        assert_eq!(
            goal_words("Make the Auth login safer, and auth-tests!"),
            vec!["auth", "login", "safer", "tests"]
        );
        assert!(goal_words("a to of").is_empty());
    }

    #[test]
    fn without_a_goal_the_score_decides_then_the_manifest_order() {
        let z = zones();
        let order: Vec<usize> = rank(&z, &[]).into_iter().map(|(i, _)| i).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_goal_puts_matching_zones_first() {
        let z = zones();
        let ranked = rank(&z, &goal_words("auth session cleanup"));
        let order: Vec<usize> = ranked.iter().map(|(i, _)| *i).collect();
        // Z-03 matches two words (its name and a file), Z-04 one, then by score.
        assert_eq!(order, vec![2, 3, 0, 1]);
        assert_eq!(ranked[0].1, vec!["auth", "session"]);
        assert_eq!(ranked[1].1, vec!["auth"]);
        assert!(ranked[2].1.is_empty());
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
        let hotspots = vec![HotspotIn {
            path: "src/billing/tax.rs".into(),
            score: 600,
            complexity: 40,
            revisions: 15,
            churn: 321,
            authors: 1,
            last_change: "2025-12-01".into(),
        }];
        let couplings = vec![Coupling {
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
