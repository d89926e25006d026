//! One phrase pattern: its words and slots, checked when an entry is
//! built, and the matching of a typed phrase against it. Pure: no file is
//! read and nothing is run.

use std::collections::BTreeMap;

use serde::Serialize;

use super::argv::command_words;

/// One word of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// A literal word, lowercased.
    Word(String),
    /// `{name}` (one word) or `{name...}` (the rest), with literal text
    /// that must follow it in the same word.
    Slot {
        name: String,
        greedy: bool,
        suffix: String,
    },
}

/// One catalogue entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The pattern as written, e.g. `approve {kind} for {subject}`.
    pub phrase: String,
    /// The codexa arguments it stands for, with `{slot}` placeholders.
    pub argv: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The file that defined it: `commands/….yaml` (built in) or
    /// `.codexa/commands/….yaml`.
    pub source: String,
    #[serde(skip)]
    pub(super) parts: Vec<Part>,
}

impl Entry {
    /// Build an entry, checking the pattern and that every placeholder in
    /// `argv` names one of its slots. The error says what to change.
    pub fn new(
        phrase: &str,
        argv: Vec<String>,
        description: Option<String>,
        source: &str,
    ) -> std::result::Result<Entry, String> {
        let parts = parse_pattern(phrase)?;
        if argv.is_empty() {
            return Err("`argv` is empty: give the codexa arguments the phrase stands for".into());
        }
        if command_words(&argv).first() == Some(&"ask") {
            return Err("`argv` may not start with `ask`: a phrase must stand for a command, not for another phrase".into());
        }
        let slots: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Slot { name, .. } => Some(name.as_str()),
                Part::Word(_) => None,
            })
            .collect();
        for item in &argv {
            for piece in template(item)? {
                if let Piece::Slot(name) = piece
                    && !slots.contains(&name)
                {
                    return Err(format!(
                        "`argv` uses `{{{name}}}`, which the phrase has no slot for (slots: {})",
                        if slots.is_empty() {
                            "none".to_string()
                        } else {
                            slots
                                .iter()
                                .map(|s| format!("{{{s}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ));
                }
            }
        }
        Ok(Entry {
            phrase: phrase.split_whitespace().collect::<Vec<_>>().join(" "),
            argv,
            description,
            source: source.to_string(),
            parts,
        })
    }

    /// What makes two patterns "the same": their literal words
    /// (lowercased) and slot shapes, whatever the slots are called.
    pub fn key(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Word(w) => w.clone(),
                Part::Slot { greedy, suffix, .. } => {
                    format!("{{{}}}{suffix}", if *greedy { "..." } else { "" })
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(super) fn literal_words(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Word(w) => Some(w.as_str()),
            Part::Slot { .. } => None,
        })
    }

    pub(super) fn greedy(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Slot { greedy: true, .. }))
    }

    /// The slot values when `input` fits this pattern.
    pub(super) fn matches(&self, input: &Input) -> Option<BTreeMap<String, String>> {
        let words = &input.words;
        let fits = if self.greedy() {
            words.len() >= self.parts.len()
        } else {
            words.len() == self.parts.len()
        };
        if !fits {
            return None;
        }
        let mut values = BTreeMap::new();
        for (part, &(start, word)) in self.parts.iter().zip(words) {
            match part {
                Part::Word(w) => {
                    if word.to_lowercase() != *w {
                        return None;
                    }
                }
                Part::Slot {
                    name, greedy: true, ..
                } => {
                    // The rest as typed: inner spacing and a final `?` are
                    // part of a message.
                    values.insert(name.clone(), input.full[start..].trim_end().to_string());
                }
                Part::Slot { name, suffix, .. } => {
                    let cut = word.len().checked_sub(suffix.len())?;
                    if cut == 0
                        || !word.is_char_boundary(cut)
                        || !word[cut..].eq_ignore_ascii_case(suffix)
                    {
                        return None;
                    }
                    values.insert(name.clone(), word[..cut].to_string());
                }
            }
        }
        Some(values)
    }
}

/// A piece of an argv item: literal text or a placeholder.
pub(super) enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

fn valid_slot_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Split an argv item into text and `{name}` placeholders.
pub(super) fn template(item: &str) -> std::result::Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = item;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let Some(len) = rest[open..].find('}') else {
            return Err(format!("`{item}` in `argv` has a `{{` without its `}}`"));
        };
        let name = &rest[open + 1..open + len];
        if !valid_slot_name(name) {
            return Err(format!(
                "`{{{name}}}` in `argv` is not a slot name (lowercase letters, digits and `_`)"
            ));
        }
        out.push(Piece::Slot(name));
        rest = &rest[open + len + 1..];
    }
    if rest.contains('}') {
        return Err(format!("`{item}` in `argv` has a `}}` without its `{{`"));
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Parse a phrase pattern into words and slots.
fn parse_pattern(phrase: &str) -> std::result::Result<Vec<Part>, String> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return Err("the phrase is empty".into());
    }
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some(body) = word.strip_prefix('{') else {
            if word.contains('{') || word.contains('}') {
                return Err(format!(
                    "`{word}`: a slot must start its word, e.g. `{{name}}` or `{{name}}:`"
                ));
            }
            parts.push(Part::Word(word.to_lowercase()));
            continue;
        };
        let Some(close) = body.find('}') else {
            return Err(format!("`{word}` has a `{{` without its `}}`"));
        };
        let (inner, suffix) = (&body[..close], &body[close + 1..]);
        if suffix.contains('{') || suffix.contains('}') {
            return Err(format!("`{word}`: one slot per word"));
        }
        let (name, greedy) = match inner.strip_suffix("...") {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if !valid_slot_name(name) {
            return Err(format!(
                "`{{{inner}}}` is not a slot name: use lowercase letters, digits and `_`, e.g. `{{subject}}`"
            ));
        }
        if greedy && (i + 1 != words.len() || !suffix.is_empty()) {
            return Err(format!(
                "`{word}`: only the last word may take the rest (`{{{name}...}}`), with nothing after it"
            ));
        }
        if seen.iter().any(|s| s == name) {
            return Err(format!("slot `{{{name}}}` appears twice"));
        }
        seen.push(name.to_string());
        parts.push(Part::Slot {
            name: name.to_string(),
            greedy,
            suffix: suffix.to_string(),
        });
    }
    Ok(parts)
}

/// A typed phrase: the text as given (trimmed) and its words with their
/// byte offsets, after a trailing `.`, `?` or `!` is set aside.
pub(super) struct Input<'a> {
    pub(super) full: &'a str,
    pub(super) words: Vec<(usize, &'a str)>,
}

impl<'a> Input<'a> {
    pub(super) fn new(text: &'a str) -> Input<'a> {
        let full = text.trim();
        let matched = full.trim_end_matches(['.', '?', '!']).trim_end();
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in matched.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push((s, &matched[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, &matched[s..]));
        }
        Input { full, words }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::v;
    use super::*;

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        let bad: &[(&str, &[&str], &str)] = &[
            ("approve {Kind}", &["approve"], "slot name"),
            ("post {text...} now", &["post"], "last word"),
            ("approve {x} {x}", &["approve"], "twice"),
            ("approve x{y}", &["approve"], "start its word"),
            ("approve {subject}", &["approve", "{subjet}"], "no slot for"),
            ("again {x}", &["ask", "{x}"], "ask"),
            ("nothing", &[], "empty"),
        ];
        for (phrase, av, why) in bad {
            let e = Entry::new(phrase, v(av), None, "t").unwrap_err();
            assert!(e.contains(why), "{phrase}: {e}");
        }
    }

    #[test]
    fn ask_is_refused_behind_global_options_too() {
        let err = Entry::new(
            "again {x...}",
            v(&["--as", "boss", "ask", "{x}"]),
            None,
            "t",
        )
        .unwrap_err();
        assert!(err.contains("may not start with `ask`"), "{err}");
    }
}
