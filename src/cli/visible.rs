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

/// A character a terminal acts on, reorders text by, or shows as nothing,
/// rather than shows: controls; the marks and overrides of bidirectional
/// text; invisible formatting (zero-width space, word joiner, soft hyphen,
/// byte-order mark); and the tag characters and supplementary variation
/// selectors, which can carry text a person cannot see. The joiner and the
/// variation selectors emoji are built with are kept.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}'
                | '\u{e0100}'..='\u{e01ef}'
        )
}

/// [`visible`] for a field shown on one line (a subject, a title, a
/// table's cell): newlines and tabs are written out too (`\n`, `\t`), so
/// no field can start a line that reads as another row.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.contains(['\n', '\t']) {
        return visible(text);
    }
    Cow::Owned(visible(&text.replace('\n', "\\n").replace('\t', "\\t")).into_owned())
}

/// Bytes written exactly for scripts (JSON, CSV, the log's lines), as
/// they may go to a terminal: every character [`visible`] writes out, as
/// a JSON escape (`\u001b`, `\u009b`). Inside JSON strings, where such characters can
/// only stand, the value read back is the same.
pub fn for_terminal(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Cow::Owned(String::from_utf8_lossy(bytes).as_bytes().to_vec());
    };
    let escape = hidden;
    if !text.chars().any(escape) {
        return Cow::Borrowed(bytes);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out.into_bytes())
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
        assert_eq!(
            visible("a\u{200b}b\u{feff}c\u{e0041}\u{e0100}"),
            "a<U+200B>b<U+FEFF>c<U+E0041><U+E0100>"
        );
        assert!(matches!(
            visible("👩\u{200d}💻 ❤\u{fe0f}"),
            Cow::Borrowed(_)
        ));
        let styled = format!("{DIM}msg_1{DIM:#} and {BAD}Error:{BAD:#}");
        assert_eq!(visible(&styled), styled);
    }

    #[test]
    fn a_one_line_field_cannot_start_another_line() {
        assert_eq!(
            one_line("origin/feature\nappr_01FAKE\tpending"),
            "origin/feature\\nappr_01FAKE\\tpending"
        );
        assert!(matches!(one_line("origin/main"), Cow::Borrowed(_)));
    }

    #[test]
    fn what_scripts_read_reaches_a_terminal_escaped_and_reads_back_the_same() {
        let value = serde_json::json!({"body": "\u{1b}[2J\u{9b}2J\u{7f}\u{202e}x\u{e0041}"});
        let line = serde_json::to_string(&value).unwrap();
        let shown = for_terminal(line.as_bytes());
        let text = std::str::from_utf8(&shown).unwrap();
        assert!(text.chars().all(|c| !c.is_control()), "{text:?}");
        assert!(
            text.contains("\\u009b") && text.contains("\\udb40\\udc41"),
            "{text:?}"
        );
        let back: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, value);
        assert!(matches!(for_terminal(b"{\"plain\":1}\n"), Cow::Borrowed(_)));
    }
}
