#!/usr/bin/env python3
"""`codexa watch` end to end: how soon `watch --stream` reports what an agent
in a tmux pane did, what one poll costs, and what `codexa hook claude` costs
now that it records sessions for `watch`. One run, four measurements:

1. Hook latency (deterministic). A stand-in agent (a script named `claude`
   on PATH, under bash in a pane) runs `codexa hook claude` from inside its
   pane with payloads alternating UserPromptSubmit / Stop (one session id)
   and notes the time right after each hook process is reaped. Meanwhile
   `codexa watch --stream` runs with `watch.poll_ms: 5000`, so what shows
   within the window is the hook path (spool checked every 20 ms), not a
   poll. Latency = the stream line's arrival - the hook's exit.
   Target: p95 <= 100 ms.
2. Screen latency (heuristic). A second stand-in, with no hooks, redraws
   its screen: idle -> busy -> approval -> busy -> idle, ... with
   `watch.poll_ms: 250`, `stable_ms: 1500`. Latency = line - draw. Busy and
   approval count at once; idle only after the stable window, so for idle
   the excess over `stable_ms` is reported. Target: p95 <= 2 s beyond the
   window.
3. One poll of 50 panes (20 stand-in agents with filled screens, 30 plain
   shells): `watch --stream` with `poll_ms: 100` for --fleet-seconds; CPU
   (user+sys) of codexa and its tmux children from RUSAGE_CHILDREN deltas
   around the run, divided by the polls counted (every poll replaces
   `cache/agents/poller.json`; a thread watches it); the tmux server's own
   CPU from /proc/<pid>/stat deltas.
4. `codexa hook claude` wall time (spawn to reap, timed by the stand-in in
   its pane): Stop (the end of a turn: appends `agent.turn_completed`),
   Stop again (no transition), PreToolUse Bash `ls` (default allow), each
   in the pane and with TMUX/TMUX_PANE removed (as outside tmux), beside
   `git rev-parse --git-dir` in the same interleaved rounds.

Everything runs in a temporary git repository (`codexa init`) against a
private tmux server (`tmux -L codexa-bench-<pid> -f /dev/null`), killed at
the end. Times on both sides are CLOCK_MONOTONIC (system-wide on Linux).

    python3 bench/watch_bench.py                 # builds --release first
    python3 bench/watch_bench.py --no-build --hooks 100 --cycles 10 --fleet-seconds 5

Python 3.11 standard library only; uses store_bench.py's environment and
statistics. Writes bench/results/watch_bench.json unless --json says where.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import store_bench as sb  # noqa: E402

ROOT = HERE.parent
UTF8_LOCALE = "C.UTF-8"

# ---------------------------------------------------------------------------
# the stand-in agent (written to <tmp>/bin/claude, run under bash in a pane)
# ---------------------------------------------------------------------------

FILLER = "".join(
    f"● Read(src/module_{i:02}.rs)\n  ⎿  Read {40 + 7 * i} lines\n" for i in range(9)
)
BOX = "╭" + "─" * 70 + "╮\n│ >" + " " * 67 + "│\n╰" + "─" * 70 + "╯\n  ? for shortcuts\n"
SCREENS = {
    # No marker at all: phases 1 and 4, where only hooks should speak.
    "plain": "stand-in agent: hooks only\n",
    "busy": FILLER + "\n✻ Pondering… (12s · ↑ 1.2k tokens · esc to interrupt)\n\n" + BOX,
    "idle": FILLER + "\n● Done: the failing test passes now.\n\n" + BOX,
    "approval": FILLER
    + "\n● Bash(git push origin main)\n\n Bash command\n\n   git push origin main\n"
    "   Push the branch\n\n Do you want to proceed?\n ❯ 1. Yes\n"
    "   2. Yes, and don't ask again for git push commands\n"
    "   3. No, and tell Claude what to do differently (esc)\n",
}

STANDIN = r'''#!__PYTHON__
"""Stand-in agent for bench/watch_bench.py: draws screens and runs
commands (hooks) on request, timing them. `claude --ctl SOCK --name N`
takes JSON commands over a unix socket; `claude --static SCREEN` draws
one screen and sleeps."""
import json, os, signal, socket, subprocess, sys, time

SCREENS = json.loads(__SCREENS__)
now = time.monotonic_ns


def draw(name):
    data = b"\x1b[H\x1b[2J" + SCREENS[name].replace("\n", "\r\n").encode()
    while data:
        data = data[os.write(1, data):]
    return now()


def run(cmd):
    env = dict(os.environ)
    if cmd.get("outside"):
        env.pop("TMUX", None)
        env.pop("TMUX_PANE", None)
    fin = open(cmd["stdin"], "rb") if cmd.get("stdin") else subprocess.DEVNULL
    try:
        t0 = now()
        p = subprocess.Popen(cmd["argv"], cwd=cmd.get("cwd"), env=env, stdin=fin,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(p.pid, 0)
        t1 = now()
    finally:
        if fin is not subprocess.DEVNULL:
            fin.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"t0": t0, "t1": t1, "rc": p.returncode}


def main():
    args = sys.argv[1:]
    if args[0] == "--static":
        draw(args[1])
        while True:
            signal.pause()
    ctl, name = args[1], args[3]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(ctl)
    f = s.makefile("rb")
    draw("plain")
    s.sendall((json.dumps({"hello": name, "pid": os.getpid(),
                           "pane": os.environ.get("TMUX_PANE")}) + "\n").encode())
    for line in f:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "quit":
            break
        if op == "draw":
            out = {"t": draw(cmd["screen"])}
        elif op == "run":
            out = run(cmd)
        else:
            out = {"error": op}
        s.sendall((json.dumps(out) + "\n").encode())


main()
'''


class Agent:
    """The bench's end of one stand-in's control socket."""

    def __init__(self, conn: socket.socket):
        self.conn = conn
        self.f = conn.makefile("rb")
        hello = json.loads(self.f.readline())
        self.name = hello["hello"]
        self.pid = hello["pid"]
        self.pane = hello["pane"]

    def call(self, **cmd) -> dict:
        self.conn.sendall((json.dumps(cmd) + "\n").encode())
        line = self.f.readline()
        if not line:
            raise SystemExit(f"stand-in {self.name} went away")
        return json.loads(line)

    def close(self) -> None:
        try:
            self.conn.sendall(b'{"op": "quit"}\n')
        except OSError:
            pass
        self.conn.close()


# ---------------------------------------------------------------------------
# tmux and codexa watch
# ---------------------------------------------------------------------------


class Tmux:
    def __init__(self, name: str, env: dict):
        self.name = name
        self.env = env

    def __call__(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", *args],
                           env=self.env, stdin=subprocess.DEVNULL, capture_output=True)
        if r.returncode != 0:
            raise SystemExit(f"tmux {' '.join(args)}: {r.stderr.decode().strip()}")
        return r.stdout.decode().strip()

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], env=self.env,
                       stdin=subprocess.DEVNULL, capture_output=True)

    def server_pid(self) -> int:
        return int(self("display-message", "-p", "#{pid}"))


def proc_cpu_s(pid: int) -> tuple[float, float]:
    """(utime+stime, cutime+cstime) of a live process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    ut, st, cut, cst = (int(x) for x in fields[11:15])
    return (ut + st) / tck, (cut + cst) / tck


class Watch:
    """`codexa watch --stream` with every stdout line timestamped on arrival."""

    def __init__(self, binary: str, repo: Path, env: dict, errlog: Path):
        self.err = open(errlog, "ab")
        self.p = subprocess.Popen([binary, "watch", "--stream"], cwd=repo, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=self.err)
        self.q: queue.Queue = queue.Queue()
        self.lines: list[tuple[int, dict]] = []
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self) -> None:
        for raw in self.p.stdout:
            t = time.monotonic_ns()
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = {"unparsed": raw.decode(errors="replace")}
            self.lines.append((t, obj))
            self.q.put((t, obj))
        self.q.put(None)

    def expect(self, pred, timeout_s: float) -> tuple[int, dict] | None:
        """The first line from now on that `pred` accepts; None on timeout."""
        end = time.monotonic() + timeout_s
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                item = self.q.get(timeout=left)
            except queue.Empty:
                return None
            if item is None:
                raise SystemExit("codexa watch exited early (see watch.err in --keep dir)")
            if pred(item[1]):
                return item

    def drain(self) -> None:
        while True:
            try:
                self.q.get_nowait()
            except queue.Empty:
                return

    def stop(self):
        """SIGTERM, then reap; the rusage wait4 reports (self + children)."""
        self.p.send_signal(signal.SIGTERM)
        _, status, ru = os.wait4(self.p.pid, 0)
        self.p.returncode = os.waitstatus_to_exitcode(status)
        self.t.join(timeout=5)
        self.err.close()
        return ru


def is_line(pane: str, activity: str, evidence: str | None = None):
    def pred(o: dict) -> bool:
        return (o.get("pane") == pane and o.get("change") in ("changed", "appeared")
                and o.get("activity") == activity
                and (evidence is None or o.get("evidence") == evidence))
    return pred


# ---------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------


class Run:
    def __init__(self, args):
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="codexa-watch-bench-"))
        self.binary = self.root / "codexa"
        shutil.copy2(args.bin, self.binary)
        self.sha256 = hashlib.sha256(self.binary.read_bytes()).hexdigest()
        self.b = sb.Bench(self.binary, self.root, verbose=False)
        self.repo = self.b.new_repo("shop")
        self.config = self.repo / ".codexa" / "config.yaml"
        self.config_text = self.config.read_text()
        bindir = self.root / "bin"
        bindir.mkdir()
        standin = bindir / "claude"
        standin.write_text(STANDIN.replace("__PYTHON__", sys.executable)
                           .replace("__SCREENS__", repr(json.dumps(SCREENS))))
        standin.chmod(0o755)
        # A UTF-8 locale for tmux and watch, as in a person's terminal. Under
        # LC_ALL=C a tmux client without `-u` prints the field separator of
        # codexa's `list-panes` format as `_` and watch saw no pane at all
        # (fixed in 10e826b); `locale_check` keeps an eye on it.
        self.env = dict(self.b.env, LC_ALL=UTF8_LOCALE,
                        PATH=f"{bindir}:{self.b.env.get('PATH', '/usr/bin:/bin')}")
        self.sock_name = f"codexa-bench-{os.getpid()}"
        self.tmux = Tmux(self.sock_name, self.env)
        self.watch_env = dict(self.b.env, LC_ALL=UTF8_LOCALE, CODEXA_TMUX_SOCKET=self.sock_name)
        self.ctl_path = str(self.root / "ctl.sock")
        self.ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ctl.bind(self.ctl_path)
        self.ctl.listen(8)
        self.ctl.settimeout(20)
        self.agents: dict[str, Agent] = {}
        self.spool = self.repo / ".git" / "codexa" / "cache" / "agents" / "spool.jsonl"
        self.poller = self.repo / ".git" / "codexa" / "cache" / "agents" / "poller.json"
        self.result: dict = {}
        self.watches: list[Watch] = []
        self.socket_path: str | None = None
        self.server: int | None = None

    def log(self, msg: str) -> None:
        self.b.log(msg)

    def set_watch(self, **watch) -> None:
        block = "\nwatch:\n" + "".join(f"  {k}: {v}\n" for k, v in watch.items())
        self.config.write_text(self.config_text + block)
        self.b.cx(self.repo, "doctor", "config", "-q")

    def start_watch(self) -> Watch:
        w = Watch(str(self.binary), self.repo, self.watch_env, self.root / "watch.err")
        self.watches.append(w)
        return w

    def controlled(self, window: str, session: str = "bench", first: bool = False) -> Agent:
        cmd = ["bash", "--norc", "--noprofile", "-c",
               f"claude --ctl {self.ctl_path} --name {window}; exec bash --norc --noprofile"]
        if first:
            self.tmux("new-session", "-d", "-s", session, "-n", window, "-x", "120", "-y", "40",
                      "-c", str(self.repo), *cmd)
        else:
            self.tmux("new-window", "-d", "-t", f"{session}:", "-n", window, "-c", str(self.repo),
                      *cmd)
        conn, _ = self.ctl.accept()
        conn.settimeout(60)
        a = Agent(conn)
        self.agents[window] = a
        return a

    def payload(self, name: str, session_id: str, event: str, **extra) -> str:
        path = self.root / f"payload_{name}.json"
        path.write_text(json.dumps({
            "session_id": session_id,
            "transcript_path": f"/tmp/{session_id}.jsonl",
            "permission_mode": "default",
            "cwd": str(self.repo),
            "hook_event_name": event,
            **extra,
        }))
        return str(path)

    def hook(self, agent: Agent, payload: str, outside: bool = False) -> dict:
        r = agent.call(op="run", argv=[str(self.binary), "hook", "claude"], stdin=payload,
                       cwd=str(self.repo), outside=outside)
        if r["rc"] != 0:
            raise SystemExit(f"hook exited {r['rc']}")
        return r

    def locale_check(self) -> None:
        """How many of the server's panes `codexa status` sees under a UTF-8
        locale and under LC_ALL=C."""
        want = len(self.tmux("list-panes", "-a", "-F", "#{pane_id}").split())
        seen = {}
        for loc in (UTF8_LOCALE, "C"):
            r = subprocess.run([str(self.binary), "status", "--format", "json"], cwd=self.repo,
                               env=dict(self.watch_env, LC_ALL=loc), capture_output=True,
                               stdin=subprocess.DEVNULL)
            seen[loc] = len(json.loads(r.stdout or b"[]")) if r.returncode == 0 else None
        self.result["locale"] = {"panes": want, "status_sees": seen}
        self.log(f"panes {want}; codexa status sees {seen}")

    # -- 1 ------------------------------------------------------------------

    def phase_hooks(self, agent: Agent) -> None:
        a = self.args
        self.set_watch(poll_ms=5000, stable_ms=1500)
        ups = self.payload("ups", "bench-latency", "UserPromptSubmit",
                           prompt="Fix the failing test in src/lib.rs")
        stop = self.payload("stop", "bench-latency", "Stop", stop_hook_active=False,
                            last_assistant_message="done")
        w = self.start_watch()
        if not w.expect(lambda o: o.get("pane") == agent.pane, 10):
            raise SystemExit("watch never showed the hooks pane")
        # Warm-up: the first hook binds the session to the pane.
        self.hook(agent, ups)
        w.expect(is_line(agent.pane, "running", "deterministic"), 7)
        self.hook(agent, stop)
        w.expect(is_line(agent.pane, "idle", "deterministic"), 7)
        time.sleep(0.3)
        w.drain()
        samples = []
        rng = random.Random(1)
        for i in range(a.hooks):
            running = i % 2 == 0
            r = self.hook(agent, ups if running else stop)
            want = "running" if running else "idle"
            got = w.expect(is_line(agent.pane, want, "deterministic"), 5 + 2)
            if got is None:
                samples.append({"event": "UserPromptSubmit" if running else "Stop",
                                "hook_start": r["t0"], "hook_exit": r["t1"], "line": None})
                self.log(f"hook {i}: no line within 7 s")
                continue
            samples.append({"event": "UserPromptSubmit" if running else "Stop",
                            "hook_start": r["t0"], "hook_exit": r["t1"], "line": got[0]})
            time.sleep(rng.uniform(0.03, 0.13))
            w.drain()
        ru = w.stop()
        lat = [(s["line"] - s["hook_exit"]) / 1e6 for s in samples if s["line"]]
        from_start = [(s["line"] - s["hook_start"]) / 1e6 for s in samples if s["line"]]
        hook_wall = [(s["hook_exit"] - s["hook_start"]) / 1e6 for s in samples]
        self.result["hook_latency"] = {
            "config": {"poll_ms": 5000, "stable_ms": 1500, "hook_check_ms": 20},
            "n": len(samples),
            "missing": sum(1 for s in samples if not s["line"]),
            "over_1s": sum(1 for x in lat if x > 1000),
            "line_minus_hook_exit_ms": sb.summary(lat),
            "line_minus_hook_start_ms": sb.summary(from_start),
            "hook_wall_ms": sb.summary(hook_wall),
            "before_exit": sum(1 for x in lat if x < 0),
            "watch_cpu_s": ru.ru_utime + ru.ru_stime,
            "samples": samples,
        }

    # -- 2 ------------------------------------------------------------------

    def phase_screen(self, agent: Agent) -> None:
        a = self.args
        stable = 1500
        self.set_watch(poll_ms=250, stable_ms=stable)
        agent.call(op="draw", screen="idle")
        w = self.start_watch()
        if not w.expect(is_line(agent.pane, "idle", "heuristic"), 10):
            raise SystemExit("the screen pane never read as idle")
        rng = random.Random(2)
        steps = [("busy", "running"), ("approval", "waiting_approval"),
                 ("busy", "running"), ("idle", "idle")]
        samples = []
        prev = "idle"
        for _ in range(a.cycles):
            for screen, want in steps:
                time.sleep(rng.uniform(0.1, 0.4))
                w.drain()
                t = agent.call(op="draw", screen=screen)["t"]
                got = w.expect(is_line(agent.pane, want, "heuristic"), stable / 1000 + 5)
                samples.append({"from": prev, "to": screen, "activity": want, "drawn": t,
                                "line": got[0] if got else None})
                if got is None:
                    self.log(f"screen {prev}->{screen}: no line within {stable / 1000 + 5} s")
                prev = screen
        w.stop()
        at_once = [(s["line"] - s["drawn"]) / 1e6 for s in samples
                   if s["line"] and s["to"] != "idle"]
        idle = [(s["line"] - s["drawn"]) / 1e6 for s in samples if s["line"] and s["to"] == "idle"]
        by_kind = {}
        for key in ("idle->busy", "busy->approval", "approval->busy"):
            f, t = key.split("->")
            xs = [(s["line"] - s["drawn"]) / 1e6 for s in samples
                  if s["line"] and s["from"] == f and s["to"] == t]
            by_kind[key] = sb.summary(xs) if xs else None
        self.result["screen_latency"] = {
            "config": {"poll_ms": 250, "stable_ms": stable},
            "n": len(samples),
            "missing": sum(1 for s in samples if not s["line"]),
            "at_once_ms": sb.summary(at_once),
            "at_once_by_kind_ms": by_kind,
            "idle_ms": sb.summary(idle),
            "idle_excess_ms": sb.summary([x - stable for x in idle]),
            "samples": samples,
        }

    # -- 4 ------------------------------------------------------------------

    def phase_hook_cost(self, agent: Agent) -> None:
        rounds = self.args.rounds
        git = ["git", "rev-parse", "--git-dir"]
        p = {
            "ups_pane": self.payload("t_ups_pane", "bench-cost-pane", "UserPromptSubmit",
                                     prompt="next"),
            "stop_pane": self.payload("t_stop_pane", "bench-cost-pane", "Stop",
                                      stop_hook_active=False),
            "ups_out": self.payload("t_ups_out", "bench-cost-out", "UserPromptSubmit",
                                    prompt="next"),
            "stop_out": self.payload("t_stop_out", "bench-cost-out", "Stop",
                                     stop_hook_active=False),
            "pre_pane": self.payload("t_pre_pane", "bench-cost-pre-pane", "PreToolUse",
                                     tool_name="Bash", tool_input={"command": "ls -la"},
                                     tool_use_id="toolu_ls"),
            "pre_out": self.payload("t_pre_out", "bench-cost-pre-out", "PreToolUse",
                                    tool_name="Bash", tool_input={"command": "ls -la"},
                                    tool_use_id="toolu_ls"),
        }
        samples: dict[str, list[float]] = {}

        def timed(label: str, r: dict) -> None:
            if r["rc"] != 0:
                raise SystemExit(f"{label} exited {r['rc']}")
            samples.setdefault(label, []).append((r["t1"] - r["t0"]) / 1e9)

        def stop_pane():
            self.hook(agent, p["ups_pane"])
            timed("hook Stop, in a pane (turn end: appends agent.turn_completed)",
                  self.hook(agent, p["stop_pane"]))
            timed("hook Stop again, in a pane (no transition)",
                  self.hook(agent, p["stop_pane"]))

        def stop_out():
            self.hook(agent, p["ups_out"], outside=True)
            timed("hook Stop, outside tmux (turn end)", self.hook(agent, p["stop_out"], True))

        def pre_pane():
            timed("hook PreToolUse Bash ls, in a pane (default allow)",
                  self.hook(agent, p["pre_pane"]))

        def pre_out():
            timed("hook PreToolUse Bash ls, outside tmux", self.hook(agent, p["pre_out"], True))

        def git_():
            timed("git rev-parse --git-dir",
                  agent.call(op="run", argv=git, cwd=str(self.repo)))

        groups = [git_, stop_pane, stop_out, pre_pane, pre_out]
        for g in groups:  # warm-up
            g()
        samples.clear()
        for i in range(rounds):
            k = i % len(groups)
            for g in groups[k:] + groups[:k]:
                g()
        stats = {k: sb.summary(v) for k, v in samples.items()}
        base = stats["git rev-parse --git-dir"]["median"]
        for s in stats.values():
            s["ratio_to_git_p50"] = s["median"] / base
        self.result["hook_cost"] = {"rounds": rounds, "stats": stats, "samples": samples}

    # -- 3 ------------------------------------------------------------------

    def phase_fleet(self) -> None:
        a = self.args
        agents, shells = a.fleet_agents, a.fleet_panes - a.fleet_agents
        kinds = ["idle"] * 12 + ["busy"] * 4 + ["approval"] * 4
        order = []
        for i in range(a.fleet_panes):
            # agents and shells mixed, as in a real session list
            order.append("agent" if (i * agents) // a.fleet_panes != ((i + 1) * agents) // a.fleet_panes
                         else "shell")
        n_agent = 0
        for i, kind in enumerate(order):
            if kind == "agent":
                screen = kinds[n_agent % len(kinds)]
                n_agent += 1
                cmd = ["bash", "--norc", "--noprofile", "-c",
                       f"claude --static {screen}; exec bash --norc --noprofile"]
            else:
                cmd = ["bash", "--norc", "--noprofile"]
            if i == 0:
                self.tmux("new-session", "-d", "-s", "fleet", "-n", "w0", "-x", "120", "-y", "40",
                          "-c", str(self.repo), *cmd)
            else:
                self.tmux("new-window", "-d", "-t", "fleet:", "-n", f"w{i}", "-c",
                          str(self.repo), *cmd)
        for ag in self.agents.values():
            ag.close()
        self.agents.clear()
        self.tmux("kill-session", "-t", "bench")
        panes = self.tmux("list-panes", "-a", "-F", "#{pane_id}").split()
        assert len(panes) == a.fleet_panes, panes
        time.sleep(1.0)  # let every stand-in draw
        server = self.tmux.server_pid()
        nprocs = sum(1 for d in os.listdir("/proc") if d.isdigit())
        self.set_watch(poll_ms=100, stable_ms=1500)
        idle_s = 3.0
        s0 = proc_cpu_s(server)[0]
        time.sleep(idle_s)
        server_idle = (proc_cpu_s(server)[0] - s0) / idle_s

        polls = [0]
        stop_flag = threading.Event()

        def sig_of():
            try:
                st = os.stat(self.poller)
                return (st.st_ino, st.st_mtime_ns, st.st_size)
            except FileNotFoundError:
                return None

        def count_polls(last) -> None:
            # Every poll replaces poller.json (a new file renamed over it).
            while not stop_flag.is_set():
                sig = sig_of()
                if sig is not None and sig != last:
                    polls[0] += 1
                    last = sig
                time.sleep(0.004)

        counter = threading.Thread(target=count_polls, args=(sig_of(),), daemon=True)
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        srv0 = proc_cpu_s(server)[0]
        t0 = time.monotonic()
        w = self.start_watch()
        counter.start()
        time.sleep(a.fleet_seconds)
        own, children = proc_cpu_s(w.p.pid)
        ru_w = w.stop()
        wall = time.monotonic() - t0
        srv1 = proc_cpu_s(server)[0]
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        time.sleep(0.05)
        stop_flag.set()
        counter.join()
        cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        n = max(polls[0], 1)
        appeared = [o for _, o in w.lines if o.get("change") == "appeared"]
        managed = sum(1 for o in appeared if o.get("presence") == "managed")
        if managed != agents or len(appeared) != a.fleet_panes:
            self.log(f"watch saw {len(appeared)} panes, {managed} managed: "
                     f"expected {a.fleet_panes} and {agents}")
        self.result["fleet"] = {
            "config": {"poll_ms": 100, "stable_ms": 1500},
            "panes": a.fleet_panes,
            "agents": agents,
            "shells": shells,
            "pane_size": "120x40",
            "seen_managed": managed,
            "seen_panes": len(appeared),
            "processes_on_machine": nprocs,
            "seconds": wall,
            "polls": polls[0],
            "polls_per_s": polls[0] / wall,
            "cpu_s": cpu,
            "cpu_s_wait4": ru_w.ru_utime + ru_w.ru_stime,
            "cpu_ms_per_poll": cpu / n * 1000,
            "user_ms_per_poll": (ru1.ru_utime - ru0.ru_utime) / n * 1000,
            "sys_ms_per_poll": (ru1.ru_stime - ru0.ru_stime) / n * 1000,
            "codexa_own_ms_per_poll_proc": own / n * 1000,
            "tmux_clients_ms_per_poll_proc": children / n * 1000,
            "tmux_server_ms_per_poll": (srv1 - srv0) / n * 1000,
            "tmux_server_idle_ms_per_s": server_idle * 1000,
            "lines": len(w.lines),
        }

    # ----------------------------------------------------------------------

    def go(self) -> dict:
        a = self.args
        self.log(f"repo {self.repo}, tmux -L {self.sock_name}")
        hooks_agent = self.controlled("hooks", first=True)
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}")
        self.server = self.tmux.server_pid()
        screen_agent = self.controlled("screen")
        self.tmux("new-window", "-d", "-t", "bench:", "-n", "shell", "-c", str(self.repo),
                  "bash", "--norc", "--noprofile")
        self.log(f"panes: hooks {hooks_agent.pane}, screen {screen_agent.pane}")
        self.locale_check()
        self.log(f"1. hook latency, {a.hooks} hooks")
        self.phase_hooks(hooks_agent)
        self.log(f"2. screen latency, {a.cycles} cycles")
        self.phase_screen(screen_agent)
        self.log(f"4. hook cost, {a.rounds} rounds")
        self.phase_hook_cost(hooks_agent)
        self.log(f"3. {a.fleet_panes} panes, poll_ms 100, {a.fleet_seconds} s")
        self.phase_fleet()
        self.b.cx(self.repo, "events", "verify", "-q")
        return self.result

    def close(self) -> None:
        for w in self.watches:  # any left running by an error
            if w.p.returncode is None and w.p.poll() is None:
                w.p.kill()
                w.p.wait()
        for ag in self.agents.values():
            ag.close()
        self.tmux.kill()
        for _ in range(100):  # the server (and with it the stand-ins) gone
            if not self.server or not Path(f"/proc/{self.server}").exists():
                break
            time.sleep(0.02)
        if self.socket_path:  # tmux leaves it behind
            Path(self.socket_path).unlink(missing_ok=True)
        self.ctl.close()
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            print(f"kept {self.root}", file=sys.stderr)


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------


def markdown(r: dict) -> str:
    def row(label, s, scale=1.0, unit="ms", extra=""):
        return (f"| {label} | {s['median'] * scale:.1f} {unit} | {s['p95'] * scale:.1f} {unit} | "
                f"{s['max'] * scale:.1f} {unit} |{extra}")

    h = r["hook_latency"]
    out = [
        f"### 1. Hook to stream line (poll_ms {h['config']['poll_ms']}: the hook path alone)",
        "",
        f"{h['n']} hooks alternating UserPromptSubmit / Stop from inside the pane; "
        f"{h['missing']} without a line, {h['over_1s']} over 1 s, "
        f"{h['before_exit']} lines before the hook process was reaped.",
        "",
        "| | p50 | p95 | max |",
        "|---|---:|---:|---:|",
        row("line - hook exit", h["line_minus_hook_exit_ms"]),
        row("line - hook start", h["line_minus_hook_start_ms"]),
        row("hook process (spawn to reap)", h["hook_wall_ms"]),
        "",
        f"Target p95 <= 100 ms: **{h['line_minus_hook_exit_ms']['p95']:.1f} ms** "
        f"({'met' if h['line_minus_hook_exit_ms']['p95'] <= 100 else 'MISSED'})",
        "",
    ]
    s = r["screen_latency"]
    out += [
        f"### 2. Screen to stream line (poll_ms {s['config']['poll_ms']}, "
        f"stable_ms {s['config']['stable_ms']})",
        "",
        f"{s['n']} redraws, {s['missing']} without a line.",
        "",
        "| change | n | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, st in [("busy / approval (count at once)", s["at_once_ms"]),
                      *[(f"  {k}", v) for k, v in s["at_once_by_kind_ms"].items() if v],
                      ("idle (draw to line)", s["idle_ms"]),
                      ("idle, beyond stable_ms", s["idle_excess_ms"])]:
        out.append(f"| {label} | {st['n']} | {st['median']:.0f} ms | {st['p95']:.0f} ms | "
                   f"{st['max']:.0f} ms |")
    worst = max(s["at_once_ms"]["p95"], s["idle_excess_ms"]["p95"])
    out += ["", f"Target p95 <= 2000 ms beyond the window: **{worst:.0f} ms** "
                f"({'met' if worst <= 2000 else 'MISSED'})", ""]
    f = r["fleet"]
    out += [
        f"### 3. One poll of {f['panes']} panes ({f['agents']} stand-in agents, "
        f"{f['shells']} shells; poll_ms {f['config']['poll_ms']})",
        "",
        f"{f['polls']} polls in {f['seconds']:.1f} s ({f['polls_per_s']:.1f}/s); "
        f"{f['processes_on_machine']} processes on the machine; watch saw "
        f"{f['seen_panes']} panes, {f['seen_managed']} managed.",
        "",
        "| | CPU ms per poll |",
        "|---|---:|",
        f"| codexa + its tmux clients (RUSAGE_CHILDREN) | **{f['cpu_ms_per_poll']:.2f}** "
        f"(user {f['user_ms_per_poll']:.2f}, sys {f['sys_ms_per_poll']:.2f}) |",
        f"| of which codexa itself (/proc, 10 ms ticks) | {f['codexa_own_ms_per_poll_proc']:.1f} |",
        f"| of which tmux clients (/proc cutime) | {f['tmux_clients_ms_per_poll_proc']:.1f} |",
        f"| tmux server (/proc, 10 ms ticks) | {f['tmux_server_ms_per_poll']:.1f} |",
        "",
        f"Idle tmux server without watch: {f['tmux_server_idle_ms_per_s']:.1f} ms CPU per s.",
        "",
    ]
    c = r["hook_cost"]
    out += [
        f"### 4. `codexa hook claude` wall time ({c['rounds']} interleaved rounds, "
        "timed inside the pane)",
        "",
        "| command | p50 | p95 | p50 / git rev-parse --git-dir |",
        "|---|---:|---:|---:|",
    ]
    for k, st in c["stats"].items():
        out.append(f"| {k} | {st['median'] * 1000:.2f} ms | {st['p95'] * 1000:.2f} ms | "
                   f"{st['ratio_to_git_p50']:.2f}x |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "codexa"))
    ap.add_argument("--no-build", action="store_true", help="skip `cargo build --release`")
    ap.add_argument("--hooks", type=int, default=200, help="hooks timed in phase 1")
    ap.add_argument("--cycles", type=int, default=20,
                    help="idle->busy->approval->busy->idle cycles in phase 2")
    ap.add_argument("--rounds", type=int, default=40, help="rounds in phase 4")
    ap.add_argument("--fleet-panes", type=int, default=50)
    ap.add_argument("--fleet-agents", type=int, default=20)
    ap.add_argument("--fleet-seconds", type=float, default=10.0)
    ap.add_argument("--json", default=str(HERE / "results" / "watch_bench.json"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    # A plain `kill` still cleans up (tmux server, watch, temporary files).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    load_start = sb.machine()["loadavg"]
    # The binary is built from the working tree: say whether src/ differed from HEAD.
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "Cargo.toml",
                            "Cargo.lock"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip() != ""
    run = Run(args)
    sha = run.sha256
    try:
        result = run.go()
    finally:
        run.close()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    tmux_v = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": sb.machine(),
        "head": head,
        "src_dirty": dirty,
        "loadavg_start": load_start,
        "binary_sha256": sha,
        "tmux": tmux_v,
        "args": {k: v for k, v in vars(args).items() if k not in ("json", "bin", "keep")},
        **result,
    }
    print(markdown(doc))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
