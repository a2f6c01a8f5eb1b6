#!/usr/bin/env python3
"""Real-world sweep: run keras3-lint over folders of public repositories with Keras 2 code.

Not a test, and the repositories are never committed: fetch them for the run (e.g. shallow
clones into a scratch folder) and point this script at them:

    python scripts/sweep.py /scratch/repos/*            # each argument: one repository folder
    python scripts/sweep.py --work /tmp/sweep /work/realworld/*

For each repository, on a private copy (the given folders are only read):

1. ``keras3-lint check`` (JSON): findings, internal errors, tracebacks;
2. ``keras3-lint check --fix --unsafe-fixes``: files changed; every ``.py`` file that parsed
   before (``ast.parse``) must still parse;
3. a second ``--fix --unsafe-fixes`` must change nothing.

Prints one row per repository and exits 1 if any repository broke an invariant.
"""

from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def lint(folder: str, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONIOENCODING="utf-8")
    env.pop("KERAS3_LINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "keras3_lint", "check", folder, "--no-cache", "--output-format", "json", *extra],
        capture_output=True, text=True, encoding="utf-8", errors="replace", env=env,
    )


def python_files(folder: str) -> List[str]:
    out = []
    for directory, dirnames, names in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".keras3_lint_cache")]
        out.extend(os.path.join(directory, n) for n in names if n.endswith(".py") and os.path.isfile(os.path.join(directory, n)))
    return sorted(out)


def snapshot(files: List[str]) -> Dict[str, str]:
    out = {}
    for path in files:
        with open(path, "rb") as handle:
            out[path] = hashlib.sha256(handle.read()).hexdigest()
    return out


def parses(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def problems_in(proc: subprocess.CompletedProcess) -> List[str]:
    lines = [line for line in proc.stderr.splitlines() if "internal error" in line or "Traceback" in line]
    if "Traceback" in proc.stdout:
        lines.append("traceback on stdout")
    if proc.returncode not in (0, 1):
        lines.append(f"exit status {proc.returncode}")
    return lines


def sweep(repo: str, work: str) -> Dict[str, object]:
    name = os.path.basename(os.path.normpath(repo))
    copy = os.path.join(work, name)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(repo, copy, symlinks=True)
    files = python_files(copy)
    size = sum(os.path.getsize(f) for f in files)
    parsed_before = {f for f in files if parses(f)}

    start = time.perf_counter()
    check = lint(copy)
    check_seconds = time.perf_counter() - start
    problems = problems_in(check)
    try:
        findings = json.loads(check.stdout or "[]")
    except ValueError:
        findings, problems = [], problems + ["stdout is not JSON"]
    codes = collections.Counter(f["code"] for f in findings)
    tool_codes = sum(n for c, n in codes.items() if c in ("KRS001", "KRS002", "KRS003", "KRS005"))

    before = snapshot(files)
    start = time.perf_counter()
    fixed = lint(copy, "--fix", "--unsafe-fixes")
    fix_seconds = time.perf_counter() - start
    problems += problems_in(fixed)
    refused = sum(1 for line in fixed.stderr.splitlines() if "would have produced invalid Python" in line)
    after = snapshot(files)
    changed = [f for f in files if before[f] != after[f]]
    broken = sorted(os.path.relpath(f, copy) for f in parsed_before if not parses(f))

    again = lint(copy, "--fix", "--unsafe-fixes")
    problems += problems_in(again)
    unstable = sorted(os.path.relpath(f, copy) for f, digest in snapshot(files).items() if digest != after[f])
    return {
        "repo": name, "files": len(files), "kB": size // 1000, "parse_fail": len(files) - len(parsed_before),
        "findings": len(findings), "tool_diags": tool_codes, "codes": dict(codes.most_common()),
        "check_s": round(check_seconds, 2), "fix_s": round(fix_seconds, 2),
        "fixed_files": len(changed), "refused": refused, "broken": broken, "unstable": unstable,
        "problems": problems,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repos", nargs="+", help="repository folders (only read)")
    parser.add_argument("--work", default=None, help="scratch folder for the copies (default: a temp folder, removed)")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="keras3-lint-sweep-")
    os.makedirs(work, exist_ok=True)
    rows = []
    try:
        for repo in args.repos:
            if os.path.isdir(repo):
                rows.append(sweep(repo, work))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    header = f"{'repository':<36} {'.py':>5} {'kB':>6} {'!ast':>5} {'finds':>6} {'KRS00x':>6} {'check s':>8} {'fix s':>6} {'fixed':>6} {'refused':>7} {'broken':>6} {'2nd fix':>7} {'crashes':>7}"
    print(header)
    for r in rows:
        print(
            f"{r['repo']:<36} {r['files']:>5} {r['kB']:>6} {r['parse_fail']:>5} {r['findings']:>6} {r['tool_diags']:>6} "
            f"{r['check_s']:>8} {r['fix_s']:>6} {r['fixed_files']:>6} {r['refused']:>7} {len(r['broken']):>6} {len(r['unstable']):>7} {len(r['problems']):>7}"
        )
    print("\nfindings per code:")
    for r in rows:
        print(f"  {r['repo']}: {', '.join(f'{c} {n}' for c, n in r['codes'].items()) or '-'}")
    bad = [r for r in rows if r["broken"] or r["unstable"] or r["problems"]]
    for r in bad:
        print(f"\n{r['repo']}: broken by fix {r['broken']}; changed by a second fix {r['unstable']}; {r['problems'][:5]}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)
    total_files = sum(r["files"] for r in rows)
    print(f"\n{len(rows)} repositories, {total_files} .py files: {len(bad)} with a broken invariant")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
