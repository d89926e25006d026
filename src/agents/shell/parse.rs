//! From tokens to simple commands: separators end a command, and bash's
//! reserved words (`if`, `then`, `while`, `do`, `{`, `!`, …) are dropped
//! where a command would start, so the word after them is read as the
//! command it is. Words that are not run (a `for` list, a `case` word and
//! its patterns, a `[[ … ]]` test) are kept aside: their substitutions
//! still run.

use super::lex::{Op, Redir, Tok, Word};

/// One simple command as written: its words (assignments and wrappers
/// included) and redirections.
#[derive(Debug, Clone, Default)]
pub struct Simple {
    pub words: Vec<Word>,
    pub redirs: Vec<(Redir, Word)>,
    /// Its stdin is the previous command's output.
    pub piped: bool,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub simples: Vec<Simple>,
    /// Words bash expands but does not run.
    pub loose: Vec<Word>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Command,
    /// After `for NAME` / `select NAME`: up to `do`.
    LoopHead,
    /// After `case`: the word, up to `in`.
    CaseWord,
    /// A `case` item's patterns, up to `)`.
    CasePattern,
    /// After `function`: the name.
    FunctionName,
    /// Inside `[[ … ]]`.
    Test,
}

/// Reserved words that may stand where a command starts and are not one.
const PREFIX_WORDS: &[&str] = &[
    "!", "{", "}", "then", "else", "elif", "do", "done", "fi", "if", "while", "until", "coproc",
];

pub fn parse(toks: &[Tok]) -> Parsed {
    let mut out = Parsed::default();
    let mut cur = Simple::default();
    let mut mode = Mode::Command;
    let mut i = 0;
    let finish = |cur: &mut Simple, out: &mut Parsed, piped: bool| {
        let done = std::mem::take(cur);
        if !done.words.is_empty() || !done.redirs.is_empty() {
            out.simples.push(done);
        }
        cur.piped = piped;
    };
    while let Some(tok) = toks.get(i) {
        i += 1;
        match (mode, tok) {
            (Mode::Test, Tok::Word(w)) if w.is_bare("]]") => mode = Mode::Command,
            (Mode::LoopHead, Tok::Word(w)) if w.is_bare("do") => mode = Mode::Command,
            (Mode::CaseWord, Tok::Word(w)) if w.is_bare("in") => mode = Mode::CasePattern,
            (Mode::CasePattern, Tok::Word(w)) if w.is_bare("esac") => mode = Mode::Command,
            (Mode::FunctionName, Tok::Word(_)) => mode = Mode::Command,
            (Mode::Test | Mode::LoopHead | Mode::CaseWord | Mode::CasePattern, Tok::Word(w)) => {
                out.loose.push(w.clone())
            }
            (
                Mode::Test | Mode::LoopHead | Mode::CaseWord | Mode::CasePattern,
                Tok::Redir(_, w),
            ) => out.loose.push(w.clone()),
            (Mode::CasePattern, Tok::Op(Op::Close)) => mode = Mode::Command,
            (Mode::Test | Mode::LoopHead | Mode::CaseWord | Mode::CasePattern, Tok::Op(_)) => {}
            (_, Tok::Word(w)) if cur.words.is_empty() => {
                if PREFIX_WORDS.iter().any(|k| w.is_bare(k)) || w.is_bare("esac") {
                    continue;
                }
                if w.is_bare("for") || w.is_bare("select") {
                    mode = Mode::LoopHead;
                } else if w.is_bare("case") {
                    mode = Mode::CaseWord;
                } else if w.is_bare("function") {
                    mode = Mode::FunctionName;
                } else if w.is_bare("[[") {
                    mode = Mode::Test;
                } else {
                    cur.words.push(w.clone());
                }
            }
            (_, Tok::Word(w)) => cur.words.push(w.clone()),
            (_, Tok::Redir(kind, target)) => cur.redirs.push((*kind, target.clone())),
            (_, Tok::Op(op)) => match op {
                Op::End | Op::And | Op::Or | Op::Close => finish(&mut cur, &mut out, false),
                Op::CaseEnd => {
                    finish(&mut cur, &mut out, false);
                    mode = Mode::CasePattern;
                }
                Op::Pipe => finish(&mut cur, &mut out, true),
                Op::Open => {
                    // `name() { …; }` defines a function: the name is not run.
                    if !cur.words.is_empty() && matches!(toks.get(i), Some(Tok::Op(Op::Close))) {
                        cur.words.clear();
                        i += 1;
                    } else {
                        finish(&mut cur, &mut out, false);
                    }
                }
            },
        }
    }
    finish(&mut cur, &mut out, false);
    out
}
