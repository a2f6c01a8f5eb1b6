#!/usr/bin/env python3
"""Runs Keras 2 programs on Keras 3 before and after `keras3-lint --fix` (and `--unsafe-fixes`).

    python scripts/run_programs.py PROGRAM.py NOTEBOOK.ipynb ... [--json out.json] [--markdown out.md]
    python scripts/run_programs.py --corpus scripts/program_corpus.txt --checkout DIR \
        [--materialize '/mirrors/{owner}+{name}/repo'] [--only REGEX] [--resume]

Each program runs in a fresh process of the evidence interpreter (.venv-evidence: keras 3.15.1,
TF 2.21 CPU, JAX 0.10.2), offline: Keras dataset loaders return small synthetic arrays, downloads
fail with an "offline" error, `fit` runs one short epoch (scripts/execution_harness/bootstrap). A run is ok /
crash / needs data / missing package / timeout; before -> after is crash->ok, crash->crash (same
or new) or ok->crash (a REGRESSION, printed with its diff). Each crash statement is matched
with keras3-lint's findings on it. Extra third-party packages a corpus needs (matplotlib, pandas,
...) can be given with --extra-path: they go AFTER site-packages, so they never replace numpy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from execution_harness import corpus, lint, pipeline, report  # noqa: E402
from execution_harness.compare import is_regression, transition  # noqa: E402
from execution_harness.runner import DEFAULT_PYTHON, reclassify, run_program  # noqa: E402


def _programs(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _, files in sorted(os.walk(path)):
                for name in sorted(files):
                    if name.endswith((".py", ".ipynb")):
                        yield os.path.join(folder, name), os.path.relpath(os.path.join(folder, name), path)
        else:
            yield path, os.path.basename(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="*", help=".py files, .ipynb notebooks or folders of them")
    parser.add_argument("--corpus", help="a corpus list (scripts/program_corpus.txt)")
    parser.add_argument("--checkout", help="folder holding the corpus files (owner+name/path)")
    parser.add_argument("--materialize", metavar="GIT_DIR_PATTERN", help="write missing corpus files from bare git dirs, e.g. '/m/{owner}+{name}/repo'")
    parser.add_argument("--only", help="regular expression on program labels")
    parser.add_argument("--limit", type=int, help="at most this many programs")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="interpreter with Keras 3 (default: .venv-evidence)")
    parser.add_argument("--linter", default=lint.DEFAULT_LINTER, help="keras3-lint executable (default: .venv/bin/keras3-lint)")
    parser.add_argument("--backend", default="tensorflow", choices=("tensorflow", "jax", "torch", "numpy"))
    parser.add_argument("--keras-path", help="a folder with another keras version, put ahead of site-packages")
    parser.add_argument("--extra-path", help="folders of extra packages (os.pathsep-separated), after site-packages")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run (default 120)")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the runs (default 10; 0: none)")
    parser.add_argument("--modes", default="before,fix,unsafe", help="comma-separated: before,fix,unsafe")
    parser.add_argument("--json", help="results file (written after every program)")
    parser.add_argument("--markdown", help="table file")
    parser.add_argument("--reuse-before", metavar="JSON", help="take the `before` runs from an earlier results file (the programs are unchanged; their findings are recomputed)")
    parser.add_argument("--resume", action="store_true", help="keep programs already in --json (unless keras3-lint failed on them) and skip them")
    args = parser.parse_args(argv)

    items = list(_programs(args.programs))
    if args.corpus:
        if not args.checkout:
            parser.error("--corpus needs --checkout")
        entries = corpus.read(args.corpus)
        if args.materialize:
            corpus.materialize(entries, args.checkout, args.materialize)
        items += [(e.local(args.checkout), e.label) for e in entries]
    if args.only:
        items = [(p, label) for p, label in items if re.search(args.only, label)]
    if args.limit:
        items = items[: args.limit]
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())

    records = []
    if args.resume and args.json and os.path.exists(args.json):
        with open(args.json, encoding="utf-8") as handle:
            records = json.load(handle)["programs"]
        # A record made while keras3-lint failed compares nothing: run it again.
        records = [_reclassified(r) for r in records if not r.get("lint_errors")]
    done = {r["program"] for r in records}
    earlier = {}
    if args.reuse_before:
        with open(args.reuse_before, encoding="utf-8") as handle:
            earlier = {r["program"]: r["runs"]["before"] for r in json.load(handle)["programs"] if "before" in r.get("runs", {})}

    def run(path):
        return run_program(path, python=args.python, backend=args.backend, timeout=args.timeout,
                           keras_path=args.keras_path, extra_path=args.extra_path, nice=args.nice)

    for path, label in items:
        if label in done:
            continue
        if not os.path.exists(path):
            print(f"{label}: missing ({path})", file=sys.stderr)
            continue
        record = pipeline.evaluate(path, label, run=run, linter=args.linter, backend=args.backend, modes=modes,
                                   earlier_before=earlier.get(label) if "before" in modes else None)
        records.append(record)
        statuses = " -> ".join(f"{m}: {record['runs'][m]['status']}" for m in modes)
        print(f"{label}: {statuses}", flush=True)
        for mode, label_ in record.get("transitions", {}).items():
            if is_regression(label_):
                print(f"  {mode}: {label_}\n{record['diffs'][mode]}", flush=True)
        if args.json:
            _write_json(args, records)
    if args.json:
        _write_json(args, records)
    table = report.markdown(records)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(table)
    else:
        print(table)
    regressions = sum(is_regression(t) for r in records for t in r.get("transitions", {}).values())
    return 1 if regressions else 0


def _reclassified(record):
    """A stored record under the current classification rules (statuses and transitions)."""
    runs = {mode: reclassify(run) for mode, run in record.get("runs", {}).items()}
    record = dict(record, runs=runs)
    if "before" in runs:
        record["transitions"] = {mode: transition(runs["before"], run) for mode, run in runs.items() if mode != "before"}
    return record


def _write_json(args, records) -> None:
    settings = {"backend": args.backend, "python": args.python, "keras_path": args.keras_path, "timeout": args.timeout}
    from execution_harness.compare import summarize

    with open(args.json + ".tmp", "w", encoding="utf-8") as handle:
        json.dump({"settings": settings, "summary": summarize(records), "programs": records}, handle, indent=1)
    os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    sys.exit(main())
