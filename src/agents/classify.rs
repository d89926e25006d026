//! The heuristic classifier: what a pane's screen and process tree say.
//! Patterns are data (`watch.patterns` and `watch.agents` in config, with
//! the defaults below from what the agents' screens show today), because
//! they break whenever an agent's UI changes.
//!
//! Rules: a visible approval prompt beats everything, including a left-over
//! spinner; otherwise only the lines above the input box are read, where a
//! spinner or "esc to interrupt" means busy; the box alone means the agent
//! is at its prompt (idle once the screen has been still for the stable
//! window, which `track` decides).

use std::hash::{Hash, Hasher};

use regex::Regex;

use super::procs::{ProcTable, program_name};
use crate::config::WatchConfig;
use crate::error::{Error, Result};

/// Built-in pattern sets, by name; `watch.patterns.<name>` replaces one.
pub const DEFAULT_PATTERNS: &[(&str, &[&str])] = &[
    (
        "approval",
        &[
            r"Do you want to proceed\?",
            r"No, and tell Claude what to do differently",
            r"Yes, allow once",
            r"❯ 1\. Yes",
            r"(?i)press enter to confirm or esc to cancel",
            r"(?i)allow command\?",
            r"\[y/n\]",
        ],
    ),
    ("input", &[r"(?i)enter to select · esc to cancel"]),
    (
        "error",
        &[
            r"API Error: ",
            r"(?i)^\s*■ .*(error|failed)",
            r"(?i)stream disconnected before completion",
        ],
    ),
    (
        "busy",
        &[
            r"[✳✽✶✻✢·✦*]\s*\S+ing…",
            r"(?i)esc to interrupt",
            r"(?i)ctrl\+c to interrupt",
        ],
    ),
    ("prompt", &[r"^\s*[│|]?\s*[❯›>](\s|$)"]),
    // The suggestions the agents show, dimmed, in an empty input box.
    (
        "placeholder",
        &[
            r"^Ask Codex to do anything$",
            r"^Implement \{feature\}$",
            r"^Explain this codebase$",
            r"^Summarize recent commits$",
            r"^(Find and fix a bug in|Write tests for|Improve documentation in) @filename$",
            r"^Run /review on my current changes$",
            r#"^Try "[^"]*"$"#,
        ],
    ),
];

/// Built-in agent programs, by provider; `watch.agents` adds to them.
pub const DEFAULT_AGENTS: &[(&str, &[&str])] = &[
    ("claude", &["claude", "claude-code"]),
    ("codex", &["codex", "codex-*"]),
    (
        "other",
        &[
            "aider",
            "gemini",
            "opencode",
            "cursor-agent",
            "goose",
            "amp",
        ],
    ),
];

/// What a screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Approval,
    Input,
    Error,
    Busy,
    /// The input box, nothing else.
    Prompt,
    /// None of the above.
    Blank,
}

/// A screen's reading: what, which pattern said so, and a hash of the
/// part whose stillness counts (what is above the input box: a clock or a
/// cost counter in a status line below it must not keep the pane "busy").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub screen: Screen,
    pub reason: String,
    pub still_part: u64,
    /// What the input box holds (empty: nothing typed), when a box shows.
    /// `trigger` never types over a person's draft, and reads here whether
    /// text it typed is still waiting for Enter.
    pub draft: Option<String>,
}

/// How many bottom lines a dialog may take when no input box shows.
const DIALOG_LINES: usize = 15;
/// How many lines above the box are read for busy and error markers.
const TAIL_LINES: usize = 12;

/// An agent recognised in a pane: `signature_class / reason / confidence`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Signature {
    /// The provider (`claude`, `codex`) or the program of an other agent.
    pub class: String,
    pub reason: String,
    pub confidence: f32,
    #[serde(skip)]
    pub provider: String,
}

struct Set {
    name: &'static str,
    patterns: Vec<(String, Regex)>,
}

/// The agent programs to recognise: the built-ins and `watch.agents`.
#[derive(Debug, Clone)]
pub struct AgentNames {
    /// (provider, program glob), configured ones first.
    agents: Vec<(String, String)>,
}

impl AgentNames {
    /// The built-in programs alone, for when no config is read.
    pub fn builtin() -> AgentNames {
        AgentNames {
            agents: DEFAULT_AGENTS
                .iter()
                .flat_map(|(p, progs)| progs.iter().map(|g| (p.to_string(), g.to_string())))
                .collect(),
        }
    }

    pub fn from_config(watch: &WatchConfig) -> AgentNames {
        let mut names = AgentNames::builtin();
        for (provider, progs) in &watch.agents {
            for g in progs {
                names.agents.insert(0, (provider.clone(), g.clone()));
            }
        }
        names
    }

    /// The agent provider a program name belongs to.
    pub fn provider_of(&self, program: &str) -> Option<&str> {
        self.agents
            .iter()
            .find(|(_, g)| wildcard(g, program))
            .map(|(p, _)| p.as_str())
    }
}

/// The compiled patterns and agent programs.
pub struct Classifier {
    sets: Vec<Set>,
    agents: AgentNames,
}

fn compile(name: &str, texts: &[String]) -> Result<Vec<(String, Regex)>> {
    texts
        .iter()
        .map(|t| {
            let re = Regex::new(&format!("(?m){t}")).map_err(|e| {
                Error::user(format!(
                    "watch.patterns.{name}: `{t}` is not a regular expression: {e}"
                ))
                .hint("fix the pattern in .codexa/config.yaml (Rust regex syntax)")
            })?;
            Ok((t.clone(), re))
        })
        .collect()
}

/// `*` matches any run of characters; everything else itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|i| rest.is_char_boundary(*i))
                .any(|i| wildcard(tail, &rest[i..]))
        }
    }
}

impl Classifier {
    pub fn builtin() -> Classifier {
        Classifier::from_config(&crate::config::defaults().watch)
            .expect("built-in patterns compile")
    }

    pub fn from_config(watch: &WatchConfig) -> Result<Classifier> {
        let mut sets = Vec::new();
        for (name, defaults) in DEFAULT_PATTERNS {
            let texts: Vec<String> = match watch.patterns.get(name) {
                Some(configured) => configured.to_vec(),
                None => defaults.iter().map(|s| s.to_string()).collect(),
            };
            sets.push(Set {
                name,
                patterns: compile(name, &texts)?,
            });
        }
        Ok(Classifier {
            sets,
            agents: AgentNames::from_config(watch),
        })
    }

    fn set(&self, name: &str) -> &[(String, Regex)] {
        self.sets
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.patterns.as_slice())
            .unwrap_or(&[])
    }

    fn first_match(&self, name: &str, text: &str) -> Option<String> {
        self.set(name)
            .iter()
            .find(|(_, re)| re.is_match(text))
            .map(|(t, _)| format!("{name}:{t}"))
    }

    /// Read a screen (see the module's rules).
    pub fn read(&self, screen: &str) -> Reading {
        let mut lines: Vec<&str> = screen.lines().collect();
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let matches = |set: &str, line: &str| self.set(set).iter().any(|(_, re)| re.is_match(line));
        // The input box: the last prompt-like line that is not itself a
        // dialog's option (`❯ 1. Yes` looks like a prompt too).
        let box_at = lines
            .iter()
            .rposition(|l| matches("prompt", l) && !matches("approval", l) && !matches("input", l));
        let above = &lines[..box_at.unwrap_or(lines.len())];
        let still_part = screen_hash(&above.join("\n"));
        let draft = box_at.map(|at| self.draft_at(&lines, at));
        let reading = |screen, reason| Reading {
            screen,
            reason,
            still_part,
            draft: draft.clone(),
        };
        // A dialog is at the bottom, in place of the input box: with the box
        // showing, only what is below it counts (an agent's prose above the
        // box may well ask "Do you want to proceed?").
        let dialog = match box_at {
            Some(at) => lines[at + 1..].join("\n"),
            None => lines[lines.len().saturating_sub(DIALOG_LINES)..].join("\n"),
        };
        if let Some(r) = self.first_match("approval", &dialog) {
            return reading(Screen::Approval, r);
        }
        if let Some(r) = self.first_match("input", &dialog) {
            return reading(Screen::Input, r);
        }
        // Only the bottom of what is above the box: old output scrolled up
        // may hold an error long since dealt with, or a word that looks busy.
        let tail = above[above.len().saturating_sub(TAIL_LINES)..].join("\n");
        if let Some(r) = self.first_match("busy", &tail) {
            return reading(Screen::Busy, r);
        }
        if let Some(r) = self.first_match("error", &tail) {
            return reading(Screen::Error, r);
        }
        match box_at {
            Some(_) => reading(Screen::Prompt, "prompt:input box".into()),
            None => reading(Screen::Blank, "no marker".into()),
        }
    }

    /// The text in the input box whose prompt line is `lines[at]`: what
    /// follows the prompt marker, and the lines of a bordered box below it
    /// (`│ … │`), box-drawing characters and padding removed.
    fn draft_at(&self, lines: &[&str], at: usize) -> String {
        let line = lines[at];
        let after = self
            .set("prompt")
            .iter()
            .find_map(|(_, re)| re.find(line))
            .map_or("", |m| &line[m.end()..]);
        let inner = |s: &str| {
            s.trim()
                .trim_start_matches(['│', '|'])
                .trim_end_matches(['│', '|'])
                .trim()
                .to_string()
        };
        let mut parts = vec![inner(after)];
        for l in &lines[at + 1..] {
            if !l.trim_start().starts_with('│') {
                break;
            }
            parts.push(inner(l));
        }
        while parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        let text = parts.join("\n");
        // An empty box shows a suggestion in grey, which a capture without
        // colours cannot tell from typed text.
        if self
            .set("placeholder")
            .iter()
            .any(|(_, re)| re.is_match(&text))
        {
            return String::new();
        }
        text
    }

    pub fn provider_of(&self, program: &str) -> Option<&str> {
        self.agents.provider_of(program)
    }

    /// Which agent runs in the pane whose first process is `pid`: the first
    /// recognised program in its process tree (the pane's own command
    /// included). A title alone never counts: a wrapper or a shell may set
    /// any title.
    pub fn signature(&self, procs: &ProcTable, pid: u32, command: &str) -> Option<Signature> {
        for p in procs.tree(pid) {
            let Some(program) = program_name(p.argv()) else {
                continue;
            };
            if let Some(provider) = self.provider_of(&program) {
                let class = if provider == "other" {
                    program.clone()
                } else {
                    provider.to_string()
                };
                return Some(Signature {
                    class,
                    reason: format!("process:{program} (pid {})", p.pid),
                    confidence: 0.9,
                    provider: provider.to_string(),
                });
            }
        }
        // No /proc (or the process is gone): tmux's view of the command.
        self.provider_of(command).map(|provider| Signature {
            class: provider.to_string(),
            reason: format!("command:{command}"),
            confidence: 0.7,
            provider: provider.to_string(),
        })
    }
}

/// A fingerprint of the part of a screen that must stay still for an agent
/// to count as idle (`Reading::still_part`). Tracks keep it between runs,
/// so it must not change from one process to the next: `DefaultHasher::new`
/// has fixed keys (a `HashMap`'s hasher does not). Another build may hash
/// differently, which only makes the screen look changed once.
fn screen_hash(screen: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    screen.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(screen: &str) -> Screen {
        Classifier::builtin().read(screen).screen
    }

    #[test]
    fn claude_screens() {
        let busy = "● Reading files\n\n✻ Pondering… (12s · ↑ 1.2k tokens · esc to interrupt)\n\n╭──────╮\n│ >    │\n╰──────╯\n";
        assert_eq!(read(busy), Screen::Busy);
        let idle = "● Done.\n\n╭──────╮\n│ >    │\n╰──────╯\n  ? for shortcuts\n";
        assert_eq!(read(idle), Screen::Prompt);
        let ask = "✻ Working… (esc to interrupt)\n Bash command\n   git push\n Do you want to proceed?\n ❯ 1. Yes\n   2. No, and tell Claude what to do differently\n";
        assert_eq!(read(ask), Screen::Approval);
        let codex_idle = "• Ran tests\n\n› Ask Codex to do anything\n";
        assert_eq!(read(codex_idle), Screen::Prompt);
        assert_eq!(read("$ ls\nfoo\n$ "), Screen::Blank);
    }

    #[test]
    fn the_input_box_says_what_is_typed_in_it() {
        let draft = |screen: &str| Classifier::builtin().read(screen).draft;
        let boxed = |inside: &str| {
            format!("● Done.\n\n╭──────╮\n│ > {inside}│\n╰──────╯\n  ? for shortcuts\n")
        };
        assert_eq!(draft(&boxed("   ")).as_deref(), Some(""));
        assert_eq!(
            draft(&boxed("fix the build ")).as_deref(),
            Some("fix the build")
        );
        assert_eq!(
            draft(&boxed(r#"Try "fix lint errors" "#)).as_deref(),
            Some("")
        );
        let two = "╭──────╮\n│ > first line  │\n│   second line │\n╰──────╯\n";
        assert_eq!(draft(two).as_deref(), Some("first line\nsecond line"));
        assert_eq!(
            draft("• Ran tests\n\n› Ask Codex to do anything\n").as_deref(),
            Some("")
        );
        assert_eq!(
            draft("• Ran tests\n\n› run it again\n").as_deref(),
            Some("run it again")
        );
        let ask = " Do you want to proceed?\n ❯ 1. Yes\n   2. No\n";
        assert_eq!(draft(ask), None, "a dialog is not an input box");
    }

    #[test]
    fn prose_is_not_a_dialog_and_a_token_count_is_not_a_spinner() {
        let prose = "● Shall I push? Do you want to proceed? Reply yes.\n  Cut from 12k tokens to 3k tokens.\n╭──────╮\n│ >    │\n╰──────╯\n";
        assert_eq!(read(prose), Screen::Prompt);
        let c = Classifier::builtin();
        let ticking = |t: &str| {
            c.read(&format!(
                "● Done.\n╭──────╮\n│ >    │\n╰──────╯\n  {t} · $0.42\n"
            ))
        };
        assert_eq!(
            ticking("12:00:01").still_part,
            ticking("12:00:02").still_part
        );
    }

    #[test]
    fn only_lines_above_the_box_count() {
        // A word ending in -ing… typed into the box is not a spinner.
        let typed = "● Done.\n╭──────╮\n│ > ✻ testing… │\n╰──────╯\n";
        assert_eq!(read(typed), Screen::Prompt);
    }

    #[test]
    fn agents_are_recognised_by_program_not_title() {
        let c = Classifier::builtin();
        let mut t = ProcTable::default();
        t.insert(super::super::procs::Proc::new(10, 1, vec!["-bash".into()]));
        t.insert(super::super::procs::Proc::new(
            11,
            10,
            vec!["node".into(), "/usr/local/bin/claude".into()],
        ));
        let s = c.signature(&t, 10, "node").unwrap();
        assert_eq!((s.class.as_str(), s.confidence), ("claude", 0.9));
        assert!(c.signature(&t, 11, "bash").is_some());
        let mut shell = ProcTable::default();
        shell.insert(super::super::procs::Proc::new(20, 1, vec!["bash".into()]));
        assert!(c.signature(&shell, 20, "bash").is_none());
        assert!(wildcard("codex-*", "codex-x86_64"));
        assert!(!wildcard("codex-*", "codexa"));
    }

    #[test]
    fn bad_patterns_name_the_key() {
        let cfg = serde_json::json!({"watch": {"patterns": {"busy": ["("]}}});
        let cfg = crate::config::Config::from_value(cfg).unwrap();
        let e = Classifier::from_config(&cfg.watch).err().unwrap();
        assert!(
            e.message().contains("watch.patterns.busy"),
            "{}",
            e.message()
        );
    }
}
