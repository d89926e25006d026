//! A codexa argument list: which command it names past the global options
//! (and whether only a person may run that command), and how it is shown
//! to be pasted into a shell. Pure.

/// Global options that take a value as the next argument (`-C DIR`,
/// `--as NAME`, …); `--as=NAME` and `-CDIR` carry it in the same one.
const VALUED_LONG_OPTIONS: &[&str] = &["as", "format", "color"];

/// The first two words of a codexa argument list that are neither options
/// nor option values: the subcommand, and the one after it (`events
/// accept`, `approval request`).
pub fn command_words(argv: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut items = argv.iter().map(String::as_str);
    let mut options_end = false;
    while words.len() < 2
        && let Some(item) = items.next()
    {
        if options_end || item == "-" || !item.starts_with('-') {
            words.push(item);
        } else if item == "--" {
            options_end = true;
        } else if let Some(long) = item.strip_prefix("--") {
            if VALUED_LONG_OPTIONS.contains(&long) {
                items.next();
            }
        } else if item.ends_with('C') {
            // A cluster of short flags (`-qC`) whose `C` takes the next
            // argument; `-CDIR` holds its value.
            items.next();
        }
    }
    words
}

/// The command an argument list runs when that command decides approvals
/// or what counts as the log (`approve`, `deny`, `hold`, `events accept`,
/// and every `approval` subcommand but `request` and `show`), whatever
/// global options come first: only a person may run those, so a phrase a
/// project (or an agent editing it) adds may not stand for one.
pub fn decides(argv: &[String]) -> Option<String> {
    match command_words(argv).as_slice() {
        [cmd @ ("approve" | "deny" | "hold"), ..] => Some(cmd.to_string()),
        ["events", "accept", ..] => Some("events accept".into()),
        ["approval", sub, ..] if !matches!(*sub, "request" | "show") => {
            Some(format!("approval {sub}"))
        }
        _ => None,
    }
}

/// `codexa ARGV` for display, each item quoted for a POSIX shell when it
/// needs to be.
pub fn display(argv: &[String]) -> String {
    let mut out = String::from("codexa");
    for a in argv {
        out.push(' ');
        out.push_str(&shell_quote(a));
    }
    out
}

/// An entry's argv template for display: like [`display`], with
/// `{slot}` placeholders left bare.
pub fn display_template(argv: &[String]) -> String {
    let mut out = String::from("codexa");
    for a in argv {
        out.push(' ');
        if a.contains('{') && !a.contains(['\'', ' ']) {
            out.push_str(a);
        } else {
            out.push_str(&shell_quote(a));
        }
    }
    out
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::v;
    use super::*;

    #[test]
    fn deciding_commands_are_found_past_global_options() {
        for argv in [
            v(&["approve", "{id}"]),
            v(&["--as", "boss", "deny", "x"]),
            v(&["--as=boss", "hold", "x"]),
            v(&["-C", "/repo", "--format", "json", "approve", "x"]),
            v(&["-qC", "/repo", "approve"]),
            v(&["-C/repo", "--quiet", "approve"]),
            v(&["events", "accept", "wr_1"]),
            v(&["--color", "never", "events", "--quiet", "accept", "wr_1"]),
            v(&["approval", "decide", "x"]),
        ] {
            assert!(decides(&argv).is_some(), "{argv:?}");
        }
        for argv in [
            v(&["approvals", "--status", "pending"]),
            v(&["approval", "request", "--action", "git.push"]),
            v(&["approval", "show", "x"]),
            v(&["events", "append"]),
            v(&["post", "th", "--", "approve"]),
            v(&["--as", "approve", "post", "x"]),
            v(&["policy", "eval", "approve"]),
        ] {
            assert_eq!(decides(&argv), None, "{argv:?}");
        }
        assert_eq!(command_words(&v(&["-", "x"])), vec!["-", "x"]);
    }

    #[test]
    fn display_quotes_for_the_shell() {
        assert_eq!(
            display(&v(&["post", "th_1", "--", "it's done; rm -rf /"])),
            r"codexa post th_1 -- 'it'\''s done; rm -rf /'"
        );
        assert_eq!(
            display(&v(&["approve", "CH-010", "--kind", "design"])),
            "codexa approve CH-010 --kind design"
        );
    }
}
