//! Resolving a typed phrase against the catalogue: the best-fitting
//! pattern's slots filled into its argv template, or why none fits and the
//! closest patterns. Pure: the catalogue is read by `catalogue`, the
//! command is run by `run`.

use serde::Serialize;

use super::argv::display;
use super::pattern::{Entry, Input, Piece, template};
use crate::error::Error;
use crate::text::edit_distance;

/// A phrase resolved to its command.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// What was typed (trimmed).
    pub phrase: String,
    /// The catalogue pattern it matched.
    pub pattern: String,
    /// The command for display: `codexa approve CH-010 --kind design`,
    /// shell-quoted so it can be pasted. Never run through a shell.
    pub command: String,
    /// The codexa arguments, one item per argument, without `codexa`.
    pub argv: Vec<String>,
    /// The catalogue file of the pattern.
    pub source: String,
}

/// Why a phrase resolved to nothing: the message, and the closest phrases.
#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    pub phrase: String,
    pub message: String,
    /// Up to three catalogue patterns, closest first.
    pub suggestions: Vec<String>,
}

impl Unresolved {
    /// As a codexa error, the suggestions in the hint.
    pub fn to_error(&self) -> Error {
        let hint = if self.suggestions.is_empty() {
            "`codexa ask --list` shows every phrase".to_string()
        } else {
            format!(
                "did you mean {}? (`codexa ask --list` shows every phrase)",
                self.suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Error::user(self.message.clone()).hint(hint)
    }
}

/// The catalogue: built-in phrases, then the project's.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub entries: Vec<Entry>,
}

impl Catalogue {
    /// Add entries: one with the same pattern as an existing entry takes
    /// its place; the others go at the end.
    pub(super) fn add(&mut self, entries: Vec<Entry>) {
        for e in entries {
            let key = e.key();
            match self.entries.iter_mut().find(|x| x.key() == key) {
                Some(old) => *old = e,
                None => self.entries.push(e),
            }
        }
    }

    /// Resolve a typed phrase. When several patterns fit, the one with the
    /// most literal words wins (`approve design for CH-010` is the
    /// kind-and-subject phrase, not a subject called `design for CH-010`),
    /// then one without a rest-of-phrase slot, then the earlier.
    pub fn resolve(&self, phrase: &str) -> std::result::Result<Resolved, Unresolved> {
        let input = Input::new(phrase);
        let unresolved = |message: String, suggestions: Vec<String>| Unresolved {
            phrase: input.full.to_string(),
            message,
            suggestions,
        };
        if input.words.is_empty() {
            return Err(unresolved("the phrase is empty".into(), Vec::new()));
        }
        let best = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.matches(&input).map(|v| (i, e, v)))
            .max_by_key(|(i, e, _)| {
                (
                    e.literal_words().count(),
                    !e.greedy(),
                    std::cmp::Reverse(*i),
                )
            });
        let Some((_, entry, values)) = best else {
            return Err(unresolved(
                format!("no phrase in the catalogue matches `{}`", input.full),
                self.suggest(input.full, 3),
            ));
        };
        let mut argv = Vec::with_capacity(entry.argv.len());
        let mut options_end = false;
        for item in &entry.argv {
            let mut out = String::new();
            // Placeholders were checked when the entry was built.
            for piece in template(item).unwrap_or_default() {
                match piece {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Slot(name) => out.push_str(values.get(name).map_or("", String::as_str)),
                }
            }
            if !options_end && out.starts_with('-') && !item.starts_with('-') {
                return Err(unresolved(
                    format!(
                        "`{out}` would be read as an option by `codexa {}`, not as a value",
                        entry.argv[0]
                    ),
                    vec![entry.phrase.clone()],
                ));
            }
            if item == "--" {
                options_end = true;
            }
            argv.push(out);
        }
        Ok(Resolved {
            phrase: input.full.to_string(),
            pattern: entry.phrase.clone(),
            command: display(&argv),
            argv,
            source: entry.source.clone(),
        })
    }

    /// The patterns closest to `phrase`, best first, at most `n`: scored by
    /// how many of a pattern's literal words the phrase has (a word within a
    /// typo or two counts for less), then by how close the word counts are.
    pub fn suggest(&self, phrase: &str, n: usize) -> Vec<String> {
        let input = Input::new(phrase);
        let typed: Vec<String> = input
            .words
            .iter()
            .map(|(_, w)| w.trim_end_matches([',', ':', ';']).to_lowercase())
            .collect();
        let mut scored: Vec<(u32, usize, usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let score: u32 = e
                    .literal_words()
                    .map(|lit| {
                        typed
                            .iter()
                            .map(|w| {
                                if w == lit {
                                    10
                                } else if edit_distance(w, lit) <= (lit.chars().count() / 4).max(1)
                                {
                                    6
                                } else {
                                    0
                                }
                            })
                            .max()
                            .unwrap_or(0)
                    })
                    .sum();
                (score > 0).then(|| (score, typed.len().abs_diff(e.parts.len()), i, e))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut out: Vec<String> = Vec::new();
        for (_, _, _, e) in scored {
            if out.len() == n {
                break;
            }
            if !out.contains(&e.phrase) {
                out.push(e.phrase.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::v;
    use super::*;

    fn argv(cat: &Catalogue, phrase: &str) -> Vec<String> {
        match cat.resolve(phrase) {
            Ok(r) => r.argv,
            Err(e) => panic!("`{phrase}` did not resolve: {e:?}"),
        }
    }

    #[test]
    fn every_catalogue_phrase_resolves_with_its_slots() {
        let cat = Catalogue::builtin();
        let table: &[(&str, &[&str])] = &[
            (
                "approve design for CH-010",
                &["approve", "CH-010", "--kind", "design"],
            ),
            (
                "deny design for CH-010",
                &["deny", "CH-010", "--kind", "design"],
            ),
            (
                "hold design for CH-010",
                &["hold", "CH-010", "--kind", "design"],
            ),
            ("approve CH-010", &["approve", "CH-010"]),
            ("deny appr_01ABC", &["deny", "appr_01ABC"]),
            ("hold CH-010", &["hold", "CH-010"]),
            (
                "show pending approvals",
                &["approvals", "--status", "pending"],
            ),
            ("show approvals", &["approvals"]),
            (
                "show approvals for CH-010",
                &["approvals", "--subject", "CH-010"],
            ),
            ("show approval appr_1", &["approval", "show", "appr_1"]),
            (
                "request design approval for CH-010",
                &[
                    "approval",
                    "request",
                    "--action",
                    "design.review",
                    "--subject",
                    "CH-010",
                    "--kind",
                    "design",
                ],
            ),
            (
                "request approval to git.push origin/main",
                &[
                    "approval",
                    "request",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "can I git.push origin/main",
                &[
                    "policy",
                    "eval",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "can I shell.exec",
                &["policy", "eval", "--action", "shell.exec"],
            ),
            (
                "evaluate external.write on CH-010",
                &[
                    "policy",
                    "eval",
                    "--action",
                    "external.write",
                    "--subject",
                    "CH-010",
                ],
            ),
            (
                "explain git.push on origin/main",
                &[
                    "policy",
                    "explain",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "post to th_01: looks good",
                &["post", "th_01", "--", "looks good"],
            ),
            ("what is unread", &["inbox"]),
            ("show my inbox", &["inbox"]),
            ("read th_01", &["read", "th_01"]),
            ("show thread th_01", &["thread", "show", "th_01"]),
            ("show threads", &["thread", "list"]),
            ("verify the event log", &["events", "verify"]),
            ("sync", &["sync"]),
            ("sync the log", &["sync"]),
            ("check the config", &["doctor", "config"]),
            ("check everything", &["doctor"]),
            ("discover", &["discover"]),
            ("plan next loop", &["loop", "plan"]),
            (
                "plan next loop for billing retries",
                &["loop", "plan", "--goal", "billing retries"],
            ),
            ("seed the plan", &["seed", "--from", "loop-plan"]),
            (
                "seed the plan to th_01",
                &["seed", "--from", "loop-plan", "--post", "th_01"],
            ),
            (
                "publish governance report",
                &["report", "governance", "--publish"],
            ),
            ("show governance report", &["report", "governance"]),
            ("take snapshot", &["snapshot"]),
            ("show trend", &["analyze", "trend"]),
            ("show trust trend", &["analyze", "trust"]),
            (
                "show trust trend since 30d",
                &["analyze", "trust", "--since", "30d"],
            ),
            ("show activity", &["analyze", "activity"]),
            (
                "show activity since 7d",
                &["analyze", "activity", "--since", "7d"],
            ),
            ("show approvals report", &["analyze", "approvals"]),
            ("wake worker-a", &["trigger", "worker-a"]),
            (
                "wake worker-a: run the tests; then $(say done)",
                &[
                    "trigger",
                    "worker-a",
                    "--prompt",
                    "run the tests; then $(say done)",
                ],
            ),
            ("wake everyone on th_1", &["trigger", "--thread", "th_1"]),
            (
                "start the plan",
                &["seed", "--from", "loop-plan", "--start"],
            ),
            ("claim the next run", &["run", "claim"]),
            ("show runs", &["run", "list"]),
            ("show run run_1", &["run", "show", "run_1"]),
            ("inspect run run_1", &["inspect", "run", "run_1"]),
            ("show incidents", &["incident", "list"]),
            (
                "how much do I trust worker-a",
                &["trust", "show", "worker-a"],
            ),
            ("what should I stop asking about", &["trust", "recommend"]),
        ];
        for (phrase, want) in table {
            assert_eq!(argv(&cat, phrase), v(want), "{phrase}");
        }
        // Every catalogue phrase is in the table above.
        for e in &cat.entries {
            assert!(
                table
                    .iter()
                    .any(|(p, _)| cat.resolve(p).is_ok_and(|r| r.pattern == e.phrase)),
                "no test phrase for `{}`",
                e.phrase
            );
        }
    }

    #[test]
    fn case_spacing_and_trailing_punctuation_are_tolerated() {
        let cat = Catalogue::builtin();
        let want = v(&["approve", "CH-010", "--kind", "design"]);
        for phrase in [
            "Approve design for CH-010",
            "APPROVE design FOR CH-010.",
            "  approve   design\tfor CH-010  ",
            "approve design for CH-010?",
            "approve design for CH-010!",
        ] {
            assert_eq!(argv(&cat, phrase), want, "{phrase:?}");
        }
        assert_eq!(argv(&cat, "What is unread?"), v(&["inbox"]));
        assert_eq!(
            argv(&cat, "Verify the event log."),
            v(&["events", "verify"])
        );
        // Slot values keep their case.
        assert_eq!(argv(&cat, "approve ch-010"), v(&["approve", "ch-010"]));
        // The colon after the thread is part of the pattern.
        assert!(cat.resolve("post to th_01 looks good").is_err());
    }

    #[test]
    fn the_greedy_slot_takes_the_rest_as_typed() {
        let cat = Catalogue::builtin();
        assert_eq!(
            argv(&cat, "post to th_01: ship it?  Then   tell @lead."),
            v(&["post", "th_01", "--", "ship it?  Then   tell @lead."])
        );
        assert_eq!(
            argv(&cat, "Post To th_01: - a list item"),
            v(&["post", "th_01", "--", "- a list item"])
        );
        assert!(cat.resolve("post to th_01:").is_err());
    }

    #[test]
    fn a_value_that_would_be_an_option_is_refused() {
        let cat = Catalogue::builtin();
        let e = cat.resolve("approve --as=boss").unwrap_err();
        assert!(e.message.contains("option"), "{e:?}");
        assert!(cat.resolve("approve -x for CH-010").is_err());
        assert!(cat.resolve("request -h approval for CH-010").is_err());
    }

    #[test]
    fn near_misses_get_the_closest_phrases() {
        let cat = Catalogue::builtin();
        let e = cat.resolve("aprove design for CH-010").unwrap_err();
        assert_eq!(e.suggestions[0], "approve {kind} for {subject}", "{e:?}");
        assert!(e.suggestions.len() <= 3);
        let e = cat.resolve("show pending approval").unwrap_err();
        assert_eq!(e.suggestions[0], "show pending approvals", "{e:?}");
        let e = cat.resolve("verify the log").unwrap_err();
        assert_eq!(e.suggestions[0], "verify the event log", "{e:?}");
        let e = cat.resolve("xyzzy").unwrap_err();
        assert!(e.suggestions.is_empty(), "{e:?}");
        assert!(e.to_error().hint_text().unwrap().contains("--list"));
    }

    #[test]
    fn project_entries_replace_the_same_pattern_and_extend() {
        let mut cat = Catalogue::builtin();
        let n = cat.entries.len();
        cat.add(vec![
            Entry::new("SYNC", v(&["sync", "--remote", "upstream"]), None, "p").unwrap(),
            Entry::new("approve {k} for {s}", v(&["approve", "{s}"]), None, "p").unwrap(),
            Entry::new("ship {subject}", v(&["approve", "{subject}"]), None, "p").unwrap(),
        ]);
        assert_eq!(cat.entries.len(), n + 1);
        assert_eq!(argv(&cat, "sync"), v(&["sync", "--remote", "upstream"]));
        assert_eq!(argv(&cat, "approve design for X"), v(&["approve", "X"]));
        assert_eq!(argv(&cat, "ship X"), v(&["approve", "X"]));
    }
}
