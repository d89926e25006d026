#!/usr/bin/env python3
"""`codexa discover` on a real repository, beside the two tools that do the
same work on their own: `tokei` (lines of every file) and `git log --numstat
--no-merges -n 1000` (the history discover mines), on the same tree, in the
same run. Target (the discover issue): discover's wall time <= 1.5x the sum
of those two.

Setup (idempotent; what exists is reused):

- the repository: by default a clone of the bare mirror of
  rust-lang/rust-analyzer (`--mirror`) at `--repo` (/tmp/codexa-bench-ra),
  outside the codexa work tree; `--repo PATH` alone benchmarks an existing
  repository as it is;
- tokei: `--tokei`, else `tokei` on PATH, else ~/.cargo/bin/tokei, else
  `cargo install tokei --locked` (a few minutes);
- codexa: `cargo build --release` (skipped with --no-build; retried a few
  times when the build fails, as others may be mid-edit) and
  $CARGO_TARGET_DIR/release/codexa or target/release/codexa, copied into a
  temporary directory so a concurrent build cannot replace it mid-run;
- `codexa init -q` in the clone once (a scratch clone: `.codexa/` in its work
  tree, the store in its `.git`).

Then one untimed warm-up of each command (page cache), with
`.codexa/manifests/` removed first in the scratch clone (or with --fresh)
so that discover's warm-up is a first run that writes every manifest;
later runs find the bytes unchanged and write nothing, but still walk,
measure, mine the history and rank. Then `--rounds` rounds, each running
the three commands in an order rotating every round (plus `true`, the
floor of the peak-RSS reading). Each command is one child process of a
small runner (see RUNNER): wall time from spawn to reap
(time.perf_counter), CPU user+sys and peak RSS (ru_maxrss, KiB) from
wait4. tokei's and git's stdout go to /dev/null; discover's (`--format
json`) is kept for its per-phase `timings_ms`.

Finally a parity check: `tokei --output json` of the same tree against the
per-language totals in `.codexa/manifests/system_manifest.yaml` (tokei's
per-file counts include code embedded in another language, e.g. Rust in
Markdown fences, in the file's language; so does discover).

    python3 bench/discover_bench.py                    # builds --release first
    python3 bench/discover_bench.py --no-build --rounds 3
    python3 bench/discover_bench.py --repo ~/src/other --json /tmp/other.json

Python 3.11 standard library only; uses store_bench.py's environment and
statistics. Writes bench/results/discover_bench.json unless --json says where.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import store_bench as sb  # noqa: E402

ROOT = HERE.parent
DEFAULT_MIRROR = Path("/work/.mirror/rust-lang+rust-analyzer/repo")
DEFAULT_REPO = Path("/tmp/codexa-bench-ra")
TARGET_RATIO = 1.5
HISTORY_COMMITS = 1000
COLD = "discover (no cache)"

# --------------------------------------------------------------------------
# setup
# --------------------------------------------------------------------------


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def out(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> str:
    return subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def find_tokei(given: str | None) -> str:
    if given:
        return given
    found = shutil.which("tokei")
    if found:
        return found
    cargo_bin = Path.home() / ".cargo" / "bin" / "tokei"
    if cargo_bin.exists():
        return str(cargo_bin)
    log("tokei not found: cargo install tokei --locked (a few minutes)")
    subprocess.run(["cargo", "install", "tokei", "--locked"], check=True)
    return str(cargo_bin)


def build(retries: int) -> None:
    for attempt in range(retries + 1):
        r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT,
                           capture_output=True, text=True)
        if r.returncode == 0:
            return
        if attempt == retries:
            sys.stderr.write(r.stderr)
            raise SystemExit("cargo build --release failed")
        log(f"cargo build --release failed (a file mid-edit?); retrying in 60 s "
            f"({attempt + 1}/{retries})")
        time.sleep(60)


def default_bin() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    base = Path(target) if target else ROOT / "target"
    if not base.is_absolute():
        base = ROOT / base
    return base / "release" / "codexa"


def ensure_clone(repo: Path, mirror: Path, explicit: bool) -> None:
    if (repo / ".git").exists():
        return
    if explicit and repo.exists():
        raise SystemExit(f"--repo {repo}: not a git work tree")
    if not mirror.exists():
        raise SystemExit(f"no repository at {repo} and no mirror at {mirror} to clone")
    log(f"cloning {mirror} -> {repo}")
    subprocess.run(["git", "clone", "-q", str(mirror), str(repo)], check=True)


def repo_inside_main(repo: Path) -> bool:
    try:
        repo.resolve().relative_to(ROOT.resolve())
        return True
    except ValueError:
        return False


# --------------------------------------------------------------------------
# parity: tokei --output json vs the system manifest
# --------------------------------------------------------------------------


def file_code(stats: dict) -> int:
    """A file's code as tokei's `summarise()` counts it: its own code plus
    that of every blob embedded in it (Rust in Markdown fences, CSS in HTML,
    Markdown in doc comments...)."""
    return stats["code"] + sum(file_code(b) for b in stats.get("blobs", {}).values())


def tokei_languages(doc: dict, root: Path) -> tuple[dict, dict]:
    """Per language: files and code (embedded code included, as tokei's
    `(Total)` rows and discover count it); and per file, relative path ->
    code."""
    langs: dict[str, dict] = {}
    files: dict[str, int] = {}
    prefix = str(root).rstrip("/") + "/"
    for name, lang in doc.items():
        if name == "Total":
            continue
        code = 0
        for rep in lang.get("reports", []):
            c = file_code(rep["stats"])
            code += c
            path = rep["name"]
            files[path[len(prefix):] if path.startswith(prefix) else path] = c
        langs[name] = {"files": len(lang.get("reports", [])), "code": code,
                       "own_code": lang["code"]}
    return langs, files


def manifest_languages(text: str) -> dict[str, dict]:
    """The `languages:` list of system_manifest.yaml, parsed just enough:
    `- name: X` items with scalar `files`/`code`/... keys."""
    langs: dict[str, dict] = {}
    inside = False
    current: dict | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "-")):
            inside = line.rstrip() == "languages:"
            current = None
            continue
        if not inside:
            continue
        m = re.match(r"^(\s*)(- )?(\w+):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(3), m.group(4).strip().strip("'\"")
        if m.group(2):
            current = {}
        if current is None:
            continue
        current[key] = int(value) if value.isdigit() else value
        if key == "name":
            langs[value] = current
    return {k: v for k, v in langs.items()}


def parity(tokei: str, repo: Path, env: dict) -> dict:
    doc = json.loads(subprocess.run([tokei, str(repo), "--output", "json"], env=env,
                                    check=True, capture_output=True).stdout)
    t_langs, t_files = tokei_languages(doc, repo)
    manifest = repo / ".codexa" / "manifests" / "system_manifest.yaml"
    c_langs = manifest_languages(manifest.read_text())
    names = sorted(set(t_langs) | set(c_langs))
    rows = []
    for n in names:
        t, c = t_langs.get(n), c_langs.get(n)
        rows.append({
            "language": n,
            "tokei_files": t["files"] if t else None,
            "tokei_code": t["code"] if t else None,
            "discover_files": c.get("files") if c else None,
            "discover_code": c.get("code") if c else None,
            "equal": bool(t and c and t["code"] == c.get("code") and t["files"] == c.get("files")),
        })
    t_total = sum(t["code"] for t in t_langs.values())
    c_total = sum(int(c.get("code", 0)) for c in c_langs.values())
    return {
        "tokei_total_code": t_total,
        "tokei_total_code_row": doc.get("Total", {}).get("code"),
        "tokei_files": sum(t["files"] for t in t_langs.values()),
        "discover_total_code": c_total,
        "discover_files_known_language": sum(int(c.get("files", 0)) for c in c_langs.values()),
        "equal": t_total == c_total and all(r["equal"] for r in rows),
        "languages": rows,
        "tokei_lines": sum(doc.get("Total", {}).get(k, 0) for k in ("code", "comments", "blanks")),
        "_tokei_files": t_files,
    }


# --------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------


# Each command runs under this small runner (`python3 -S -I`, about 8 MB):
# a child's ru_maxrss cannot read below the RSS of the process that forked
# it (the kernel carries the forking process's high-water mark into the
# child at exec), and this script itself grows to about 50 MB. The runner
# spawns the command, times it from spawn to reap and prints its wait4
# figures as JSON; its own start-up is not in the timing. `true` under the
# same runner gives the floor.
RUNNER = r"""
import json, os, subprocess, sys, time
out = open(sys.argv[1], "wb")
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=out)
_, status, ru = os.wait4(p.pid, 0)
t1 = time.perf_counter()
print(json.dumps({"wall_s": t1 - t0, "cpu_s": ru.ru_utime + ru.ru_stime,
                  "user_s": ru.ru_utime, "sys_s": ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
                  "rc": os.waitstatus_to_exitcode(status)}))
"""


def timed(env: dict, argv: list[str], cwd: Path | None, stdout: Path | None) -> dict:
    r = subprocess.run([sys.executable, "-S", "-I", "-c", RUNNER,
                        str(stdout) if stdout else os.devnull, *argv],
                       cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"runner failed: {r.stderr.decode(errors='replace')}")
    rec = json.loads(r.stdout)
    if rec["rc"] != 0:
        raise SystemExit(f"command failed ({rec['rc']}): {' '.join(argv)}\n"
                         f"{r.stderr.decode(errors='replace')}")
    return rec


def run_one(env: dict, tmp: Path, name: str, argv: list[str], cwd: Path | None) -> dict:
    capture = tmp / "discover.json" if name.startswith("discover") else None
    rec = timed(env, argv, cwd, capture)
    if capture:
        s = json.loads(capture.read_text())
        rec["timings_ms"] = s.get("timings_ms", {})
        rec["files"] = s.get("files")
        rec["code"] = s.get("code")
        rec["commits"] = s.get("commits")
        rec["written"] = sum(1 for o in s.get("outputs", []) if o.get("changed"))
        rec["outputs"] = len(s.get("outputs", []))
    return rec


def stats(recs: list[dict]) -> dict:
    walls = [r["wall_s"] for r in recs]
    return {
        "n": len(recs),
        "wall_s": sb.summary(walls),
        "cpu_s": sb.summary([r["cpu_s"] for r in recs]),
        "maxrss_kb": sb.summary([float(r["maxrss_kb"]) for r in recs]),
    }


def go(args) -> dict:
    repo = Path(args.repo).resolve()
    if repo_inside_main(repo):
        raise SystemExit(f"--repo {repo} is inside {ROOT}: use a scratch clone outside it")
    ensure_clone(repo, Path(args.mirror), explicit=args.repo != str(DEFAULT_REPO))
    tokei = find_tokei(args.tokei)
    tokei_version = out([tokei, "--version"])
    if not args.no_build:
        log("cargo build --release")
        build(args.build_retries)
    bin_src = Path(args.bin) if args.bin else default_bin()
    tmp = Path(tempfile.mkdtemp(prefix="codexa-discover-bench-"))
    try:
        binary = tmp / "codexa"
        shutil.copy2(bin_src, binary)
        sha = hashlib.sha256(binary.read_bytes()).hexdigest()
        built = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(bin_src.stat().st_mtime))
        b = sb.Bench(binary, tmp, verbose=False)
        env = b.env
        version = out([str(binary), "--version"], env=env)

        head = out(["git", "-C", str(repo), "rev-parse", "HEAD"], env=env)
        commits = int(out(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], env=env))
        nonmerge = int(out(["git", "-C", str(repo), "rev-list", "--count", "--no-merges",
                            "HEAD"], env=env))
        tracked = len(out(["git", "-C", str(repo), "ls-files", "-z"], env=env).split("\0")) - 1
        if not (repo / ".codexa" / "config.yaml").exists() or not (
                repo / ".git" / "codexa").exists():
            log(f"codexa init -q in {repo}")
            b.run([str(binary), "init", "-q"], cwd=repo)

        cmds = {
            "tokei": ([tokei, str(repo)], None),
            "git log": (["git", "-C", str(repo), "log", "--numstat", "--no-merges", "-n",
                         str(HISTORY_COMMITS)], None),
            "discover": ([str(binary), "discover", "--format", "json"], repo),
            # The same with the complexity cache removed first: every file
            # parsed, as on a first run in a fresh clone.
            COLD: ([str(binary), "discover", "--format", "json"], repo),
        }
        cache_dir = repo / ".git" / "codexa" / "cache" / "discover"
        load_start = sb.machine()["loadavg"]

        # Warm-up: page cache for all three. In the scratch clone (or with
        # --fresh) the manifests are removed first, so that discover's
        # warm-up is a first run writing every output; another repository's
        # manifests (focus pages included) are left alone.
        fresh = args.fresh or repo == DEFAULT_REPO.resolve()
        if fresh:
            shutil.rmtree(repo / ".codexa" / "manifests", ignore_errors=True)
        warm = {}
        for name, (argv, cwd) in cmds.items():
            log(f"warm-up: {name}")
            if name == COLD:
                shutil.rmtree(cache_dir, ignore_errors=True)
            warm[name] = run_one(env, tmp, name, argv, cwd)
        tokei_text = subprocess.run([tokei, str(repo)], env=env, capture_output=True,
                                    text=True).stdout

        samples: dict[str, list[dict]] = {k: [] for k in cmds}
        floor = []
        order = list(cmds)
        per_round_ratio = []
        per_round_cold = []
        for i in range(args.rounds):
            rot = order[i % len(order):] + order[:i % len(order)]
            floor.append(timed(env, ["true"], None, None)["maxrss_kb"])
            this = {}
            for name in rot:
                argv, cwd = cmds[name]
                if name == COLD:
                    shutil.rmtree(cache_dir, ignore_errors=True)
                this[name] = run_one(env, tmp, name, argv, cwd)
                samples[name].append(this[name])
            ratio = this["discover"]["wall_s"] / (this["tokei"]["wall_s"] +
                                                  this["git log"]["wall_s"])
            per_round_ratio.append(ratio)
            per_round_cold.append(this[COLD]["wall_s"] / (this["tokei"]["wall_s"] +
                                                          this["git log"]["wall_s"]))
            log(f"round {i + 1}/{args.rounds} ({', '.join(rot)}): "
                + ", ".join(f"{k} {v['wall_s']:.2f} s" for k, v in this.items())
                + f"; ratio {ratio:.2f}")
        load_end = sb.machine()["loadavg"]

        st = {k: stats(v) for k, v in samples.items()}
        med = {k: v["wall_s"]["median"] for k, v in st.items()}
        mins = {k: v["wall_s"]["min"] for k, v in st.items()}
        ratio = med["discover"] / (med["tokei"] + med["git log"])
        ratio_min = mins["discover"] / (mins["tokei"] + mins["git log"])
        ratio_cold = med[COLD] / (med["tokei"] + med["git log"])
        cpu = {k: v["cpu_s"]["median"] for k, v in st.items()}
        ratio_cpu = cpu["discover"] / (cpu["tokei"] + cpu["git log"])
        phases_cold = sorted({p for r in samples[COLD] for p in r["timings_ms"]})
        phase_ms_cold = {p: statistics.median(r["timings_ms"].get(p, 0) for r in samples[COLD])
                         for p in phases_cold}
        phases = sorted({p for r in samples["discover"] for p in r["timings_ms"]})
        phase_ms = {p: statistics.median(r["timings_ms"].get(p, 0) for r in samples["discover"])
                    for p in phases}
        par = parity(tokei, repo, env)
        tokei_files = par.pop("_tokei_files")
        note = explain_mismatch(repo, tokei_files, par)
        if not par["equal"] or par["files_differing_count"]:
            par["note"] = note
        return {
            "repo": {
                "path": str(repo),
                "origin": out(["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
                              env=env) if (repo / ".git" / "config").exists() else None,
                "head": head,
                "commits": commits,
                "non_merge_commits": nonmerge,
                "tracked_files": tracked,
                "tokei_code": par["tokei_total_code_row"],
                "tokei_lines": par["tokei_lines"],
                "tokei_table": tokei_text,
            },
            "tokei_version": tokei_version,
            "tokei_path": tokei,
            "git_version": out(["git", "--version"]),
            "codexa_version": version,
            "binary": str(bin_src),
            "binary_built": built,
            "binary_sha256": sha,
            "loadavg_start": load_start,
            "loadavg_end": load_end,
            "commands": {k: " ".join(v[0]).replace(str(binary), "codexa")
                         .replace(tokei, "tokei").replace(str(repo), "<repo>")
                         for k, v in cmds.items()},
            "rss_floor_kb": max(floor) if floor else None,
            "first_run": warm,
            "first_run_fresh": fresh,
            "samples": samples,
            "stats": st,
            "ratio_median": ratio,
            "ratio_min": ratio_min,
            "ratio_per_round_median": statistics.median(per_round_ratio),
            "ratio_per_round": per_round_ratio,
            "ratio_cpu_median": ratio_cpu,
            "target_ratio": TARGET_RATIO,
            "ratio_cold_median": ratio_cold,
            "ratio_cold_per_round": per_round_cold,
            "phases_ms_cold_median": phase_ms_cold,
            # Judged on the cold run: tokei and git log keep no cache.
            "target_met": ratio_cold <= TARGET_RATIO,
            "target_met_warm": ratio <= TARGET_RATIO,
            "phases_ms_median": phase_ms,
            "phases_ms_first_run": warm["discover"]["timings_ms"],
            "parity": par,
        }
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def model_files(repo: Path) -> dict[str, int]:
    """Per-file code from the system models (`files:` items with `path:` and
    `code:`); files outside every component are in none of them."""
    files: dict[str, int] = {}
    for model in sorted((repo / ".codexa" / "manifests" / "system_model").glob("*.yaml")):
        inside, path = False, None
        for line in model.read_text().splitlines():
            if not line.startswith((" ", "-")):
                inside = line.rstrip() == "files:"
                continue
            if not inside:
                continue
            m = re.match(r"^\s*(- )?(\w+):\s*(.*)$", line)
            if not m:
                continue
            key, value = m.group(2), m.group(3).strip().strip("'\"")
            if key == "path" and m.group(1):
                path = value
            elif key == "code" and path is not None and value.isdigit():
                files[path] = int(value)
    return files


def explain_mismatch(repo: Path, tokei_files: dict, par: dict) -> str:
    """The language rows that differ, and (recorded in `par` always) the
    files whose counts differ between tokei and the system models, which
    list every file of every component."""
    diff = [r for r in par["languages"] if not r["equal"]]
    parts = [f"{r['language']}: tokei {r['tokei_files']} files / {r['tokei_code']} code, "
             f"discover {r['discover_files']} files / {r['discover_code']} code" for r in diff]
    models = model_files(repo)
    differing = sorted(p for p in tokei_files if p in models and models[p] != tokei_files[p])
    absent = sorted(p for p in tokei_files if p not in models)
    par["files_compared"] = len(tokei_files) - len(absent)
    par["files_differing_count"] = len(differing)
    par["files_differing"] = [{"path": p, "tokei": tokei_files[p], "discover": models[p]}
                              for p in differing[:50]]
    par["tokei_files_in_no_model"] = len(absent)
    parts.append(f"{len(differing)} files counted differently; {len(absent)} tokei files "
                 "in no component model (not compared file by file)")
    return "; ".join(parts)


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def mb(kb: float) -> str:
    return f"{kb * 1024 / sb.MB:.0f} MB"


def markdown(r: dict) -> str:
    floor = r["rss_floor_kb"] or 0

    def rss(kb: float) -> str:
        return f"≤ {mb(floor)}" if kb <= floor * 1.02 else mb(kb)

    rp = r["repo"]
    lines = [
        f"Repository: `{rp['origin']}` at `{rp['head'][:10]}`, {rp['commits']:,} commits "
        f"({rp['non_merge_commits']:,} not merges), {rp['tracked_files']:,} tracked files, "
        f"{rp['tokei_code']:,} lines of code ({rp['tokei_lines']:,} lines) by {r['tokei_version']}.",
        "",
        f"{r['stats']['discover']['n']} interleaved rounds; load average "
        f"{' '.join(r['loadavg_start'])} at the start, {' '.join(r['loadavg_end'])} at the end.",
        "",
        "| command | median wall | min wall | CPU (median) | peak RSS (median) |",
        "|---|---:|---:|---:|---:|",
    ]
    for k, s in r["stats"].items():
        lines.append(f"| `{r['commands'][k]}` | "
                     f"{s['wall_s']['median']:.2f} s | {s['wall_s']['min']:.2f} s | "
                     f"{s['cpu_s']['median']:.2f} s | {rss(s['maxrss_kb']['median'])} |")
    met = "**met**" if r["target_met"] else "**missed**"
    lines += [
        "",
        f"discover with no cache (every file parsed) / (tokei + git log): "
        f"**{r['ratio_cold_median']:.2f}×** (medians); target ≤ {r['target_ratio']}×: {met}. "
        f"With the complexity cache of the previous run (unchanged files not parsed again): "
        f"**{r['ratio_median']:.2f}×** (mins {r['ratio_min']:.2f}×, median of per-round "
        f"ratios {r['ratio_per_round_median']:.2f}×). "
        f"In CPU time (user+sys, medians, cached run): {r['ratio_cpu_median']:.2f}×.",
        "",
        "| phase | median ms | first run ms |",
        "|---|---:|---:|",
    ]
    for p, v in r["phases_ms_median"].items():
        lines.append(f"| {p} | {v:.0f} | {r['phases_ms_first_run'].get(p, 0)} |")
    lines += ["", "No cache (median ms): " + ", ".join(
        f"{p} {v:.0f}" for p, v in r["phases_ms_cold_median"].items()) + "."]
    fr = r["first_run"]["discover"]
    lines += [
        "",
        f"{'First run' if r['first_run_fresh'] else 'Warm-up run'} "
        f"(outputs written: {fr['written']} of {fr['outputs']}): "
        f"{fr['wall_s']:.2f} s wall, {mb(fr['maxrss_kb'])}.",
        "",
    ]
    p = r["parity"]
    lines += [
        f"Parity: tokei {p['tokei_total_code']:,} code lines in {p['tokei_files']:,} files, "
        f"discover {p['discover_total_code']:,} in {p['discover_files_known_language']:,} "
        f"files: {'equal' if p['equal'] else 'DIFFERENT'}; file by file, "
        f"{p['files_differing_count']} of {p['files_compared']:,} files in the component "
        f"models differ ({p['tokei_files_in_no_model']} in no model).",
    ]
    if "note" in p:
        lines.append(p["note"])
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", default=str(DEFAULT_REPO),
                    help="work tree to benchmark (cloned from --mirror when missing)")
    ap.add_argument("--mirror", default=str(DEFAULT_MIRROR))
    ap.add_argument("--bin", default=None,
                    help="codexa binary (default $CARGO_TARGET_DIR or target/release/codexa)")
    ap.add_argument("--no-build", action="store_true", help="skip `cargo build --release`")
    ap.add_argument("--build-retries", type=int, default=5)
    ap.add_argument("--tokei", default=None)
    ap.add_argument("--fresh", action="store_true",
                    help="remove .codexa/manifests before the warm-up (always done in the "
                    "default scratch clone)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", default=str(HERE / "results" / "discover_bench.json"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "Cargo.toml",
                            "Cargo.lock"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip() != ""
    result = go(args)
    doc = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": sb.machine(),
        "head": out(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT),
        "src_dirty": dirty,
        "args": {k: v for k, v in vars(args).items() if k not in ("json", "keep")},
        **result,
    }
    print(markdown(doc))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
