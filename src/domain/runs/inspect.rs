//! The inspector: a run, or everything sharing a correlation id, as a
//! tree (run → steps → tool calls and artifacts) with the events behind
//! each node: when, what and who.

use serde::Serialize;

use super::fold::{EventRef, Run};
use super::load_with;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

/// What `inspect --correlation C` finds.
#[derive(Debug, Clone, Serialize)]
pub struct Correlated {
    pub correlation_id: String,
    pub runs: Vec<Run>,
    /// Events with the id that belong to no run (incidents, messages…).
    pub other_events: Vec<OtherEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherEvent {
    #[serde(flatten)]
    pub event: EventRef,
    /// `type:id` of its stream.
    pub stream: String,
}

pub fn correlated(ws: &Workspace, correlation: &str) -> Result<Correlated> {
    let index = Index::open(&ws.store)?;
    let events = index.events(
        &ws.store.events_dir(),
        &Filter {
            correlation_id: Some(correlation.to_string()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    if events.is_empty() {
        return Err(Error::not_found(format!(
            "no event carries correlation id `{correlation}`"
        ))
        .hint("a run's correlation id is shown by `codexa run show ID`; by default it is the run's id"));
    }
    let mut run_ids: Vec<String> = Vec::new();
    let mut other_events = Vec::new();
    for e in &events {
        if e.stream.kind == "run" || e.stream.kind == super::WORK_STREAM {
            if !run_ids.contains(&e.stream.id) {
                run_ids.push(e.stream.id.clone());
            }
        } else {
            other_events.push(OtherEvent {
                event: EventRef {
                    id: e.id.clone(),
                    ts: e.ts.clone(),
                    kind: e.kind.clone(),
                    actor: e.actor.to_string(),
                },
                stream: e.stream.to_string(),
            });
        }
    }
    let runs = run_ids
        .iter()
        .map(|id| load_with(&index, ws, id))
        .collect::<Result<_>>()?;
    Ok(Correlated {
        correlation_id: correlation.to_string(),
        runs,
        other_events,
    })
}

/// One node of the printed tree.
struct Node {
    label: String,
    events: Vec<String>,
    children: Vec<Node>,
}

fn event_lines(events: &[EventRef]) -> Vec<String> {
    events
        .iter()
        .map(|e| format!("{}  {:<24} {}", e.ts, e.kind, e.actor))
        .collect()
}

fn run_node(run: &Run) -> Node {
    let mut label = format!("run {}  \"{}\"  {}", run.id, run.title, run.status.as_str());
    if let Some(l) = &run.lease {
        label.push_str(&format!(
            "  (lease {} held by {} until {})",
            l.fence, l.worker, l.expires_at
        ));
    }
    if let Some(reason) = &run.failure {
        label.push_str(&format!("  reason: {reason}"));
    }
    let mut children: Vec<Node> = run
        .steps
        .iter()
        .map(|s| Node {
            label: format!("step {}  \"{}\"", s.id, s.name),
            events: event_lines(&s.events),
            children: s
                .tool_calls
                .iter()
                .map(|t| Node {
                    label: format!(
                        "tool call {}  {}  {}{}{}",
                        t.id,
                        t.tool,
                        t.status,
                        t.duration_ms
                            .map(|d| format!("  {d} ms"))
                            .unwrap_or_default(),
                        if t.source == "hook" {
                            "  (from hooks)"
                        } else {
                            ""
                        }
                    ),
                    events: event_lines(&t.events),
                    children: Vec::new(),
                })
                .chain(s.artifacts.iter().map(|a| Node {
                    label: format!(
                        "artifact {}  {}{}{}{}",
                        a.id,
                        a.kind,
                        a.name.as_ref().map(|n| format!("  {n}")).unwrap_or_default(),
                        a.bytes.map(|b| format!("  {b} bytes")).unwrap_or_default(),
                        a.uri
                            .as_ref()
                            .or(a.sha256.as_ref())
                            .map(|x| format!("  {x}"))
                            .unwrap_or_default()
                    ),
                    events: event_lines(&a.events),
                    children: Vec::new(),
                }))
                .collect(),
        })
        .collect();
    if !run.conflicts.is_empty() {
        children.push(Node {
            label: "conflicts (events that changed nothing)".into(),
            events: run
                .conflicts
                .iter()
                .map(|c| {
                    format!(
                        "{}  {:<24} {}  {}",
                        c.event.ts, c.event.kind, c.event.actor, c.reason
                    )
                })
                .collect(),
            children: Vec::new(),
        });
    }
    Node {
        label,
        events: event_lines(&run.events),
        children,
    }
}

fn render(node: &Node, prefix: &str, out: &mut Vec<String>) {
    let below = if node.children.is_empty() {
        "   "
    } else {
        "│  "
    };
    for line in &node.events {
        out.push(format!("{prefix}{below}  {line}"));
    }
    let last = node.children.len().saturating_sub(1);
    for (i, child) in node.children.iter().enumerate() {
        let (branch, next) = if i == last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        out.push(format!("{prefix}{branch}{}", child.label));
        render(child, &format!("{prefix}{next}"), out);
    }
}

/// A run as a text tree.
pub fn run_text(run: &Run) -> Vec<String> {
    let node = run_node(run);
    let mut out = vec![node.label.clone()];
    render(&node, "", &mut out);
    out
}

/// Everything sharing a correlation id as text: each run's tree, then the
/// other events.
pub fn correlated_text(c: &Correlated) -> Vec<String> {
    let mut out = vec![format!("correlation {}", c.correlation_id)];
    for run in &c.runs {
        out.push(String::new());
        out.extend(run_text(run));
    }
    if !c.other_events.is_empty() {
        out.push(String::new());
        out.push("other events".into());
        for o in &c.other_events {
            out.push(format!(
                "   {}  {:<24} {}  {}",
                o.event.ts, o.event.kind, o.event.actor, o.stream
            ));
        }
    }
    out
}
