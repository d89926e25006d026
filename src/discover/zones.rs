//! Hotspots and change zones. A hotspot is a file that is both complex
//! and often changed: score = complexity × revisions in the history window
//! (Adam Tornhill's measure, as code-maat and scc users rank them). A zone
//! is a group of files that change together: each cluster of co-change
//! coupling (files joined by a coupling edge, transitively) is one zone,
//! and each hotspot outside every cluster is a zone of its own. Zones are
//! ranked by the sum of their files' scores; the risk is relative to the
//! top zone: `high` from half its score, `medium` from 15 %, else `low`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::files::FileMeasure;
use super::history::History;
use super::manifest::Hotspot;

/// One change zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Zone {
    /// `Z-01`, `Z-02`… in rank order.
    pub id: String,
    /// The folder its files share, or its one file.
    pub name: String,
    pub risk: String,
    pub score: u64,
    pub files: Vec<String>,
    /// Why: each file's complexity × revisions, and the couplings.
    pub evidence: Vec<String>,
}

fn date(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Every file's score, for files with history.
fn scores(files: &[FileMeasure], history: &History) -> BTreeMap<String, u64> {
    files
        .iter()
        .filter_map(|f| {
            let h = history.files.get(&f.path)?;
            Some((
                f.path.clone(),
                u64::from(f.complexity) * u64::from(h.revisions),
            ))
        })
        .filter(|(_, s)| *s > 0)
        .collect()
}

/// The `limit` top hotspots, highest score first (ties by path).
pub fn hotspots(files: &[FileMeasure], history: &History, limit: usize) -> Vec<Hotspot> {
    let mut out: Vec<Hotspot> = files
        .iter()
        .filter_map(|f| {
            let h = history.files.get(&f.path)?;
            let score = u64::from(f.complexity) * u64::from(h.revisions);
            (score > 0).then(|| Hotspot {
                path: f.path.clone(),
                score,
                complexity: f.complexity,
                estimated: f.estimated,
                revisions: h.revisions,
                churn: h.added + h.removed,
                authors: h.authors.len() as u32,
                last_change: date(h.last_change),
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.path.cmp(&b.path)));
    out.truncate(limit);
    out
}

/// The folder all `paths` share (`.` for none), or the path itself for one.
fn common_dir(paths: &[String]) -> String {
    if let [one] = paths {
        return one.clone();
    }
    let split: Vec<Vec<&str>> = paths.iter().map(|p| p.split('/').collect()).collect();
    let mut prefix: Vec<&str> = Vec::new();
    'outer: for (i, part) in split[0].iter().enumerate() {
        for s in &split {
            // The last segment is a file name, never a shared folder.
            if i + 1 >= s.len() || s[i] != *part {
                break 'outer;
            }
        }
        prefix.push(part);
    }
    if prefix.is_empty() {
        ".".into()
    } else {
        prefix.join("/")
    }
}

/// Group into zones: coupled clusters, then lone hotspots.
pub fn zones(files: &[FileMeasure], history: &History, hotspots: &[Hotspot]) -> Vec<Zone> {
    let score = scores(files, history);
    // Only files the walk measured: excluded, hidden or ignored files may
    // change with the code, but they are no zone of it.
    let measured: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let couplings: Vec<&super::history::Coupling> = history
        .couplings
        .iter()
        .filter(|c| measured.contains(c.a.as_str()) && measured.contains(c.b.as_str()))
        .collect();
    // Union-find over coupling edges.
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    fn root(parent: &mut BTreeMap<String, String>, x: &str) -> String {
        let mut r = x.to_string();
        while let Some(p) = parent.get(&r).filter(|p| **p != r) {
            r = p.clone();
        }
        parent.insert(x.to_string(), r.clone());
        r
    }
    for c in &couplings {
        parent.entry(c.a.clone()).or_insert_with(|| c.a.clone());
        parent.entry(c.b.clone()).or_insert_with(|| c.b.clone());
        let (ra, rb) = (root(&mut parent, &c.a), root(&mut parent, &c.b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(hi, lo);
        }
    }
    let mut clusters: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let keys: Vec<String> = parent.keys().cloned().collect();
    for k in keys {
        let r = root(&mut parent, &k);
        clusters.entry(r).or_default().insert(k);
    }
    let mut groups: Vec<Vec<String>> = clusters
        .into_values()
        .map(|s| s.into_iter().collect())
        .collect();
    let clustered: BTreeSet<&String> = groups.iter().flatten().collect();
    let lone: Vec<Vec<String>> = hotspots
        .iter()
        .filter(|h| !clustered.contains(&h.path))
        .map(|h| vec![h.path.clone()])
        .collect();
    groups.extend(lone);

    let mut zones: Vec<Zone> = groups
        .into_iter()
        .map(|files| {
            let total: u64 = files
                .iter()
                .map(|f| score.get(f).copied().unwrap_or(0))
                .sum();
            let mut evidence: Vec<String> = files
                .iter()
                .filter_map(|f| {
                    let h = history.files.get(f)?;
                    let s = score.get(f).copied().unwrap_or(0);
                    Some(format!(
                        "{f}: complexity {} × {} revisions = {s}",
                        if h.revisions == 0 {
                            0
                        } else {
                            s / u64::from(h.revisions)
                        },
                        h.revisions
                    ))
                })
                .collect();
            evidence.extend(
                couplings
                    .iter()
                    .filter(|c| files.contains(&c.a) && files.contains(&c.b))
                    .map(|c| {
                        format!(
                            "{} ↔ {}: {} % coupled ({} shared revisions)",
                            c.a, c.b, c.degree, c.shared
                        )
                    }),
            );
            // Files with no folder in common are named after the hottest.
            let mut name = common_dir(&files);
            if name == "." {
                let hottest = files
                    .iter()
                    .max_by_key(|f| (score.get(*f).copied().unwrap_or(0), std::cmp::Reverse(*f)))
                    .cloned()
                    .unwrap_or_default();
                name = format!("{hottest} +{}", files.len() - 1);
            }
            Zone {
                id: String::new(),
                name,
                risk: String::new(),
                score: total,
                files,
                evidence,
            }
        })
        .collect();
    // A cluster of files with no score (lock files, snapshots that change
    // with the code) is no place to plan a change.
    zones.retain(|z| z.score > 0);
    zones.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.name.cmp(&b.name))
            .then(a.files.cmp(&b.files))
    });
    let mut names: BTreeMap<String, u32> = BTreeMap::new();
    let top = zones.first().map(|z| z.score).unwrap_or(0).max(1);
    for (i, z) in zones.iter_mut().enumerate() {
        z.id = format!("Z-{:02}", i + 1);
        // Names tell zones apart: a second `crates` becomes `crates #2`.
        let n = names.entry(z.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            z.name = format!("{} #{n}", z.name);
        }
        z.risk = if z.score * 2 >= top {
            "high"
        } else if z.score * 100 >= top * 15 {
            "medium"
        } else {
            "low"
        }
        .into();
    }
    zones
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::history::{Coupling, FileHistory};

    fn measure(path: &str, complexity: u32) -> FileMeasure {
        FileMeasure {
            path: path.into(),
            language: Some("Rust".into()),
            bytes: 1,
            code: 1,
            comments: 0,
            blanks: 0,
            complexity,
            estimated: false,
            functions: Vec::new(),
            skipped: None,
        }
    }

    fn fh(revisions: u32) -> FileHistory {
        FileHistory {
            revisions,
            added: 10,
            removed: 2,
            authors: vec!["ann".into()],
            last_change: 1_700_000_000,
            last_commit: "abc".into(),
        }
    }

    #[test]
    fn hotspots_rank_complexity_times_revisions_and_clusters_make_zones() {
        let files = [
            measure("src/billing/invoice.rs", 40),
            measure("src/billing/tax.rs", 10),
            measure("src/api.rs", 30),
            measure("README.md", 1),
        ];
        let mut history = History::default();
        history
            .files
            .insert("src/billing/invoice.rs".into(), fh(10));
        history.files.insert("src/billing/tax.rs".into(), fh(8));
        history.files.insert("src/api.rs".into(), fh(2));
        history.couplings.push(Coupling {
            a: "src/billing/invoice.rs".into(),
            b: "src/billing/tax.rs".into(),
            shared: 7,
            degree: 77,
            revs_a: 10,
            revs_b: 8,
        });
        let hs = hotspots(&files, &history, 10);
        let order: Vec<(&str, u64)> = hs.iter().map(|h| (h.path.as_str(), h.score)).collect();
        assert_eq!(
            order,
            [
                ("src/billing/invoice.rs", 400),
                ("src/billing/tax.rs", 80),
                ("src/api.rs", 60)
            ]
        );
        assert_eq!(hs[0].last_change, "2023-11-14");
        let zs = zones(&files, &history, &hs);
        assert_eq!(zs.len(), 2);
        assert_eq!(
            (
                zs[0].id.as_str(),
                zs[0].name.as_str(),
                zs[0].risk.as_str(),
                zs[0].score
            ),
            ("Z-01", "src/billing", "high", 480)
        );
        assert!(
            zs[0].evidence.iter().any(|e| e.contains("77 % coupled")),
            "{:?}",
            zs[0].evidence
        );
        assert_eq!(
            (zs[1].name.as_str(), zs[1].risk.as_str()),
            ("src/api.rs", "low")
        );
    }
}
