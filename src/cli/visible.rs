//! Text as a person may be shown it.
//!
//! Agents write message bodies, thread titles, the subjects and reasons of
//! the approvals people decide, run titles and incident notes. On a
//! terminal, control characters in that text are instructions: move the
//! cursor and write over a line, hide text, clear the screen, retitle the
//! window, write the clipboard. A subject could then read as something
//! other than what a person is asked to approve. So every line codexa
//! prints for people passes through [`visible`]: control characters are
//! written out (`^[` for escape, `^M` for a carriage return, `<U+202E>` for
//! a character that reverses the text around it), except the styles codexa
//! itself colours its output with.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::ui::{BAD, DIM, OK, WARN};

/// `text` with its control characters written out; codexa's own styles,
/// newlines and tabs kept.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(style) = own_styles().iter().find(|s| rest.starts_with(s.as_str()))
        {
            out.push_str(style);
            rest = &rest[style.len()..];
            continue;
        }
        if hidden(c) {
            written_out(c, &mut out);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// A character a terminal acts on or reorders text by, rather than shows.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Caret notation for C0 controls and DEL (`^[`, `^M`, `^?`), the code
/// point for the rest.
fn written_out(c: char, out: &mut String) {
    match c {
        '\u{0}'..='\u{1f}' => {
            out.push('^');
            out.push((c as u8 + 0x40) as char);
        }
        '\u{7f}' => out.push_str("^?"),
        _ => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

/// The escape sequences codexa's own styles render to (colours, bold,
/// dim, and the reset): nothing that moves, hides or rewrites.
fn own_styles() -> &'static [String] {
    static STYLES: OnceLock<Vec<String>> = OnceLock::new();
    STYLES.get_or_init(|| {
        let mut all: Vec<String> = [OK, WARN, BAD, DIM]
            .iter()
            .flat_map(|s| [s.render().to_string(), s.render_reset().to_string()])
            .filter(|s| !s.is_empty())
            .collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        all.dedup();
        all
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_as_it_is() {
        for text in ["", "a message", "two\nlines\tand a tab", "café, 日本語"] {
            assert!(matches!(visible(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn control_characters_are_written_out_and_codexas_styles_kept() {
        assert_eq!(
            visible("\u{1b}[31mred\u{1b}[0m\u{7}"),
            format!("^[[31mred{}^G", OK.render_reset())
        );
        assert_eq!(
            visible("approve: ls\rrm -rf /\u{1b}[8mhidden"),
            "approve: ls^Mrm -rf /^[[8mhidden"
        );
        assert_eq!(visible("\u{1b}]52;c;Zm9v\u{7}"), "^[]52;c;Zm9v^G");
        assert_eq!(visible("a\u{7f}\u{9b}2J"), "a^?<U+009B>2J");
        assert_eq!(visible("abc\u{202e}fed"), "abc<U+202E>fed");
        let styled = format!("{DIM}msg_1{DIM:#} and {BAD}Error:{BAD:#}");
        assert_eq!(visible(&styled), styled);
    }
}
