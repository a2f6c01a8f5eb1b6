"""One program through the whole comparison: lint, fix copies, run each, compare."""

from __future__ import annotations

import shutil
import tempfile
from typing import Callable, Dict, Optional

from . import compare, lint
from .runner import CRASH, run_program


def evaluate(program: str, label: str, run: Callable[[str], dict] = run_program, linter: str = lint.DEFAULT_LINTER,
             backend: str = "tensorflow", modes=lint.MODES, keep: Optional[str] = None,
             earlier_before: Optional[dict] = None) -> Dict[str, object]:
    """Runs `program` as it is and after `--fix` / `--fix --unsafe-fixes`, and compares the runs.

    `run(path)` runs one file (runner.run_program with the chosen interpreter, backend, timeout).
    A variant whose code equals the previous one is not run again: its result is reused.
    `earlier_before` is an earlier run of the unchanged program (`--reuse-before`): it stands for
    the `before` run, while the findings on its crash statement come from this keras3-lint.
    """
    workdir = keep or tempfile.mkdtemp(prefix="k3l-harness-")
    record: Dict[str, object] = {"program": label, "path": program, "kind": "notebook" if program.endswith(".ipynb") else "script"}
    try:
        variants = lint.variants(program, workdir, linter=linter, backend=backend, modes=modes)
        runs: Dict[str, dict] = {}
        previous = None
        for mode in modes:
            variant = variants[mode]
            if mode == "before" and earlier_before is not None:
                runs[mode] = {k: v for k, v in earlier_before.items() if k not in ("crash_span", "crash_findings")}
            elif previous is not None and not _differs(variants, previous, mode):
                runs[mode] = dict(runs[previous], reused=previous)
            else:
                runs[mode] = run(variant["path"])
            result = runs[mode]
            if result["status"] == CRASH:
                span = compare.crash_span(variant["path"], result.get("frame"))
                result["crash_span"] = list(span) if span else None
                result["crash_findings"] = compare.findings_at(variant["findings"], span)
            previous = mode
        record["runs"] = runs
        record["findings"] = {mode: variants[mode]["findings"] for mode in modes}
        record["lint_errors"] = {mode: variants[mode]["lint_error"] for mode in modes if variants[mode]["lint_error"]}
        record["diffs"] = {mode: variants[mode]["diff"] for mode in modes if mode != "before"}
        if "before" in runs:
            record["transitions"] = {mode: compare.transition(runs["before"], runs[mode]) for mode in modes if mode != "before"}
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return record


def _differs(variants, previous: str, mode: str) -> bool:
    with open(variants[previous]["path"], "rb") as a, open(variants[mode]["path"], "rb") as b:
        return a.read() != b.read()
