//! `codexa analyze activity`: events and messages per actor and day.

use serde::Serialize;

use super::{Window, count};
use crate::analytics::Analytics;
use codexa::error::Result;

/// One actor on one day (UTC).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ActivityRow {
    pub day: String,
    /// `KIND:ID`, e.g. `agent:worker-a`.
    pub actor: String,
    pub events: u64,
    pub messages: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub window: Window,
    pub events: u64,
    pub messages: u64,
    pub actors: u64,
    pub days: u64,
    /// By day, then by events (most first), then actor.
    pub rows: Vec<ActivityRow>,
}

impl Analytics {
    pub fn activity(&self, window: &Window) -> Result<Activity> {
        let sql = format!(
            "SELECT strftime(ts, '%Y-%m-%d') AS day, actor_kind || ':' || actor_id AS actor, \
                    count(*) AS events, count(*) FILTER (WHERE type = 'message.posted') AS messages \
             FROM events WHERE {} GROUP BY ALL ORDER BY day, events DESC, actor",
            window.sql("ts")
        );
        let rows = self.rows(&sql, |r| {
            Ok(ActivityRow {
                day: r.get(0)?,
                actor: r.get(1)?,
                events: count(r, 2)?,
                messages: count(r, 3)?,
            })
        })?;
        let mut actors: Vec<&str> = rows.iter().map(|r| r.actor.as_str()).collect();
        actors.sort_unstable();
        actors.dedup();
        let mut days: Vec<&str> = rows.iter().map(|r| r.day.as_str()).collect();
        days.dedup();
        Ok(Activity {
            window: window.clone(),
            events: rows.iter().map(|r| r.events).sum(),
            messages: rows.iter().map(|r| r.messages).sum(),
            actors: actors.len() as u64,
            days: days.len() as u64,
            rows,
        })
    }
}
