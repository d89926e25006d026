//! Stand-in agents in the panes of a private tmux server, for tests that
//! watch agents or type into them.
//!
//! A [`Server`] is a tmux server on a socket of its own (`tmux -L`),
//! killed when it is dropped, panic or not. An [`Agent`] runs one of the
//! stand-ins in `tests/fixtures/agents/` (`claude`, `codex`: bash scripts
//! that draw Claude- or Codex-like screens) in one of its panes and drives
//! it through its control directory: commands (`screen busy`, `hook FILE`,
//! `session ID`, `swallow N`, …) written there are run by the stand-in from
//! inside its pane, as the real agent runs its hooks; keys typed or pasted
//! into the pane go into its draft, and Enter submits it, running the
//! UserPromptSubmit hook. `standin.sh` documents the commands and the files
//! the stand-in writes back.
//!
//! The clock is real (hooks run under a program named as an agent ignore
//! the test clock by design), so nothing here waits a fixed time to
//! assert: [`eventually`] polls until an expectation holds or [`DEADLINE`]
//! passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{BIN, TestEnv, json_lines, stderr, stdout};

/// How long any one expectation may take to come true.
pub const DEADLINE: Duration = Duration::from_secs(12);

/// Poll `probe` until it says Ok, at most [`DEADLINE`]; on timeout, panic
/// with what it said last.
pub fn eventually<T>(what: &str, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        match probe() {
            Ok(v) => return v,
            Err(last) if start.elapsed() > DEADLINE => {
                panic!("waited {DEADLINE:?} for {what}; last seen: {last}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The path of the stand-in for `provider` (`claude` or `codex`).
pub fn fixture_agent(provider: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/agents")
        .join(provider)
        .to_str()
        .unwrap()
        .to_string()
}

/// A Claude Code hook payload (the fields every event carries, plus `extra`).
pub fn claude_event(env: &TestEnv, repo: &Path, session: &str, event: &str, extra: Value) -> Value {
    let transcript = env
        .home()
        .join(format!(".claude/projects/shop/{session}.jsonl"));
    let mut v = json!({
        "session_id": session,
        "transcript_path": transcript,
        "cwd": repo,
        "permission_mode": "default",
        "hook_event_name": event,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// `tmux` on `socket`, with no user config and no stdin. A test run from
/// inside tmux must not talk to that server: `TMUX` and `TMUX_PANE` go.
fn tmux_on(socket: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("tmux");
    cmd.args(["-f", "/dev/null", "-L", socket])
        .args(args)
        .stdin(Stdio::null())
        .env_remove("TMUX")
        .env_remove("TMUX_PANE");
    cmd
}

/// Run `cmd` (a tmux), panicking on failure; its stdout, untrimmed.
fn run_tmux(mut cmd: Command, args: &[&str]) -> String {
    let out = cmd
        .output()
        .expect("run tmux (these tests need tmux on PATH)");
    assert!(
        out.status.success(),
        "tmux {args:?} failed: {}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// A private tmux server, killed on drop. Its environment (and so every
/// pane's) is the test's: HOME, `CODEXA_CONFIG_HOME` and the rest from
/// `TestEnv::apply_env`, plus `CODEXA_BIN` for the stand-ins.
pub struct Server<'a> {
    env: &'a TestEnv,
    /// The socket's name, for `tmux -L` and `codexa --socket`.
    pub socket: String,
}

impl<'a> Server<'a> {
    /// A server for the test `test` (named in the socket, so that tests
    /// running at once do not share one); started by its first session.
    pub fn new(env: &'a TestEnv, test: &str) -> Server<'a> {
        Server {
            env,
            socket: format!("codexa-test-{}-{test}", std::process::id()),
        }
    }

    /// `tmux ARGS` on this server, with the test's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = tmux_on(&self.socket, args);
        self.env.apply_env(&mut cmd);
        cmd
    }

    /// Run tmux; its trimmed stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        run_tmux(self.command(args), args).trim().to_string()
    }

    /// A new detached session `name` running `argv` in `dir`; its pane id.
    pub fn session(&self, name: &str, dir: &Path, argv: &[&str]) -> String {
        self.session_with(name, dir, &[], argv)
    }

    /// [`Server::session`] with `vars` in the pane's environment besides
    /// `CODEXA_BIN` (which they may replace).
    pub fn session_with(
        &self,
        name: &str,
        dir: &Path,
        vars: &[(&str, &str)],
        argv: &[&str],
    ) -> String {
        let mut settings = vec![format!("CODEXA_BIN={BIN}")];
        settings.extend(vars.iter().map(|(k, v)| format!("{k}={v}")));
        let mut args = vec![
            "new-session",
            "-d",
            "-P",
            "-F",
            "#{pane_id}",
            "-s",
            name,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            dir.to_str().unwrap(),
        ];
        for s in &settings {
            args.extend(["-e", s.as_str()]);
        }
        args.push("--");
        args.extend(argv);
        let pane = self.tmux(&args);
        assert!(pane.starts_with('%'), "new-session printed {pane:?}");
        pane
    }

    /// A plain shell in a new session; its pane id.
    pub fn shell(&self, name: &str, dir: &Path) -> String {
        self.session(name, dir, &["sh", "-i"])
    }

    /// Type `text` into `pane` as a person types it (`send-keys -l`): every
    /// character as a key, a newline as Enter, nothing named (`Enter` is
    /// five letters). tmux ends a command at an argument's trailing `;`,
    /// so trailing semicolons are sent as bytes (`send-keys -H 3b`).
    pub fn type_keys(&self, pane: &str, text: &str) {
        let body = text.trim_end_matches(';');
        if !body.is_empty() {
            self.tmux(&["send-keys", "-t", pane, "-l", "--", body]);
        }
        let semicolons = text.len() - body.len();
        if semicolons > 0 {
            let mut args = vec!["send-keys", "-t", pane, "-H"];
            args.extend(std::iter::repeat_n("3b", semicolons));
            self.tmux(&args);
        }
    }

    /// Press the named keys (`Enter`, `C-c`, `BSpace`, …) in `pane`.
    pub fn keys(&self, pane: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", pane];
        args.extend(keys);
        self.tmux(&args);
    }

    /// Paste `text` into `pane` as a terminal pastes: through a tmux
    /// buffer, bracketed (`paste-buffer -p`: the stand-in asked for
    /// bracketed paste) and with newlines kept as they are (`-r`). `then`
    /// are more tmux arguments run by the same tmux command after the
    /// paste (`&[";", "send-keys", "-t", pane, "Enter"]`), so they reach
    /// the pane right behind it.
    pub fn paste(&self, pane: &str, text: &str, then: &[&str]) {
        let buffer = format!("paste-{}", &pane[1..]);
        let load = ["load-buffer", "-b", &buffer, "-"];
        let mut child = self
            .command(&load)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tmux load-buffer");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "load-buffer: {}", stderr(&out));
        let mut args = vec!["paste-buffer", "-p", "-r", "-d", "-b", &buffer, "-t", pane];
        args.extend(then);
        self.tmux(&args);
    }
}

impl Drop for Server<'_> {
    fn drop(&mut self) {
        let path = self
            .command(&["display-message", "-p", "#{socket_path}"])
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| stdout(&o).trim().to_string());
        let _ = self
            .command(&["kill-server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        // tmux leaves its socket file behind, also when the server already
        // ended with its last pane (then it cannot say where: tmux's own
        // default place for a `-L` name).
        let path = path.or_else(|| {
            use std::os::unix::fs::MetadataExt;
            let uid = std::fs::metadata("/proc/self").ok()?.uid();
            let dir = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
            Some(format!("{dir}/tmux-{uid}/{}", self.socket))
        });
        if let Some(path) = path.filter(|p| p.contains(&self.socket)) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// How a hook the stand-in ran ended: exit status, stdout, stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookRun {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A stand-in agent in a pane, driven through its control directory.
pub struct Agent {
    /// Its pane's id (`%N`).
    pub pane: String,
    /// `claude` or `codex`.
    pub provider: &'static str,
    /// Its control directory: commands in, what it did out.
    pub ctl: PathBuf,
    /// The repository it runs in.
    pub repo: PathBuf,
    /// The repository's codexa store, where its hooks record.
    pub store: PathBuf,
    /// The tmux socket of its server.
    socket: String,
    /// Commands sent so far.
    sent: u32,
}

impl Agent {
    /// Start `provider`'s stand-in in a new session `name`, showing
    /// `screen`; returns once it reads its keys.
    pub fn start(
        env: &TestEnv,
        server: &Server,
        repo: &Path,
        name: &str,
        provider: &'static str,
        screen: &str,
    ) -> Agent {
        Self::start_with(env, server, repo, name, provider, screen, &[])
    }

    /// [`Agent::start`] with `vars` in its environment (`CODEXA_BIN` names
    /// the codexa its hooks run).
    pub fn start_with(
        env: &TestEnv,
        server: &Server,
        repo: &Path,
        name: &str,
        provider: &'static str,
        screen: &str,
        vars: &[(&str, &str)],
    ) -> Agent {
        let ctl = control_dir(env, name);
        let script = fixture_agent(provider);
        let pane = server.session_with(name, repo, vars, &[&script, ctl.to_str().unwrap(), screen]);
        Agent::ready(env, server, repo, pane, provider, ctl)
    }

    /// Start `provider`'s stand-in from the shell in `pane`, as a person
    /// types `claude`: a child of the pane's shell (`tag` names its
    /// control directory).
    pub fn typed_into(
        env: &TestEnv,
        server: &Server,
        repo: &Path,
        pane: &str,
        tag: &str,
        provider: &'static str,
        screen: &str,
    ) -> Agent {
        let ctl = control_dir(env, tag);
        let line = format!("{} {} {screen}", fixture_agent(provider), ctl.display());
        server.type_keys(pane, &line);
        server.keys(pane, &["Enter"]);
        Agent::ready(env, server, repo, pane.to_string(), provider, ctl)
    }

    /// The agent once its stand-in has set up its terminal and drawn its
    /// first screen (it writes `ready` then): keys typed before could be
    /// echoed or held by the terminal.
    fn ready(
        env: &TestEnv,
        server: &Server,
        repo: &Path,
        pane: String,
        provider: &'static str,
        ctl: PathBuf,
    ) -> Agent {
        let ready = ctl.join("ready");
        eventually(&format!("the stand-in in {pane} to start"), || {
            if ready.exists() {
                Ok(())
            } else {
                Err(format!("no {}", ready.display()))
            }
        });
        Agent {
            pane,
            provider,
            ctl,
            repo: repo.to_path_buf(),
            store: env.store_dir(repo),
            socket: server.socket.clone(),
            sent: 0,
        }
    }

    /// The stand-in exits at once, with no SessionEnd (a crash, a kill).
    pub fn crash(mut self) {
        self.sent += 1;
        let n = self.sent;
        let tmp = self.ctl.join(format!("cmd.{n}.tmp"));
        std::fs::write(&tmp, "exit 1\n").unwrap();
        std::fs::rename(&tmp, self.ctl.join(format!("cmd.{n}"))).unwrap();
    }

    /// Kill this pane's process and start `provider`'s stand-in in the same
    /// pane (`tmux respawn-pane -k`): same `%id`, a new process.
    pub fn respawn(
        self,
        env: &TestEnv,
        server: &Server,
        provider: &'static str,
        screen: &str,
    ) -> Agent {
        let ctl = control_dir(env, &format!("{}-respawned", &self.pane[1..]));
        let script = fixture_agent(provider);
        server.tmux(&[
            "respawn-pane",
            "-k",
            "-t",
            &self.pane,
            "-c",
            self.repo.to_str().unwrap(),
            "--",
            &script,
            ctl.to_str().unwrap(),
            screen,
        ]);
        Agent::ready(env, server, &self.repo, self.pane, provider, ctl)
    }

    /// Send one command and wait until the stand-in has run it; its exit
    /// status.
    pub fn send(&mut self, line: &str) -> i32 {
        self.sent += 1;
        let n = self.sent;
        let tmp = self.ctl.join(format!("cmd.{n}.tmp"));
        std::fs::write(&tmp, format!("{line}\n")).unwrap();
        std::fs::rename(&tmp, self.ctl.join(format!("cmd.{n}"))).unwrap();
        let ack = self.ctl.join(format!("ack.{n}"));
        let what = format!("the stand-in in {} to run `{line}`", self.pane);
        let rc = eventually(&what, || {
            std::fs::read_to_string(&ack).map_err(|e| format!("no ack: {e}"))
        });
        rc.trim().parse().unwrap()
    }

    /// Draw `screen` (`busy`, `approval`, `idle`, `blank`).
    pub fn screen(&mut self, screen: &str) {
        assert_eq!(self.send(&format!("screen {screen}")), 0, "screen {screen}");
    }

    /// The session id of the prompts submitted from now on.
    pub fn set_session(&mut self, id: &str) {
        assert_eq!(self.send(&format!("session {id}")), 0, "session {id}");
    }

    /// Ignore the next `n` Enters that would submit: the draft stays, as
    /// when an agent misses the key.
    pub fn swallow(&mut self, n: u32) {
        assert_eq!(self.send(&format!("swallow {n}")), 0, "swallow {n}");
    }

    /// Run `codexa hook PROVIDER` with `payload` on stdin from inside the
    /// pane (`verb` `hook`; `shhook` through `sh -c`; `notify` as Codex's
    /// notify argument); its stdout. It must succeed, say nothing on
    /// stderr and log no failure.
    pub fn run_hook(&mut self, verb: &str, payload: &Value) -> String {
        let file = self.ctl.join(format!("payload.{}.json", self.sent + 1));
        std::fs::write(&file, payload.to_string()).unwrap();
        let rc = self.send(&format!("{verb} {}", file.display()));
        let n = self.sent;
        let out = std::fs::read_to_string(self.ctl.join(format!("out.{n}"))).unwrap();
        let err = std::fs::read_to_string(self.ctl.join(format!("err.{n}"))).unwrap();
        assert_eq!(rc, 0, "codexa hook {}: {out}{err}", self.provider);
        assert_eq!(err, "", "codexa hook {} wrote on stderr", self.provider);
        self.assert_no_hook_failure();
        out
    }

    /// `codexa ARGS` run by the agent itself (its shell tool), from inside
    /// the pane; arguments must hold no spaces.
    pub fn codexa(&mut self, args: &[&str]) -> HookRun {
        assert!(
            args.iter().all(|a| !a.contains(char::is_whitespace)),
            "{args:?}"
        );
        let status = self.send(&format!("codexa {}", args.join(" ")));
        let n = self.sent;
        let read =
            |name: &str| std::fs::read_to_string(self.ctl.join(format!("{name}.{n}"))).unwrap();
        HookRun {
            status,
            stdout: read("out"),
            stderr: read("err"),
        }
    }

    /// [`Agent::run_hook`] with `hook`.
    pub fn hook(&mut self, payload: &Value) -> String {
        self.run_hook("hook", payload)
    }

    /// [`Agent::run_hook`] with `notify`.
    pub fn notify(&mut self, payload: &Value) -> String {
        self.run_hook("notify", payload)
    }

    /// A failure to record is logged to `cache/hooks.log`, never shown to
    /// the agent: there must be none.
    pub fn assert_no_hook_failure(&self) {
        let log = self.store.join("cache/hooks.log");
        assert!(
            !log.exists(),
            "a hook logged a failure: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// The files `{prefix}1`, `{prefix}2`, … in the control directory, in
    /// order, up to the first missing one. The stand-in writes each whole
    /// (renamed into place).
    fn numbered(&self, prefix: &str) -> Vec<String> {
        (1..)
            .map(|k| self.ctl.join(format!("{prefix}{k}")))
            .map_while(|p| std::fs::read(&p).ok())
            .map(|b| String::from_utf8(b).expect("UTF-8"))
            .collect()
    }

    /// The prompts submitted so far (`prompt.K`), exactly as submitted.
    pub fn prompts(&self) -> Vec<String> {
        self.numbered("prompt.")
    }

    /// The reasons of the Stop hooks that blocked so far (`handoff.K`),
    /// which the agent took as its next instruction.
    pub fn handoffs(&self) -> Vec<String> {
        self.numbered("handoff.")
    }

    /// How many Enters were swallowed so far (see [`Agent::swallow`]).
    pub fn swallowed(&self) -> u32 {
        std::fs::read_to_string(self.ctl.join("swallowed"))
            .map(|s| s.trim().parse().unwrap())
            .unwrap_or(0)
    }

    /// The keys typed while the approval dialog showed, raw.
    pub fn dialog_keys(&self) -> String {
        std::fs::read_to_string(self.ctl.join("dialog")).unwrap_or_default()
    }

    /// How the UserPromptSubmit hook of the `k`-th prompt (from 1) ended,
    /// once it has.
    pub fn submit_hook(&self, k: usize) -> HookRun {
        let rc = self.ctl.join(format!("submit-rc.{k}"));
        let what = format!("the hook of prompt {k} in {}", self.pane);
        let status = eventually(&what, || {
            std::fs::read_to_string(&rc).map_err(|e| format!("no status: {e}"))
        });
        let read = |name: &str| std::fs::read_to_string(self.ctl.join(name)).unwrap();
        HookRun {
            status: status.trim().parse().unwrap(),
            stdout: read(&format!("submit-out.{k}")),
            stderr: read(&format!("submit-err.{k}")),
        }
    }

    /// The payloads the repository's hook spool (`cache/agents/spool.jsonl`)
    /// holds from this pane, oldest first.
    pub fn spooled(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.store.join("cache/agents/spool.jsonl"))
            .unwrap_or_default();
        json_lines(&text)
            .into_iter()
            .filter(|l| l["pane"] == self.pane.as_str())
            .map(|l| l["raw"].clone())
            .collect()
    }

    /// What its pane shows (`tmux capture-pane -p`).
    pub fn capture(&self) -> String {
        let args = ["capture-pane", "-p", "-t", &self.pane];
        run_tmux(tmux_on(&self.socket, &args), &args)
    }

    /// The draft its input box shows, lines joined with `\n` (control
    /// characters as the stand-in draws them, `^X`; trailing spaces are
    /// not told from the box's padding): `Some("")` for an empty box (a
    /// placeholder is drawn dim), `None` when no input box shows (the
    /// approval dialog, a blank screen).
    pub fn input_box(&self) -> Option<String> {
        // -e: to tell Codex's dim placeholder from a draft; -J: a long line
        // the terminal wrapped is one line again.
        let args = ["capture-pane", "-p", "-e", "-J", "-t", &self.pane];
        let screen = run_tmux(tmux_on(&self.socket, &args), &args);
        let raw: Vec<&str> = screen.lines().collect();
        let lines: Vec<String> = raw
            .iter()
            .map(|l| plain(l).trim_end().to_string())
            .collect();
        match self.provider {
            "claude" => claude_box(&lines),
            _ => codex_box(&raw, &lines),
        }
    }
}

/// A new control directory `ctl-{tag}` for a stand-in.
fn control_dir(env: &TestEnv, tag: &str) -> PathBuf {
    let ctl = env.path(&format!("ctl-{tag}"));
    std::fs::create_dir_all(&ctl).unwrap();
    ctl
}

/// `line` without tmux's colour and attribute sequences (`ESC [ … m`).
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        rest = tail.find('m').map_or("", |end| &tail[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Claude's box: `│ > first line … │`, then `│   more … │` up to its
/// bottom edge `╰…╯`. `lines` are plain text, trimmed at the end.
fn claude_box(lines: &[String]) -> Option<String> {
    let at = lines.iter().rposition(|l| l.starts_with("│ > "))?;
    let end = at + lines[at..].iter().position(|l| l.starts_with('╰'))?;
    let text: Vec<&str> = lines[at..end]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let l = l
                .strip_prefix(if i == 0 { "│ > " } else { "│   " })
                .unwrap_or(l);
            l.strip_suffix('│').unwrap_or(l).trim_end()
        })
        .collect();
    Some(text.join("\n"))
}

/// Codex's input: `› first line`, then `  more`, up to the blank line above
/// the `context left` footer (the approval dialog's `› 1. Yes` has none).
/// `raw` is the screen with its attributes, `lines` the same as plain text
/// trimmed at the end.
fn codex_box(raw: &[&str], lines: &[String]) -> Option<String> {
    let footer = lines.iter().rposition(|l| l.contains("context left"))?;
    let at = lines[..footer].iter().rposition(|l| l.starts_with("› "))?;
    if raw[at].contains("\x1b[2m") {
        return Some(String::new());
    }
    let end = footer.checked_sub(1).filter(|&e| e > at)?;
    let text: Vec<&str> = lines[at..end]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let prefix = if i == 0 { "› " } else { "  " };
            l.strip_prefix(prefix).unwrap_or(l)
        })
        .collect();
    Some(text.join("\n"))
}

/// A folder holding stand-in `claude` and `codex` programs for `codexa
/// start`: each records its `CODEXA_AGENT` to `RECORD.agent`, its working
/// directory to `RECORD.cwd` and, last (so a test waits for that file
/// alone), its arguments (NUL-separated) to `RECORD.argv` (`RECORD.<program>.*` too, so two agents started one after
/// the other are told apart), then waits, leaving on Ctrl-C as the real
/// ones do. Returns the folder and RECORD.
pub fn recording_agents(env: &TestEnv) -> (PathBuf, PathBuf) {
    let bin = env.path("start-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let record = env.path("started");
    for program in ["claude", "codex"] {
        let script = format!(
            "#!/bin/bash\nfor r in '{r}' '{r}.{program}'; do\n  printf '%s' \"$CODEXA_AGENT\" > \"$r.agent\"\n  pwd > \"$r.cwd\"\n  printf '%s\\0' \"$@\" > \"$r.argv.tmp\" && mv \"$r.argv.tmp\" \"$r.argv\"\ndone\ntrap 'exit 0' INT\nwhile :; do sleep 0.1; done\n",
            r = record.display()
        );
        let path = bin.join(program);
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (bin, record)
}

/// `codexa ARGS` in `repo` with `bin` ahead on PATH and `server` as the
/// tmux server (`$CODEXA_TMUX_SOCKET`).
pub fn with_agents(
    env: &TestEnv,
    repo: &Path,
    server: &Server,
    bin: &Path,
    args: &[&str],
) -> std::process::Output {
    let old = std::env::var("PATH").unwrap_or_default();
    env.codexa(repo)
        .env("PATH", format!("{}:{old}", bin.display()))
        .env("CODEXA_TMUX_SOCKET", &server.socket)
        .env("CODEXA_BIN", BIN)
        .args(args)
        .output()
        .unwrap()
}

/// A stand-in for `participant` (`CODEXA_AGENT`) whose session `session`
/// has started: its SessionStart hook ran from inside its pane, so the
/// registry binds the session to the pane and the stand-in's process.
pub fn hooked_agent(
    env: &TestEnv,
    server: &Server,
    repo: &Path,
    participant: &str,
    provider: &'static str,
    session: &str,
    screen: &str,
) -> Agent {
    let mut a = Agent::start_with(
        env,
        server,
        repo,
        participant,
        provider,
        screen,
        &[("CODEXA_AGENT", participant)],
    );
    a.set_session(session);
    a.hook(&claude_event(
        env,
        repo,
        session,
        "SessionStart",
        json!({"source": "startup"}),
    ));
    a
}
