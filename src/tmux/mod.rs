//! The one place that runs tmux. Every call is an argument vector (never a
//! shell string), and every pane is addressed by its `%id`, resolved once.
//!
//! What codexa asks of a server is the [`Client`] trait: [`Tmux`] runs the
//! real one, and unit tests of the code that reads panes use
//! [`fake::FakeTmux`], whose panes and screens the test sets.
//!
//! Which server: `$CODEXA_TMUX_SOCKET` when set (a name, as `tmux -L`, or a
//! path containing `/`, as `tmux -S`), else tmux's own choice (`$TMUX`
//! inside tmux, the default socket outside).

use std::process::{Command, Stdio};

use crate::error::{Error, Result};

#[cfg(test)]
pub mod fake;

/// The environment variable naming a tmux server other than the default.
pub const SOCKET_ENV: &str = "CODEXA_TMUX_SOCKET";

/// Fields of one `list-panes` row, in format order. The unit separator
/// cannot appear in a title tmux prints (it replaces control characters).
const FIELDS: &[&str] = &[
    "pane_id",
    "pane_pid",
    "pane_current_command",
    "pane_title",
    "session_name",
    "window_index",
    "pane_index",
    "window_name",
    "pane_current_path",
    "pane_dead",
    "pane_dead_status",
    "socket_path",
    "pane_active",
    "window_active",
];
const SEP: char = '\u{1f}';
/// Starts each row: a row ends where the next begins, not at a newline,
/// which a session name or a working directory may contain.
const ROW: char = '\u{1e}';
/// Panes captured per tmux invocation: tmux refuses a command list longer
/// than its client message (about 16 KiB, some 200 captures).
const CAPTURE_CHUNK: usize = 50;

/// One tmux pane as `list-panes -a` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneRow {
    /// `%N`, unique within one server's lifetime.
    pub id: String,
    /// The pid of the pane's first process (its shell or command).
    pub pid: u32,
    pub command: String,
    pub title: String,
    pub session: String,
    pub window: u32,
    pub index: u32,
    pub window_name: String,
    pub path: String,
    pub dead: bool,
    /// The exit status of a dead pane's process (with `remain-on-exit`).
    pub dead_status: Option<i32>,
    /// The server's socket: pane ids are unique only within one server.
    pub socket: String,
    /// The pane is the one a client of its window would type into.
    pub focused: bool,
}

impl PaneRow {
    /// `session:window.pane`, as a person names it.
    pub fn target(&self) -> String {
        format!("{}:{}.{}", self.session, self.window, self.index)
    }

    fn parse(line: &str) -> Option<PaneRow> {
        let f: Vec<&str> = line.trim_end_matches('\n').split(SEP).collect();
        if f.len() != FIELDS.len() {
            return None;
        }
        Some(PaneRow {
            id: f[0].to_string(),
            pid: f[1].parse().ok()?,
            command: f[2].to_string(),
            title: f[3].to_string(),
            session: f[4].to_string(),
            window: f[5].parse().ok()?,
            index: f[6].parse().ok()?,
            window_name: f[7].to_string(),
            path: f[8].to_string(),
            dead: f[9] == "1",
            dead_status: f[10].parse().ok(),
            socket: f[11].to_string(),
            focused: f[12] == "1" && f[13] == "1",
        })
    }
}

/// What codexa asks of a tmux server.
pub trait Client {
    /// Every pane of every session; empty when no server is running.
    fn list_panes(&self) -> Result<Vec<PaneRow>>;

    /// The visible screen of each pane in `ids`, in order. A pane that
    /// vanished since it was listed gets an empty screen.
    fn capture_screens(&self, ids: &[&str]) -> Result<Vec<String>>;

    /// The pid of the process `pane` runs (where `/proc` cannot say).
    fn pane_pid(&self, pane: &str) -> Option<u32>;

    /// Bring `pane` to the front: its window selected, the pane selected,
    /// and, when run from inside tmux, this client switched to its session.
    fn jump_to(&self, pane: &str) -> Result<()>;

    /// Type `text` into `pane` as it is (`send-keys -l`): no key names,
    /// no Enter.
    fn type_literal(&self, pane: &str, text: &str) -> Result<()>;

    /// Paste `text` into `pane` through the buffer `buffer` (loaded from
    /// stdin, pasted bracketed with newlines kept, then deleted): buffers
    /// are shared by the whole server, so each paste names its own.
    fn paste(&self, pane: &str, buffer: &str, text: &str) -> Result<()>;

    /// Press Enter in `pane`.
    fn press_enter(&self, pane: &str) -> Result<()>;
}

/// A real tmux server to talk to.
#[derive(Debug, Clone, Default)]
pub struct Tmux {
    socket: Option<String>,
}

impl Tmux {
    /// The server `$CODEXA_TMUX_SOCKET` names, or tmux's default.
    pub fn from_env() -> Tmux {
        Tmux {
            socket: std::env::var(SOCKET_ENV).ok().filter(|s| !s.is_empty()),
        }
    }

    pub fn with_socket(socket: impl Into<String>) -> Tmux {
        Tmux {
            socket: Some(socket.into()),
        }
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        // UTF-8 whatever the locale: under `LC_ALL=C` (cron, systemd, bare
        // containers) tmux would print the field separator and every
        // non-ASCII character of a screen as `_`.
        c.arg("-u");
        match &self.socket {
            Some(s) if s.contains('/') => {
                c.args(["-S", s]);
            }
            Some(s) => {
                c.args(["-L", s]);
            }
            None => {}
        }
        c.stdin(Stdio::null());
        c
    }

    /// Run tmux with `args`; its stdout, or an error with its stderr.
    fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.command().args(args).output().map_err(|e| {
            Error::not_found(format!("cannot run tmux: {e}"))
                .hint("install tmux (e.g. `apt install tmux`) and make sure it is on PATH")
        })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(Error::io(format!("tmux {}: {err}", args.join(" "))));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A window for `argv` in session `session` (made, detached, when there is
    /// none): its pane id. The program is run through `env`, so tmux always
    /// gets more than one argument and executes it directly (given one, tmux
    /// would hand it to a shell), and the pane's process is the program itself
    /// once `env` has replaced itself with it.
    pub fn open_window(
        &self,
        session: &str,
        window: &str,
        dir: &std::path::Path,
        vars: &[(String, String)],
        argv: &[String],
    ) -> Result<String> {
        let exists = self
            .run(&["has-session", "-t", &format!("={session}")])
            .is_ok();
        let dir = dir.to_string_lossy();
        let mut args: Vec<String> = if exists {
            vec![
                "new-window".into(),
                "-d".into(),
                "-t".into(),
                format!("={session}:"),
            ]
        } else {
            vec![
                "new-session".into(),
                "-d".into(),
                "-s".into(),
                session.into(),
            ]
        };
        args.extend([
            "-n".into(),
            window.into(),
            "-P".into(),
            "-F".into(),
            "#{pane_id}".into(),
        ]);
        args.extend(["-c".into(), dir.into_owned()]);
        for (k, v) in vars {
            args.extend(["-e".into(), format!("{k}={v}")]);
        }
        args.extend(["--".into(), "env".into(), "--".into()]);
        args.extend(argv.iter().cloned());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let pane = self.run(&refs)?.trim().to_string();
        if !pane.starts_with('%') {
            return Err(Error::io(format!(
                "tmux opened a window but printed {pane:?}"
            )));
        }
        Ok(pane)
    }

    /// Interrupt what runs in `pane` (Ctrl-C).
    pub fn interrupt(&self, pane: &str) -> Result<()> {
        self.run(&["send-keys", "-t", pane, "C-c"]).map(drop)
    }

    /// Close `pane`, ending its process.
    pub fn kill_pane(&self, pane: &str) -> Result<()> {
        self.run(&["kill-pane", "-t", pane]).map(drop)
    }

    /// Run tmux with `args` and `input` on its stdin.
    fn run_with_input(&self, args: &[&str], input: &[u8]) -> Result<()> {
        use std::io::Write;
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::not_found(format!("cannot run tmux: {e}")))?;
        let written = child.stdin.take().map(|mut s| s.write_all(input));
        let out = child
            .wait_with_output()
            .map_err(|e| Error::io(format!("tmux {}", args.join(" "))).caused_by(e))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
            return Err(Error::io(format!("tmux {}: {err}", args.join(" "))));
        }
        if let Some(Err(e)) = written {
            return Err(Error::io(format!("tmux {}", args.join(" "))).caused_by(e));
        }
        Ok(())
    }

    fn capture_chunk(&self, ids: &[&str]) -> Result<Vec<String>> {
        // A marker no screen contains: tmux prints it between captures.
        let marker = format!(
            "@@codexa-{}-{}@@",
            std::process::id(),
            crate::clock::now_ms()
        );
        let mut args: Vec<&str> = Vec::with_capacity(ids.len() * 9);
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                args.extend([";", "display-message", "-p", &marker, ";"]);
            }
            args.extend(["capture-pane", "-p", "-t", id]);
        }
        let out = self
            .command()
            .args(&args)
            .output()
            .map_err(|e| Error::not_found(format!("cannot run tmux: {e}")))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut screens: Vec<String> = text
            .split(&format!("{marker}\n"))
            .map(str::to_string)
            .collect();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            // A pane closed between listing and capturing stops the list
            // there (the rest are read next poll); anything else is an error.
            if !err.contains("can't find pane") {
                return Err(Error::io(format!("tmux capture-pane: {}", err.trim())));
            }
            screens.pop();
        }
        screens.resize(ids.len(), String::new());
        Ok(screens)
    }
}

impl Client for Tmux {
    fn list_panes(&self) -> Result<Vec<PaneRow>> {
        let format = ROW.to_string()
            + &FIELDS
                .iter()
                .map(|f| format!("#{{{f}}}"))
                .collect::<Vec<_>>()
                .join(&SEP.to_string());
        let out = self
            .command()
            .args(["list-panes", "-a", "-F", &format])
            .output();
        let out = out.map_err(|e| {
            Error::not_found(format!("cannot run tmux: {e}"))
                .hint("install tmux (e.g. `apt install tmux`) and make sure it is on PATH")
        })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            // No server (or no socket yet) is not an error: there are no panes.
            if err.contains("no server running")
                || err.contains("error connecting")
                || err.contains("No such file")
            {
                return Ok(Vec::new());
            }
            return Err(Error::io(format!("tmux list-panes: {}", err.trim())));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .split(ROW)
            .filter_map(PaneRow::parse)
            .collect())
    }

    /// One tmux invocation per `CAPTURE_CHUNK` panes: a poll of 50 panes
    /// is one fork, not 50.
    fn capture_screens(&self, ids: &[&str]) -> Result<Vec<String>> {
        let mut screens = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CAPTURE_CHUNK) {
            screens.extend(self.capture_chunk(chunk)?);
        }
        Ok(screens)
    }

    fn pane_pid(&self, pane: &str) -> Option<u32> {
        self.run(&["display-message", "-p", "-t", pane, "#{pane_pid}"])
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn jump_to(&self, pane: &str) -> Result<()> {
        self.run(&["select-window", "-t", pane])?;
        self.run(&["select-pane", "-t", pane])?;
        // A detached session has no client to switch: the selection above
        // is what `tmux attach` will show.
        if std::env::var_os("TMUX").is_some() {
            let _ = self.run(&["switch-client", "-t", pane]);
        }
        Ok(())
    }

    fn type_literal(&self, pane: &str, text: &str) -> Result<()> {
        // `--`: a text starting with `-` is text, not an option.
        self.run(&["send-keys", "-l", "-t", pane, "--", text])
            .map(drop)
    }

    fn paste(&self, pane: &str, buffer: &str, text: &str) -> Result<()> {
        self.run_with_input(&["load-buffer", "-b", buffer, "-"], text.as_bytes())?;
        let pasted = self.run(&["paste-buffer", "-p", "-r", "-d", "-b", buffer, "-t", pane]);
        if pasted.is_err() {
            let _ = self.run(&["delete-buffer", "-b", buffer]);
        }
        pasted.map(drop)
    }

    fn press_enter(&self, pane: &str) -> Result<()> {
        self.run(&["send-keys", "-t", pane, "Enter"]).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_and_name_their_target() {
        let line = [
            "%3",
            "4242",
            "claude",
            "✳ Fix tests",
            "work",
            "1",
            "0",
            "agents",
            "/src/shop",
            "0",
            "",
            "/tmp/tmux-1000/default",
            "1",
            "1",
        ]
        .join(&SEP.to_string());
        let row = PaneRow::parse(&line).unwrap();
        assert_eq!(row.id, "%3");
        assert_eq!(row.pid, 4242);
        assert_eq!(row.target(), "work:1.0");
        assert!(row.focused && !row.dead);
        assert!(PaneRow::parse("%3\u{1f}x").is_none());
    }
}
