//! Typing a prompt into a pane: one line up to `send_keys_max_bytes` with
//! `send-keys -l`, anything longer or on several lines pasted from a
//! buffer named after the job; Enter is a separate key, sent later
//! (`enter_delay_ms`), and is the only thing ever sent again.

use std::time::Duration;

use crate::clock::Clock;
use crate::config::TriggerConfig;
use crate::error::Result;
use crate::tmux::Client;

/// `trigger.attempted`'s `method` for typing `text`. tmux reads an
/// argument ending in `;` as the end of its command (the `;` is lost), so
/// such a text is pasted too.
pub fn method(cfg: &TriggerConfig, text: &str) -> &'static str {
    if text.contains(['\n', '\r']) || text.len() > cfg.send_keys_max_bytes || text.ends_with(';') {
        "paste"
    } else {
        "send_keys"
    }
}

/// Put `text` in `pane`'s input box (not submitted).
pub fn put(
    tmux: &dyn Client,
    cfg: &TriggerConfig,
    pane: &str,
    job: &str,
    text: &str,
) -> Result<()> {
    match method(cfg, text) {
        "paste" => tmux.paste(pane, &format!("codexa-{job}"), text),
        _ => tmux.type_literal(pane, text),
    }
}

/// Enter, after the pause that keeps it apart from the text. The pause is
/// for the agent's program, which counts real time, so it is at least
/// that long in real time whatever the clock (a test clock moves faster).
pub fn enter(tmux: &dyn Client, clock: &dyn Clock, cfg: &TriggerConfig, pane: &str) -> Result<()> {
    let pause = Duration::from_millis(cfg.enter_delay_ms.max(0) as u64);
    let start = std::time::Instant::now();
    clock.sleep(pause);
    if let Some(rest) = pause.checked_sub(start.elapsed()) {
        std::thread::sleep(rest);
    }
    tmux.press_enter(pane)
}
