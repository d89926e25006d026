//! The policy gate applied in a workspace: the policy file, the kill switch
//! and the approvals in force, for one speaker. `codexa policy eval|explain`
//! and the MCP `policy_eval` tool both call these, so the answer and the
//! `policy.evaluated` record cannot differ between the two doors.

use crate::domain::approvals;
use crate::domain::identity::Speaker;
use crate::domain::policy::{self, Decision, Explanation, Policy, Request, Verdict};
use crate::domain::trust;
use crate::error::Result;
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// What is asked of the gate.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub zone: Option<&'a str>,
}

/// Decide `q` for `who`, showing every step; approvals are looked up only
/// when a rule asks for one. Records nothing.
pub fn judge(ws: &Workspace, who: &Speaker, q: Question) -> Result<Explanation> {
    let policy = Policy::load(&ws.store.workdir, &ws.policy_cache())?;
    let req = Request {
        action: q.action,
        subject: q.subject,
        zone: q.zone,
        actor: who,
    };
    req.validate()?;
    let kill = policy::kill_switch_on(&ws.config.kill_switch);
    // The speaker's ledger is read once, and only if a rule that matches
    // in every other field asks for trust: most decisions never need it.
    let ledger = std::cell::OnceCell::new();
    let now = crate::clock::now_ms();
    let trust_of = |rule: &policy::Rule| {
        let l = ledger.get_or_init(|| trust::cache::facts(ws, &who.name, now));
        let scope = trust::Scope {
            action: &rule.action,
            subject: rule.subject.as_deref(),
        };
        trust::level::level(l, scope, now, &ws.config.trust)
    };
    let first = policy::explain(&policy, &req, kill, None, &trust_of);
    if first.decision.decision != Verdict::RequireApproval {
        return Ok(first);
    }
    let approved = approvals::approved_for(ws, q.action, q.subject)?;
    Ok(policy::explain(
        &policy,
        &req,
        kill,
        approved.as_deref(),
        &trust_of,
    ))
}

/// `policy eval`: decide `q` for `who` and record the decision as
/// `policy.evaluated` on the stream `policy:<action>`.
pub fn eval(ws: &Workspace, who: &Speaker, q: Question) -> Result<Decision> {
    let decision = judge(ws, who, q)?.decision;
    ws.append(vec![NewEvent::new(
        "policy.evaluated",
        StreamRef {
            kind: "policy".into(),
            id: decision.action.clone(),
        },
        who.actor(),
        serde_json::to_value(&decision).unwrap_or_default(),
    )])?;
    Ok(decision)
}
