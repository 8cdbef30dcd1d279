"""Scale benchmark: usm-rules side by side with a parsing floor and its peers, in one run.

    python bench/scale.py [--scales 1,2] [--repeat 1] [--work DIR] [--only check,floor] [--stress]

Run it with the Python of the environment where usm-rules is installed with its bench extra
(``pip install -e '.[bench]'``: PyYAML, check-jsonschema, yamllint; that environment's bin
folder is where usm-rules and the peers are looked up first), e.g.
``.venv/bin/python bench/scale.py --scales 0.125,1``.

Corpora come from bench/corpus.py and are cached in --work (default /tmp/usm-bench), keyed by
the generator's hash. Every command runs as a subprocess; its wall time and the peak RSS of its
whole process tree (the sum over the process and all its descendants, sampled from /proc every
20 ms, so that a pool of workers counts in full; a run shorter than a sample shows its first sample)
are measured here. All
commands run interleaved, repetition by repetition, so machine noise hits them alike; the best
wall time and the largest peak are kept. A command that exits with a code it should not (check
and the peers may exit 1 for findings) is shown as failed, with its exit code.

Commands (names for --only; groups: cache = warm,edited; peers = check-jsonschema,yamllint;
startup = version,python,reference):
  floor              PyYAML's C composer over every .yaml file (nothing can read YAML faster)
  check / check-j1   usm-rules check DIR --format json --no-cache, default jobs / --jobs 1
  warm / edited      the same check with a primed cache; edited: after appending a comment to one file
  check-jsonschema   the combined usm/v1 schema over the single-document files
  yamllint           yamllint -d relaxed DIR
  version / python   usm-rules --version, python -c pass
  reference / reference-warm   check of sample_processes/reference without a cache / with a primed one
Options that usm-rules does not have yet (--jobs, --no-cache, --cache-dir) make their rows n/a.
XDG_CACHE_HOME points into the work folder, so no run touches the user's cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
CHECK_OK = frozenset({0, 1})  # 1: findings at or above --fail-on
ZERO_OK = frozenset({0})
GROUPS = {"cache": ("warm", "edited"), "peers": ("check-jsonschema", "yamllint"),
          "startup": ("version", "python", "reference", "reference-warm")}
CORPUS_KEYS = ("floor", "check", "check-j1", "warm", "edited", "check-jsonschema", "yamllint")
STRESS_KEYS = ("floor", "check", "check-j1")
ALL_KEYS = (*CORPUS_KEYS, "version", "python", "reference", "reference-warm")
FLOOR = ("import collections, pathlib, sys, yaml; collections.deque((node for path in "
         "sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')) for node in yaml.compose_all("
         "path.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)), maxlen=0)")
EDIT = "# edited by bench/scale.py: a harmless comment\n"
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_S = 0.02


@dataclass
class State:
    """Where corpora, caches and stderr go, and the environment every command runs in."""

    work: Path = Path("/tmp/usm-bench")
    env: dict[str, str] = field(default_factory=dict)


BENCH_STATE = State()


# ---------------------------------------------------------------------------------------------
# Measuring: wall time and the peak RSS of a process tree


@dataclass(frozen=True)
class Run:
    wall: float
    peak_mb: float
    code: int
    failed: bool
    error: str = ""


def tree_rss_kb(root: int) -> int:
    """The sum of RSS over ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
        rss[int(name)] = int(fields[21]) * PAGE_KB
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def measure(argv: list[str], ok: frozenset[int], env: dict[str, str]) -> Run:
    """Run ``argv`` (output to /dev/null, stderr kept for a failure) and measure it."""
    errors = BENCH_STATE.work / "stderr.txt"
    with errors.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr, env=env, start_new_session=True)
        peak_kb, status = 0, 0
        try:
            while True:
                pid, status = os.waitpid(proc.pid, os.WNOHANG)
                if pid:
                    break
                peak_kb = max(peak_kb, tree_rss_kb(proc.pid))
                time.sleep(SAMPLE_S)
        except BaseException:  # Ctrl-C: stop the command's own process group, then stop
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    failed = code not in ok
    tail = errors.read_text(errors="replace").strip().splitlines()[-3:] if failed else []
    return Run(wall, peak_kb / 1024, code, failed, " | ".join(tail))


# ---------------------------------------------------------------------------------------------
# Corpora


@dataclass(frozen=True)
class Corpus:
    label: str
    path: Path


def generator_hash() -> str:
    return hashlib.sha256((BENCH / "corpus.py").read_bytes()).hexdigest()[:16]


def ensure_corpus(label: str, folder: str, args: list[str]) -> Corpus:
    """The corpus in the work folder, generated unless the cached copy is from this generator."""
    path, marker = BENCH_STATE.work / folder, BENCH_STATE.work / f"{folder}.json"
    cached = json.loads(marker.read_text()) if marker.exists() else {}
    if cached.get("generator") != generator_hash() or cached.get("args") != args or not path.is_dir():
        command = [sys.executable, str(BENCH / "corpus.py"), str(path), *args, "--force"]
        summary = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()
        cached = {"generator": generator_hash(), "args": args, "summary": summary}
        marker.write_text(json.dumps(cached))
    print(f"corpus {label}: {cached['summary']}", flush=True)
    return Corpus(label, path)


def scaled_corpus(scale: float) -> Corpus:
    return ensure_corpus(f"{scale:g}", f"scale-{scale:g}", ["--scale", f"{scale:g}"])


def stress_corpora() -> list[Corpus]:
    return [ensure_corpus("10,000 files", "files-10000", ["--files", "10000"]),
            ensure_corpus("20 MB file", "single-20mb", ["--single-file", "20"])]


# ---------------------------------------------------------------------------------------------
# Commands


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    corpus: str
    argv: list[str] | None
    ok: frozenset[int] = CHECK_OK
    missing: str = ""
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None


@dataclass(frozen=True)
class Tools:
    usm: str
    options: frozenset[str]
    jsonschema: str | None
    yamllint: str | None
    schema: Path | None


def find_tool(name: str) -> str | None:
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


def detect_tools() -> Tools:
    usm = find_tool("usm-rules")
    if not usm:
        sys.exit("usm-rules is not installed next to this Python: run with the venv's python")
    text = subprocess.run([usm, "check", "--help"], capture_output=True, text=True).stdout
    options = frozenset(o for o in ("--jobs", "--no-cache", "--cache-dir") if re.search(rf"{o}\b", text))
    schemas = [REPO / "schemas" / "usm-v1.schema.json", REPO / "usm_rules" / "schemas" / "usm-v1.schema.json"]
    schema = next((s for s in schemas if s.exists()), None)
    return Tools(usm, options, find_tool("check-jsonschema"), find_tool("yamllint"), schema)


def check_argv(tools: Tools, target: Path, *extra: str) -> list[str]:
    return [tools.usm, "check", str(target), "--format", "json", *extra]


def cold_options(tools: Tools, corpus: Corpus) -> tuple[list[str], Callable[[], None] | None]:
    """Options for a run without a cache: --no-cache, else an emptied --cache-dir, else none (no cache yet)."""
    if "--no-cache" in tools.options:
        return ["--no-cache"], None
    if "--cache-dir" in tools.options:
        empty = BENCH_STATE.work / "cache-cold" / corpus.path.name
        return ["--cache-dir", str(empty)], lambda: shutil.rmtree(empty, ignore_errors=True)
    return [], None


def warm_options(tools: Tools, corpus: Corpus) -> list[str] | None:
    if "--cache-dir" in tools.options:
        return ["--cache-dir", str(BENCH_STATE.work / "cache" / corpus.path.name)]
    return [] if "--no-cache" in tools.options else None


def check_jobs(tools: Tools, corpus: Corpus) -> list[Job]:
    cold, clear = cold_options(tools, corpus)
    argv = check_argv(tools, corpus.path, *cold)
    jobs = [Job("check", "check, cold", corpus.label, argv, before=clear)]
    if "--jobs" in tools.options:
        jobs.append(Job("check-j1", "check, cold, --jobs 1", corpus.label, [*argv, "--jobs", "1"], before=clear))
    else:
        jobs.append(Job("check-j1", "check, cold, --jobs 1", corpus.label, None, missing="no --jobs"))
    return jobs + cache_jobs(tools, corpus)


CACHE_LABELS = {"warm": "check, warm cache", "edited": "check, warm cache, 1 file edited"}


def cache_jobs(tools: Tools, corpus: Corpus) -> list[Job]:
    options = warm_options(tools, corpus)
    if options is None:
        return [Job(key, label, corpus.label, None, missing="no cache options") for key, label in CACHE_LABELS.items()]
    argv = check_argv(tools, corpus.path, *options)
    edited = edited_file(corpus)
    original = edited.read_bytes()

    def prime() -> None:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=BENCH_STATE.env)

    def prime_and_edit() -> None:
        prime()
        edited.write_bytes(original + EDIT.encode())

    def restore() -> None:
        edited.write_bytes(original)

    return [Job("warm", CACHE_LABELS["warm"], corpus.label, argv, before=prime),
            Job("edited", CACHE_LABELS["edited"], corpus.label, argv, before=prime_and_edit, after=restore)]


def edited_file(corpus: Corpus) -> Path:
    processes = sorted(corpus.path.rglob("recover.yaml"))
    return processes[0] if processes else sorted(corpus.path.rglob("*.yaml"))[0]


def single_document_files(corpus: Corpus) -> tuple[list[str], int]:
    """The files with one document (check-jsonschema reads no more), and how many files there are."""
    files = sorted(corpus.path.rglob("*.yaml"))
    single = [str(p) for p in files if not re.search(r"^---\s*$", p.read_text(encoding="utf-8"), re.MULTILINE)]
    return single, len(files)


def peer_jobs(tools: Tools, corpus: Corpus) -> list[Job]:
    jobs = []
    if tools.jsonschema and tools.schema:
        files, total = single_document_files(corpus)
        label = f"check-jsonschema, usm-v1 schema, {len(files)} of {total} files (single-document)"
        jobs.append(Job("check-jsonschema", label, corpus.label,
                        [tools.jsonschema, "--schemafile", str(tools.schema), *files]))
    else:
        jobs.append(Job("check-jsonschema", "check-jsonschema", corpus.label, None, missing="not installed"))
    argv = [tools.yamllint, "-d", "relaxed", str(corpus.path)] if tools.yamllint else None
    jobs.append(Job("yamllint", "yamllint -d relaxed", corpus.label, argv, missing="" if argv else "not installed"))
    return jobs


def corpus_jobs(tools: Tools, corpus: Corpus, keys: Iterable[str]) -> list[Job]:
    floor = Job("floor", "floor: PyYAML C compose_all", corpus.label,
                [sys.executable, "-c", FLOOR, str(corpus.path)], ok=ZERO_OK)
    jobs = [floor, *check_jobs(tools, corpus), *peer_jobs(tools, corpus)]
    wanted = set(keys)
    return [job for job in jobs if job.key in wanted]


def startup_jobs(tools: Tools, keys: Iterable[str]) -> list[Job]:
    model = Corpus("-", REPO / "sample_processes" / "reference")
    cold, _ = cold_options(tools, model)
    reference = [tools.usm, "check", str(model.path), *cold]
    warm = warm_options(tools, model)
    warm_argv = None if warm is None else [tools.usm, "check", str(model.path), *warm]

    def prime() -> None:
        assert warm_argv is not None
        subprocess.run(warm_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=BENCH_STATE.env)

    jobs = [Job("version", "usm-rules --version", "-", [tools.usm, "--version"], ok=ZERO_OK),
            Job("python", "python -c pass", "-", [sys.executable, "-c", "pass"], ok=ZERO_OK),
            Job("reference", "check sample_processes/reference, cold", "-", reference),
            Job("reference-warm", "check sample_processes/reference, warm cache", "-", warm_argv,
                missing="no cache options", before=prime)]
    wanted = set(keys)
    return [job for job in jobs if job.key in wanted]


# ---------------------------------------------------------------------------------------------
# Running and reporting

Results = dict[tuple[str, str], list[Run]]


def run_all(jobs: list[Job], repeat: int) -> Results:
    results: Results = {}
    for round_number in range(1, repeat + 1):
        for job in jobs:
            if job.argv is None:
                continue
            print(f"  round {round_number}/{repeat}: {job.label} [{job.corpus}]", file=sys.stderr, flush=True)
            results.setdefault((job.key, job.corpus), []).append(run_one(job))
    return results


def run_one(job: Job) -> Run:
    assert job.argv is not None
    try:
        if job.before:
            job.before()
        return measure(job.argv, job.ok, BENCH_STATE.env)
    finally:
        if job.after:
            job.after()


@dataclass(frozen=True)
class Summary:
    wall: float
    peak_mb: float
    failure: Run | None


def summarise(runs: list[Run]) -> Summary:
    """The best wall time and the largest peak of the successful runs; the first failure, if any."""
    good = [r for r in runs if not r.failed]
    failure = next((r for r in runs if r.failed), None)
    if not good:
        return Summary(math.nan, math.nan, failure)
    return Summary(min(r.wall for r in good), max(r.peak_mb for r in good), failure)


def value(results: Results, key: str, corpus: str) -> Summary | None:
    runs = results.get((key, corpus))
    return summarise(runs) if runs else None


def wall_of(results: Results, key: str, corpus: str) -> float | None:
    found = value(results, key, corpus)
    return found.wall if found and not found.failure else None


def table(jobs: list[Job], results: Results) -> list[str]:
    lines = ["| command | scale | wall s | peak RSS MB | × floor |", "| --- | --- | ---: | ---: | ---: |"]
    for job in jobs:
        lines.append(row(job, results))
    return lines


def row(job: Job, results: Results) -> str:
    head = f"| {job.label} | {job.corpus} |"
    if job.argv is None:
        return f"{head} n/a ({job.missing}) | n/a | |"
    found = value(results, job.key, job.corpus)
    if found is None:
        return f"{head} not run | | |"
    if found.failure:
        return f"{head} failed (exit {found.failure.code}) | | |"
    base = wall_of(results, "python" if job.corpus == "-" else "floor", job.corpus)
    ratio = f"{found.wall / base:.1f}" if base else ""
    return f"{head} {found.wall:.2f} | {found.peak_mb:.0f} | {ratio} |"


def failures(jobs: list[Job], results: Results) -> list[str]:
    lines = []
    for job in jobs:
        found = value(results, job.key, job.corpus)
        if found and found.failure:
            lines.append(f"- {job.label} [{job.corpus}] exit {found.failure.code}: {found.failure.error}")
    return lines


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class Target:
    what: str
    value: float | None
    goal: float
    unit: str = ""

    def line(self) -> str:
        if self.value is None:
            return f"| {self.what} | n/a | ≤ {self.goal:g}{self.unit} | n/a |"
        verdict = "met" if self.value <= self.goal else "missed"
        return f"| {self.what} | {self.value:.3g}{self.unit} | ≤ {self.goal:g}{self.unit} | {verdict} |"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def peak_of(results: Results, key: str, corpus: str) -> float | None:
    found = value(results, key, corpus)
    return found.peak_mb if found and not found.failure else None


def per_scale_targets(results: Results, label: str) -> list[Target]:
    cold = wall_of(results, "check", label)
    return [Target(f"check cold / floor, scale {label}", ratio(cold, wall_of(results, "floor", label)), 3),
            Target(f"peak RSS of cold check, scale {label}", peak_of(results, "check", label), 400, " MB"),
            Target(f"warm / cold, scale {label}", ratio(wall_of(results, "warm", label), cold), 0.2),
            Target(f"edited / cold, scale {label}", ratio(wall_of(results, "edited", label), cold), 0.3)]


def doubling_targets(results: Results, scales: list[float]) -> list[Target]:
    targets = []
    for small in scales:
        big = next((s for s in scales if math.isclose(s, 2 * small)), None)
        if big is None:
            continue
        a, b = f"{small:g}", f"{big:g}"
        targets += [Target(f"time(2x)/time(1x), scale {b} / {a}",
                           ratio(wall_of(results, "check", b), wall_of(results, "check", a)), 2.1),
                    Target(f"RSS(2x)/RSS(1x), scale {b} / {a}",
                           ratio(peak_of(results, "check", b), peak_of(results, "check", a)), 1.3)]
    return targets


def growth_exponent(results: Results, scales: list[float]) -> float | None:
    """Least-squares slope of log(check wall) over log(scale)."""
    points = [(math.log(s), math.log(w)) for s in scales if (w := wall_of(results, "check", f"{s:g}"))]
    if len({x for x, _ in points}) < 2:
        return None
    mx, my = (sum(p[i] for p in points) / len(points) for i in (0, 1))
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def targets(results: Results, scales: list[float]) -> list[Target]:
    found = [t for s in scales for t in per_scale_targets(results, f"{s:g}")]
    found += doubling_targets(results, scales)
    found += [Target("usm-rules --version / python -c pass",
                     ratio(wall_of(results, "version", "-"), wall_of(results, "python", "-")), 5),
              Target("reference model check wall, cold", wall_of(results, "reference", "-"), 0.25, " s"),
              Target("reference model check wall, warm cache", wall_of(results, "reference-warm", "-"), 0.25, " s"),
              Target("growth exponent of check time (log-log fit; ≤ log2 2.1)", growth_exponent(results, scales),
                     round(math.log2(2.1), 2))]
    return found


# ---------------------------------------------------------------------------------------------
# Command line


def parse_keys(only: str | None) -> list[str]:
    if not only:
        return list(ALL_KEYS)
    keys: list[str] = []
    for name in (n.strip() for n in only.split(",") if n.strip()):
        expanded = GROUPS.get(name, (name,))
        unknown = [k for k in expanded if k not in ALL_KEYS]
        if unknown:
            sys.exit(f"--only: unknown command {unknown[0]!r}; choose from {', '.join((*ALL_KEYS, *GROUPS))}")
        keys += expanded
    return keys


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,2", help="comma-separated scales [default: 1,2]; '' for none")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best wall time counts [default: 1]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/usm-bench"), help="corpora and caches")
    parser.add_argument("--only", help="run only these commands or groups, comma-separated")
    parser.add_argument("--stress", action="store_true", help="also a 10,000-file tree and a 20 MB file")
    return parser.parse_args()


def prepare(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    BENCH_STATE.work = work
    BENCH_STATE.env = {**os.environ, "XDG_CACHE_HOME": str(work / "xdg-cache")}
    shutil.rmtree(work / "cache", ignore_errors=True)


def plan(tools: Tools, scales: list[float], keys: list[str], stress: bool) -> list[Job]:
    corpus_keys = [k for k in CORPUS_KEYS if k in keys]
    jobs = []
    if corpus_keys:
        for scale in scales:
            jobs += corpus_jobs(tools, scaled_corpus(scale), corpus_keys)
    if stress and any(k in STRESS_KEYS for k in keys):
        for corpus in stress_corpora():
            jobs += corpus_jobs(tools, corpus, [k for k in STRESS_KEYS if k in keys])
    return jobs + startup_jobs(tools, keys)


def report(jobs: list[Job], results: Results, tools: Tools, scales: list[float]) -> None:
    options = ", ".join(sorted(tools.options)) or "none"
    print(f"\nusm-rules check options found: {options}; {os.cpu_count()} CPUs\n")
    print("\n".join(table(jobs, results)))
    print("\n× floor: wall time over the floor's on the same corpus; start-up rows: over `python -c pass`.")
    problems = failures(jobs, results)
    if problems:
        print("\nFailed commands:\n" + "\n".join(problems))
    print("\n| target | value | goal | verdict |\n| --- | ---: | ---: | --- |")
    print("\n".join(t.line() for t in targets(results, scales)))
    shown = next((j for j in jobs if j.key == "check" and j.argv), None)
    if shown and shown.argv:
        print(f"\ncheck command: {' '.join(shown.argv)}")


def main() -> None:
    args = parse_args()
    scales = sorted({float(s) for s in args.scales.split(",") if s.strip()})
    keys = parse_keys(args.only)
    prepare(args.work)
    tools = detect_tools()
    jobs = plan(tools, scales, keys, args.stress)
    results = run_all(jobs, args.repeat)
    report(jobs, results, tools, scales)


if __name__ == "__main__":
    main()
