//! Approvals: the record that lets a person say yes to
//! one action on one subject, which the policy gate then honours — a
//! `require_approval` for that (action, subject) becomes `allow` with reason
//! `approved:<id>`.
//!
//! An approval is the fold of its stream `approval:appr_<ULID>`:
//! `approval.requested` opens it, each `approval.decided` (approve, deny,
//! hold) sets its status, the latest winning, so a person can change their
//! mind and the log shows both. `hold` keeps a request open without
//! granting it. A request may carry an expiry; past it an approval no longer
//! counts and shows as `expired` — a yes given for this afternoon's release
//! should not still open the gate next month.
//!
//! Who decides: people (`user` principals), plus any role the policy lists
//! under `approvers`; never the participant who asked, or an agent could ask
//! and answer itself.
//!
//! Where a project sets `approvals.require_signature`, a decision is signed
//! with the person's SSH key over a message naming the approval, what it
//! is for and the decision itself, and counts only when the signature
//! verifies against `.codexa/allowed_signers`: a decision planted in the
//! log (by hand, or arriving through `sync`) is shown as unverified and
//! left out of the status. Signed decisions are ordered by their signed
//! time, so replaying an older signed "approve" after a "deny" changes
//! nothing.
//!
//! Time: each entry point reads the clock once and passes that `now` down,
//! so one command sees one moment throughout (a request, and the approval
//! as it then stands, agree on whether it has expired). The `_at` forms
//! take `now` from their caller: unit tests drive expiry with them.

use serde::Serialize;
use serde_json::{Value, json};

use crate::clock;
use crate::domain::identity::Speaker;
use crate::domain::policy::{self, Policy};
use crate::domain::signature::{self, Signed, Verifier};
use crate::error::{Error, Result};
use crate::fsutil::sha256_tagged;
use crate::redact::Redactor;
use crate::store::index::{Filter, Index};
use crate::store::{Event, NewEvent, StreamRef};
use crate::workspace::Workspace;

pub const STATUSES: &[&str] = &["pending", "approved", "denied", "held", "expired"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Approve,
    Deny,
    Hold,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Approve => "approve",
            Choice::Deny => "deny",
            Choice::Hold => "hold",
        }
    }

    fn status(self) -> &'static str {
        match self {
            Choice::Approve => "approved",
            Choice::Deny => "denied",
            Choice::Hold => "held",
        }
    }
}

/// One decision in an approval's history.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub decision: String,
    pub by: String,
    pub reason: Option<String>,
    pub at: String,
    /// The principal (git `user.email`) a signed decision names.
    pub signer: Option<String>,
    /// true: signed by a key `.codexa/allowed_signers` lists for `signer`;
    /// false: a signature that does not verify, or none where one is
    /// required; null: unsigned, and none is required.
    pub verified: Option<bool>,
    /// Why `verified` is what it is, in words.
    pub verification: String,
    /// Whether this decision takes part in the status (and so the gate).
    pub counts: bool,
    /// The `approval.decided` event that recorded it.
    #[serde(skip)]
    pub event_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub id: String,
    pub action: String,
    pub subject: String,
    pub kind: String,
    pub reason: Option<String>,
    pub requested_by: String,
    /// `agent` or `user`: the kind of principal that asked.
    #[serde(skip)]
    pub requested_by_kind: String,
    pub requested_at: String,
    pub expires_at: Option<String>,
    /// pending | approved | denied | held | expired, as of when it was read.
    pub status: String,
    /// Every decision, oldest first, counted or not.
    pub decisions: Vec<Decided>,
    /// Which of `decisions` set `status`: the latest that counts.
    #[serde(skip)]
    deciding: Option<usize>,
}

impl Approval {
    /// Open: still waiting for (or held from) a decision, and not expired.
    pub fn is_open(&self) -> bool {
        self.status == "pending" || self.status == "held"
    }

    /// The decision that set the status, if any counts.
    pub fn deciding(&self) -> Option<&Decided> {
        self.deciding.and_then(|i| self.decisions.get(i))
    }

    /// Decisions left out of the status for want of a valid signature.
    pub fn unverified(&self) -> usize {
        self.decisions.iter().filter(|d| !d.counts).count()
    }
}

/// Which decisions count in this workspace, and the means to check them.
pub struct Trust {
    /// `approvals.require_signature`.
    pub required: bool,
    verifier: Verifier,
}

impl Trust {
    pub fn of(ws: &Workspace) -> Trust {
        Trust {
            required: ws.config.approvals.require_signature,
            verifier: Verifier::new(&ws.store),
        }
    }

    /// Check one decision's signature (when it has one, or one is needed).
    fn judge(&self, a: &Approval, d: &Decided, data: &Value) -> (Option<bool>, String) {
        let Some(sig) = data.get("signature").and_then(Value::as_str) else {
            return if self.required {
                (
                    Some(false),
                    "unsigned, and approvals.require_signature asks for a signature".into(),
                )
            } else {
                (None, "unsigned".into())
            };
        };
        let signed_at = text(data, "signed_at").unwrap_or_default();
        let fields = DecisionFields {
            decision: &d.decision,
            by: &d.by,
            reason: d.reason.as_deref(),
            signer: d.signer.as_deref().unwrap_or_default(),
            signed_at: &signed_at,
        };
        let message = signed_message(a, &fields);
        let check = self.verifier.check(&Signed {
            message: &message,
            signature: sig,
            principal: fields.signer,
            signed_at: &signed_at,
        });
        (Some(check.verified), check.reason)
    }
}

/// What a signature covers besides the approval itself.
struct DecisionFields<'a> {
    decision: &'a str,
    by: &'a str,
    reason: Option<&'a str>,
    signer: &'a str,
    signed_at: &'a str,
}

/// The bytes a person signs for one decision: RFC 8785 JSON of the
/// approval (id, action, subject, kind, who asked, its expiry) and the
/// decision (what, by whom, why, the signer, when). Any other approval or
/// decision is another message, so a signature cannot be carried over.
fn signed_message(a: &Approval, f: &DecisionFields) -> Vec<u8> {
    crate::store::event::canonical(&json!({
        "namespace": signature::NAMESPACE,
        "approval": a.id,
        "action": a.action,
        "subject": a.subject,
        "kind": a.kind,
        "requested_by": a.requested_by,
        "expires_at": a.expires_at,
        "decision": f.decision,
        "by": f.by,
        "reason": f.reason,
        "signer": f.signer,
        "signed_at": f.signed_at,
    }))
}

fn stream(id: &str) -> StreamRef {
    StreamRef {
        kind: "approval".into(),
        id: id.to_string(),
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Fold one approval's events (in `(ts, id)` order), with the status as of
/// `now_ms`. Without required signatures the latest decision wins, as
/// recorded; with them, the latest *signed* time among decisions that
/// verify.
fn fold(id: &str, events: &[Event], now_ms: i64, trust: &Trust) -> Option<Approval> {
    let req = events.iter().find(|e| e.kind == "approval.requested")?;
    let mut a = Approval {
        id: id.to_string(),
        action: text(&req.data, "action").unwrap_or_default(),
        subject: text(&req.data, "subject").unwrap_or_default(),
        kind: text(&req.data, "kind").unwrap_or_else(|| "action".into()),
        reason: text(&req.data, "reason"),
        requested_by: text(&req.data, "requested_by").unwrap_or_else(|| req.actor.id.clone()),
        requested_by_kind: req.actor.kind.clone(),
        requested_at: req.ts.clone(),
        expires_at: text(&req.data, "expires_at"),
        status: "pending".into(),
        decisions: Vec::new(),
        deciding: None,
    };
    let mut latest: Option<(i64, usize)> = None;
    for e in events.iter().filter(|e| e.kind == "approval.decided") {
        let decision = text(&e.data, "decision").unwrap_or_default();
        if !matches!(decision.as_str(), "approve" | "deny" | "hold") {
            continue;
        }
        let mut d = Decided {
            decision,
            by: text(&e.data, "by").unwrap_or_else(|| e.actor.id.clone()),
            reason: text(&e.data, "reason"),
            at: e.ts.clone(),
            signer: text(&e.data, "signer"),
            verified: None,
            verification: String::new(),
            counts: false,
            event_id: e.id.clone(),
        };
        (d.verified, d.verification) = trust.judge(&a, &d, &e.data);
        d.counts = !trust.required || d.verified == Some(true);
        if d.counts {
            // A verified signature vouches for its signed time; replaying
            // an old signed decision later in the log does not make it new.
            let when = if trust.required {
                text(&e.data, "signed_at")
                    .as_deref()
                    .and_then(clock::parse_ms)
                    .unwrap_or(i64::MIN)
            } else {
                0
            };
            let index = a.decisions.len();
            if latest.is_none_or(|best| (when, index) > best) {
                latest = Some((when, index));
            }
        }
        a.decisions.push(d);
    }
    if let Some((_, i)) = latest {
        a.deciding = Some(i);
        a.status = match a.decisions[i].decision.as_str() {
            "approve" => Choice::Approve.status(),
            "deny" => Choice::Deny.status(),
            _ => Choice::Hold.status(),
        }
        .to_string();
    }
    // A refusal stays a refusal when its time runs out; anything else past
    // its expiry no longer grants or waits for anything.
    if a.status != "denied"
        && let Some(exp) = a.expires_at.as_deref().and_then(clock::parse_ms)
        && exp <= now_ms
    {
        a.status = "expired".into();
    }
    Some(a)
}

fn approval_events(index: &Index, ws: &Workspace, id: Option<&str>) -> Result<Vec<Event>> {
    index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some("approval.*".into()),
            stream_type: Some("approval".into()),
            stream_id: id.map(str::to_string),
            ..Filter::default()
        },
        None,
        false,
    )
}

/// Which approvals a reader needs: only those folded (and their
/// signatures checked), so the gate's lookup costs what one (action,
/// subject) needs, not the whole history.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    pub action: Option<&'a str>,
    pub subject: Option<&'a str>,
}

impl Scope<'_> {
    fn takes(&self, request: &Value) -> bool {
        let is = |key: &str, want: Option<&str>| {
            want.is_none_or(|w| request.get(key).and_then(Value::as_str) == Some(w))
        };
        is("action", self.action) && is("subject", self.subject)
    }
}

/// The approvals in `scope`, oldest request first, with statuses as of
/// `now_ms`.
pub fn list_at(ws: &Workspace, scope: Scope, now_ms: i64) -> Result<Vec<Approval>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let events = approval_events(&index, ws, None)?;
    let trust = Trust::of(ws);
    Ok(crate::store::event::by_stream(events)
        .into_iter()
        .filter(|(_, events)| {
            events
                .iter()
                .find(|e| e.kind == "approval.requested")
                .is_some_and(|r| scope.takes(&r.data))
        })
        .filter_map(|(id, events)| fold(&id, &events, now_ms, &trust))
        .collect())
}

/// Every approval, as of now.
pub fn list(ws: &Workspace) -> Result<Vec<Approval>> {
    list_at(ws, Scope::default(), clock::now_ms())
}

/// `codexa approvals [--status S] [--subject X]`: every approval, oldest
/// request first, kept when it has the status and subject asked for.
pub fn list_filtered(
    ws: &Workspace,
    status: Option<&str>,
    subject: Option<&str>,
) -> Result<Vec<Approval>> {
    if let Some(s) = status
        && !STATUSES.contains(&s)
    {
        return Err(Error::user(format!("`{s}` is not an approval status"))
            .hint(format!("use one of: {}", STATUSES.join(", "))));
    }
    let scope = Scope {
        action: None,
        subject,
    };
    Ok(list_at(ws, scope, clock::now_ms())?
        .into_iter()
        .filter(|a| status.is_none_or(|s| s == a.status))
        .collect())
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no approval `{id}`")).hint(
        "list approvals with `codexa approvals`, or decide by subject: `codexa approve SUBJECT`",
    )
}

/// The approvals `events` (any `approval.*` events, in any order) make, as
/// of `now_ms`, oldest request first: for a reader that read the events it
/// needs in one query (the window an agent's trust looks at) and must not
/// fold every approval there is.
pub fn fold_events(ws: &Workspace, events: Vec<Event>, now_ms: i64) -> Vec<Approval> {
    let trust = Trust::of(ws);
    crate::store::event::by_stream(events)
        .into_iter()
        .filter_map(|(id, events)| fold(&id, &events, now_ms, &trust))
        .collect()
}

/// One approval by id, as of now.
pub fn load(ws: &Workspace, id: &str) -> Result<Approval> {
    load_at(ws, id, clock::now_ms())
}

/// One approval by id, with its status as of `now_ms`.
pub fn load_at(ws: &Workspace, id: &str, now_ms: i64) -> Result<Approval> {
    if !ws.store.exists() {
        return Err(not_found(id));
    }
    let index = Index::open(&ws.store)?;
    let events = approval_events(&index, ws, Some(id))?;
    fold(id, &events, now_ms, &Trust::of(ws)).ok_or_else(|| not_found(id))
}

/// The approval in force for (action, subject) now, if any: approved and
/// not expired; the most recently decided when there are several.
pub fn in_force<'a>(list: &'a [Approval], action: &str, subject: &str) -> Option<&'a Approval> {
    list.iter()
        .filter(|a| a.status == "approved" && a.action == action && a.subject == subject)
        .max_by(|x, y| {
            let at = |a: &Approval| a.deciding().map(|d| d.at.clone()).unwrap_or_default();
            at(x).cmp(&at(y))
        })
}

/// The id of the approval in force for (action, subject), for the gate.
/// Without a subject nothing was approved: approvals are always for one.
pub fn approved_for(ws: &Workspace, action: &str, subject: Option<&str>) -> Result<Option<String>> {
    let Some(subject) = subject else {
        return Ok(None);
    };
    let scope = Scope {
        action: Some(action),
        subject: Some(subject),
    };
    let candidates = list_at(ws, scope, clock::now_ms())?;
    Ok(in_force(&candidates, action, subject).map(|a| a.id.clone()))
}

/// `--expires`: a duration from now (`30m`, `2h`, `1d`, `1w`) or an RFC 3339
/// time; the envelope `ts` form.
pub fn parse_expires(text: &str, now_ms: i64) -> Result<String> {
    let bad = || {
        Error::user(format!("`{text}` is not an expiry")).hint(
            "use a duration from now like 30m, 2h, 1d, 1w, or a time like 2026-11-21T18:00:00Z",
        )
    };
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(clock::format_ms(ts.as_millisecond()));
    }
    clock::parse_duration_ms(text)
        .ok()
        .and_then(|d| now_ms.checked_add(d))
        .filter(|ms| *ms > 0 && jiff::Timestamp::from_millisecond(*ms).is_ok())
        .map(clock::format_ms)
        .ok_or_else(bad)
}

/// What a request asks.
pub struct NewRequest<'a> {
    pub action: &'a str,
    pub subject: &'a str,
    pub kind: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub expires: Option<&'a str>,
}

/// The default kind: `publish` for what leaves the machine (`git.push`,
/// `external.*`), else the action's last word (`design.review` → `review`).
pub fn default_kind(action: &str) -> String {
    // Anything that leaves this machine is a publication: that is how people
    // ask for it ("approve publish for shop@feature/x").
    if action == "git.push" || action.starts_with("external.") {
        return "publish".to_string();
    }
    action
        .rsplit('.')
        .next()
        .filter(|w| !w.is_empty())
        .unwrap_or("action")
        .to_string()
}

/// `codexa approval request`. Returns the approval and whether it is new:
/// an identical (action, subject, kind) request still open answers instead,
/// so an agent retrying its request does not pile up copies for a person to
/// wade through.
pub fn request(ws: &Workspace, speaker: &Speaker, req: NewRequest) -> Result<(Approval, bool)> {
    request_at(ws, speaker, req, clock::now_ms())
}

/// `request` at `now` (ms since the epoch): when it is made, and what a
/// relative `--expires` counts from.
pub fn request_at(
    ws: &Workspace,
    speaker: &Speaker,
    req: NewRequest,
    now: i64,
) -> Result<(Approval, bool)> {
    if !policy::valid_action(req.action) {
        return Err(
            Error::user(format!("`{}` is not an action name", req.action))
                .hint("actions are lowercase words joined by dots, e.g. `git.push`"),
        );
    }
    let subject = req.subject.trim();
    if subject.is_empty() {
        return Err(Error::user("an approval needs a subject").hint(
            "say what the action is on, e.g. `--subject CH-010` or `--subject origin/main`",
        ));
    }
    let kind = req
        .kind
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| default_kind(req.action));
    let expires_at = req.expires.map(|t| parse_expires(t, now)).transpose()?;
    if let Some(exp) = &expires_at
        && clock::parse_ms(exp).is_some_and(|ms| ms <= now)
    {
        return Err(Error::user(format!("`--expires` {exp} is already past"))
            .hint("give a time in the future, or a duration like 2h"));
    }
    let scope = Scope {
        action: Some(req.action),
        subject: Some(subject),
    };
    let all = list_at(ws, scope, now)?;
    let same = |a: &&Approval| a.action == req.action && a.subject == subject && a.kind == kind;
    if let Some(open) = all.iter().filter(same).find(|a| a.status == "pending") {
        return Ok((open.clone(), false));
    }
    // Two processes asking at once compute the same key and the store
    // answers the second with the first's event: still one request.
    let earlier = all.iter().filter(same).count();
    let key = sha256_tagged(format!("{}\0{subject}\0{kind}\0{earlier}", req.action).as_bytes());
    let id = clock::prefixed_id("appr", now, &format!("approval:{key}"));
    let mut data = json!({
        "action": req.action,
        "subject": subject,
        "kind": kind,
        "requested_by": speaker.name,
    });
    if let Some(r) = req.reason.map(str::trim).filter(|r| !r.is_empty()) {
        data["reason"] = json!(r);
    }
    if let Some(exp) = &expires_at {
        data["expires_at"] = json!(exp);
    }
    let mut event = NewEvent::new("approval.requested", stream(&id), speaker.actor(), data);
    event.idempotency_key = Some(format!("approval.requested:{key}"));
    let report = ws.append(vec![event])?;
    let appended = report
        .results
        .into_iter()
        .next()
        .ok_or_else(|| Error::io("the store appended nothing"))?;
    Ok((load_at(ws, &appended.event.stream.id, now)?, appended.new))
}

/// Find what `approve|deny|hold TARGET` means as of `now_ms`: an approval
/// id, or a subject with exactly one open request (narrowed by `kind`).
pub fn resolve_at(
    ws: &Workspace,
    target: &str,
    kind: Option<&str>,
    now_ms: i64,
) -> Result<Approval> {
    let target = target.trim();
    if target.starts_with("appr_") {
        return load_at(ws, target, now_ms);
    }
    let scope = Scope {
        action: None,
        subject: Some(target),
    };
    let all = list_at(ws, scope, now_ms)?;
    let candidates: Vec<&Approval> = all
        .iter()
        .filter(|a| a.subject == target && a.is_open() && kind.is_none_or(|k| a.kind == k))
        .collect();
    match candidates.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::not_found(format!(
            "no open approval request for `{target}`{}",
            kind.map(|k| format!(" of kind `{k}`")).unwrap_or_default()
        ))
        .hint("list them with `codexa approvals --status pending`; decide a closed one by its id")),
        many => Err(Error::user(format!(
            "`{target}` has {} open approval requests: {}",
            many.len(),
            many.iter()
                .map(|a| format!("{} ({} {})", a.id, a.kind, a.action))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("name one by id, or narrow with `--kind KIND`")),
    }
}

/// May `speaker` decide approvals at all? Never from under an agent's
/// program: there the name and role are the agent's own claim, so an
/// `approvers:` role would be one environment variable away.
pub fn may_decide(policy: &Policy, speaker: &Speaker) -> bool {
    speaker.under.is_none() && (speaker.kind == "user" || policy.approvers.contains(&speaker.role))
}

/// `codexa approve|deny|hold`: check who decides, record it, and return the
/// approval as it now stands. Deciding again changes the status; both
/// decisions stay in the log.
pub fn decide(
    ws: &Workspace,
    policy: &Policy,
    speaker: &Speaker,
    target: &str,
    kind: Option<&str>,
    choice: Choice,
    reason: Option<&str>,
) -> Result<Approval> {
    if !may_decide(policy, speaker) {
        return Err(Error::user(format!(
            "{} `{}` may not decide approvals: only a person can",
            speaker.kind, speaker.name
        ))
        .hint(if speaker.under.is_some() {
            // Nothing under an agent decides, so the only door to name is
            // the person.
            "a person decides it from their own terminal; tell them the approval id and wait"
        } else {
            "ask a person to run `codexa approve ID`, or list the role under `approvers:` in .codexa/policy.yaml"
        }));
    }
    let now = clock::now_ms();
    let approval = resolve_at(ws, target, kind, now)?;
    if approval.requested_by == speaker.name {
        return Err(Error::user(format!(
            "`{}` requested {} and may not decide it: self-approval is refused",
            speaker.name, approval.id
        ))
        .hint("someone else must approve, deny or hold it"));
    }
    if approval.status == "expired" && choice != Choice::Deny {
        return Err(Error::user(format!(
            "{} expired at {}",
            approval.id,
            approval.expires_at.as_deref().unwrap_or("?")
        ))
        .hint(format!(
            "request it again: `codexa approval request --action {} --subject {}`",
            approval.action, approval.subject
        )));
    }
    let mut data = json!({
        "decision": choice.as_str(),
        "by": speaker.name,
        "kind": approval.kind,
    });
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        data["reason"] = json!(r);
    }
    let settings = signature::Settings::from_config(&ws.config.approvals);
    if settings.require {
        sign_decision(ws, &settings, &approval, &mut data, now)?;
    }
    ws.append(vec![NewEvent::new(
        "approval.decided",
        stream(&approval.id),
        speaker.actor(),
        data,
    )])?;
    load_at(ws, &approval.id, now)
}

/// Sign a decision's `data` in place (adding `signer`, `signed_at` — `now`
/// — and `signature`), and check the signature as the gate will, so a key
/// the allowed signers do not list is refused before anything is written.
fn sign_decision(
    ws: &Workspace,
    settings: &signature::Settings,
    approval: &Approval,
    data: &mut Value,
    now: i64,
) -> Result<()> {
    let signer = signature::signer(&ws.store, settings)?;
    // The log stores data after redaction: sign exactly what it will hold.
    let redactor = Redactor::from_config(&ws.config.redaction)?;
    redactor.value(data);
    let signed_at = clock::format_ms(now);
    let by = text(data, "by").unwrap_or_default();
    let decision = text(data, "decision").unwrap_or_default();
    let reason = text(data, "reason");
    let message = signed_message(
        approval,
        &DecisionFields {
            decision: &decision,
            by: &by,
            reason: reason.as_deref(),
            signer: &signer.principal,
            signed_at: &signed_at,
        },
    );
    let sig = signature::sign(&signer, &message)?;
    if !redactor.text(&sig).1.is_empty() {
        return Err(Error::user(
            "a redaction pattern matches part of this decision's signature, which would break it",
        )
        .hint(
            "narrow the pattern in `redaction.patterns` (.codexa/config.yaml), then decide again",
        ));
    }
    let check = Verifier::new(&ws.store).check(&Signed {
        message: &message,
        signature: &sig,
        principal: &signer.principal,
        signed_at: &signed_at,
    });
    if !check.verified {
        return Err(Error::user(format!(
            "your signature with {} does not verify for {}: {}",
            signer.key.display(),
            signer.principal,
            check.reason
        ))
        .hint(format!(
            "list your key in {allowed}: `echo \"{} $(cat KEY.pub)\" >> {allowed}` (KEY.pub: the public half of {}), and have it reviewed like code",
            signer.principal,
            signer.key.display(),
            allowed = signature::ALLOWED_SIGNERS,
        )));
    }
    data["signer"] = json!(signer.principal);
    data["signed_at"] = json!(signed_at);
    data["signature"] = json!(sig);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries_are_durations_or_times() {
        let now = clock::parse_ms("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(
            parse_expires("2h", now).unwrap(),
            "2026-01-01T02:00:00.000Z"
        );
        assert_eq!(
            parse_expires("1d", now).unwrap(),
            "2026-01-02T00:00:00.000Z"
        );
        assert_eq!(
            parse_expires("2026-03-01T10:00:00+01:00", now).unwrap(),
            "2026-03-01T09:00:00.000Z"
        );
        assert!(parse_expires("soon", now).is_err());
        assert!(parse_expires("2y", now).is_err());
        assert!(parse_expires("99999999999999w", now).is_err());
    }

    #[test]
    fn an_approval_expires_with_the_time_it_is_read_at() {
        let (_dir, ws) = crate::workspace::temporary();
        let worker = Speaker::agent("worker-a", Some("codex"));
        let at = clock::parse_ms("2026-01-01T00:00:00Z").unwrap();
        let minutes = |n: i64| at + n * 60_000;
        let ask = |expires, now| {
            let req = NewRequest {
                action: "git.push",
                subject: "origin/main",
                kind: None,
                reason: None,
                expires,
            };
            request_at(&ws, &worker, req, now)
        };
        let (a, new) = ask(Some("1h"), at).unwrap();
        assert!(new);
        assert_eq!(a.expires_at.as_deref(), Some("2026-01-01T01:00:00.000Z"));
        let status = |now: i64| load_at(&ws, &a.id, now).unwrap().status;
        assert_eq!(status(minutes(59)), "pending");
        assert_eq!(status(minutes(60)), "expired");
        // Expired, it is no longer open: its subject names nothing to decide.
        let open = resolve_at(&ws, "origin/main", None, minutes(30)).unwrap();
        assert_eq!(open.id, a.id);
        let none = resolve_at(&ws, "origin/main", None, minutes(61)).unwrap_err();
        assert!(
            none.message().contains("no open approval request"),
            "{}",
            none.message()
        );
        // Asked again while it is open, it answers; once expired, the same
        // request is a new one.
        let (same, new) = ask(None, minutes(1)).unwrap();
        assert_eq!((same.id.as_str(), new), (a.id.as_str(), false));
        let (b, new) = ask(None, minutes(90)).unwrap();
        assert!(new && b.id != a.id, "{b:?}");
        // An expiry already past is refused.
        assert!(ask(Some("2026-01-01T00:30:00Z"), minutes(31)).is_err());
    }

    #[test]
    fn kinds_default_to_the_last_word() {
        assert_eq!(default_kind("git.push"), "publish");
        assert_eq!(default_kind("external.http.post"), "publish");
        assert_eq!(default_kind("fs.write_outside"), "write_outside");
        assert_eq!(default_kind("design"), "design");
    }
}
