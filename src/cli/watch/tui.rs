//! The live full-screen table of `codexa watch` (ratatui): every pane,
//! grouped by tmux session, attention first, coloured by activity, with the
//! evidence each row rests on. Keys: ↑/↓ (j/k) move, Enter jumps to the
//! pane, `/` filters, `a` shows only panes that need you, Esc clears, `q`
//! quits.

use std::time::{Duration, Instant};

use crate::agents::activity::{Activity, Presence};
use crate::agents::monitor::{Monitor, display_order};
use crate::agents::resolve::PaneView;
use crate::{Error, Result};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};

use super::table::{activity_label, agent_label, evidence_label};
use crate::cli::ExitStatus;

#[derive(Default)]
struct View {
    /// The highlighted row's index among the rows shown…
    selected: usize,
    /// …and its pane, which keeps the highlight on the same pane when rows
    /// move (attention first reorders them).
    selected_pane: Option<(String, u32)>,
    filter: String,
    typing: bool,
    attention_only: bool,
    message: String,
}

impl View {
    /// The person moved the highlight to row `at`.
    fn moved(&mut self, at: usize) {
        self.selected = at;
        self.selected_pane = None;
    }

    /// Move the highlight to where its pane is now; remember the pane.
    fn follow(&mut self, shown: &[&PaneView]) {
        if let Some(at) = self.selected_pane.as_ref().and_then(|(p, g)| {
            shown
                .iter()
                .position(|v| &v.pane == p && v.generation == *g)
        }) {
            self.selected = at;
        }
        self.selected = self.selected.min(shown.len().saturating_sub(1));
        self.selected_pane = shown
            .get(self.selected)
            .map(|v| (v.pane.clone(), v.generation));
    }

    fn visible<'a>(&self, views: &'a [PaneView]) -> Vec<&'a PaneView> {
        let needle = self.filter.to_lowercase();
        display_order(views)
            .into_iter()
            .filter(|v| !self.attention_only || v.attention)
            .filter(|v| {
                needle.is_empty()
                    || [
                        v.pane.as_str(),
                        v.target.as_str(),
                        v.title.as_str(),
                        v.participant.as_deref().unwrap_or(""),
                        v.provider.as_deref().unwrap_or(""),
                        activity_label(v),
                    ]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&needle))
            })
            .collect()
    }
}

fn color(v: &PaneView) -> Style {
    if v.presence == Presence::Unmanaged {
        return Style::default().fg(Color::DarkGray);
    }
    match v.activity {
        Activity::WaitingApproval | Activity::WaitingInput => Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD),
        Activity::Error => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        Activity::Running => Style::default().fg(Color::Green),
        Activity::Idle => Style::default().fg(Color::Blue),
        Activity::Unknown => Style::default().fg(Color::DarkGray),
    }
}

fn draw(frame: &mut ratatui::Frame, views: &[PaneView], view: &View, state: &mut TableState) {
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let managed = views
        .iter()
        .filter(|v| v.presence == Presence::Managed)
        .count();
    let attention = views.iter().filter(|v| v.attention).count();
    frame.render_widget(
        Paragraph::new(format!(
            "codexa watch — {} panes, {managed} with an agent, {attention} need you",
            views.len()
        ))
        .style(Style::default().add_modifier(Modifier::BOLD)),
        head,
    );
    let rows_shown = view.visible(views);
    let mut last_session = None;
    let rows = rows_shown.iter().map(|v| {
        let session = if last_session == Some(&v.session) {
            String::new()
        } else {
            last_session = Some(&v.session);
            v.session.clone()
        };
        Row::new(vec![
            Cell::from(if v.attention { "!" } else { "" }),
            Cell::from(session),
            Cell::from(v.pane.clone()),
            Cell::from(v.target.clone()),
            Cell::from(agent_label(v)),
            Cell::from(v.participant.clone().unwrap_or_else(|| "-".into())),
            Cell::from(activity_label(v)).style(color(v)),
            Cell::from(evidence_label(v)),
            Cell::from(v.title.clone()),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Length(12),
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Length(16),
            Constraint::Length(11),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new([
            "", "SESSION", "PANE", "TARGET", "AGENT", "WHO", "ACTIVITY", "EVIDENCE", "TITLE",
        ])
        .style(Style::default().add_modifier(Modifier::UNDERLINED)),
    )
    .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
    .block(Block::default());
    state.select((!rows_shown.is_empty()).then_some(view.selected.min(rows_shown.len() - 1)));
    frame.render_stateful_widget(table, body, state);
    let footer = if view.typing {
        format!("filter: {}▏ (Enter keep, Esc clear)", view.filter)
    } else if !view.message.is_empty() {
        view.message.clone()
    } else {
        let mut keys = "↑↓ move · Enter jump · / filter · a attention only · q quit".to_string();
        if !view.filter.is_empty() {
            keys.push_str(&format!(" · filter \"{}\"", view.filter));
        }
        keys
    };
    frame.render_widget(
        Paragraph::new(Line::from(footer)).style(Style::default().fg(Color::DarkGray)),
        foot,
    );
}

/// Act on one key; false to quit.
fn key(m: &Monitor, view: &mut View, code: KeyCode, mods: KeyModifiers) -> bool {
    if mods.contains(KeyModifiers::CONTROL) && code == KeyCode::Char('c') {
        return false;
    }
    if view.typing {
        match code {
            KeyCode::Esc => {
                view.filter.clear();
                view.typing = false;
            }
            KeyCode::Enter => view.typing = false,
            KeyCode::Backspace => {
                view.filter.pop();
            }
            KeyCode::Char(c) => view.filter.push(c),
            _ => {}
        }
        view.moved(0);
        return true;
    }
    view.message.clear();
    match code {
        KeyCode::Char('q') => return false,
        KeyCode::Up | KeyCode::Char('k') => view.moved(view.selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => view.moved(view.selected + 1),
        KeyCode::Char('/') => view.typing = true,
        KeyCode::Char('a') => {
            view.attention_only = !view.attention_only;
            view.moved(0);
        }
        KeyCode::Esc => {
            view.filter.clear();
            view.attention_only = false;
        }
        KeyCode::Enter => {
            let shown = view.visible(m.snapshot());
            view.follow(&shown);
            if let Some(v) = shown.get(view.selected) {
                view.message = match m.tmux.jump_to(&v.pane) {
                    Ok(()) if std::env::var_os("TMUX").is_some() => {
                        format!("jumped to {}", v.target)
                    }
                    Ok(()) => format!(
                        "selected {}: `tmux attach -t {}` to see it",
                        v.target, v.session
                    ),
                    Err(e) => e.message().to_string(),
                };
            }
        }
        _ => {}
    }
    true
}

pub fn run(mut m: Monitor) -> Result<ExitStatus> {
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            // Raw mode may already be on: give the terminal back as it was.
            ratatui::restore();
            return Err(Error::io("cannot set up the terminal for `watch`")
                .caused_by(e)
                .hint("use `codexa watch --stream` or `codexa status`"));
        }
    };
    let outcome = live(&mut m, &mut terminal);
    ratatui::restore();
    outcome
}

fn live(m: &mut Monitor, terminal: &mut ratatui::DefaultTerminal) -> Result<ExitStatus> {
    let poll_every = Duration::from_millis(m.timing.poll_ms as u64);
    let mut next_poll = Instant::now();
    let mut view = View::default();
    let mut state = TableState::default();
    let mut dirty = true;
    loop {
        if Instant::now() >= next_poll {
            next_poll = Instant::now() + poll_every;
            m.hooks_changed();
            m.poll()?;
            // Ages tick every poll.
            dirty = true;
        } else if m.hooks_changed() {
            dirty |= !m.refresh().is_empty();
        }
        if dirty {
            let views = m.snapshot().to_vec();
            let shown = view.visible(&views);
            view.follow(&shown);
            terminal
                .draw(|f| draw(f, &views, &view, &mut state))
                .map_err(|e| Error::io("cannot draw").caused_by(e))?;
            dirty = false;
        }
        if event::poll(Duration::from_millis(20))
            .map_err(|e| Error::io("terminal input").caused_by(e))?
        {
            if let Event::Key(k) =
                event::read().map_err(|e| Error::io("terminal input").caused_by(e))?
            {
                if k.kind == KeyEventKind::Press && !key(m, &mut view, k.code, k.modifiers) {
                    return Ok(ExitStatus::Success);
                }
                dirty = true;
            } else {
                dirty = true;
            }
        }
    }
}
