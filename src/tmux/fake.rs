//! A tmux server in memory, for unit tests of the code that reads panes:
//! the test opens panes, changes their screens and closes them.

use std::sync::{Arc, Mutex, MutexGuard};

use super::{Client, PaneRow};
use crate::error::{Error, Result};

/// Clones share one server, so a test keeps a handle on the one it gave
/// to the code under test.
#[derive(Debug, Clone, Default)]
pub struct FakeTmux {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    /// Each pane with its screen, in `list-panes` order.
    panes: Vec<(PaneRow, String)>,
    /// What was typed, pasted and pressed, in order: `(pane, key)`, where
    /// a key is `text:…`, `paste:…` or `Enter`.
    keys: Vec<(String, String)>,
}

/// A live pane `id` (`%N`) whose first process is `pid` running
/// `command`, alone in window 0 of session `session`, on the socket
/// `/tmp/fake-tmux`.
pub fn row(id: &str, pid: u32, command: &str, session: &str) -> PaneRow {
    PaneRow {
        id: id.to_string(),
        pid,
        command: command.to_string(),
        title: String::new(),
        session: session.to_string(),
        window: 0,
        index: 0,
        window_name: command.to_string(),
        path: "/src/shop".to_string(),
        dead: false,
        dead_status: None,
        socket: "/tmp/fake-tmux".to_string(),
        focused: false,
    }
}

impl FakeTmux {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("the fake tmux's state")
    }

    /// Add `row` showing `screen`.
    pub fn open(&self, row: PaneRow, screen: &str) {
        self.state().panes.push((row, screen.to_string()));
    }

    /// Show `screen` in pane `id`.
    pub fn show(&self, id: &str, screen: &str) {
        let mut state = self.state();
        let pane = state.panes.iter_mut().find(|(r, _)| r.id == id);
        pane.unwrap_or_else(|| panic!("no pane {id}")).1 = screen.to_string();
    }

    /// Close pane `id`.
    pub fn close(&self, id: &str) {
        self.state().panes.retain(|(r, _)| r.id != id);
    }

    /// Everything typed into pane `id` so far.
    pub fn keys(&self, id: &str) -> Vec<String> {
        let state = self.state();
        state
            .keys
            .iter()
            .filter(|(p, _)| p == id)
            .map(|(_, k)| k.clone())
            .collect()
    }

    fn record(&self, pane: &str, key: String) -> Result<()> {
        if self.pane_pid(pane).is_none() {
            return Err(Error::io(format!(
                "tmux send-keys -t {pane}: can't find pane: {pane}"
            )));
        }
        self.state().keys.push((pane.to_string(), key));
        Ok(())
    }
}

impl Client for FakeTmux {
    fn list_panes(&self) -> Result<Vec<PaneRow>> {
        Ok(self.state().panes.iter().map(|(r, _)| r.clone()).collect())
    }

    fn capture_screens(&self, ids: &[&str]) -> Result<Vec<String>> {
        let state = self.state();
        Ok(ids
            .iter()
            .map(|id| {
                state
                    .panes
                    .iter()
                    .find(|(r, _)| r.id == *id)
                    .map(|(_, screen)| screen.clone())
                    .unwrap_or_default()
            })
            .collect())
    }

    fn pane_pid(&self, pane: &str) -> Option<u32> {
        let state = self.state();
        state
            .panes
            .iter()
            .find(|(r, _)| r.id == pane)
            .map(|(r, _)| r.pid)
    }

    fn type_literal(&self, pane: &str, text: &str) -> Result<()> {
        self.record(pane, format!("text:{text}"))
    }

    fn paste(&self, pane: &str, _buffer: &str, text: &str) -> Result<()> {
        self.record(pane, format!("paste:{text}"))
    }

    fn press_enter(&self, pane: &str) -> Result<()> {
        self.record(pane, "Enter".into())
    }

    fn jump_to(&self, pane: &str) -> Result<()> {
        match self.pane_pid(pane) {
            Some(_) => Ok(()),
            None => Err(Error::io(format!(
                "tmux select-window -t {pane}: can't find pane: {pane}"
            ))),
        }
    }
}
