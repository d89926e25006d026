//! `codexa seed --from loop-plan`: one prompt per planned change, the text
//! an agent is given to start on it, rendered from `templates/seed.md.j2`
//! (overridable in `.codexa/templates/`) into
//! `.codexa/loops/<LP>/seeds/<CH>.md`; the approvals the plan requires are
//! opened, and with `--post TH` each prompt is posted to the thread.
//!
//! Running it again is safe: a seed is rewritten only when its bytes
//! change (the same plan, template and thread give the same bytes), an
//! approval already asked for is reused whatever became of it (a person's
//! `deny` is not asked again behind their back; only an expired one is
//! asked anew), and each post carries an idempotency key per thread, loop
//! and change, so a rerun posts nothing new.
//!
//! Approvals are requested in the name of the change's suggested agent
//! when a person seeds: that agent is the one the gate will stop, and the
//! person, who did not ask, may then approve (nobody decides their own
//! request). An agent seeding asks as itself: an agent speaks only as
//! itself.

use serde::Serialize;
use serde_json::json;

use super::files::load_plan;
use super::format::{Change, Plan};
use super::{LOOP_PREFIX, LOOPS, STREAM, existing, number, plan_file};
use crate::domain::approvals::{self, Approval, NewRequest};
use crate::domain::governance::Blocked;
use crate::domain::identity::{self, Speaker};
use crate::domain::threads::{self, Post, PostOutcome};
use crate::domain::trust::constraints::{self, Constraint};
use crate::error::{Error, Result};
use crate::fsutil::{sha256_tagged, write_if_changed};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// The event a seeding appends.
pub const EVENT: &str = "loop.seeded";
/// The template each seed is rendered from.
pub const TEMPLATE: &str = "seed.md.j2";

/// What `seed` was asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `LP-nnn`; the latest plan when none.
    pub plan: Option<String>,
    /// A thread to post each seed to.
    pub thread: Option<String>,
}

/// One approval a seed needs, as it stands after seeding.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalOut {
    pub id: String,
    pub kind: String,
    pub action: String,
    pub subject: String,
    pub status: String,
    pub requested_by: String,
    /// Requested by this run (false: an earlier request was reused).
    pub new: bool,
}

/// A seed's message in the thread.
#[derive(Debug, Clone, Serialize)]
pub struct MessageOut {
    pub id: String,
    pub number: u64,
    /// False when an earlier run had posted it.
    pub new: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeedOut {
    pub change: String,
    pub participant: Option<String>,
    pub path: String,
    pub sha256: String,
    /// Its bytes changed (or it is new) this run.
    pub changed: bool,
    pub approvals: Vec<ApprovalOut>,
    pub message: Option<MessageOut>,
}

/// What `seed` did; `--format json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Seeded {
    #[serde(rename = "loop")]
    pub loop_id: String,
    pub thread: Option<String>,
    pub seeds: Vec<SeedOut>,
    /// Set when a governance guard refused a post: the seeds after it were
    /// not posted.
    pub blocked: Option<Blocked>,
    pub event_id: Option<String>,
}

/// The plan to seed: the one named, or the latest.
fn resolve_plan(root: &std::path::Path, wanted: Option<&str>) -> Result<String> {
    let loops = existing(root)?;
    let known = || {
        if loops.is_empty() {
            "make one with `codexa loop plan`".to_string()
        } else {
            format!(
                "plans here: {}",
                loops
                    .iter()
                    .map(|(_, id)| id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    match wanted.map(str::trim) {
        Some(id) => {
            if number(id, LOOP_PREFIX).is_none() {
                return Err(Error::user(format!("`{id}` is not a loop id"))
                    .hint(format!("loop ids look like LP-001; {}", known())));
            }
            if !loops.iter().any(|(_, l)| l == id) {
                return Err(Error::not_found(format!("no plan {id} in {LOOPS}")).hint(known()));
            }
            Ok(id.to_string())
        }
        None => loops
            .last()
            .map(|(_, id)| id.clone())
            .ok_or_else(|| Error::user(format!("no plan in {LOOPS} to seed")).hint(known())),
    }
}

/// The text of one seed.
pub fn render(
    root: &std::path::Path,
    plan: &Plan,
    change: &Change,
    thread: Option<&str>,
    constraints: &[Constraint],
) -> Result<String> {
    let position = plan
        .changes
        .iter()
        .position(|c| c.id == change.id)
        .unwrap_or(0)
        + 1;
    let ctx = json!({
        "loop": plan.id,
        "goal": plan.goal,
        "head": plan.manifest.head,
        "plan": plan_file(&plan.id),
        "change": change,
        "position": position,
        "count": plan.changes.len(),
        "thread": thread,
        "constraints": constraints,
    });
    crate::templates::render(root, TEMPLATE, &ctx)
}

/// Who asks for a change's approvals (see the module's comment).
fn requester(ws: &Workspace, speaker: &Speaker, participant: Option<&str>) -> Speaker {
    if speaker.is_agent() {
        return speaker.clone();
    }
    // With no agent to ask in the name of, the plan itself asks (a
    // service), so the person who seeds can still approve: nobody decides
    // their own request.
    participant
        .and_then(|p| identity::participant(&ws.config, p))
        .filter(Speaker::is_agent)
        .unwrap_or_else(|| Speaker {
            name: "loop-plan".into(),
            kind: "service".into(),
            role: "service".into(),
            provider: None,
            under: None,
        })
}

fn approval_out(a: &Approval, new: bool) -> ApprovalOut {
    ApprovalOut {
        id: a.id.clone(),
        kind: a.kind.clone(),
        action: a.action.clone(),
        subject: a.subject.clone(),
        status: a.status.clone(),
        requested_by: a.requested_by.clone(),
        new,
    }
}

/// `codexa seed --from loop-plan`.
pub fn seed(ws: &Workspace, speaker: &Speaker, opts: &Options) -> Result<Seeded> {
    ws.require_initialized()?;
    let root = ws.store.workdir.clone();
    let id = resolve_plan(&root, opts.plan.as_deref())?;
    let plan = load_plan(&root, &id)?;
    let thread = opts
        .thread
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(th) = thread {
        let t = threads::load(ws, th)?;
        if !t.is_open() {
            return Err(Error::user(format!("thread {th} is closed"))
                .hint("post to an open thread, or start one with `codexa thread new`"));
        }
    }

    // Everything rendered before anything is written.
    let mut texts = Vec::with_capacity(plan.changes.len());
    for c in &plan.changes {
        // What the agent was told when a person said no before: so the
        // same mistake is not made twice.
        let learned = match &c.participant {
            Some(p) => constraints::for_agent(ws, p)?,
            None => Vec::new(),
        };
        texts.push(render(&root, &plan, c, thread, &learned)?);
    }

    let mut seeds = Vec::with_capacity(plan.changes.len());
    for (c, text) in plan.changes.iter().zip(&texts) {
        let rel = format!("{LOOPS}/{id}/seeds/{}.md", c.id);
        let changed = write_if_changed(&root.join(&rel), text.as_bytes())?;
        seeds.push(SeedOut {
            change: c.id.clone(),
            participant: c.participant.clone(),
            path: rel,
            sha256: sha256_tagged(text.as_bytes()),
            changed,
            approvals: Vec::new(),
            message: None,
        });
    }

    let existing_approvals = approvals::list(ws)?;
    for (c, out) in plan.changes.iter().zip(seeds.iter_mut()) {
        for need in &c.approvals {
            let earlier = existing_approvals.iter().rev().find(|a| {
                a.action == need.action
                    && a.subject == need.subject
                    && a.kind == need.kind
                    && a.status != "expired"
            });
            if let Some(a) = earlier {
                out.approvals.push(approval_out(a, false));
                continue;
            }
            let who = requester(ws, speaker, c.participant.as_deref());
            let reason = format!(
                "{id}: {} in zone {} `{}` ({} risk); policy: {}",
                c.id, c.zone.id, c.zone.name, c.risk, c.gate.reason_code
            );
            let (a, new) = approvals::request(
                ws,
                &who,
                NewRequest {
                    action: &need.action,
                    subject: &need.subject,
                    kind: Some(&need.kind),
                    reason: Some(&reason),
                    expires: None,
                },
            )?;
            out.approvals.push(approval_out(&a, new));
        }
    }

    let mut blocked = None;
    if let Some(th) = thread {
        for ((c, out), text) in plan.changes.iter().zip(seeds.iter_mut()).zip(&texts) {
            let key = format!("seed:{th}:{id}:{}", c.id);
            let mentions: Vec<String> = c
                .participant
                .iter()
                .filter(|p| identity::participant(&ws.config, p).is_some())
                .cloned()
                .collect();
            let outcome = threads::post(
                ws,
                speaker,
                th,
                Post {
                    body: text,
                    reply_to: None,
                    mentions: &mentions,
                    idempotency_key: Some(&key),
                },
            )?;
            match outcome {
                PostOutcome::Posted { message, new } => {
                    out.message = Some(MessageOut {
                        id: message.id,
                        number: message.number,
                        new,
                    });
                }
                PostOutcome::Blocked(b) => {
                    blocked = Some(b);
                    break;
                }
            }
        }
    }

    let data = json!({
        "loop": id,
        "thread": thread,
        "seeds": seeds.iter().map(|s| json!({
            "change": s.change,
            "path": s.path,
            "sha256": s.sha256,
            "approvals": s.approvals.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            "message": s.message.as_ref().map(|m| m.id.as_str()),
        })).collect::<Vec<_>>(),
        "blocked": blocked.as_ref().map(|b| b.reason_code.as_str()),
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
    Ok(Seeded {
        loop_id: id,
        thread: thread.map(str::to_string),
        seeds,
        blocked,
        event_id: report.results.first().map(|a| a.event.id.clone()),
    })
}
