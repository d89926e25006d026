//! The process table from `/proc`: who is whose child, and what each runs.
//! The poller uses it to see which agent CLI runs under a pane's shell; the
//! hook uses its own ancestry to say which pane instance it belongs to.

use std::collections::HashMap;

/// One process: its parent and its command line. The command line is read
/// on first use: a poll needs it only for the processes under tmux panes,
/// not for every process on the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub ppid: u32,
    argv: std::cell::OnceCell<Vec<String>>,
}

impl Proc {
    pub fn new(pid: u32, ppid: u32, argv: Vec<String>) -> Proc {
        Proc {
            pid,
            ppid,
            argv: std::cell::OnceCell::from(argv),
        }
    }

    pub fn argv(&self) -> &[String] {
        self.argv.get_or_init(|| argv_of(self.pid))
    }
}

/// A snapshot of every process this user can see.
#[derive(Debug, Default)]
pub struct ProcTable {
    procs: HashMap<u32, Proc>,
    children: HashMap<u32, Vec<u32>>,
}

/// The parent pid from `/proc/<pid>/stat` (the command name in parentheses
/// may itself hold spaces and parentheses: read after the last `)`).
fn ppid_of(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// The session id from `/proc/<pid>/stat` (the field after the process
/// group).
fn session_of(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(3)?.parse().ok()
}

/// A `/proc` file's bytes. Its size reads as 0, so `fs::read` and
/// `read_to_end` would ask for it (a `statx`, and an `lseek` for the
/// position) before reading; plain reads into a page-sized buffer need only
/// open, read until empty, close. One page holds a `stat` line and nearly
/// every command line, and the hook and every command read a dozen of
/// these files as they start.
fn read_proc(path: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0; 4096];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(len * 2, 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    buf.truncate(len);
    Some(buf)
}

/// `pid`'s parent and session, from `/proc`.
pub fn parent_and_session(pid: u32) -> Option<(u32, u32)> {
    let stat = read_proc(&format!("/proc/{pid}/stat"))?;
    let stat = std::str::from_utf8(&stat).ok()?;
    Some((ppid_of(stat)?, session_of(stat)?))
}

/// This process's number in `/proc` (the target of `/proc/self`).
pub fn proc_self() -> Option<u32> {
    std::fs::read_link("/proc/self")
        .ok()?
        .to_str()?
        .parse()
        .ok()
}

/// Every process in session `sid`, from `/proc`.
pub fn in_session(sid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| parent_and_session(*pid).is_some_and(|(_, s)| s == sid))
        .collect()
}

fn argv_of(pid: u32) -> Vec<String> {
    read_proc(&format!("/proc/{pid}/cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

impl ProcTable {
    /// Read `/proc`. Processes that exit meanwhile are skipped; a system
    /// without `/proc` gives an empty table (agents are then recognised by
    /// the pane's current command only).
    pub fn read() -> ProcTable {
        let mut table = ProcTable::default();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return table;
        };
        for e in entries.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Some(ppid) = read_proc(&format!("/proc/{pid}/stat"))
                .and_then(|s| ppid_of(std::str::from_utf8(&s).ok()?))
            else {
                continue;
            };
            table.insert(Proc {
                pid,
                ppid,
                argv: std::cell::OnceCell::new(),
            });
        }
        table
    }

    pub fn insert(&mut self, p: Proc) {
        self.children.entry(p.ppid).or_default().push(p.pid);
        self.procs.insert(p.pid, p);
    }

    pub fn get(&self, pid: u32) -> Option<&Proc> {
        self.procs.get(&pid)
    }

    /// `pid` and all its descendants, parents before children.
    pub fn tree(&self, pid: u32) -> Vec<&Proc> {
        let mut out = Vec::new();
        let mut todo = vec![pid];
        while let Some(p) = todo.pop() {
            if let Some(proc) = self.procs.get(&p) {
                out.push(proc);
            }
            if let Some(kids) = self.children.get(&p) {
                let mut kids = kids.clone();
                kids.sort_unstable_by(|a, b| b.cmp(a));
                todo.extend(kids);
            }
            if out.len() > 10_000 {
                break;
            }
        }
        out
    }
}

/// The program a command line runs, as a person would name it: the file
/// name of `argv[0]`, or for an interpreter (`node`, `python3`, `sh`…) of
/// its script, so `node …/bin/claude` is `claude`.
pub fn program_name(argv: &[String]) -> Option<String> {
    let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let first = base(argv.first()?);
    let first = first.strip_prefix('-').unwrap_or(&first).to_string();
    let interpreter = matches!(
        first.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'),
        "node" | "python" | "bun" | "deno" | "sh" | "bash" | "dash" | "zsh" | "ruby" | "perl"
    );
    if interpreter {
        // The first argument that is not an option is the script.
        if let Some(script) = argv[1..].iter().find(|a| !a.starts_with('-')) {
            return Some(base(script));
        }
    }
    Some(first)
}

/// The program `pid` runs (see `program_name`), from `/proc`.
pub fn program_of(pid: u32) -> Option<String> {
    program_name(&argv_of(pid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn stat_lines_with_odd_names_parse() {
        assert_eq!(ppid_of("123 (a) b (c)) S 77 1 1"), Some(77));
        assert_eq!(ppid_of("garbage"), None);
        assert_eq!(session_of("123 (a) b (c)) S 77 70 66 0"), Some(66));
        // Outside a PID namespace of its own, /proc numbers this process
        // as getpid does.
        assert_eq!(proc_self(), Some(std::process::id()));
    }

    #[test]
    fn interpreters_are_looked_through() {
        assert_eq!(
            program_name(&argv(
                "node /usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"
            )),
            Some("cli.js".into())
        );
        assert_eq!(
            program_name(&argv("/usr/bin/node /usr/local/bin/claude --resume")),
            Some("claude".into())
        );
        assert_eq!(
            program_name(&argv("python3 -u /tmp/bin/codex")),
            Some("codex".into())
        );
        assert_eq!(program_name(&argv("-bash")), Some("bash".into()));
        assert_eq!(
            program_name(&argv("/usr/bin/codex exec")),
            Some("codex".into())
        );
        assert_eq!(program_name(&[]), None);
    }

    #[test]
    fn trees_list_descendants() {
        let mut t = ProcTable::default();
        for (pid, ppid) in [(10, 1), (11, 10), (12, 11), (20, 1)] {
            t.insert(Proc::new(pid, ppid, vec![format!("p{pid}")]));
        }
        let pids: Vec<u32> = t.tree(10).iter().map(|p| p.pid).collect();
        assert_eq!(pids, [10, 11, 12]);
        // Read lazily from /proc for a real process.
        let me = ProcTable::read();
        let own = me.get(std::process::id()).unwrap();
        assert!(!own.argv().is_empty());
    }
}
