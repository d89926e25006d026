#!/usr/bin/env python3
"""`codexa analyze activity` and `codexa sql "SELECT count(*) FROM events"`
over logs of 100k and 1M events, beside baselines doing the same work on
the same segment files in the same run: Python (`json.loads` per line) and
jq (`reduce inputs`). Target (the analytics issue): <= 2 s at 1M events.

The logs are made by `codexa events import` (real envelopes, hashes and
segments, `events verify` passes), spread over 14 days (one import per day
under CODEXA_TEST_NOW) and 8 actors, with a mix of event types. Import
cannot write codexa's reserved types (`message.posted` …), so the mix uses
look-alikes (`chat.posted`, `tool.called`, `note.added`) of the same size;
the work is the same for DuckDB and the baselines.

Measured per size:

- cold: the first question after the log was written, which converts every
  sealed segment to the Parquet cache (`cache/analytics/`) once;
- warm: `--rounds` interleaved rounds of the four commands (codexa
  activity, codexa count, Python activity, Python count) plus jq's two,
  rotating the order each round; median and spread of the wall times, and
  codexa's peak RSS. In steady use a question finds all but the newest
  segments cached, so warm is what people see.

    python3 bench/analytics_bench.py --bin target/release/codexa
    python3 bench/analytics_bench.py --quick          # 10k and 100k

Python 3.11 standard library only; reuses store_bench.py's process runner.
Writes bench/results/analytics_bench.json unless --json says where.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import store_bench as sb  # noqa: E402

TARGET_S = 2.0
DAYS = 14
ACTORS = [("agent", f"worker-{i}") for i in range(5)] + [("user", p) for p in ("ana", "bo", "cy")]
TYPES = [("chat.posted", 5), ("tool.called", 3), ("note.added", 2)]

PY_ACTIVITY = r"""
import json, sys, collections
c = collections.Counter(); m = collections.Counter()
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            k = (e['ts'][:10], e['actor']['kind'] + ':' + e['actor']['id'])
            c[k] += 1
            if e['type'] == 'message.posted':
                m[k] += 1
print(len(c), sum(c.values()))
"""

PY_COUNT = r"""
import json, sys
n = 0
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        for line in f:
            try:
                json.loads(line)
            except ValueError:
                continue
            n += 1
print(n)
"""

JQ_ACTIVITY = 'reduce inputs as $e ({}; .[$e.ts[0:10] + " " + $e.actor.kind + ":" + $e.actor.id] += 1) | length'
JQ_COUNT = "reduce inputs as $e (0; . + 1)"


def make_log(b: sb.Bench, n: int) -> Path:
    repo = b.new_repo(f"log_{n}")
    rng = random.Random(n)
    pool = sb.make_payloads(997, 7)
    kinds = [t for t, w in TYPES for _ in range(w)]
    per_day = n // DAYS
    t0 = time.perf_counter()
    for day in range(DAYS):
        count = per_day if day < DAYS - 1 else n - per_day * (DAYS - 1)
        src = b.root / f"day_{day}.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for k in range(count):
                kind, who = rng.choice(ACTORS)
                f.write(
                    '{"type":"%s","stream":"thread:t%d","actor":"%s:%s","data":%s}\n'
                    % (rng.choice(kinds), rng.randrange(200), kind, who, pool[(day * per_day + k) % len(pool)])
                )
        env = dict(b.env)
        b.env["CODEXA_TEST_NOW"] = f"2026-03-{day + 1:02d}T12:00:00Z"
        try:
            b.cx(repo, "events", "import", str(src), "-q")
        finally:
            b.env = env
        src.unlink()
    seg = sb.segments(repo)
    b.log(f"{n}: imported in {time.perf_counter() - t0:.1f}s: {sb.du(seg) / sb.MB:.0f} MB "
          f"in {len(seg)} segments")
    return repo


def commands(b: sb.Bench, repo: Path, jq: str | None) -> dict[str, list[str]]:
    seg = sb.segments(repo)
    out = {
        "codexa analyze activity": [b.bin, "analyze", "activity", "--format", "json"],
        "codexa sql count(*)": [b.bin, "sql", "--format", "csv", "SELECT count(*) FROM events"],
        "python activity": [sys.executable, "-c", PY_ACTIVITY, *seg],
        "python count": [sys.executable, "-c", PY_COUNT, *seg],
    }
    if jq:
        out["jq activity"] = [jq, "-n", JQ_ACTIVITY, *seg]
        out["jq count"] = [jq, "-n", JQ_COUNT, *seg]
    return out


def measure(b: sb.Bench, repo: Path, n: int, rounds: int, jq: str | None) -> dict:
    cache = repo / ".git" / "codexa" / "cache" / "analytics"
    shutil.rmtree(cache, ignore_errors=True)
    cold = b.run([b.bin, "analyze", "activity", "--format", "json"], cwd=repo)
    activity = json.loads(cold.stdout)
    assert activity["events"] == n + 1, (activity["events"], n)  # + workspace.initialized
    b.log(f"{n}: cold activity {cold.wall:.2f}s (Parquet cache made)")
    cmds = commands(b, repo, jq)
    # Every answer agrees before anything is timed.
    count = b.run(cmds["codexa sql count(*)"], cwd=repo).stdout.decode().split()
    assert count[-1] == str(n + 1), count
    py = b.run(cmds["python count"], cwd=repo).stdout.decode().split()
    assert py[-1] == str(n + 1), py
    pya = b.run(cmds["python activity"], cwd=repo).stdout.decode().split()
    assert int(pya[0]) == len(activity["rows"]), (pya, len(activity["rows"]))
    names = list(cmds)
    walls: dict[str, list[float]] = {k: [] for k in names}
    rss: dict[str, list[int]] = {k: [] for k in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            run = b.run(cmds[name], cwd=repo)
            walls[name].append(run.wall)
            rss[name].append(run.maxrss_kb)
    res = {
        "events": n,
        "log_mb": sb.du(sb.segments(repo)) / sb.MB,
        "segments": len(sb.segments(repo)),
        "cache_mb": sum(p.stat().st_size for p in cache.rglob("*.parquet")) / sb.MB,
        "cold_activity_s": cold.wall,
        "cold_activity_peak_rss_mb": cold.maxrss_kb / 1024,
        "warm": {k: {**sb.summary(v), "peak_rss_mb": max(rss[k]) / 1024} for k, v in walls.items()},
    }
    for k, v in res["warm"].items():
        b.log(f"{n}: {k}: median {v['median']:.2f}s (min {v['min']:.2f}, max {v['max']:.2f}), "
              f"peak RSS {v['peak_rss_mb']:.0f} MB")
    return res


def markdown(results: dict) -> str:
    lines = [
        "| events | command | median | min–max | peak RSS | vs codexa |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, r in results["sizes"].items():
        warm = r["warm"]
        for k, v in warm.items():
            base = warm["codexa analyze activity" if "activity" in k else "codexa sql count(*)"]["median"]
            lines.append(
                f"| {int(n):,} | {k} | {v['median']:.2f} s | {v['min']:.2f}–{v['max']:.2f} s "
                f"| {v['peak_rss_mb']:.0f} MB | {v['median'] / base:.1f}× |"
            )
        lines.append(
            f"| {int(n):,} | codexa analyze activity, cold (makes the cache) | "
            f"{r['cold_activity_s']:.2f} s | | {r['cold_activity_peak_rss_mb']:.0f} MB | |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="target/release/codexa", help="codexa binary")
    ap.add_argument("--quick", action="store_true", help="10k and 100k events")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-jq", action="store_true", help="skip the jq baselines (slow at 1M)")
    ap.add_argument("--json", type=Path, default=HERE / "results" / "analytics_bench.json")
    ap.add_argument("--workdir", type=Path, help="where to make the temporary repos")
    args = ap.parse_args()
    src = Path(args.bin).resolve()
    if not src.is_file():
        print(f"no codexa binary at {src}: run `cargo build --release`", file=sys.stderr)
        return 1
    sizes = [10_000, 100_000] if args.quick else [100_000, 1_000_000]
    jq = None if args.no_jq else shutil.which("jq")
    root = Path(tempfile.mkdtemp(prefix="codexa-analytics-", dir=args.workdir))
    try:
        binary = root / "codexa"
        shutil.copy2(src, binary)
        b = sb.Bench(binary, root, verbose=False)
        results = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": sb.machine(),
            "binary": str(src),
            "rounds": args.rounds,
            "target_s": TARGET_S,
            "sizes": {},
        }
        for n in sizes:
            repo = make_log(b, n)
            results["sizes"][str(n)] = measure(b, repo, n, args.rounds, jq)
            shutil.rmtree(repo, ignore_errors=True)
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(markdown(results))
        big = results["sizes"][str(sizes[-1])]["warm"]
        worst = max(big["codexa analyze activity"]["median"], big["codexa sql count(*)"]["median"])
        print(f"\nat {sizes[-1]:,} events: slowest codexa median {worst:.2f}s "
              f"(target <= {TARGET_S:.1f}s): {'met' if worst <= TARGET_S else 'NOT met'}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
