#!/usr/bin/env python3
"""Benchmark keras3-lint against a bare LibCST parse, flake8 and TorchFix on the same files.

Not a test: run it by hand, e.g.

    python scripts/benchmark.py                       # both corpora, 3 repeats, best time kept
    python scripts/benchmark.py --corpus tfk --repeat 5
    python scripts/benchmark.py --crossover           # also: where the process pool starts to pay

Corpora (each copied into the work folder first, so the cache and TorchFix's copies live there):

- ``tfk``: the Keras 2 sources of the tf-keras 2.21.0 wheel (``--tfk DIR``, else
  ``pip download --no-deps tf-keras==2.21.0`` and unzip);
- ``keras``: the Keras 3 sources of the keras 3.15.1 wheel (``--keras DIR``, else downloaded).

flake8 (its default plugins only) and TorchFix run from virtual environments this script
creates in the work folder (or ``--flake8-venv`` / ``--torchfix-venv``). TorchFix runs on copies
of the files with ``import torch`` prepended, or its pre-filter would skip every file.

Every command runs as a child process; wall time is the best of ``--repeat`` runs, peak memory
is the largest resident set of any process of the command (``getrusage`` of the children) and
the largest sum over the process tree, sampled every 20 ms (forked workers share pages, so the
sum overstates).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = sys.executable

WHEELS = {"tfk": ("tf-keras==2.21.0", "tf_keras"), "keras": ("keras==3.15.1", "keras")}

# Runs one command in a child and reports the children's peak RSS (KiB on Linux).
_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)

_BARE_PARSE = (
    "import os, sys, libcst\n"
    "for directory, _, names in os.walk(sys.argv[1]):\n"
    "    for name in sorted(names):\n"
    "        if name.endswith('.py'):\n"
    "            with open(os.path.join(directory, name), 'rb') as handle:\n"
    "                data = handle.read()\n"
    "            try:\n"
    "                libcst.parse_module(data)\n"
    "            except Exception:\n"
    "                pass\n"
)


def _tree_rss_kib(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(argv: Sequence[str], cwd: Optional[str] = None) -> Dict[str, float]:
    """Wall seconds, the largest single-process RSS and the largest process-tree RSS (MB)."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", _RUSAGE_WRAPPER, *argv], cwd=cwd, stdout=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    rc, maxrss = out.split()
    return {"wall": wall, "rss_mb": int(maxrss) / 1024, "tree_mb": peak[0] / 1024, "rc": int(rc)}


def best(argv: Sequence[str], repeat: int, cwd: Optional[str] = None, before=None) -> Dict[str, float]:
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(measure(argv, cwd))
    walls = [r["wall"] for r in runs]
    return {
        "wall": min(walls),
        "median": statistics.median(walls),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "tree_mb": max(r["tree_mb"] for r in runs),
        "rc": runs[-1]["rc"],
    }


def ensure_venv(path: Optional[str], work: str, name: str, packages: Sequence[str], exe: str) -> str:
    if path is None:
        path = os.path.join(work, f"{name}-venv")
    binary = os.path.join(path, "bin", exe)
    if not os.path.exists(binary):
        print(f"# creating {path} with {' '.join(packages)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([os.path.join(path, "bin", "pip"), "install", "-q", *packages], check=True)
    return binary


def ensure_corpus(name: str, given: Optional[str], work: str) -> str:
    """A private copy of the corpus sources in the work folder (a folder with the package)."""
    requirement, package = WHEELS[name]
    target = os.path.join(work, f"corpus-{name}")
    if os.path.isdir(target):
        return target
    if given is None:
        download = os.path.join(work, "downloads")
        os.makedirs(download, exist_ok=True)
        wheels = glob.glob(os.path.join(download, f"{package}-*.whl"))
        if not wheels:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", requirement, "-d", download], check=True)
            wheels = glob.glob(os.path.join(download, f"{package}-*.whl"))
        given = os.path.join(work, f"unzipped-{name}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(given)
    source = os.path.join(given, package) if os.path.isdir(os.path.join(given, package)) else given
    shutil.copytree(source, os.path.join(target, package))
    return target


def torch_copy(corpus: str, work: str, name: str) -> str:
    target = os.path.join(work, f"torchfix-{name}")
    if os.path.isdir(target):
        return target
    for directory, _, names in os.walk(corpus):
        for file_name in names:
            if not file_name.endswith(".py"):
                continue
            source = os.path.join(directory, file_name)
            destination = os.path.join(target, os.path.relpath(source, corpus))
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            with open(source, "rb") as handle:
                data = handle.read()
            with open(destination, "wb") as handle:
                handle.write(b"import torch\n" + data)
    return target


def corpus_stats(corpus: str) -> Tuple[int, int]:
    files = size = 0
    for directory, _, names in os.walk(corpus):
        for file_name in names:
            if file_name.endswith(".py"):
                files += 1
                size += os.path.getsize(os.path.join(directory, file_name))
    return files, size


def lint_argv(corpus: str, *extra: str) -> List[str]:
    return [PY, "-m", "keras3_lint", "check", corpus, "--exit-zero", "--output-format", "json", *extra]


def bench_corpus(name: str, corpus: str, args, flake8: str, torchfix: str) -> Dict[str, Dict[str, float]]:
    repeat = args.repeat
    cache = os.path.join(corpus, ".keras3_lint_cache")

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    rows: Dict[str, Dict[str, float]] = {}
    rows["keras3-lint cold, 1 process (--no-cache --jobs 1)"] = best(lint_argv(corpus, "--no-cache", "--jobs", "1"), repeat)
    rows["keras3-lint cold, default (--no-cache)"] = best(lint_argv(corpus, "--no-cache"), repeat)
    rows["keras3-lint cold, default, writing the cache"] = best(lint_argv(corpus), repeat, before=drop_cache)
    measure(lint_argv(corpus))  # populate
    rows["keras3-lint warm (cache populated)"] = best(lint_argv(corpus), repeat)
    rows["bare libcst.parse_module, 1 process"] = best([PY, "-c", _BARE_PARSE, corpus], repeat)
    if flake8:
        rows["flake8 (default plugins, default jobs)"] = best([flake8, "--exit-zero", corpus], repeat)
    if torchfix:
        copy = torch_copy(corpus, args.work, name)
        rows["TorchFix (default jobs)"] = best([torchfix, copy], repeat)
    return rows


def crossover(args) -> None:
    """Serial vs pool wall time for growing slices of the tf-keras corpus (no cache)."""
    corpus = ensure_corpus("tfk", args.tfk, args.work)
    files = []
    for directory, _, names in os.walk(corpus):
        files.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(".py"))
    files.sort()
    code = (
        "import sys, time, json\n"
        "from keras3_lint.batch import run_files\n"
        "from keras3_lint.config import Settings\n"
        "from keras3_lint.registry import all_codes\n"
        "from keras3_lint.runner import RunOptions, enabled_for\n"
        "files = json.load(open(sys.argv[1])); jobs = int(sys.argv[2])\n"
        "s = Settings(root=sys.argv[3]); o = RunOptions(enabled=enabled_for(s, all_codes()))\n"
        "run_files(files[:1], s, o, use_cache=False, jobs=1)\n"  # imports and first-use costs out
        "t = time.perf_counter(); run_files(files, s, o, use_cache=False, jobs=jobs)\n"
        "print(time.perf_counter() - t)\n"
    )
    print("\n## crossover: one process vs a pool of 2 (seconds, best of", args.repeat, ")")
    print(f"{'files':>6} {'kB':>7} {'serial':>8} {'pool':>8} {'pool/serial':>12}")
    import random

    rng = random.Random(0)
    for count in (2, 4, 8, 16, 32, 64, 128):
        sample = rng.sample(files, count)
        size = sum(os.path.getsize(f) for f in sample)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(sample, handle)
        timings = {}
        for jobs in (1, 2):
            timings[jobs] = min(
                float(subprocess.run([PY, "-c", code, handle.name, str(jobs), corpus], capture_output=True, text=True, check=True).stdout)
                for _ in range(args.repeat)
            )
        os.unlink(handle.name)
        print(f"{count:>6} {size // 1000:>7} {timings[1]:>8.3f} {timings[2]:>8.3f} {timings[2] / timings[1]:>12.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["tfk", "keras", "both"], default="both")
    parser.add_argument("--tfk", help="unzipped tf-keras 2.21.0 wheel (default: download)")
    parser.add_argument("--keras", help="unzipped keras 3.15.1 wheel (default: download)")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "keras3-lint-bench"))
    parser.add_argument("--flake8-venv", help="a virtual environment with flake8 and nothing else")
    parser.add_argument("--torchfix-venv", help="a virtual environment with torchfix")
    parser.add_argument("--no-flake8", action="store_true")
    parser.add_argument("--no-torchfix", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--crossover", action="store_true", help="also measure where the pool starts to pay")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.environ["PYTHONPATH"] = ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")

    flake8 = "" if args.no_flake8 else ensure_venv(args.flake8_venv, args.work, "flake8", ["flake8"], "flake8")
    torchfix = "" if args.no_torchfix else ensure_venv(args.torchfix_venv, args.work, "torchfix", ["torchfix"], "torchfix")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"# {cpus} CPUs; Python {sys.version.split()[0]}; best of {args.repeat} runs; memory: largest process / process tree")

    figures = {}
    names = ["tfk", "keras"] if args.corpus == "both" else [args.corpus]
    for name in names:
        corpus = ensure_corpus(name, args.tfk if name == "tfk" else args.keras, args.work)
        files, size = corpus_stats(corpus)
        rows = bench_corpus(name, corpus, args, flake8, torchfix)
        figures[name] = rows
        print(f"\n## {name}: {files} files, {size / 1e6:.1f} MB ({corpus})")
        print(f"{'command':<52} {'best s':>7} {'median':>7} {'max RSS':>8} {'tree RSS':>9}")
        for label, row in rows.items():
            print(f"{label:<52} {row['wall']:>7.2f} {row['median']:>7.2f} {row['rss_mb']:>6.0f}MB {row['tree_mb']:>7.0f}MB")
        cold1 = rows["keras3-lint cold, 1 process (--no-cache --jobs 1)"]["wall"]
        cold = rows["keras3-lint cold, default (--no-cache)"]["wall"]
        warm = rows["keras3-lint warm (cache populated)"]["wall"]
        parse = rows["bare libcst.parse_module, 1 process"]["wall"]
        print(f"cold default / bare parse      {cold / parse:6.2f}x   (target <= 1.0)")
        print(f"cold 1 process / bare parse    {cold1 / parse:6.2f}x")
        print(f"cold 1 process / cold default  {cold1 / cold:6.2f}x   (pool speed-up)")
        if torchfix:
            print(f"TorchFix / cold default        {rows['TorchFix (default jobs)']['wall'] / cold:6.2f}x   (target >= 10)")
        if flake8:
            print(f"flake8 / cold default          {rows['flake8 (default plugins, default jobs)']['wall'] / cold:6.2f}x")
        print(f"warm / cold default            {100 * warm / cold:6.1f}%   (target <= 5%)")
        peak = max(rows[k]["rss_mb"] for k in rows if k.startswith("keras3-lint"))
        tree = max(rows[k]["tree_mb"] for k in rows if k.startswith("keras3-lint"))
        print(f"keras3-lint peak memory        {peak:6.0f} MB per process, {tree:.0f} MB process tree (target <= 300)")
    if args.crossover:
        crossover(args)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
