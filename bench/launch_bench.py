#!/usr/bin/env python3
"""`codexa start` and `codexa worktree add`, on the real clock.

1. `start` to a bound pane: `codexa start worker --window wN` against a
   private tmux server whose session already exists, timed from spawn to
   reap. `start` returns once the window is open and its pane is bound in
   the session registry (the agent's own start-up is not waited for: the
   stand-in `claude` on PATH only records its arguments and waits), so
   that is the figure. Each round's binding is checked with `session
   show`. Target: p95 <= 300 ms.
2. `worktree add` on a repository the size of codexa's own (a clone of the
   repository this script lives in, with `worktrees.copy: [.env]`), timed
   the same way, beside `git worktree add` of the same commit in the same
   rounds (what git alone costs).

    python3 bench/launch_bench.py --bin target/release/codexa [--rounds N] [--json OUT]

Python 3.11 standard library, bash and tmux. Uses store_bench.py's
environment and statistics and watch_bench.py's private tmux server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402
from watch_bench import Tmux  # noqa: E402

STANDIN = """#!/bin/bash
printf '%s\\0' "$@" > "$0.argv"
trap 'exit 0' INT
while :; do sleep 1; done
"""


def timed(argv: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    """Wall seconds from spawn to reap, and stdout; a failure stops the run."""
    t0 = time.perf_counter()
    r = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    t1 = time.perf_counter()
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {r.stderr.decode(errors='replace')}")
    return t1 - t0, r.stdout.decode()


def start_rounds(b: sb.Bench, rounds: int) -> dict:
    """Part 1: `codexa start` into an existing tmux session."""
    repo = b.root / "shop"
    b.run(["git", "init", "-q", str(repo)])
    b.run([b.bin, "init", "-q"], cwd=repo)
    with open(repo / ".codexa/config.yaml", "a") as f:
        f.write("agents:\n  worker: {provider: claude, role: worker}\ntmux:\n  session: bench\n")
    bindir = b.root / "bin"
    bindir.mkdir()
    (bindir / "claude").write_text(STANDIN)
    (bindir / "claude").chmod(0o755)
    env = dict(b.env, PATH=f"{bindir}:{b.env['PATH']}", CODEXA_TMUX_SOCKET=f"launch-bench-{os.getpid()}")
    tmux = Tmux(env["CODEXA_TMUX_SOCKET"], env)
    tmux("new-session", "-d", "-s", "bench", "-c", str(repo))
    walls = []
    try:
        for i in range(rounds + 2):
            w, out = timed([b.bin, "start", "worker", "--window", f"w{i}", "-q"], repo, env)
            pane = out.strip()
            _, shown = timed([b.bin, "--format", "json", "session", "show", pane], repo, env)
            if json.loads(shown)["participant"] != "worker":
                raise SystemExit(f"pane {pane} is not bound to worker")
            if i >= 2:
                walls.append(w)
    finally:
        tmux.kill()
    return sb.summary(walls)


def worktree_rounds(b: sb.Bench, rounds: int) -> dict:
    """Part 2: `codexa worktree add` against `git worktree add`."""
    here = Path(__file__).resolve().parent.parent
    repo = b.root / "big"
    b.run(["git", "clone", "-q", "--no-hardlinks", str(here), str(repo)])
    b.run([b.bin, "init", "-q"], cwd=repo)
    with open(repo / ".codexa/config.yaml", "a") as f:
        f.write("agents:\n  worker: {provider: claude, role: worker}\nworktrees:\n  copy: [.env]\n")
    (repo / ".env").write_text("TOKEN=bench\n")
    files = int(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True)
                .stdout.count("\n"))
    ours, gits = [], []
    for i in range(rounds + 1):
        w, _ = timed([b.bin, "worktree", "add", "worker", "--name", f"wt{i}", "-q"], repo, b.env)
        g, _ = timed(["git", "worktree", "add", "-q", "-b", f"plain{i}",
                      str(b.root / f"plain{i}"), "HEAD"], repo, b.env)
        if i >= 1:
            ours.append(w)
            gits.append(g)
    return {"files": files, "codexa": sb.summary(ours), "git": sb.summary(gits)}


def markdown(r: dict) -> str:
    s, wt = r["start"], r["worktree"]
    ms = lambda x: f"{x * 1000:.0f} ms"  # noqa: E731
    return "\n".join([
        f"### `codexa start` to a bound pane ({s['n']} starts)",
        "",
        "| | p50 | p95 | max |",
        "|---|---:|---:|---:|",
        f"| `codexa start worker` (spawn to reap; the pane bound) | {ms(s['median'])} | {ms(s['p95'])} | {ms(s['max'])} |",
        "",
        f"Target p95 <= 300 ms: **{ms(s['p95'])}** ({'met' if s['p95'] <= 0.3 else 'not met'})",
        "",
        f"### `worktree add` on a clone of this repository ({wt['files']} files, {wt['codexa']['n']} rounds)",
        "",
        "| | p50 | p95 | max |",
        "|---|---:|---:|---:|",
        f"| `codexa worktree add` (with `.env` copied, `worktree.created` recorded) | {ms(wt['codexa']['median'])} | {ms(wt['codexa']['p95'])} | {ms(wt['codexa']['max'])} |",
        f"| `git worktree add` alone | {ms(wt['git']['median'])} | {ms(wt['git']['p95'])} | {ms(wt['git']['max'])} |",
    ])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="codexa-launch-"))
    try:
        b = sb.Bench(args.bin.resolve(), root, False)
        result = {"start": start_rounds(b, args.rounds), "worktree": worktree_rounds(b, args.rounds)}
        print(markdown(result))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
