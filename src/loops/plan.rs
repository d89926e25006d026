//! `codexa loop plan`: the next loop of proposed changes. This module runs
//! the command; `rank` orders the zones, `propose` turns them into
//! changes, `format` is `plan.yaml`'s and `files` reads and writes.
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

use serde::Serialize;
use serde_json::{Value, json};

use super::files::{couplings, read_manifest, read_plan_value, write_plan};
use super::format::{ManifestRef, OpenApproval, OpenThread, Plan, VERSION, check_schema};
use super::propose::{Earlier, Inputs, propose};
use super::{
    ACTION, LOOP_PREFIX, MANIFEST, STREAM, existing, format_id, highest_change, numbers_in_log,
};
use crate::clock;
use crate::config::{Config, yaml};
use crate::domain::approvals;
use crate::domain::gate::{self, Question};
use crate::domain::identity::{self, Speaker};
use crate::domain::policy::Decision;
use crate::domain::threads;
use crate::error::{Error, Result};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// The event a plan appends.
pub const EVENT: &str = "loop.planned";
/// Changes per loop unless `--max` says otherwise: a loop a person can
/// review in one sitting.
pub const DEFAULT_MAX: usize = 5;
/// The templates a plan and its seeds are rendered from.
pub const PLAN_TEMPLATE: &str = "plan.md.j2";

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

/// Configured participants that are agents (not `role: human`), by name:
/// the order they take turns in, stable whatever order config lists them.
pub fn agents(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = identity::participant_names(config)
        .into_iter()
        .filter(|n| identity::participant(config, n).is_some_and(|p| p.is_agent()))
        .collect();
    names.sort();
    names
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
    let agents = agents(&ws.config);
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
            .and_then(|p| identity::participant(&ws.config, p))
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

    let (yaml_path, md_path) = write_plan(&root, &id, &yaml_text, &md)?;

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
