//! Interpreters given code on the command line or on their input
//! (`python -c`, `node -e`, `perl -e`, `python3 - <<EOF`, `awk` calling
//! `system`): what they run is not on the line as a command.

use super::lex::Word;
use super::options::{Spec, options};

/// `python3.12`, `pypy3`: Python by its name.
fn is_python(name: &str) -> bool {
    ["python", "pypy"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    })
}

/// Why `name args…` runs code that is not on the line as a command: an
/// interpreter given code inline, or reading it from a pipe or
/// here-document.
pub(super) fn inline_code(name: &str, args: &[Word], stdin_fed: bool) -> Option<String> {
    // Per interpreter: the option letters that take code, those whose
    // value may be the next word, and those whose value can only be
    // attached (both end a cluster).
    let (code, next_word, attached): (&[char], &str, &str) = if is_python(name) {
        (&['c'], "WXQ", "")
    } else {
        match name {
            "node" | "nodejs" | "bun" => (&['e', 'p'], "r", ""),
            "perl" => (&['e', 'E'], "", "iIMmxCdD"),
            "ruby" => (&['e'], "IrCEFKTWx", ""),
            "php" => (&['r', 'R', 'B', 'E'], "cdfzt", ""),
            "lua" | "luajit" | "osascript" | "Rscript" => (&['e'], "l", ""),
            "awk" | "gawk" | "mawk" | "nawk" => return awk_runs_commands(args),
            "deno" if args.first().is_some_and(|w| w.text == "eval") => {
                return Some("deno eval".into());
            }
            _ => return None,
        }
    };
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t == "-" {
            return Some(format!("{name} reading code from its input"));
        }
        if matches!(t, "--eval" | "--print" | "--command") || t.starts_with("--eval=") {
            return Some(format!("{name} {t}"));
        }
        if t.starts_with("--") {
            continue;
        }
        let Some(letters) = t.strip_prefix('-') else {
            // A script file: its code is not on the line, as for any program.
            return None;
        };
        for (k, c) in letters.char_indices() {
            if code.contains(&c) {
                return Some(format!("{name} -{c}"));
            }
            if c == 'm' && is_python(name) {
                return None;
            }
            if next_word.contains(c) {
                // `-W ignore`: the value is the next word.
                if k + c.len_utf8() == letters.len() {
                    i += 1;
                }
                break;
            }
            if attached.contains(c) {
                break;
            }
        }
    }
    stdin_fed.then(|| format!("{name} reading code from its input"))
}

/// An awk program that starts commands (`system(…)`, `| "cmd"`,
/// `"cmd" | getline`).
fn awk_runs_commands(args: &[Word]) -> Option<String> {
    let (_, at) = options(
        args,
        &Spec {
            values: "fFv",
            long_values: &[],
        },
    );
    let program = args.get(at)?;
    let t = program.text.replace(' ', "");
    (t.contains("system(") || t.contains("|\"") || t.contains("\"|") || t.contains("|&"))
        .then(|| "awk running commands".to_string())
}
