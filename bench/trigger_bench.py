#!/usr/bin/env python3
"""`codexa trigger` waking a stand-in agent in a tmux pane, on the real
clock (no CODEXA_TEST_* variables): how soon a prompt is confirmed once
codexa may type, whether a long run of wakes loses or doubles any, and
what the Stop hook costs when it hands a queued prompt over.

1. Delivery latency. `trigger: {quiet_ms: 0, recheck_ms: 100}`; an idle
   Codex stand-in (`tests/fixtures/agents/codex`) whose session is bound
   by its own SessionStart and Stop hooks, run from inside its pane.
   `codexa trigger worker --prompt "task N"`, one at a time. From the
   events: `trigger.attempted.ts` (the quiet window is satisfied; the text
   is typed next) to `trigger.delivered.ts` (the agent's UserPromptSubmit
   hook holds the text). The stand-in's own reaction is the mtime of its
   `prompt.K` (it took Enter) to that of its `submit-rc.K` (its hook
   exited). Target: p95 <= 250 ms beyond that reaction; the table also
   takes the 150 ms Enter pause (`enter_delay_ms`) off, leaving codexa's
   own share, and splits the time at the stand-in's two files.
2. --deliveries (200) wakes in a row to the same stand-in, then as many
   again with one Enter in ten swallowed (`swallow 1` before every 10th:
   the text stays in the box and codexa must press Enter again, never type
   the text twice). Each is counted confirmed when `trigger` says
   delivered, confirmed by hook, with one `trigger.delivered` on its
   stream; the stand-in's `prompt.K` files must equal what was sent,
   exactly and in order. Target: all confirmed, none lost or doubled.
3. The hand-off at Stop. A Claude stand-in mid-turn (its UserPromptSubmit
   hook run in its pane); `codexa trigger lead --prompt …` in the
   background until the job is queued under
   `<git-dir>/codexa/cache/trigger/handoff/`; then the bench times `codexa
   hook claude` itself (spawn to reap, payload on stdin from a file) for
   a PreToolUse with the job queued, the Stop that answers `{"decision":
   "block", "reason": PROMPT}`, the PreToolUse after it (which confirms
   the hand-off), and once the trigger has exited, a Stop with nothing
   queued (the turn ends); beside them `git rev-parse HEAD` in the same
   rounds (the machine's pace) and each process's CPU time (wait4), which
   a busy machine moves far less than the wall time. Target: the hand-off
   Stop under 10 ms p50, like PreToolUse.

Between wakes the agent is made idle again as a real one goes idle: its
screen redrawn idle and its Stop hook run in its pane. Every wait is a
poll with a deadline: nothing sleeps a fixed time to assert. Besides the
quiet window, the repository's config lifts the rate guard (one person
makes hundreds of wakes a minute here) and points the resume fallback at
a command that only notes the call and fails, so a wake not confirmed in
the pane shows as failed and no real agent is ever started.

    python3 bench/trigger_bench.py --bin target/release/codexa [--rounds N] [--deliveries N] [--json OUT]

Python 3.11 standard library, bash 5 and tmux. Uses store_bench.py's
environment and statistics, watch_bench.py's private tmux server and
locale, hook_bench.py's timed hook runner, and the stand-ins of
tests/fixtures/agents/ (their commands and files: standin.sh).
"""

from __future__ import annotations

import argparse
import collections
import copy
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import hook_bench as hb  # noqa: E402
import store_bench as sb  # noqa: E402
from watch_bench import UTF8_LOCALE, Tmux  # noqa: E402

AGENTS = ROOT / "tests" / "fixtures" / "agents"
# How long one expectation may take to come true (the tests' DEADLINE).
DEADLINE_S = 12.0
# A wake may wait `max_defer_ms` (60 s by default) and then fall back.
TRIGGER_TIMEOUT_S = 120.0
# `trigger.enter_delay_ms`, left at its default: the pause between the
# text and Enter, part of every delivery by design.
ENTER_DELAY_MS = 150
# Timed in the same rounds as the hooks: how fast the machine is just then.
GIT = "git rev-parse HEAD (the machine's pace)"


def config_block(resume_log: Path) -> str:
    """The repository config: the two participants, the quiet window off
    (so a wake starts at once, and what is measured is delivery), a rate
    guard that lets one person make hundreds of wakes a minute, and a
    resume fallback that only notes it was called and fails, so a wake
    that could not be confirmed in the pane shows as failed (a real `codex`
    on PATH is never started)."""
    fallback = ["/bin/sh", "-c", 'printf "%s\\n" "$1" >> "$0"; exit 1',
                str(resume_log), "{prompt}"]
    return (
        "agents:\n"
        "  worker: {provider: codex, role: worker}\n"
        "  lead: {provider: claude, role: lead}\n"
        "trigger:\n"
        "  quiet_ms: 0\n"
        "  recheck_ms: 100\n"
        "  resume:\n"
        f"    codex: {json.dumps(fallback)}\n"
        f"    claude: {json.dumps(fallback)}\n"
        "governance:\n"
        "  rate_guard: {max_posts_per_minute: 100000}\n"
    )


def poll(what: str, probe, deadline_s: float = DEADLINE_S, every_s: float = 0.005):
    """`probe()` until it returns something other than None, which is
    returned; after `deadline_s` the run stops naming `what`. The bench
    waits for things to happen, never for a fixed time."""
    end = time.monotonic() + deadline_s
    while True:
        got = probe()
        if got is not None:
            return got
        if time.monotonic() > end:
            raise SystemExit(f"waited {deadline_s:.0f} s for {what}")
        time.sleep(every_s)


def read_or_none(path: Path) -> str | None:
    """A file's text, or None while it is not there yet (the stand-in
    renames every file it writes into place whole)."""
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def mtime_ms(path: Path) -> float:
    """A file's mtime in ms since the epoch (the clock of the events' `ts`;
    the kernel stamps files at its tick, a few ms coarse)."""
    return path.stat().st_mtime_ns / 1e6


def ts_ms(ts: str) -> float:
    """An event's `ts` (`2026-12-03T14:01:33.123Z`) in ms since the epoch."""
    return datetime.fromisoformat(ts).timestamp() * 1000


# ---------------------------------------------------------------------------
# a stand-in agent in a pane
# ---------------------------------------------------------------------------


class StandIn:
    """One stand-in (`claude` or `codex`) in a tmux session of its own,
    driven through its control directory as tests/cli/common/tmux.rs's
    Agent drives it: a command is `cmd.N`, renamed into place whole, and
    done once `ack.N` holds its exit status. Its hooks run from inside the
    pane (`CODEXA_AGENT` names the participant), as a real agent's do."""

    def __init__(self, tmux: Tmux, root: Path, repo: Path, binary: Path,
                 participant: str, provider: str, session: str):
        self.repo = repo
        self.session = session
        self.provider = provider
        # Where a Claude session's transcript would be (none is written).
        self.transcript = root / "home" / ".claude" / "projects" / "standin" / f"{session}.jsonl"
        self.ctl = root / f"ctl-{participant}"
        self.ctl.mkdir()
        self.sent = 0
        self.pane = tmux(
            "new-session", "-d", "-P", "-F", "#{pane_id}", "-s", participant,
            "-x", "120", "-y", "40", "-c", str(repo),
            "-e", f"CODEXA_BIN={binary}", "-e", f"CODEXA_AGENT={participant}",
            "--", str(AGENTS / provider), str(self.ctl), "idle")
        # Keys typed before `ready` could still be echoed or held as a line.
        poll(f"the {provider} stand-in to start", lambda: read_or_none(self.ctl / "ready"))

    def send(self, line: str) -> int:
        """Run one command in the stand-in; its exit status."""
        self.sent += 1
        n = self.sent
        tmp = self.ctl / f"cmd.{n}.tmp"
        tmp.write_text(line + "\n")
        tmp.rename(self.ctl / f"cmd.{n}")
        ack = poll(f"the stand-in to run `{line}`", lambda: read_or_none(self.ctl / f"ack.{n}"))
        return int(ack.strip())

    def must(self, line: str) -> None:
        rc = self.send(line)
        if rc != 0:
            raise SystemExit(f"stand-in: `{line}` exited {rc}")

    def payload(self, event: str, **extra) -> dict:
        """A hook payload of this agent's session (Claude's carry a
        transcript path and permission mode too)."""
        p = {"session_id": self.session, "cwd": str(self.repo), "hook_event_name": event}
        if self.provider == "claude":
            p.update(transcript_path=str(self.transcript), permission_mode="default")
        return {**p, **extra}

    def hook(self, event: str, **extra) -> str:
        """`codexa hook PROVIDER` with this payload, run by the stand-in in
        its pane; its stdout. It must succeed and say nothing on stderr."""
        path = self.ctl / f"payload.{self.sent + 1}.json"
        path.write_text(json.dumps(self.payload(event, **extra)))
        rc = self.send(f"hook {path}")
        n = self.sent
        err = (self.ctl / f"err.{n}").read_text()
        if rc != 0 or err:
            raise SystemExit(f"hook {event} in the pane exited {rc}: {err}")
        return (self.ctl / f"out.{n}").read_text()

    def bind(self) -> None:
        """The session id of its prompts, then SessionStart and Stop from
        its pane: codexa knows the session, its pane and that it is idle."""
        self.must(f"session {self.session}")
        self.hook("SessionStart", source="startup")
        self.hook("Stop", stop_hook_active=False)

    def make_idle(self) -> None:
        """The end of a turn: the idle screen, then the Stop hook."""
        self.must("screen idle")
        self.hook("Stop", stop_hook_active=False)

    def prompts(self) -> list[str]:
        """The prompts it took so far (`prompt.K`), exactly as submitted."""
        out = []
        while (text := read_or_none(self.ctl / f"prompt.{len(out) + 1}")) is not None:
            out.append(text)
        return out

    def swallowed(self) -> int:
        """How many Enters it ignored so far (`swallow`)."""
        return int(read_or_none(self.ctl / "swallowed") or 0)

    def reaction(self, k: int) -> tuple[float, float]:
        """(took Enter, its hook exited) for the k-th prompt, in ms since
        the epoch: the mtimes of `prompt.K` and `submit-rc.K` (written
        last, once the hook has exited)."""
        rc = self.ctl / f"submit-rc.{k}"
        poll(f"the hook of prompt {k} to exit", lambda: rc.exists() or None)
        return mtime_ms(self.ctl / f"prompt.{k}"), mtime_ms(rc)


# ---------------------------------------------------------------------------
# the bench
# ---------------------------------------------------------------------------


@dataclass
class Wake:
    """One `codexa trigger` and what came of it."""
    prompt: str
    wall_ms: float
    rc: int
    outcome: dict
    swallow: bool = False
    events: list = field(default_factory=list)
    k: int | None = None  # its prompt.K at the stand-in, when it took it once


class Timer:
    """Wall and CPU times by label, in ms, in the order first timed."""

    def __init__(self):
        self.wall: dict[str, list[float]] = collections.defaultdict(list)
        self.cpu: dict[str, list[float]] = collections.defaultdict(list)

    def add(self, label: str, wall_s: float, cpu_s: float) -> None:
        self.wall[label].append(wall_s * 1000)
        self.cpu[label].append(cpu_s * 1000)

    def results(self) -> dict:
        return {"stats": {k: sb.summary(v) for k, v in self.wall.items()},
                "cpu_stats": {k: sb.summary(v) for k, v in self.cpu.items()},
                "samples": dict(self.wall), "cpu_samples": dict(self.cpu)}


class LeadHooks:
    """`codexa hook claude` as the lead's session runs it, timed from the
    bench (spawn to reap, payload on stdin from a file): not from inside
    its pane, so the time is the hook's alone, not the stand-in's too."""

    def __init__(self, b: sb.Bench, root: Path, repo: Path, binary: Path, lead: StandIn):
        self.repo = repo
        self.argv = [str(binary), "hook", "claude"]
        self.files = {}
        for name, event, extra in (
                ("pre", "PreToolUse", {"tool_name": "Bash", "tool_input": {"command": "ls"},
                                       "tool_use_id": "toolu_ls"}),
                ("stop", "Stop", {"stop_hook_active": False})):
            self.files[name] = root / f"lead-{name}.json"
            self.files[name].write_text(json.dumps(lead.payload(event, **extra)))
        # The lead's environment names it, as its hooks' does in its pane.
        self.b = copy.copy(b)
        self.b.env = dict(b.env, CODEXA_AGENT="lead")
        self.timer = Timer()

    def timed(self, label: str, which: str) -> str:
        """Run the hook with payload `which`, timed under `label`; its
        answer."""
        wall, cpu, out = hb.run_stdin_cpu(self.b, self.argv, self.repo, self.files[which])
        self.timer.add(label, wall, cpu)
        return out.decode()


class Bench:
    """One run: a fresh repository and tmux server in a temporary
    directory, removed at the end (unless --keep)."""

    def __init__(self, args):
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="codexa-trigger-bench-"))
        # A private copy: a concurrent build cannot swap it mid-run.
        self.binary = self.root / "codexa"
        shutil.copy2(args.bin, self.binary)
        self.sha256 = hashlib.sha256(self.binary.read_bytes()).hexdigest()
        self.b = sb.Bench(self.binary, self.root, verbose=False)
        # A person's terminal: tmux and codexa under a UTF-8 locale (the
        # stand-ins read bytes whatever the locale).
        self.b.env["LC_ALL"] = UTF8_LOCALE
        self.repo = self.b.new_repo("shop")
        self.resume_log = self.root / "resumed.log"
        config = self.repo / ".codexa" / "config.yaml"
        config.write_text(config.read_text().rstrip("\n") + "\n" + config_block(self.resume_log))
        self.b.cx(self.repo, "doctor", "config", "-q")
        self.handoff_dir = self.repo / ".git" / "codexa" / "cache" / "trigger" / "handoff"
        self.tmux = Tmux(f"codexa-trigger-bench-{os.getpid()}", self.b.env)
        self.socket_path: str | None = None
        self.result: dict = {}

    def log(self, msg: str) -> None:
        self.b.log(msg)

    def stand_in(self, participant: str, provider: str, session: str) -> StandIn:
        a = StandIn(self.tmux, self.root, self.repo, self.binary, participant, provider, session)
        self.socket_path = self.socket_path or self.tmux("display-message", "-p", "#{socket_path}")
        a.bind()
        return a

    # -- waking ------------------------------------------------------------

    def wake(self, target: str, prompt: str) -> Wake:
        """`codexa trigger TARGET --prompt PROMPT --format json`, waited
        for: its wall time (spawn to reap) and the outcome it printed."""
        argv = [str(self.binary), "trigger", target, "--prompt", prompt, "--format", "json"]
        t0 = time.perf_counter()
        p = subprocess.run(argv, cwd=self.repo, env=self.b.env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TRIGGER_TIMEOUT_S)
        wall = (time.perf_counter() - t0) * 1000
        try:
            outcome = json.loads(p.stdout)
        except ValueError:
            outcome = {"outcome": "unparsed", "stdout": p.stdout.decode(errors="replace")}
        if p.returncode != 0:
            outcome["stderr"] = p.stderr.decode(errors="replace").strip()
        return Wake(prompt, wall, p.returncode, outcome)

    def trigger_events(self) -> dict[str, list[dict]]:
        """Every `trigger:<job>` stream's events, oldest first, by job."""
        r = self.b.cx(self.repo, "events", "query", "--stream", "trigger")
        by_job: dict[str, list[dict]] = collections.defaultdict(list)
        for line in r.stdout.decode().splitlines():
            e = json.loads(line)
            by_job[e["stream"]["id"]].append(e)
        return by_job

    def series(self, agent: StandIn, target: str, prompts: list[str],
               swallow_every: int = 0) -> list[Wake]:
        """Wake `agent` with each prompt in turn, idle again before each;
        with `swallow_every`, its next Enter is swallowed before every
        that-many-th wake."""
        wakes = []
        for i, prompt in enumerate(prompts, 1):
            agent.make_idle()
            swallow = bool(swallow_every) and i % swallow_every == 0
            if swallow:
                agent.must("swallow 1")
            w = self.wake(target, prompt)
            w.swallow = swallow
            if w.rc != 0:
                self.log(f"{prompt!r}: {w.outcome}")
                # A text left in the box would hold every later wake back.
                self.tmux("send-keys", "-t", agent.pane, "C-u")
            wakes.append(w)
        return wakes

    def attach(self, agent: StandIn, wakes: list[Wake], first_k: int) -> None:
        """Give each wake its events and, where the stand-in took its
        prompt exactly once, its prompt.K (numbered from `first_k`)."""
        events = self.trigger_events()
        taken = agent.prompts()
        where = collections.defaultdict(list)
        for k, text in enumerate(taken[first_k - 1:], first_k):
            where[text].append(k)
        for w in wakes:
            w.events = events.get(w.outcome.get("job", ""), [])
            if len(where[w.prompt]) == 1:
                w.k = where[w.prompt][0]

    # -- 1 and 2 -------------------------------------------------------------

    def timings(self, agent: StandIn, w: Wake) -> dict | None:
        """The timeline of one confirmed wake, ms: requested → attempted
        (the quiet window satisfied) → the stand-in took Enter → its hook
        exited → delivered."""
        ts = {}
        for e in w.events:
            ts.setdefault(e["type"], ts_ms(e["ts"]))
            if e["type"] == "trigger.attempted":
                ts["trigger.attempted"] = ts_ms(e["ts"])  # the last attempt
        if "trigger.delivered" not in ts or w.k is None:
            return None
        took, hook_done = agent.reaction(w.k)
        att, dlv = ts["trigger.attempted"], ts["trigger.delivered"]
        return {
            "requested_to_attempted": att - ts["trigger.requested"],
            "attempted_to_delivered": dlv - att,
            "attempted_to_enter_taken": took - att,
            "standin_reaction": hook_done - took,
            "hook_exit_to_delivered": dlv - hook_done,
            "beyond_reaction": dlv - att - (hook_done - took),
            "beyond_reaction_and_pause": dlv - att - ENTER_DELAY_MS - (hook_done - took),
            "trigger_wall": w.wall_ms,
        }

    def summarise(self, agent: StandIn, wakes: list[Wake]) -> dict:
        """Statistics of the timelines of the confirmed wakes, and every
        sample (for --json)."""
        samples: dict[str, list[float]] = collections.defaultdict(list)
        for w in wakes:
            t = self.timings(agent, w)
            for key, v in (t or {}).items():
                samples[key].append(v)
        return {"stats": {k: sb.summary(v) for k, v in samples.items()},
                "samples": dict(samples)}

    def phase_latency(self, worker: StandIn) -> None:
        """1: --rounds wakes to the idle Codex stand-in, timed."""
        n = self.args.rounds
        first = len(worker.prompts()) + 1
        wakes = self.series(worker, "worker", [f"task {i}" for i in range(1, n + 1)])
        self.attach(worker, wakes, first)
        s = self.summarise(worker, wakes)
        s["n"] = n
        s["confirmed"] = sum(1 for w in wakes if confirmed(w))
        self.result["latency"] = s

    def check_run(self, agent: StandIn, label: str, wakes: list[Wake], first: int,
                  swallowed_before: int) -> dict:
        """What arrived against what was sent, exactly: the stand-in's
        own record is the judge, not codexa's word."""
        sent = [w.prompt for w in wakes]
        got = agent.prompts()[first - 1:]
        count = collections.Counter(got)
        known = set(sent)
        delivered_events = [sum(1 for e in w.events if e["type"] == "trigger.delivered")
                            for w in wakes]
        out = {
            "label": label,
            "sent": len(sent),
            "confirmed": sum(1 for w in wakes if confirmed(w)),
            "taken_by_agent": len(got),
            "exact": got == sent,
            "lost": [p for p in sent if count[p] == 0],
            "doubled": [p for p in sent if count[p] > 1],
            "unexpected": [p for p in got if p not in known],
            "jobs_without_one_delivered_event": sum(1 for d in delivered_events if d != 1),
            "swallow_requested": sum(1 for w in wakes if w.swallow),
            "swallowed": agent.swallowed() - swallowed_before,
            "failures": [{"prompt": w.prompt, "rc": w.rc, **w.outcome}
                         for w in wakes if not confirmed(w)],
        }
        lat = self.summarise(agent, wakes)
        out["latency"] = lat["stats"]
        sw = [w for w in wakes if w.swallow]
        if sw:
            out["latency_swallowed"] = self.summarise(agent, sw)["stats"]
        return out

    def phase_run(self, worker: StandIn) -> None:
        """2: --deliveries wakes in a row, then as many with one Enter in
        ten swallowed; distinct prompts, so any loss or double shows."""
        n = self.args.deliveries
        runs = []
        for label, every in (("every Enter taken", 0), ("one Enter in ten swallowed", 10)):
            first = len(worker.prompts()) + 1
            swallowed = worker.swallowed()
            tag = "delivery" if not every else "swallow-run"
            self.log(f"2. {n} wakes, {label}")
            prompts = [f"{tag} {i} of {n}" for i in range(1, n + 1)]
            wakes = self.series(worker, "worker", prompts, swallow_every=every)
            self.attach(worker, wakes, first)
            runs.append(self.check_run(worker, label, wakes, first, swallowed))
        self.result["runs"] = runs

    # -- 3 -------------------------------------------------------------------

    def queued(self) -> Path | None:
        """The first hand-off waiting for a Stop, if any."""
        return next(iter(sorted(self.handoff_dir.glob("*/*.json"))), None)

    def start_trigger(self, target: str, prompt: str) -> subprocess.Popen:
        """`codexa trigger` left running in the background (its stderr in
        `trigger.err`, for the report if it fails)."""
        with open(self.root / "trigger.err", "wb") as err:
            return subprocess.Popen(
                [str(self.binary), "trigger", target, "--prompt", prompt, "--format", "json"],
                cwd=self.repo, env=self.b.env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=err)

    def handoff_round(self, i: int, lead: StandIn, hooks: "LeadHooks") -> list[dict]:
        """A new busy turn (UserPromptSubmit from the pane), a trigger in
        the background until its job is queued, then the hooks timed from
        the bench; what went wrong, if anything."""
        lead.must("screen busy")
        lead.hook("UserPromptSubmit", prompt=f"earlier work {i}")
        prompt = f"handoff {i}: rebase on main when you are done"
        p = self.start_trigger("lead", prompt)
        poll("the hand-off to be queued", self.queued)
        git = self.b.run(["git", "rev-parse", "HEAD"], cwd=self.repo)
        hooks.timer.add(GIT, git.wall, git.cpu)
        hooks.timed("PreToolUse Bash ls, a hand-off queued", "pre")
        answer = hooks.timed("Stop that hands the prompt over", "stop")
        # The next hook of the session is the evidence the trigger waits for.
        hooks.timed("PreToolUse Bash ls, after the hand-off (confirms it)", "pre")
        out, _ = p.communicate(timeout=TRIGGER_TIMEOUT_S)
        outcome = json.loads(out or b"{}")
        quiet = hooks.timed("Stop with nothing queued (the turn ends)", "stop")
        problems = []
        if json.loads(answer or "null") != {"decision": "block", "reason": prompt}:
            problems.append({"round": i, "stop_answered": answer})
        if p.returncode != 0 or outcome.get("method") != "stop_handoff":
            problems.append({"round": i, "rc": p.returncode, **outcome,
                             "stderr": (self.root / "trigger.err").read_text()})
        if quiet.strip():
            problems.append({"round": i, "second_stop_answered": quiet.strip()})
        return problems

    def phase_handoff(self, lead: StandIn) -> None:
        """3: --rounds hand-offs at the Claude stand-in's Stop."""
        hooks = LeadHooks(self.b, self.root, self.repo, self.binary, lead)
        problems = []
        for i in range(1, self.args.rounds + 1):
            problems += self.handoff_round(i, lead, hooks)
        if lead.prompts():  # a hand-off is never typed into the pane
            problems.append({"typed_into_the_lead": lead.prompts()})
        self.result["handoff"] = {"rounds": self.args.rounds, "problems": problems,
                                  **hooks.timer.results()}

    # ----------------------------------------------------------------------

    def go(self) -> dict:
        self.log(f"repo {self.repo}, tmux -L {self.tmux.name}")
        worker = self.stand_in("worker", "codex", "bench-worker")
        lead = self.stand_in("lead", "claude", "bench-lead")
        # Warm-up: one wake, not counted (the first pays for cold caches).
        worker.make_idle()
        w = self.wake("worker", "warm-up")
        if not confirmed(w):
            raise SystemExit(f"the warm-up wake was not confirmed: {w.outcome}")
        self.log(f"1. delivery latency, {self.args.rounds} wakes")
        self.phase_latency(worker)
        if self.args.deliveries:
            self.phase_run(worker)
        self.log(f"3. hand-off at Stop, {self.args.rounds} rounds")
        self.phase_handoff(lead)
        self.result["resumed"] = (read_or_none(self.resume_log) or "").count("\n")
        self.b.cx(self.repo, "events", "verify", "-q")
        return self.result

    def close(self) -> None:
        self.tmux.kill()
        if self.socket_path:  # tmux leaves it behind
            Path(self.socket_path).unlink(missing_ok=True)
        if self.args.keep:
            print(f"kept {self.root}", file=sys.stderr)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def confirmed(w: Wake) -> bool:
    """Delivered in the pane and confirmed by the agent's own hook."""
    return (w.rc == 0 and w.outcome.get("outcome") == "delivered"
            and w.outcome.get("confirmed_by") == "hook")


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

LATENCY_ROWS = [
    ("attempted_to_delivered", "attempted → delivered (events' `ts`)"),
    ("attempted_to_enter_taken", "  attempted → the stand-in took Enter (`prompt.K`)"),
    ("standin_reaction", "  the stand-in's reaction: took Enter → its hook exited"),
    ("hook_exit_to_delivered", "  its hook exited → delivered"),
    ("beyond_reaction", "**beyond the stand-in's reaction** (the Enter pause included)"),
    ("beyond_reaction_and_pause", "**beyond the reaction and the 150 ms Enter pause**"),
    ("requested_to_attempted", "requested → attempted"),
    ("trigger_wall", "`codexa trigger` wall time (spawn to reap)"),
]


# What a statistic reads when no wake gave a sample (none was confirmed).
NO_SAMPLES = {"n": 0, "median": float("nan"), "p95": float("nan"), "max": float("nan")}


def latency_table(stats: dict) -> list[str]:
    out = ["| | n | p50 | p95 | max |", "|---|---:|---:|---:|---:|"]
    for key, label in LATENCY_ROWS:
        if key in stats:
            s = stats[key]
            out.append(f"| {label} | {s['n']} | {s['median']:.0f} ms | {s['p95']:.0f} ms | "
                       f"{s['max']:.0f} ms |")
    return out


def md_latency(lat: dict) -> list[str]:
    beyond = lat["stats"].get("beyond_reaction", NO_SAMPLES)["p95"]
    return [
        f"### 1. Delivery latency (quiet_ms 0, recheck_ms 100; {lat['n']} wakes, "
        f"{lat['confirmed']} confirmed)",
        "",
        *latency_table(lat["stats"]),
        "",
        f"Target p95 <= 250 ms beyond the stand-in's reaction: **{beyond:.0f} ms** "
        f"({'met' if beyond <= 250 else 'MISSED'})",
    ]


def md_runs(runs: list[dict]) -> list[str]:
    out = [
        "### 2. Wakes in a row",
        "",
        "| run | sent | confirmed | taken by the agent | exactly as sent | lost | doubled "
        "| jobs without one `delivered` | Enters swallowed | p50 / p95 attempted → delivered |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        s = run["latency"].get("attempted_to_delivered", NO_SAMPLES)
        out.append(f"| {run['label']} | {run['sent']} | {run['confirmed']} | "
                   f"{run['taken_by_agent']} | {'yes' if run['exact'] else '**NO**'} | "
                   f"{len(run['lost'])} | {len(run['doubled'])} | "
                   f"{run['jobs_without_one_delivered_event']} | {run['swallowed']} | "
                   f"{s['median']:.0f} / {s['p95']:.0f} ms |")
    for run in runs:
        if "latency_swallowed" in run:
            s = run["latency_swallowed"].get("attempted_to_delivered", NO_SAMPLES)
            out += ["", f"The {s['n']} wakes whose first Enter was swallowed: attempted → "
                        f"delivered p50 {s['median']:.0f} ms, p95 {s['p95']:.0f} ms (Enter is "
                        "sent again at `enter_retries_ms[0]`, 1000 ms)."]
        for f in run["failures"]:
            out.append(f"- not confirmed: `{f['prompt']}`: {f.get('reason_code', '')} "
                       f"{f.get('message', f.get('stderr', ''))}")
    return out


def md_handoff(h: dict) -> list[str]:
    out = [
        f"### 3. `codexa hook claude` with a hand-off queued ({h['rounds']} rounds, "
        f"{len(h['problems'])} problems)",
        "",
        "| command | p50 | p95 | max | p50 / git p50 | CPU p50 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    git = h["stats"][GIT]["median"]
    for k, s in h["stats"].items():
        out.append(f"| {k} | {s['median']:.2f} ms | {s['p95']:.2f} ms | {s['max']:.2f} ms | "
                   f"{s['median'] / git:.2f}× | {h['cpu_stats'][k]['median']:.2f} ms |")
    stop = h["stats"]["Stop that hands the prompt over"]["median"]
    out += ["", f"Target: the hand-off Stop under 10 ms p50: **{stop:.2f} ms** "
                f"({'met' if stop <= 10 else 'MISSED'})"]
    out += [f"- {p}" for p in h["problems"]]
    return out


def markdown(r: dict) -> str:
    out = [f"HEAD {r['head']}, {r['machine']['nproc']} × {r['machine']['cpu']}, {r['tmux']}, "
           f"load average {' '.join(r['loadavg_start'])} at start, "
           f"{' '.join(r['machine']['loadavg'])} at end.", ""]
    out += md_latency(r["latency"]) + [""]
    if r.get("runs"):
        out += md_runs(r["runs"]) + [""]
    out += md_handoff(r["handoff"])
    if r["resumed"]:
        out += ["", f"The resume fallback ran {r['resumed']} times."]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "codexa"))
    ap.add_argument("--rounds", type=int, default=50,
                    help="wakes timed in 1, hand-off rounds in 3")
    ap.add_argument("--deliveries", type=int, default=200, help="wakes in each run of 2 (0: skip 2)")
    ap.add_argument("--json", help="write the results and every sample here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    # A plain `kill` still cleans up (tmux server, temporary files).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    load_start = sb.machine()["loadavg"]
    bench = Bench(args)
    try:
        result = bench.go()
    finally:
        bench.close()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    tmux_v = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": sb.machine(),
        "loadavg_start": load_start,
        "head": head,
        "binary_sha256": bench.sha256,
        "tmux": tmux_v,
        "args": {"rounds": args.rounds, "deliveries": args.deliveries},
        **result,
    }
    print(markdown(doc))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
