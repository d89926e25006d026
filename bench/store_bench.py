#!/usr/bin/env python3
"""Benchmarks for codexa's event store (README.md, "Where state lives").

Measures, each through the real binary in fresh processes:

1. `events append` latency (p50/p95, fsync included) on a log of 10k events,
   interleaved with `codexa --version` as the process-start baseline (plus
   the same append with an idempotency key, and on the largest log).
2. `events query --stream note:target` (20 matching events spread through
   the log) at several log sizes: import time, first-query index catch-up,
   `index rebuild`, then N interleaved runs per size -> median, p95 and the
   largest/smallest ratio.
3. `events verify` throughput in MB/s beside `sha256sum` (and `openssl dgst
   -sha256`, SHA-NI) over the same segment files, alternated, warm cache.
4. Disk: bytes per event in the log and in the SQLite read index.

Python 3.11 standard library only. Every repository lives in a temporary
directory with HOME pointed at a temporary home and no CODEXA_* / GIT_*
variables. The noisy 2-core machine this runs on makes absolute numbers
drift: compare the ratios, which are measured in the same run, interleaved.

    python3 bench/store_bench.py --bin target/release/codexa --json bench/results.json
    python3 bench/store_bench.py --quick            # a smaller run, ~1 minute
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MB = 1_000_000  # throughput is reported in 10^6 bytes per second

# --------------------------------------------------------------------------
# process running and statistics
# --------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the child
    maxrss_kb: int
    rc: int
    stdout: bytes


def pct(xs: list[float], p: float) -> float:
    """Percentile with linear interpolation between closest ranks."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    f = math.floor(k)
    c = min(f + 1, len(s) - 1)
    return s[f] + (s[c] - s[f]) * (k - f)


def summary(xs: list[float]) -> dict:
    return {
        "n": len(xs),
        "median": statistics.median(xs),
        "p95": pct(xs, 95),
        "min": min(xs),
        "max": max(xs),
        "mean": statistics.fmean(xs),
    }


class Bench:
    def __init__(self, binary: Path, root: Path, verbose: bool):
        self.bin = str(binary)
        self.root = root
        self.verbose = verbose
        self.home = root / "home"
        self.home.mkdir()
        (self.home / ".gitconfig").write_text(
            "[user]\n\tname = bench\n\temail = bench@example.invalid\n"
            "[init]\n\tdefaultBranch = main\n"
        )
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CODEXA_", "GIT_"))
            and k not in ("HOME", "XDG_CONFIG_HOME", "USER", "TMUX", "TMUX_PANE")
        }
        env.update(
            HOME=str(self.home),
            USER="bench",
            LC_ALL="C",
            TZ="UTC",
            NO_COLOR="1",
            GIT_CONFIG_NOSYSTEM="1",
        )
        self.env = env

    def log(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def run(self, argv: list[str], cwd: Path | None = None, check: bool = True,
            capture: bool = True) -> Run:
        """Run one process; wall time from just before spawn to reaping, and
        the child's own rusage (CPU time, peak RSS) via wait4."""
        out = tempfile.TemporaryFile(dir=self.root) if capture else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, cwd=cwd, env=self.env, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=subprocess.PIPE if check else subprocess.DEVNULL)
            if check:
                err = p.stderr.read()
            _, status, ru = os.wait4(p.pid, 0)
            t1 = time.perf_counter()
            p.returncode = os.waitstatus_to_exitcode(status)
            if check:
                p.stderr.close()
            stdout = b""
            if capture:
                out.seek(0)
                stdout = out.read()
        finally:
            if capture:
                out.close()
        if check and p.returncode != 0:
            raise SystemExit(
                f"command failed ({p.returncode}): {' '.join(argv)}\n"
                f"{err.decode(errors='replace')}"
            )
        return Run(t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, stdout)

    def cx(self, repo: Path, *args: str, **kw) -> Run:
        return self.run([self.bin, *args], cwd=repo, **kw)

    def new_repo(self, name: str) -> Path:
        repo = self.root / name
        repo.mkdir()
        self.run(["git", "init", "-q"], cwd=repo)
        self.run(["git", "commit", "-q", "--allow-empty", "-m", "initial commit"], cwd=repo)
        self.cx(repo, "init", "-q")
        return repo


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------

WORDS = (
    "agent approval branch build cache chain commit config design event fork "
    "governance hash hook index ledger lock merge note pane policy query "
    "rebase review runtime schema segment session stream sync thread tmux "
    "trigger verify worker writer zone"
).split()


def make_payloads(count: int, seed: int) -> list[str]:
    """A pool of distinct ~300-byte `data` objects, as JSON text."""
    rng = random.Random(seed)
    pool = []
    for i in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(28))
        data = {
            "text": text[:190],
            "author": f"agent-{rng.randrange(8)}",
            "tags": [rng.choice(WORDS) for _ in range(3)],
            "ref": hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:16],
            "priority": rng.randrange(5),
        }
        pool.append(json.dumps(data, separators=(",", ":")))
    return pool


def write_events(path: Path, n: int, targets: int, seed: int = 1) -> tuple[int, list[int]]:
    """n lines of `note.added`; `targets` of them on stream note:target,
    spread evenly. Returns (bytes written, target positions)."""
    pool = make_payloads(997, seed)
    target_at = {(2 * i + 1) * n // (2 * targets) for i in range(targets)} if targets else set()
    assert len(target_at) == targets
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        chunk = []
        for k in range(n):
            stream = "note:target" if k in target_at else f"note:n{k}"
            chunk.append(
                '{"type":"note.added","stream":"%s","data":%s}\n'
                % (stream, pool[k % len(pool)][:-1] + ',"k":%d}' % k)
            )
            if len(chunk) >= 10_000:
                s = "".join(chunk)
                size += len(s)
                f.write(s)
                chunk = []
        s = "".join(chunk)
        size += len(s)
        f.write(s)
    return size, sorted(target_at)


def segments(repo: Path) -> list[str]:
    return sorted(glob.glob(str(repo / ".git" / "codexa" / "events" / "*" / "*.jsonl")))


def du(paths: list[str]) -> int:
    return sum(os.path.getsize(p) for p in paths if os.path.exists(p))


# --------------------------------------------------------------------------
# the measurements
# --------------------------------------------------------------------------


def build_logs(b: Bench, sizes: list[int], targets: int) -> dict:
    out = {}
    for n in sizes:
        repo = b.new_repo(f"log_{n}")
        src = b.root / f"events_{n}.jsonl"
        t0 = time.perf_counter()
        nbytes, _ = write_events(src, n, targets)
        gen = time.perf_counter() - t0
        b.log(f"{n}: generated {nbytes / MB:.1f} MB of JSONL in {gen:.1f}s; importing")
        r = b.cx(repo, "events", "import", str(src), "--format", "json")
        report = json.loads(r.stdout)
        assert report["appended"] == n, report
        src.unlink()
        seg = segments(repo)
        out[n] = {
            "repo": repo,
            "import_s": r.wall,
            "import_cpu_s": r.cpu,
            "import_events_per_s": n / r.wall,
            "import_input_mb_per_s": nbytes / MB / r.wall,
            "import_peak_rss_mb": r.maxrss_kb / 1024,
            "input_bytes": nbytes,
            "log_bytes": du(seg),
            "segments": len(seg),
        }
        b.log(f"{n}: import {r.wall:.2f}s ({n / r.wall:,.0f} events/s, "
              f"peak RSS {r.maxrss_kb / 1024:.0f} MB), log {du(seg) / MB:.1f} MB "
              f"in {len(seg)} segments")
    return out


def small_segment_log(b: Bench, n: int, targets: int, seg_bytes: int) -> dict:
    """The same events as the `n` log, cut into the smallest segments config
    allows: how much of a query's cost follows the segment count."""
    repo = b.new_repo(f"log_{n}_small_segments")
    cfg = repo / ".codexa" / "config.yaml"
    cfg.write_text(cfg.read_text() + f"\nstore:\n  segment_max_bytes: {seg_bytes}\n")
    src = b.root / f"events_{n}_small.jsonl"
    write_events(src, n, targets)
    b.cx(repo, "events", "import", str(src), "-q")
    src.unlink()
    seg = segments(repo)
    b.log(f"{n} in {seg_bytes}-byte segments: {len(seg)} segments")
    return {"repo": repo, "segments": len(seg), "log_bytes": du(seg), "segment_max_bytes": seg_bytes}


def bench_query(b: Bench, logs: dict, runs: int, targets: int, extra: dict) -> dict:
    """`extra`: label -> log, measured alongside but outside the ratio."""
    q = ["events", "query", "--stream", "note:target"]
    res = {}
    main_sizes = list(logs)
    logs = {**logs, **extra}
    for n, info in logs.items():
        repo = info["repo"]
        first = b.cx(repo, *q)
        got = first.stdout.count(b"\n")
        assert got == targets, f"{n}: first query returned {got} lines, expected {targets}"
        idx = repo / ".git" / "codexa" / "cache" / "index.sqlite"
        after_catch_up = du([str(idx), f"{idx}-wal", f"{idx}-shm"])
        rb = b.cx(repo, "index", "rebuild", "--format", "json")
        rb_report = json.loads(rb.stdout)
        b.cx(repo, *q)  # warm
        res[n] = {
            "first_query_s": first.wall,
            "first_query_peak_rss_mb": first.maxrss_kb / 1024,
            "rebuild_s": rb.wall,
            "rebuild_internal_ms": rb_report.get("millis"),
            "rebuild_events": rb_report.get("events"),
            "index_bytes_after_catch_up": after_catch_up,
            "samples": [],
        }
        b.log(f"{n}: first query (catch-up) {first.wall:.2f}s, rebuild {rb.wall:.2f}s")
    # Interleave the sizes run by run so drift in machine load hits all alike.
    for i in range(runs):
        for n, info in logs.items():
            r = b.cx(info["repo"], *q)
            if i == 0:
                assert r.stdout.count(b"\n") == targets
            res[n]["samples"].append(r.wall)
    for n in logs:
        res[n]["stats"] = summary(res[n]["samples"])
        res[n]["segments"] = logs[n]["segments"]
    lo, hi = main_sizes[0], main_sizes[-1]
    per_run = [h / l for h, l in zip(res[hi]["samples"], res[lo]["samples"])]
    return {
        "by_size": res,
        "ratio_of_medians": res[hi]["stats"]["median"] / res[lo]["stats"]["median"],
        "median_of_per_run_ratios": statistics.median(per_run),
        "ratio_sizes": [lo, hi],
    }


def bench_verify(b: Bench, logs: dict, sizes: list[int], runs: int) -> dict:
    res = {}
    have_openssl = shutil.which("openssl") is not None
    for n in sizes:
        repo = logs[n]["repo"]
        seg = segments(repo)
        nbytes = du(seg)
        cmds = {
            "codexa verify": [b.bin, "events", "verify", "--format", "json"],
            "sha256sum": ["sha256sum", *seg],
        }
        if have_openssl:
            cmds["openssl dgst -sha256"] = ["openssl", "dgst", "-sha256", *seg]
        # warm the page cache and check the chain once
        r = b.run(cmds["codexa verify"], cwd=repo)
        rep = json.loads(r.stdout)
        assert rep["ok"] and rep["bytes"] == nbytes, rep
        for name, argv in cmds.items():
            if name != "codexa verify":
                b.run(argv, cwd=repo, capture=False)
        samples = {k: [] for k in cmds}
        cpu = {k: [] for k in cmds}
        rss = {k: [] for k in cmds}
        names = list(cmds)
        for i in range(runs):
            order = names[i % len(names):] + names[: i % len(names)]  # rotate
            for name in order:
                r = b.run(cmds[name], cwd=repo, capture=(name == "codexa verify"))
                samples[name].append(r.wall)
                cpu[name].append(r.cpu)
                rss[name].append(r.maxrss_kb / 1024)
        entry = {"bytes": nbytes, "events": rep["events"], "tools": {}}
        for name in names:
            med = statistics.median(samples[name])
            entry["tools"][name] = {
                "wall_s": summary(samples[name]),
                "cpu_s_median": statistics.median(cpu[name]),
                "mb_per_s": nbytes / MB / med,
                "mb_per_cpu_s": nbytes / MB / statistics.median(cpu[name]),
                "peak_rss_mb": max(rss[name]),
            }
        v = entry["tools"]["codexa verify"]["mb_per_s"]
        s = entry["tools"]["sha256sum"]["mb_per_s"]
        per_run = [sw / vw for vw, sw in zip(samples["codexa verify"], samples["sha256sum"])]
        entry["verify_vs_sha256sum"] = v / s
        entry["verify_vs_sha256sum_median_per_run"] = statistics.median(per_run)
        entry["verify_vs_sha256sum_per_cpu_s"] = (
            entry["tools"]["codexa verify"]["mb_per_cpu_s"] / entry["tools"]["sha256sum"]["mb_per_cpu_s"])
        res[n] = entry
        b.log(f"{n}: verify {v:.0f} MB/s, sha256sum {s:.0f} MB/s ({v / s:.0%})")
    return res


def bench_append(b: Bench, base_events: int, runs: int, big_repo: Path | None,
                 big_n: int | None) -> dict:
    repo = b.new_repo("append")
    src = b.root / "append_base.jsonl"
    write_events(src, base_events, 0, seed=7)
    b.cx(repo, "events", "import", str(src), "-q")
    src.unlink()
    data = json.loads(make_payloads(1, 99)[0])
    data_arg = json.dumps(data, separators=(",", ":"))

    def append(r: Path, *extra: str) -> list[str]:
        return [b.bin, "events", "append", "--type", "note.added", "--stream", "note:x",
                "--data", data_arg, "-q", *extra]

    cmds: dict[str, tuple[Path, list[str] | None]] = {
        "codexa --version": (repo, [b.bin, "--version"]),
        f"append ({base_events // 1000}k log)": (repo, append(repo)),
        f"append --idempotency-key ({base_events // 1000}k log)": (repo, None),
    }
    if big_repo is not None:
        cmds[f"append ({fmt_n(big_n)} log)"] = (big_repo, append(big_repo))
    # warm: binary in page cache, index caught up for the keyed variant
    for name, (r, argv) in cmds.items():
        b.run(argv or append(r, "--idempotency-key", "warm"), cwd=r)
    samples = {k: [] for k in cmds}
    names = list(cmds)
    for i in range(runs):
        order = names[i % len(names):] + names[: i % len(names)]
        for name in order:
            r, argv = cmds[name]
            if argv is None:
                argv = append(r, "--idempotency-key", f"k{i}")
            samples[name].append(b.run(argv, cwd=r).wall)
    base = statistics.median(samples["codexa --version"])
    out = {"base_events": base_events, "runs": runs, "by_command": {}}
    for name in names:
        st = summary(samples[name])
        st["median_over_version"] = st["median"] / base
        st["samples"] = samples[name]
        out["by_command"][name] = st
    # the log must still verify after all of this
    rep = json.loads(b.cx(repo, "events", "verify", "--format", "json").stdout)
    assert rep["ok"], rep
    out["events_after"] = rep["events"]
    return out


def disk(logs: dict, n: int) -> dict:
    repo = logs[n]["repo"]
    seg = segments(repo)
    idx = repo / ".git" / "codexa" / "cache" / "index.sqlite"
    events = n + 1  # the import plus the `codexa init` event
    parts = {
        "log": du(seg),
        "index.sqlite": du([str(idx)]),
        "index.sqlite-wal": du([f"{idx}-wal"]),
        "index.sqlite-shm": du([f"{idx}-shm"]),
    }
    return {
        "events": events,
        "bytes": parts,
        "bytes_per_event": {k: v / events for k, v in parts.items()},
    }


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def fmt_n(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def ms(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.1f} s"


def secs(s: float) -> str:
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def markdown(r: dict) -> str:
    m, bi = r["machine"], r["binary"]
    floor = r.get("rss_floor_mb", 0)

    def rss(mb: float) -> str:
        return f"≤ {floor:.0f} MB" if mb <= floor + 2 else f"{mb:.0f} MB"

    L = [f"{bi['version']} built {bi['built']} (repo HEAD {bi['git_head']}), "
         f"{m['nproc']} × {m['cpu']}, "
         f"load average {' '.join(m['loadavg'])} at start, "
         f"{' '.join(m.get('loadavg_end', []))} at end.", ""]
    a = r["append"]
    L += ["### Append latency (fresh process each run, fsync included)", "",
          f"{a['runs']} runs of each, interleaved; the main log holds "
          f"{fmt_n(a['base_events'])} events before the first run.", "",
          "| command | p50 | p95 | min | p50 / `--version` p50 |",
          "|---|---:|---:|---:|---:|"]
    for name, st in a["by_command"].items():
        L.append(f"| `{name}` | {ms(st['median'])} | {ms(st['p95'])} | {ms(st['min'])} | "
                 f"{st['median_over_version']:.2f}× |")
    q = r["query"]
    sizes = [n for n in q["by_size"] if isinstance(n, int)]
    L += ["", "### Building the logs and the index", "",
          "| events | log size | segments | import | import rate | import peak RSS "
          "| first query (index catch-up) | `index rebuild` |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        lg, qs = r["logs"][str(n)], q["by_size"][n]
        L.append(f"| {fmt_n(n)} | {lg['log_bytes'] / MB:.1f} MB | {lg['segments']} | "
                 f"{secs(lg['import_s'])} | {lg['import_events_per_s']:,.0f} ev/s | "
                 f"{rss(lg['import_peak_rss_mb'])} | {secs(qs['first_query_s'])} | "
                 f"{secs(qs['rebuild_s'])} |")
    L += ["", f"### `events query --stream note:target` (20 matches; "
          f"{q['by_size'][sizes[0]]['stats']['n']} runs per size, interleaved)", "",
          "| events | segments | median | p95 | min |", "|---:|---:|---:|---:|---:|"]
    for n in q["by_size"]:
        st = q["by_size"][n]["stats"]
        label = fmt_n(n) if isinstance(n, int) else n
        L.append(f"| {label} | {q['by_size'][n]['segments']} | {ms(st['median'])} | "
                 f"{ms(st['p95'])} | {ms(st['min'])} |")
    lo, hi = q["ratio_sizes"]
    L += ["", f"Ratio {fmt_n(hi)} / {fmt_n(lo)}: **{q['ratio_of_medians']:.2f}×** "
          f"(ratio of medians; median of per-run ratios {q['median_of_per_run_ratios']:.2f}×; "
          "target ≤ 2.0×)."]
    v = r["verify"]
    L += ["", "### `events verify` vs hashing the same segment files (warm page cache)", "",
          "| events | bytes | tool | median wall | MB/s | CPU s (median) | MB per CPU-s | peak RSS |",
          "|---:|---:|---|---:|---:|---:|---:|---:|"]
    for n, e in v.items():
        for tool, t in e["tools"].items():
            L.append(f"| {fmt_n(int(n))} | {e['bytes'] / MB:.0f} MB | `{tool}` | "
                     f"{ms(t['wall_s']['median'])} | {t['mb_per_s']:.0f} | "
                     f"{t['cpu_s_median']:.2f} | {t['mb_per_cpu_s']:.0f} | "
                     f"{rss(t['peak_rss_mb'])} |")
    for n, e in v.items():
        L.append("")
        L.append(f"{fmt_n(int(n))}: verify runs at **{e['verify_vs_sha256sum']:.0%}** of "
                 f"sha256sum's rate (median of per-run ratios "
                 f"{e['verify_vs_sha256sum_median_per_run']:.0%}; target ≥ 70%); "
                 f"per CPU-second {e['verify_vs_sha256sum_per_cpu_s']:.0%}.")
    d = r["disk"]
    L += ["", f"### Disk at {fmt_n(d['events'] - 1)} events", "",
          "| file | bytes | bytes / event |", "|---|---:|---:|"]
    for k, val in d["bytes"].items():
        L.append(f"| {k} | {val:,} | {d['bytes_per_event'][k]:.0f} |")
    return "\n".join(L) + "\n"


def machine() -> dict:
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = []
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg": load,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="target/release/codexa", help="codexa binary")
    ap.add_argument("--quick", action="store_true", help="smaller logs, fewer runs")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--workdir", type=Path, help="where to make the temporary repos")
    ap.add_argument("--keep", action="store_true", help="keep the temporary repos")
    ap.add_argument("--sizes", help="comma-separated log sizes for query (overrides default)")
    args = ap.parse_args()

    src_bin = Path(args.bin).resolve()
    if not src_bin.is_file():
        print(f"no codexa binary at {src_bin}: run `cargo build --release`", file=sys.stderr)
        return 1
    if args.quick:
        sizes, append_base, append_runs, query_runs, verify_runs = [1000, 10_000, 30_000], 2000, 30, 10, 3
    else:
        sizes, append_base, append_runs, query_runs, verify_runs = [10_000, 100_000, 1_000_000], 10_000, 200, 30, 5
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    targets = 20

    root = Path(tempfile.mkdtemp(prefix="codexa-bench-", dir=args.workdir))
    try:
        # A private copy: a concurrent `cargo build` cannot swap it mid-run.
        binary = root / "codexa"
        shutil.copy2(src_bin, binary)
        b = Bench(binary, root, verbose=True)
        version = b.run([str(binary), "--version"]).stdout.decode().strip()
        bin_sha = hashlib.sha256(binary.read_bytes()).hexdigest()
        here = str(Path(__file__).resolve().parent)
        git_rev = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--", "../src"],
                               capture_output=True, text=True).stdout.split("\n")
        git_rev += " (src/ has uncommitted changes)" if any(l.strip() for l in dirty) else ""
        results: dict = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "quick": args.quick,
            "binary": {"path": str(src_bin), "version": version, "sha256": bin_sha,
                       "git_head": git_rev,
                       "built": time.strftime("%Y-%m-%d %H:%M UTC",
                                              time.gmtime(src_bin.stat().st_mtime))},
            "machine": machine(),
            "settings": {"sizes": sizes, "targets": targets, "append_base": append_base,
                         "append_runs": append_runs, "query_runs": query_runs,
                         "verify_runs": verify_runs},
        }
        # wait4's peak RSS of a child never reads below the RSS of the forking
        # Python process: values at this floor mean "this much or less".
        results["rss_floor_mb"] = b.run(["true"]).maxrss_kb / 1024
        b.log(f"{version} in {root}; sizes {sizes}")
        logs = build_logs(b, sizes, targets)
        mid = sizes[-2] if len(sizes) > 1 else sizes[0]
        small = small_segment_log(b, mid, targets, 65536)
        extra = {f"{fmt_n(mid)} in 64 KiB segments": small}
        results["query"] = bench_query(b, logs, query_runs, targets, extra)
        results["verify"] = {str(n): e for n, e in
                             bench_verify(b, logs, sizes[-2:], verify_runs).items()}
        results["disk"] = disk(logs, sizes[-1])
        b.log("append latency")
        results["append"] = bench_append(b, append_base, append_runs,
                                         logs[sizes[-1]]["repo"], sizes[-1])
        results["logs"] = {str(n): {k: v for k, v in info.items() if k != "repo"}
                           for n, info in logs.items()}
        results["machine"]["loadavg_end"] = machine()["loadavg"]
        results["rss_floor_mb"] = max(results["rss_floor_mb"], b.run(["true"]).maxrss_kb / 1024)
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        md = markdown(results)
        print(md)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
            b.log(f"wrote {args.json}")
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
