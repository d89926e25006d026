#!/usr/bin/env python3
"""How codexa starts: the commands agents run on every turn, each from a
fresh process, beside `git rev-parse HEAD` in the same repository and the
same rounds, with 100k events in the log.

Measured per command: wall time from spawn to reap, minor page faults
(`ru_minflt` from wait4: a binary that maps and relocates more pages pays
in faults before `main` runs), and the ratio to `git rev-parse HEAD` in the
same round (the median of the per-round ratios, so a slow moment of the
machine slows both sides of a ratio alike).

    cargo build --release
    python3 bench/start_bench.py --bin target/release/codexa [--base OLD/codexa] [--rounds N] [--json OUT]

`--base` runs an older binary in the same rounds (a before/after table).
Each binary is copied, with `codexa-analytics` when it is beside it, so a
concurrent build cannot replace it mid-run. Uses the environment, event
generator and statistics of store_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402
from hook_bench import payload  # noqa: E402
from threads_bench import prepare as threads_prepare  # noqa: E402

GIT = "git rev-parse HEAD"


def install(src: Path, dest: Path) -> Path:
    """Copies a codexa binary (and its analytics sibling, if any) into a
    folder of its own."""
    dest.mkdir()
    shutil.copy2(src, dest / "codexa")
    sibling = src.with_name("codexa-analytics")
    if sibling.exists():
        shutil.copy2(sibling, dest / "codexa-analytics")
    return dest / "codexa"


def elf_facts(exe: Path) -> dict:
    """Size on disk, and the dynamic relocations the loader applies at every
    start (`.rela.dyn` entries are 24 bytes on x86-64)."""
    facts = {"bytes": exe.stat().st_size}
    try:
        out = subprocess.run(["readelf", "-S", "--wide", str(exe)], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return facts
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if ".rela.dyn" in parts:
            i = parts.index(".rela.dyn")
            facts["relocations"] = int(parts[i + 4], 16) // 24
    return facts


def run(b: sb.Bench, argv: list[str], cwd: Path, stdin: Path | None) -> tuple[float, int]:
    """Wall seconds and minor page faults of one process."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=b.env, stdin=fin,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
    finally:
        if stdin:
            fin.close()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {err.decode(errors='replace')}")
    return t1 - t0, ru.ru_minflt


def prepare(b: sb.Bench, events: int, label: str) -> tuple[Path, str, Path]:
    """threads_bench's log and thread, plus a PreToolUse payload for it."""
    ready = threads_prepare(b, events, 20, f"start-{label}")
    repo, th = ready["repo"], ready["thread"]
    hook = b.root / f"pretooluse-{label}.json"
    hook.write_text(payload(repo, "PreToolUse", tool_name="Bash",
                            tool_input={"command": "ls -la"}, tool_use_id="t1"))
    return repo, th, hook


def commands(th: str, hook: Path) -> dict[str, tuple[list[str], Path | None]]:
    return {
        "--version": (["--version"], None),
        "read TH --peek": (["--as", "worker-a", "read", th, "--peek"], None),
        "post TH": (["--as", "lead", "post", th, "a message", "-q"], None),
        "inbox": (["--as", "worker-a", "inbox"], None),
        "policy eval": (["--as", "worker-a", "policy", "eval", "--action", "tool.bash",
                         "--subject", "ls -la"], None),
        "hook claude (PreToolUse)": (["hook", "claude"], hook),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--base", type=Path, help="an older codexa to run in the same rounds")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="codexa-start-"))
    try:
        binaries = {"now": install(args.bin.resolve(), root / "now")}
        if args.base:
            binaries["base"] = install(args.base.resolve(), root / "base")
        b = sb.Bench(binaries["now"], root, args.verbose)
        # Each binary gets a repository of its own, built by itself: two
        # versions sharing one store could each find the other's read index
        # out of date and rebuild it on every command.
        setups = {}
        for label, exe in binaries.items():
            b.bin = str(exe)
            b.log(f"{label}: importing {args.events} events")
            repo, th, hook = prepare(b, args.events, label)
            setups[label] = (repo, commands(th, hook))
        repo = setups["now"][0]
        cmds = setups["now"][1]
        # Policy eval answers 0 (allow) for `ls` under the shipped policy;
        # a command that fails would stop the run.
        wall: dict[str, list[float]] = {}
        faults: dict[str, list[int]] = {}
        ratio: dict[str, list[float]] = {}
        jobs = [(label, name) for label in binaries for name in cmds]
        for i in range(args.rounds + 2):
            g, gf = run(b, ["git", "rev-parse", "HEAD"], repo, None)
            shift = i % len(jobs)
            for label, name in jobs[shift:] + jobs[:shift]:
                home, own = setups[label]
                argv, stdin = own[name]
                w, f = run(b, [str(binaries[label]), *argv], home, stdin)
                if i < 2:
                    continue  # warm-up rounds
                key = f"{label}: {name}"
                wall.setdefault(key, []).append(w)
                faults.setdefault(key, []).append(f)
                ratio.setdefault(key, []).append(w / g)
            if i >= 2:
                wall.setdefault(GIT, []).append(g)
                faults.setdefault(GIT, []).append(gf)
        result = {
            "events": args.events,
            "rounds": args.rounds,
            "binaries": {k: elf_facts(v) for k, v in binaries.items()},
            "wall": {k: sb.summary(v) for k, v in wall.items()},
            "faults": {k: statistics.median(v) for k, v in faults.items()},
            "ratio": {k: statistics.median(v) for k, v in ratio.items()},
        }
        print(markdown(result, list(binaries), list(cmds)))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def markdown(r: dict, labels: list[str], names: list[str]) -> str:
    head = "| command |" + "".join(
        f" {lab}: median | {lab}: ratio to git | {lab}: page faults |" for lab in labels)
    lines = [head, "|---|" + "---:|" * (3 * len(labels))]
    g = r["wall"][GIT]["median"]
    lines.append(f"| `{GIT}` |" + f" {g * 1000:.2f} ms | 1.0× | {r['faults'][GIT]:.0f} |"
                 * len(labels))
    for name in names:
        cells = ""
        for lab in labels:
            k = f"{lab}: {name}"
            cells += (f" {r['wall'][k]['median'] * 1000:.2f} ms | {r['ratio'][k]:.2f}× |"
                      f" {r['faults'][k]:.0f} |")
        lines.append(f"| `{name}` |{cells}")
    lines.append("")
    lines.append("| binary | bytes | dynamic relocations |")
    lines.append("|---|---:|---:|")
    for lab, facts in r["binaries"].items():
        lines.append(f"| {lab} | {facts['bytes']:,} | {facts.get('relocations', '?'):,} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
