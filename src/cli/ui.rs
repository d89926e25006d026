//! The one printer: data to stdout, status and diagnostics to stderr
//! (silenced by `--quiet`), colour only where it helps and is wanted, and a
//! progress bar only on a terminal.

use std::io::{IsTerminal, Write};

use super::visible::{for_terminal, one_line, visible};
use crate::{Error, Result};
use anstyle::{AnsiColor, Style};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text (`table` is the same).
    #[value(alias = "table")]
    Text,
    /// JSON (one document, or JSON Lines for streams).
    Json,
    /// Comma-separated values (`codexa sql`; other commands print text).
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

pub struct Printer {
    pub format: Format,
    pub quiet: bool,
    /// Whether stdout keeps colour (asked once, when first needed).
    stdout_colour: std::sync::OnceLock<bool>,
    /// Whether stdout is a terminal (asked once, when first needed).
    stdout_terminal: std::sync::OnceLock<bool>,
}

pub const OK: Style = AnsiColor::Green.on_default();
pub const WARN: Style = AnsiColor::Yellow.on_default();
pub const BAD: Style = AnsiColor::Red.on_default().bold();
pub const DIM: Style = Style::new().dimmed();

impl Printer {
    pub fn new(format: Format, quiet: bool, color: ColorWhen) -> Printer {
        let choice = match color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
        Printer {
            format,
            quiet,
            stdout_colour: std::sync::OnceLock::new(),
            stdout_terminal: std::sync::OnceLock::new(),
        }
    }

    fn stdout_colour(&self) -> bool {
        *self
            .stdout_colour
            .get_or_init(|| anstream::stdout().current_choice() != anstream::ColorChoice::Never)
    }

    /// `style` where stdout shows colour, no style where it does not: data
    /// rendered with it needs no stripping on its way to a pipe.
    pub fn paint(&self, style: Style) -> Style {
        if self.stdout_colour() {
            style
        } else {
            Style::new()
        }
    }

    /// Rows under a header, each column as wide as its widest cell;
    /// columns of numbers right-aligned (header too), text left-aligned.
    pub fn table(&self, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
        // Each cell on one line, written out before it is measured.
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| one_line(c).into_owned()).collect())
            .collect();
        let rows = &rows;
        let cells = |i: usize| {
            rows.iter()
                .filter_map(move |r| r.get(i))
                .map(String::as_str)
        };
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                cells(i)
                    .map(|c| c.chars().count())
                    .chain([header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let right: Vec<bool> = (0..header.len())
            .map(|i| {
                cells(i).any(|c| !c.is_empty())
                    && cells(i).all(|c| {
                        c.is_empty() || c == "-" || c == "NULL" || c.parse::<f64>().is_ok()
                    })
            })
            .collect();
        let line = |row: &mut dyn Iterator<Item = &str>| {
            row.zip(widths.iter().zip(&right))
                .map(|(c, (&w, &r))| {
                    if r {
                        format!("{c:>w$}")
                    } else {
                        format!("{c:<w$}")
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        let head = std::iter::once(line(&mut header.iter().copied()));
        self.lines(
            head.chain(
                rows.iter()
                    .map(|row| line(&mut row.iter().map(String::as_str))),
            ),
        )
    }

    pub fn is_csv(&self) -> bool {
        self.format == Format::Csv
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// One line of data on stdout.
    pub fn line(&self, text: &str) -> Result<()> {
        let mut out = anstream::stdout().lock();
        writeln!(out, "{}", visible(text)).map_err(stdout_error)
    }

    /// Lines of data on stdout, written at once. stdout is line-buffered,
    /// so printing a thread of a hundred messages line by line was two
    /// hundred `write`s; this is one. Control characters are written out
    /// ([`visible`]); where stdout shows no colour, codexa's own styles are
    /// then stripped. Text of printable ASCII (what `paint` makes of
    /// codexa's own output) has nothing to strip and is not run through the
    /// stripper's byte-by-byte parser.
    pub fn lines<S: AsRef<str>>(&self, lines: impl IntoIterator<Item = S>) -> Result<()> {
        let colour = self.stdout_colour();
        let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t';
        let mut text = String::new();
        for item in lines {
            let item = visible(item.as_ref());
            if colour || item.bytes().all(plain) {
                text.push_str(&item);
            } else {
                text.extend(anstream::adapter::strip_str(&item));
            }
            text.push('\n');
        }
        std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(stdout_error)
    }

    /// Raw bytes plus newline on stdout (event lines are already JSON):
    /// exactly as given, except on a terminal, where what could act on it
    /// is written as JSON escapes ([`for_terminal`]).
    pub fn raw_line(&self, bytes: &[u8]) -> Result<()> {
        let terminal = *self
            .stdout_terminal
            .get_or_init(|| std::io::stdout().is_terminal());
        let bytes = if terminal {
            for_terminal(bytes)
        } else {
            std::borrow::Cow::Borrowed(bytes)
        };
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(stdout_error)
    }

    pub fn flush(&self) -> Result<()> {
        std::io::stdout().flush().map_err(stdout_error)
    }

    /// A value as one JSON document on stdout, exactly as encoded (JSON
    /// writes control characters as escapes of its own).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = serde_json::to_vec_pretty(value)
            .map_err(|e| Error::io("could not encode JSON").caused_by(e))?;
        self.raw_line(&text)
    }

    /// A value as one line of JSON (a stream's record).
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = serde_json::to_vec(value)
            .map_err(|e| Error::io("could not encode JSON").caused_by(e))?;
        self.raw_line(&text)
    }

    /// Status for people, on stderr; `--quiet` silences it.
    pub fn status(&self, text: &str) {
        if !self.quiet {
            let _ = writeln!(anstream::stderr().lock(), "{}", visible(text));
        }
    }

    pub fn warning(&self, text: &str) {
        let text = visible(text);
        let _ = writeln!(anstream::stderr().lock(), "{WARN}warning:{WARN:#} {text}");
    }

    pub fn hint(&self, text: &str) {
        if !self.quiet {
            let text = visible(text);
            let _ = writeln!(anstream::stderr().lock(), "{DIM}hint:{DIM:#} {text}");
        }
    }

    /// A byte-counting progress bar on a terminal; hidden otherwise.
    pub fn progress(&self, total: u64, what: &str) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("could not write to stdout").caused_by(e)
}

/// Render an error as `Error:` / `Caused by:` / `Hint:` on stderr: what
/// codexa was doing, then why, each text once.
pub fn print_error(err: &Error) {
    let mut out = anstream::stderr().lock();
    for (i, line) in err.lines().iter().enumerate() {
        let line = visible(line);
        let _ = if i == 0 {
            writeln!(out, "{BAD}Error:{BAD:#} {line}")
        } else {
            writeln!(out, "Caused by: {line}")
        };
    }
    if let Some(h) = err.hint_text() {
        let h = visible(h);
        let _ = writeln!(out, "{}Hint:{:#} {h}", OK, OK);
    }
}
