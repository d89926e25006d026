//! Splitting a command line into bash's tokens: words with their quotes
//! removed, control operators and redirections. Command substitutions
//! (`$(…)`, backticks, `<(…)`) and the bodies of unquoted here-documents
//! are lexed too and kept beside the word they appear in, because bash runs
//! them. Nothing is expanded: a word that depends on the environment or the
//! file system (`$X`, `${X}`, `$(…)`, `*`, `{a,b}`) is marked dynamic.

use super::{MAX_DEPTH, Unreadable};

/// How far the look-ahead for an arithmetic expansion's `))` searches: it
/// keeps a line of thousands of `$((` cheap.
const ARITHMETIC_WINDOW: usize = 512;

/// One word, quotes removed; expansions stay as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Some part of it is decided when the line runs (an expansion, a
    /// substitution, a glob or a brace list).
    pub dynamic: bool,
    /// Byte offset in `text` just after the last dynamic part: the text
    /// after it is literal.
    pub literal_from: usize,
    /// Byte offset in `text` of the first quoted or escaped character
    /// (`text.len()` when none): a keyword or an assignment's name must be
    /// unquoted.
    pub quoted_from: usize,
    /// Command lists bash runs while expanding this word.
    pub subs: Vec<Lexed>,
}

impl Word {
    pub fn literal(text: &str) -> Word {
        Word {
            text: text.to_string(),
            quoted_from: text.len(),
            ..Word::default()
        }
    }

    /// No quotes and no expansions: what a keyword looks like.
    pub fn is_bare(&self, text: &str) -> bool {
        !self.dynamic && self.quoted_from == self.text.len() && self.text == text
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
    }

    fn push_quoted(&mut self, c: char) {
        self.mark_quoted();
        self.text.push(c);
    }

    fn mark_quoted(&mut self) {
        self.quoted_from = self.quoted_from.min(self.text.len());
    }

    fn push_dynamic(&mut self, s: &str) {
        self.text.push_str(s);
        self.dynamic = true;
        self.literal_from = self.text.len();
    }
}

/// What a redirection does with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redir {
    /// `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, `>&file`: the target is written.
    Write,
    /// `<`: the target is read.
    Read,
    /// `<<`, `<<-`: a here-document feeds stdin.
    HereDoc,
    /// `<<<`: a here-string feeds stdin.
    HereString,
    /// `>&2`, `<&0`, `>&-`: a file descriptor is copied or closed.
    Dup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `;`, `&`, newline: the end of a command.
    End,
    And,
    Or,
    /// `|`, `|&`.
    Pipe,
    /// `;;`, `;&`, `;;&`: the end of a `case` item.
    CaseEnd,
    Open,
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    Op(Op),
    Redir(Redir, Word),
}

/// A lexed command list, with the substitutions found in its
/// here-documents (run before the command that reads them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexed {
    pub toks: Vec<Tok>,
    pub heredoc_subs: Vec<Lexed>,
}

pub fn lex(text: &str, depth: usize) -> Result<Lexed, Unreadable> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer::over(&chars);
    let toks = lexer.list(false, depth)?;
    lexer.read_heredocs(depth)?;
    Ok(Lexed {
        toks,
        heredoc_subs: lexer.heredoc_subs,
    })
}

struct PendingHeredoc {
    delimiter: String,
    strip_tabs: bool,
    expands: bool,
}

struct Lexer<'a> {
    s: &'a [char],
    i: usize,
    pending: Vec<PendingHeredoc>,
    heredoc_subs: Vec<Lexed>,
    /// The last look-ahead for a `]`: where it stopped, and whether on one.
    bracket_scan: Option<(usize, bool)>,
    /// The last look-ahead for a `}`: where it stopped, whether on one,
    /// and the last `,` or `..` before it.
    brace_scan: Option<(usize, bool, Option<usize>)>,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `s`.
    fn over(s: &'a [char]) -> Lexer<'a> {
        Lexer {
            s,
            i: 0,
            pending: Vec::new(),
            heredoc_subs: Vec::new(),
            bracket_scan: None,
            brace_scan: None,
        }
    }
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn at(&self, off: usize) -> Option<char> {
        self.s.get(self.i + off).copied()
    }

    fn starts(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(k, c)| self.at(k) == Some(c))
    }

    fn deeper(depth: usize) -> Result<usize, Unreadable> {
        if depth >= MAX_DEPTH {
            Err(Unreadable::new("commands nested too deeply"))
        } else {
            Ok(depth + 1)
        }
    }

    /// Tokens up to the end of input, or (in a substitution) up to the
    /// `)` that closes it.
    fn list(&mut self, in_parens: bool, depth: usize) -> Result<Vec<Tok>, Unreadable> {
        let mut toks = Vec::new();
        let mut open = 0usize;
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                if in_parens {
                    return Err(Unreadable::new("unterminated `$(`"));
                }
                return Ok(toks);
            };
            match c {
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                '\n' => {
                    self.i += 1;
                    toks.push(Tok::Op(Op::End));
                    self.read_heredocs(depth)?;
                }
                ';' => {
                    let (op, len) = if self.starts(";;&") {
                        (Op::CaseEnd, 3)
                    } else if self.starts(";;") || self.starts(";&") {
                        (Op::CaseEnd, 2)
                    } else {
                        (Op::End, 1)
                    };
                    self.i += len;
                    toks.push(Tok::Op(op));
                }
                '&' if self.starts("&&") => {
                    self.i += 2;
                    toks.push(Tok::Op(Op::And));
                }
                '&' if self.at(1) == Some('>') => {
                    self.i += if self.starts("&>>") { 3 } else { 2 };
                    let target = self.target(depth)?;
                    toks.push(Tok::Redir(Redir::Write, target));
                }
                '&' => {
                    self.i += 1;
                    toks.push(Tok::Op(Op::End));
                }
                '|' => {
                    let op = if self.starts("||") { Op::Or } else { Op::Pipe };
                    self.i += if self.starts("||") || self.starts("|&") {
                        2
                    } else {
                        1
                    };
                    toks.push(Tok::Op(op));
                }
                '(' => {
                    self.i += 1;
                    open += 1;
                    toks.push(Tok::Op(Op::Open));
                }
                ')' => {
                    self.i += 1;
                    if in_parens && open == 0 {
                        return Ok(toks);
                    }
                    open = open.saturating_sub(1);
                    toks.push(Tok::Op(Op::Close));
                }
                '<' | '>' if self.at(1) == Some('(') => {
                    let w = self.word(depth)?;
                    toks.push(Tok::Word(w));
                }
                '<' | '>' => toks.push(self.redirection(depth)?),
                _ => {
                    let w = self.word(depth)?;
                    // `2>x`, `{fd}>x`: the word was a file descriptor.
                    let fd = !w.text.is_empty()
                        && w.quoted_from == w.text.len()
                        && !w.dynamic
                        && (w.text.chars().all(|c| c.is_ascii_digit())
                            || (w.text.starts_with('{') && w.text.ends_with('}')));
                    if fd && matches!(self.peek(), Some('<' | '>')) && self.at(1) != Some('(') {
                        toks.push(self.redirection(depth)?);
                    } else {
                        toks.push(Tok::Word(w));
                    }
                }
            }
        }
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t') => self.i += 1,
                Some('\\') if self.at(1) == Some('\n') => self.i += 2,
                _ => return,
            }
        }
    }

    fn redirection(&mut self, depth: usize) -> Result<Tok, Unreadable> {
        let (kind, len) = if self.starts("<<<") {
            (Redir::HereString, 3)
        } else if self.starts("<<-") {
            (Redir::HereDoc, 3)
        } else if self.starts("<<") {
            (Redir::HereDoc, 2)
        } else if self.starts("<&") {
            (Redir::Dup, 2)
        } else if self.starts("<>") {
            (Redir::Write, 2)
        } else if self.starts("<") {
            (Redir::Read, 1)
        } else if self.starts(">>") || self.starts(">|") {
            (Redir::Write, 2)
        } else if self.starts(">&") {
            (Redir::Dup, 2)
        } else {
            (Redir::Write, 1)
        };
        let strip_tabs = self.starts("<<-");
        let out_dup = self.starts(">&");
        self.i += len;
        let target = self.target(depth)?;
        // `>&file` (not a descriptor number or `-`) sends stdout and stderr
        // to a file; `<&` only ever names a descriptor.
        let kind = match kind {
            Redir::Dup
                if out_dup && !target.text.chars().all(|c| c.is_ascii_digit() || c == '-') =>
            {
                Redir::Write
            }
            k => k,
        };
        if kind == Redir::HereDoc {
            self.pending.push(PendingHeredoc {
                delimiter: target.text.clone(),
                strip_tabs,
                expands: target.quoted_from == target.text.len(),
            });
        }
        Ok(Tok::Redir(kind, target))
    }

    fn target(&mut self, depth: usize) -> Result<Word, Unreadable> {
        self.skip_blanks();
        match self.peek() {
            Some(c) if !is_meta(c) => self.word(depth),
            _ => Err(Unreadable::new("a redirection without a target")),
        }
    }

    /// After a newline: the bodies of the here-documents opened on the
    /// line, each up to its delimiter line.
    fn read_heredocs(&mut self, depth: usize) -> Result<(), Unreadable> {
        for doc in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            while self.peek().is_some() {
                let start = self.i;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                let line: String = self.s[start..self.i].iter().collect();
                if self.peek() == Some('\n') {
                    self.i += 1;
                }
                let cmp = if doc.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    &line
                };
                if cmp == doc.delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if doc.expands {
                let chars: Vec<char> = body.chars().collect();
                let mut inner = Lexer::over(&chars);
                let mut w = Word::default();
                inner.double_quoted(&mut w, None, depth)?;
                self.heredoc_subs.extend(w.subs);
            }
        }
        Ok(())
    }

    /// One word, from the current character to the next metacharacter.
    fn word(&mut self, depth: usize) -> Result<Word, Unreadable> {
        let mut w = Word {
            quoted_from: usize::MAX,
            ..Word::default()
        };
        // `<(…)`, `>(…)`: process substitution.
        if matches!(self.peek(), Some('<' | '>')) && self.at(1) == Some('(') {
            let open = self.peek().unwrap_or('<');
            self.i += 2;
            let inner = self.list(true, Self::deeper(depth)?)?;
            w.subs.push(Lexed {
                toks: inner,
                heredoc_subs: Vec::new(),
            });
            w.push_dynamic(&format!("{open}(…)"));
        }
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(n) => {
                            self.i += 1;
                            w.push_quoted(n);
                        }
                        None => w.push('\\'),
                    }
                }
                '\'' => {
                    self.i += 1;
                    w.mark_quoted();
                    loop {
                        match self.peek() {
                            Some('\'') => break,
                            Some(n) => {
                                w.push(n);
                                self.i += 1;
                            }
                            None => return Err(Unreadable::new("an unterminated `'`")),
                        }
                    }
                    self.i += 1;
                }
                '"' => {
                    self.i += 1;
                    w.mark_quoted();
                    self.double_quoted(&mut w, Some('"'), depth)?;
                }
                '$' if self.at(1) == Some('\'') => {
                    self.i += 2;
                    w.mark_quoted();
                    self.ansi_c(&mut w)?;
                }
                '$' if self.at(1) == Some('"') => {
                    self.i += 2;
                    w.mark_quoted();
                    self.double_quoted(&mut w, Some('"'), depth)?;
                }
                '$' | '`' => self.expansion(&mut w, depth)?,
                '*' | '?' => {
                    self.i += 1;
                    w.push_dynamic(&c.to_string());
                }
                '[' if self.glob_bracket() => {
                    self.i += 1;
                    w.push_dynamic("[");
                }
                '{' if self.brace_list() => {
                    self.i += 1;
                    w.push_dynamic("{");
                }
                '=' if self.at(1) == Some('(')
                    && !w.text.is_empty()
                    && w.text.chars().all(is_name_char)
                    && w.quoted_from >= w.text.len() =>
                {
                    // `NAME=(a b c)`: an array; only its substitutions run.
                    self.i += 2;
                    w.push('=');
                    let inner = self.list(true, Self::deeper(depth)?)?;
                    for t in inner {
                        if let Tok::Word(x) = t {
                            w.subs.extend(x.subs);
                        }
                    }
                    w.push_dynamic("(…)");
                }
                _ => {
                    self.i += 1;
                    w.push(c);
                }
            }
        }
        w.quoted_from = w.quoted_from.min(w.text.len());
        Ok(w)
    }

    /// At `[`: whether a `]` closes it in the same word (then it is a
    /// glob). The scan is remembered, so a word of many `[`s is scanned
    /// once.
    fn glob_bracket(&mut self) -> bool {
        if let Some((end, hit)) = self.bracket_scan
            && self.i < end
        {
            return hit;
        }
        let mut k = self.i + 1;
        let (end, hit) = loop {
            match self.s.get(k) {
                Some(']') => break (k, true),
                Some(&x) if !is_meta(x) => k += 1,
                _ => break (k, false),
            }
        };
        self.bracket_scan = Some((end, hit));
        hit
    }

    /// At `{`: whether a brace expansion follows (`{a,b}`, `{1..3}`). The
    /// scan to the closing `}` is remembered, with the last `,` or `..`
    /// before it, so a word of many `{`s is scanned once.
    fn brace_list(&mut self) -> bool {
        let scan = match self.brace_scan {
            Some(scan) if self.i < scan.0 => scan,
            _ => {
                let mut k = self.i + 1;
                let mut last_sep = None;
                let (end, closed) = loop {
                    match self.s.get(k) {
                        Some('}') => break (k, true),
                        Some(',') => last_sep = Some(k),
                        Some('.') if self.s.get(k + 1) == Some(&'.') => last_sep = Some(k),
                        Some(&x) if !is_meta(x) => {}
                        _ => break (k, false),
                    }
                    k += 1;
                };
                let scan = (end, closed, last_sep);
                self.brace_scan = Some(scan);
                scan
            }
        };
        let (_, closed, last_sep) = scan;
        closed && last_sep.is_some_and(|sep| sep > self.i)
    }

    /// Inside `"…"` (or a here-document's body when `end` is None): `\`
    /// escapes `$`, `` ` ``, `"`, `\` and newline; expansions run.
    fn double_quoted(
        &mut self,
        w: &mut Word,
        end: Option<char>,
        depth: usize,
    ) -> Result<(), Unreadable> {
        loop {
            match self.peek() {
                None if end.is_some() => return Err(Unreadable::new("an unterminated `\"`")),
                None => return Ok(()),
                Some(c) if Some(c) == end => {
                    self.i += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(n @ ('$' | '`' | '"' | '\\')) => {
                            self.i += 1;
                            w.push_quoted(n);
                        }
                        _ => w.push_quoted('\\'),
                    }
                }
                Some('$' | '`') => self.expansion(w, depth)?,
                Some(c) => {
                    self.i += 1;
                    w.push_quoted(c);
                }
            }
        }
    }

    /// At `$` or `` ` ``: a parameter, arithmetic or command substitution.
    fn expansion(&mut self, w: &mut Word, depth: usize) -> Result<(), Unreadable> {
        let start = self.i;
        if self.peek() == Some('`') {
            self.i += 1;
            let mut body = String::new();
            loop {
                match self.peek() {
                    None => return Err(Unreadable::new("an unterminated `` ` ``")),
                    Some('`') => break,
                    Some('\\') if matches!(self.at(1), Some('$' | '`' | '\\')) => {
                        body.push(self.at(1).unwrap_or('\\'));
                        self.i += 2;
                    }
                    Some(c) => {
                        body.push(c);
                        self.i += 1;
                    }
                }
            }
            self.i += 1;
            w.subs.push(lex(&body, Self::deeper(depth)?)?);
            w.push_dynamic("`…`");
            return Ok(());
        }
        // At `$`.
        match self.at(1) {
            Some('(') if self.at(2) == Some('(') && self.arithmetic_closes() => {
                self.i += 3;
                self.balanced(w, '(', ')', 2, depth)?;
            }
            Some('(') => {
                self.i += 2;
                let inner = self.list(true, Self::deeper(depth)?)?;
                w.subs.push(Lexed {
                    toks: inner,
                    heredoc_subs: Vec::new(),
                });
            }
            Some('[') => {
                self.i += 2;
                self.balanced(w, '[', ']', 1, depth)?;
            }
            Some('{') => {
                self.i += 2;
                self.balanced(w, '{', '}', 1, depth)?;
            }
            Some(c) if is_name_start(c) => {
                self.i += 1;
                while self.peek().is_some_and(is_name_char) {
                    self.i += 1;
                }
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => self.i += 2,
            _ => {
                self.i += 1;
                w.push('$');
                return Ok(());
            }
        }
        let text: String = self.s[start..self.i].iter().collect();
        w.push_dynamic(&text);
        Ok(())
    }

    /// At `$((`: whether it is arithmetic (closed by `))` and holding no
    /// two words side by side) rather than a subshell in a substitution.
    fn arithmetic_closes(&self) -> bool {
        let mut open = 0i32;
        let mut k = self.i + 3;
        let mut prev_word_end = false;
        let mut in_word = false;
        let end = k.saturating_add(ARITHMETIC_WINDOW);
        while let Some(&c) = self.s.get(k).filter(|_| k < end) {
            match c {
                '(' => open += 1,
                ')' if open > 0 => open -= 1,
                ')' => return self.s.get(k + 1) == Some(&')'),
                '\'' | '"' | '`' | ';' | '\n' | '|' | '&' => return false,
                _ => {}
            }
            let word_char = is_name_char(c) || c == '$' || c == '.';
            if word_char && !in_word && prev_word_end {
                return false;
            }
            if c == ' ' || c == '\t' {
                prev_word_end = in_word || prev_word_end;
            } else if !word_char {
                prev_word_end = false;
            }
            in_word = word_char;
            k += 1;
        }
        false
    }

    /// Up to the matching `close` (`need` of them), reading quotes and
    /// substitutions inside (`${X:-$(cmd)}` runs `cmd`).
    fn balanced(
        &mut self,
        w: &mut Word,
        open: char,
        close: char,
        need: usize,
        depth: usize,
    ) -> Result<(), Unreadable> {
        let mut level = 0usize;
        let mut scratch = Word::default();
        loop {
            match self.peek() {
                None => return Err(Unreadable::new(format!("an unterminated `{open}`"))),
                Some(c) if c == close && level == 0 => {
                    let closes = (0..need).all(|k| self.at(k) == Some(close));
                    if closes {
                        self.i += need;
                        break;
                    }
                    self.i += 1;
                }
                Some(c) if c == close => {
                    level -= 1;
                    self.i += 1;
                }
                Some(c) if c == open => {
                    level += 1;
                    self.i += 1;
                }
                Some('\\') => self.i += 2,
                Some('\'') => {
                    self.i += 1;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.i += 1;
                    }
                    if self.peek().is_none() {
                        return Err(Unreadable::new("an unterminated `'`"));
                    }
                    self.i += 1;
                }
                Some('"') => {
                    self.i += 1;
                    self.double_quoted(&mut scratch, Some('"'), Self::deeper(depth)?)?;
                }
                Some('$' | '`') => self.expansion(&mut scratch, Self::deeper(depth)?)?,
                Some(_) => self.i += 1,
            }
        }
        w.subs.extend(scratch.subs);
        Ok(())
    }

    /// `$'…'`: backslash escapes as in C.
    fn ansi_c(&mut self, w: &mut Word) -> Result<(), Unreadable> {
        loop {
            let Some(c) = self.peek() else {
                return Err(Unreadable::new("an unterminated `$'`"));
            };
            self.i += 1;
            match c {
                '\'' => return Ok(()),
                '\\' => {
                    let Some(e) = self.peek() else {
                        return Err(Unreadable::new("an unterminated `$'`"));
                    };
                    self.i += 1;
                    let out = match e {
                        'a' => Some('\x07'),
                        'b' => Some('\x08'),
                        'e' | 'E' => Some('\x1b'),
                        'f' => Some('\x0c'),
                        'n' => Some('\n'),
                        'r' => Some('\r'),
                        't' => Some('\t'),
                        'v' => Some('\x0b'),
                        '\\' | '\'' | '"' | '?' => Some(e),
                        'c' => {
                            let x = self.peek().unwrap_or('@');
                            self.i += 1;
                            char::from_u32((x as u32) & 0x1f)
                        }
                        '0'..='7' => {
                            self.i -= 1;
                            self.number(8, 3)
                        }
                        'x' => self.number(16, 2),
                        'u' => self.number(16, 4),
                        'U' => self.number(16, 8),
                        other => {
                            w.push_quoted('\\');
                            Some(other)
                        }
                    };
                    if let Some(ch) = out {
                        w.push_quoted(ch);
                    }
                }
                c => w.push_quoted(c),
            }
        }
    }

    /// Up to `max` digits in `radix`, as a character (none when there are
    /// no digits, as bash leaves `\x` alone then).
    fn number(&mut self, radix: u32, max: usize) -> Option<char> {
        let mut value = 0u32;
        let mut n = 0;
        while n < max {
            match self.peek().and_then(|c| c.to_digit(radix)) {
                Some(d) => {
                    value = value.saturating_mul(radix).saturating_add(d);
                    self.i += 1;
                    n += 1;
                }
                None => break,
            }
        }
        if n == 0 {
            return None;
        }
        char::from_u32(value)
    }
}
