//! `codexa analyze discover`: the repository map over time — each run's
//! telemetry, and how the hotspot ranking moved from the first run in the
//! window to the last.

use serde::Serialize;

use super::{Window, count, ts_text};
use crate::analytics::Analytics;
use codexa::error::Result;

/// One whole-repository run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Run {
    pub ts: String,
    pub head: Option<String>,
    pub files: u64,
    pub code: u64,
    pub commits: u64,
    pub components: u64,
    pub zones: u64,
    pub cached_files: u64,
    pub total_ms: u64,
    /// Hotspot paths, highest first.
    pub hotspots: Vec<String>,
}

/// A path at a rank (1 = hottest).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Ranked {
    pub path: String,
    pub rank: usize,
}

/// A path whose rank changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Moved {
    pub path: String,
    pub from: usize,
    pub to: usize,
}

/// The hotspot ranking of the last run against the first.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct HotspotMovement {
    pub from: Option<String>,
    pub to: Option<String>,
    pub entered: Vec<Ranked>,
    pub left: Vec<Ranked>,
    pub moved: Vec<Moved>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Discover {
    pub window: Window,
    /// Oldest first.
    pub runs: Vec<Run>,
    pub hotspots: HotspotMovement,
}

/// Compare two rankings.
pub(crate) fn movement(first: &Run, last: &Run) -> HotspotMovement {
    let rank = |list: &[String], path: &str| list.iter().position(|p| p == path).map(|i| i + 1);
    let mut m = HotspotMovement {
        from: Some(first.ts.clone()),
        to: Some(last.ts.clone()),
        ..HotspotMovement::default()
    };
    for (i, path) in last.hotspots.iter().enumerate() {
        match rank(&first.hotspots, path) {
            None => m.entered.push(Ranked {
                path: path.clone(),
                rank: i + 1,
            }),
            Some(before) if before != i + 1 => m.moved.push(Moved {
                path: path.clone(),
                from: before,
                to: i + 1,
            }),
            Some(_) => m.unchanged += 1,
        }
    }
    for (i, path) in first.hotspots.iter().enumerate() {
        if rank(&last.hotspots, path).is_none() {
            m.left.push(Ranked {
                path: path.clone(),
                rank: i + 1,
            });
        }
    }
    m
}

impl Analytics {
    pub fn discover(&self, window: &Window) -> Result<Discover> {
        let sql = format!(
            "SELECT {}, head, files, code, commits, components, zones, cached_files, total_ms, \
                    CAST(to_json(hotspots) AS VARCHAR) \
             FROM discover_runs WHERE scope = 'repository' AND {} ORDER BY ts, event_id",
            ts_text("ts"),
            window.sql("ts")
        );
        let runs = self.rows(&sql, |r| {
            let hotspots: Option<String> = r.get(9)?;
            Ok(Run {
                ts: r.get(0)?,
                head: r.get(1)?,
                files: count(r, 2)?,
                code: count(r, 3)?,
                commits: count(r, 4)?,
                components: count(r, 5)?,
                zones: count(r, 6)?,
                cached_files: count(r, 7)?,
                total_ms: count(r, 8)?,
                hotspots: hotspots
                    .and_then(|h| serde_json::from_str(&h).ok())
                    .unwrap_or_default(),
            })
        })?;
        let hotspots = match (runs.first(), runs.last()) {
            (Some(first), Some(last)) if runs.len() > 1 => movement(first, last),
            _ => HotspotMovement::default(),
        };
        Ok(Discover {
            window: window.clone(),
            runs,
            hotspots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ts: &str, hotspots: &[&str]) -> Run {
        Run {
            ts: ts.into(),
            head: None,
            files: 0,
            code: 0,
            commits: 0,
            components: 0,
            zones: 0,
            cached_files: 0,
            total_ms: 0,
            hotspots: hotspots.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn movement_names_entries_exits_and_moves() {
        let m = movement(&run("a", &["x", "y", "z"]), &run("b", &["y", "x", "w"]));
        assert_eq!(
            m.entered,
            vec![Ranked {
                path: "w".into(),
                rank: 3
            }]
        );
        assert_eq!(
            m.left,
            vec![Ranked {
                path: "z".into(),
                rank: 3
            }]
        );
        assert_eq!(
            m.moved,
            vec![
                Moved {
                    path: "y".into(),
                    from: 2,
                    to: 1
                },
                Moved {
                    path: "x".into(),
                    from: 1,
                    to: 2
                }
            ]
        );
        assert_eq!(m.unchanged, 0);
    }
}
