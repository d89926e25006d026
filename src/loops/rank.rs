//! The order zones are planned in: with a goal, the zones whose name or
//! files contain more of its words first; otherwise, and among equals, the
//! higher score, then the manifest's own order.

use crate::discover::manifest::ZoneEntry;

/// Words too common to say anything about where a goal points.
const STOP_WORDS: &[&str] = &[
    "and", "are", "all", "any", "but", "can", "for", "from", "has", "have", "into", "its", "let",
    "make", "more", "less", "not", "now", "our", "out", "the", "their", "them", "then", "there",
    "this", "that", "too", "use", "was", "way", "with", "without",
];

/// The words of a goal that can point at files: lowercase, letters and
/// digits, three characters or more, common words dropped, each once, in
/// the order given.
pub fn goal_words(goal: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in goal
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
    {
        if w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The goal words found in a zone's name or one of its files.
pub fn matched_words(zone: &ZoneEntry, words: &[String]) -> Vec<String> {
    let name = zone.name.to_lowercase();
    let files: Vec<String> = zone.files.iter().map(|f| f.to_lowercase()).collect();
    words
        .iter()
        .filter(|w| name.contains(w.as_str()) || files.iter().any(|f| f.contains(w.as_str())))
        .cloned()
        .collect()
}

/// Zones in planning order, as indexes into `zones` with the words each
/// matched: more goal words matched first, then higher score, then the
/// manifest's order (its rank), so the same inputs give the same order.
pub fn rank(zones: &[ZoneEntry], words: &[String]) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| (i, matched_words(z, words)))
        .collect();
    out.sort_by(|(i, a), (j, b)| {
        b.len()
            .cmp(&a.len())
            .then(zones[*j].score.cmp(&zones[*i].score))
            .then(i.cmp(j))
    });
    out
}

#[cfg(test)]
pub(in crate::loops) mod tests {
    use super::*;

    pub(in crate::loops) fn zone(
        id: &str,
        name: &str,
        risk: &str,
        score: u64,
        files: &[&str],
    ) -> ZoneEntry {
        ZoneEntry {
            id: id.into(),
            name: name.into(),
            risk: risk.into(),
            score,
            files: files.iter().map(|f| f.to_string()).collect(),
        }
    }

    pub(in crate::loops) fn zones() -> Vec<ZoneEntry> {
        vec![
            zone(
                "Z-01",
                "src/billing",
                "high",
                900,
                &["src/billing/invoice.rs", "src/billing/tax.rs"],
            ),
            zone(
                "Z-02",
                "src/api/rate.rs",
                "medium",
                300,
                &["src/api/rate.rs"],
            ),
            zone(
                "Z-03",
                "src/auth",
                "low",
                100,
                &["src/auth/login.rs", "src/auth/session.rs"],
            ),
            zone("Z-04", "docs/auth.md", "low", 100, &["docs/auth.md"]),
        ]
    }

    #[test]
    fn goal_words_drop_short_and_common_words() {
        assert_eq!(
            goal_words("Make the Auth login safer, and auth-tests!"),
            vec!["auth", "login", "safer", "tests"]
        );
        assert!(goal_words("a to of").is_empty());
    }

    #[test]
    fn without_a_goal_the_score_decides_then_the_manifest_order() {
        let z = zones();
        let order: Vec<usize> = rank(&z, &[]).into_iter().map(|(i, _)| i).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_goal_puts_matching_zones_first() {
        let z = zones();
        let ranked = rank(&z, &goal_words("auth session cleanup"));
        let order: Vec<usize> = ranked.iter().map(|(i, _)| *i).collect();
        // Z-03 matches two words (its name and a file), Z-04 one, then by score.
        assert_eq!(order, vec![2, 3, 0, 1]);
        assert_eq!(ranked[0].1, vec!["auth", "session"]);
        assert_eq!(ranked[1].1, vec!["auth"]);
        assert!(ranked[2].1.is_empty());
    }
}
