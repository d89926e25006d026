//! Incidents: something went wrong that a person should look at, opened by
//! a command or by codexa itself (a lease lost under a running run), and
//! resolved by a person.
//!
//! An incident is the fold of `incident:inc_<ULID>`: `incident.opened`,
//! then `incident.resolved`. Opening with a key while an incident with
//! that key is open returns the open one instead of a second (decided
//! under the store lock, so exact within a clone): a monitor that reports
//! the same trouble every minute makes one incident, and a new one only
//! after a person resolved it.

use serde::Serialize;
use serde_json::{Value, json};

use crate::clock;
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{Actor, Event, NewEvent, StreamRef};
use crate::workspace::Workspace;

pub const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub severity: String,
    /// `open` or `resolved`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// Whose work it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub opened_at: String,
    pub opened_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

fn stream(id: &str) -> StreamRef {
    StreamRef {
        kind: "incident".into(),
        id: id.to_string(),
    }
}

fn text(data: &Value, key: &str) -> Option<String> {
    data.get(key).and_then(Value::as_str).map(str::to_string)
}

/// An incident's events, folded; `None` without its `incident.opened`.
pub fn fold(id: &str, events: &[Event]) -> Option<Incident> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| (&a.ts, &a.id).cmp(&(&b.ts, &b.id)));
    let opened = sorted.iter().find(|e| e.kind == "incident.opened")?;
    let mut incident = Incident {
        id: id.to_string(),
        title: text(&opened.data, "title").unwrap_or_default(),
        severity: text(&opened.data, "severity").unwrap_or_default(),
        status: "open",
        run: text(&opened.data, "run"),
        agent: text(&opened.data, "agent"),
        key: text(&opened.data, "key"),
        detail: text(&opened.data, "detail"),
        opened_at: opened.ts.clone(),
        opened_by: opened.actor.to_string(),
        resolved_at: None,
        resolved_by: None,
        resolution: None,
    };
    if let Some(done) = sorted.iter().find(|e| e.kind == "incident.resolved") {
        incident.status = "resolved";
        incident.resolved_at = Some(done.ts.clone());
        incident.resolved_by = Some(done.actor.to_string());
        incident.resolution = text(&done.data, "resolution");
    }
    Some(incident)
}

/// What opening an incident asks.
#[derive(Debug, Clone, Default)]
pub struct Opening<'a> {
    pub title: &'a str,
    pub severity: &'a str,
    pub run: Option<&'a str>,
    /// Whose work it concerns (the run's worker), for that agent's
    /// ledger of trust.
    pub agent: Option<&'a str>,
    pub key: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// The `incident.opened` event for a new incident.
pub fn opening(o: &Opening, actor: &Actor, now_ms: i64) -> NewEvent {
    let context = format!("incident:{}:{}", o.title, o.key.unwrap_or_default());
    let id = clock::prefixed_id("inc", now_ms, &context);
    let mut data = json!({ "title": o.title, "severity": o.severity });
    for (key, value) in [
        ("run", o.run),
        ("agent", o.agent),
        ("key", o.key),
        ("detail", o.detail),
    ] {
        if let Some(v) = value {
            data[key] = json!(v);
        }
    }
    NewEvent::new("incident.opened", stream(&id), actor.clone(), data)
}

fn load_with(index: &Index, ws: &Workspace, id: &str) -> Result<Option<Incident>> {
    let events = index.events(
        &ws.store.events_dir(),
        &Filter {
            stream_type: Some("incident".into()),
            stream_id: Some(id.to_string()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    Ok(fold(id, &events))
}

fn open_ones(index: &Index, ws: &Workspace) -> Result<Vec<Incident>> {
    let mut out = Vec::new();
    for id in index.open_streams("incident")? {
        if let Some(i) = load_with(index, ws, &id)?.filter(Incident::is_open) {
            out.push(i);
        }
    }
    Ok(out)
}

fn check_opening(o: &Opening) -> Result<()> {
    if o.title.trim().is_empty() {
        return Err(Error::user("an incident needs a title")
            .hint("say what went wrong: `--title \"deploy stuck\"`"));
    }
    if !SEVERITIES.contains(&o.severity) {
        return Err(Error::user(format!("`{}` is not a severity", o.severity))
            .hint(format!("use one of: {}", SEVERITIES.join(", "))));
    }
    if o.key.is_some_and(|k| k.trim().is_empty()) {
        return Err(Error::user("`--idempotency-key` is empty").hint("give a key, or leave it out"));
    }
    crate::store::event::refuse_reserved_key(o.key)?;
    Ok(())
}

/// `codexa incident open`: the incident, and whether it is new (an open
/// one with the same key answers instead).
pub fn open(ws: &Workspace, speaker: &Speaker, o: &Opening) -> Result<(Incident, bool)> {
    check_opening(o)?;
    // An incident about a run shares its correlation id, so the inspector
    // shows it beside the run.
    let run = o
        .run
        .map(|r| crate::domain::runs::load(ws, r))
        .transpose()?;
    let correlation = run.as_ref().map(|r| r.correlation_id.clone());
    let worker = run.as_ref().and_then(|r| r.last_worker.clone());
    let o = &Opening {
        agent: o.agent.or(worker.as_deref()),
        ..o.clone()
    };
    let now = clock::now_ms();
    let (report, existing) = ws.append_planned(|index| {
        if let Some(key) = o.key
            && let Some(same) = open_ones(index, ws)?
                .into_iter()
                .find(|i| i.key.as_deref() == Some(key))
        {
            return Ok((Vec::new(), Some(same)));
        }
        let mut e = opening(o, &speaker.actor(), now);
        e.correlation_id = correlation.clone();
        Ok((vec![e], None))
    })?;
    if let Some(same) = existing {
        return Ok((same, false));
    }
    let id = report
        .results
        .first()
        .map(|a| a.event.stream.id.clone())
        .ok_or_else(|| Error::internal("opening an incident appended nothing"))?;
    Ok((load(ws, &id)?, true))
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no incident `{id}`"))
        .hint("list them with `codexa incident list --all`")
}

pub fn load(ws: &Workspace, id: &str) -> Result<Incident> {
    if !ws.store.exists() {
        return Err(not_found(id));
    }
    let index = Index::open(&ws.store)?;
    load_with(&index, ws, id)?.ok_or_else(|| not_found(id))
}

/// The open incidents, oldest first; every incident with `all`.
pub fn list(ws: &Workspace, all: bool) -> Result<Vec<Incident>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    if !all {
        return open_ones(&index, ws);
    }
    let events = index.events(
        &ws.store.events_dir(),
        &Filter {
            stream_type: Some("incident".into()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    Ok(crate::store::event::by_stream(events)
        .into_iter()
        .filter_map(|(id, events)| fold(&id, &events))
        .collect())
}

/// The incidents opened since `since` (envelope `ts`), oldest first, as
/// they stand now.
pub fn opened_since(ws: &Workspace, index: &Index, since: &str) -> Result<Vec<Incident>> {
    let opened = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some("incident.opened".into()),
            since: Some(since.to_string()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    let mut out = Vec::new();
    for e in opened {
        out.extend(load_with(index, ws, &e.stream.id)?);
    }
    Ok(out)
}

/// `codexa incident resolve`. From under an agent, only an incident that
/// agent opened itself: one codexa opened about the agent's lost lease is
/// for a person to close.
pub fn resolve(
    ws: &Workspace,
    speaker: &Speaker,
    id: &str,
    resolution: Option<&str>,
) -> Result<Incident> {
    let (_, ()) = ws.append_planned(|index| {
        let incident = load_with(index, ws, id)?.ok_or_else(|| not_found(id))?;
        if speaker.under.is_some() && incident.opened_by != speaker.actor().to_string() {
            return Err(Error::blocked(format!(
                "{} may resolve only incidents it opened; {id} was opened by {}",
                speaker.name, incident.opened_by
            ))
            .hint("a person resolves it: tell them the incident id"));
        }
        if !incident.is_open() {
            return Err(Error::conflict(format!(
                "{id} is already resolved (by {} at {})",
                incident.resolved_by.unwrap_or_default(),
                incident.resolved_at.unwrap_or_default()
            ))
            .hint("open a new incident if the trouble is back"));
        }
        let mut data = json!({});
        if let Some(r) = resolution.map(str::trim).filter(|r| !r.is_empty()) {
            data["resolution"] = json!(r);
        }
        let mut e = NewEvent::new("incident.resolved", stream(id), speaker.actor(), data);
        e.idempotency_key = Some(format!("incident.resolved:{id}"));
        Ok((vec![e], ()))
    })?;
    load(ws, id)
}
