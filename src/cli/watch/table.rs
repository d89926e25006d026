//! The text table `codexa status` prints (and the words the live view
//! shares with it): grouped by tmux session, attention first.

use crate::Result;
use crate::agents::activity::{Activity, Evidence, Presence};
use crate::agents::monitor::display_order;
use crate::agents::resolve::PaneView;
use anstyle::{AnsiColor, Style};

use crate::cli::ui::{DIM, Printer};

/// `hook 3s`, `screen 12s`, or `-`: which evidence, and how old.
pub fn evidence_label(v: &PaneView) -> String {
    let word = match v.evidence {
        Evidence::Deterministic => "hook",
        Evidence::Heuristic => "screen",
        Evidence::None => return "-".into(),
    };
    match v.age_ms {
        Some(ms) => format!("{word} {}", age(ms)),
        None => word.into(),
    }
}

/// `850ms`, `12s`, `4m`, `3h`, `2d`.
pub fn age(ms: i64) -> String {
    match ms {
        ..1000 => format!("{ms}ms"),
        1000..60_000 => format!("{}s", ms / 1000),
        60_000..3_600_000 => format!("{}m", ms / 60_000),
        3_600_000..86_400_000 => format!("{}h", ms / 3_600_000),
        _ => format!("{}d", ms / 86_400_000),
    }
}

/// The activity as shown: `unmanaged` for a pane with no agent.
pub fn activity_label(v: &PaneView) -> &'static str {
    if v.presence == Presence::Unmanaged {
        "unmanaged"
    } else {
        v.activity.as_str()
    }
}

pub fn activity_style(v: &PaneView) -> Style {
    if v.presence == Presence::Unmanaged {
        return DIM;
    }
    match v.activity {
        Activity::WaitingApproval | Activity::WaitingInput => AnsiColor::Yellow.on_default().bold(),
        Activity::Error => AnsiColor::Red.on_default().bold(),
        Activity::Running => AnsiColor::Green.on_default(),
        Activity::Idle => AnsiColor::Blue.on_default(),
        Activity::Unknown => DIM,
    }
}

/// Agent column: provider, or the program for others.
pub fn agent_label(v: &PaneView) -> String {
    v.provider
        .clone()
        .or_else(|| v.signature.as_ref().map(|s| s.class.clone()))
        .unwrap_or_else(|| "-".into())
}

pub fn print(p: &Printer, views: &[PaneView]) -> Result<()> {
    if views.is_empty() {
        p.status("no tmux panes (is a tmux server running? `--socket` names another)");
        return Ok(());
    }
    let rows = display_order(views);
    let width = |f: &dyn Fn(&PaneView) -> String| {
        rows.iter().map(|v| f(v).chars().count()).max().unwrap_or(0)
    };
    let w_target = width(&|v| v.target.clone());
    let w_agent = width(&|v| agent_label(v));
    let w_who = width(&|v| v.participant.clone().unwrap_or_else(|| "-".into()));
    let w_act = width(&|v| activity_label(v).to_string());
    let w_ev = width(&|v| evidence_label(v));
    let mut session = None;
    let (managed, attention) = (
        views
            .iter()
            .filter(|v| v.presence == Presence::Managed)
            .count(),
        views.iter().filter(|v| v.attention).count(),
    );
    p.line(&format!(
        "{} panes, {managed} with an agent, {attention} need you",
        views.len()
    ))?;
    for v in rows {
        if session != Some(&v.session) {
            let bold = Style::new().bold();
            p.line(&format!("{bold}{}:{bold:#}", v.session))?;
            session = Some(&v.session);
        }
        let mark = if v.attention { "!" } else { " " };
        let style = activity_style(v);
        let act = format!("{style}{:w_act$}{style:#}", activity_label(v));
        p.line(&format!(
            "{mark} {:<5} {:w_target$}  {:w_agent$}  {:w_who$}  {}  {:w_ev$}  {}",
            v.pane,
            v.target,
            agent_label(v),
            v.participant.as_deref().unwrap_or("-"),
            act,
            evidence_label(v),
            v.title,
        ))?;
    }
    Ok(())
}
