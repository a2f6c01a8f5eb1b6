"""Comparing runs before and after the fixes, and mapping crash statements to findings (pure)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Dict, List, Optional

from .runner import BOOTSTRAP, CRASH, OK
from .scope import bound_names, out_of_scope

if BOOTSTRAP not in sys.path:
    sys.path.insert(0, BOOTSTRAP)
from k3l_harness_cells import cell_python, read_notebook, statement_span  # noqa: E402

REGRESSION = "REGRESSION"


def same_crash(a: dict, b: dict) -> bool:
    """Same exception type, and the same message or the same failing statement text."""
    if a.get("exception") != b.get("exception"):
        return False
    frame_a, frame_b = a.get("frame") or {}, b.get("frame") or {}
    return a.get("message") == b.get("message") or (bool(frame_a.get("text")) and frame_a.get("text") == frame_b.get("text"))


def transition(before: dict, after: dict) -> str:
    """`crash->ok`, `crash->crash (same)`, `crash->crash (new)`, `ok->crash REGRESSION`, ..."""
    a, b = before["status"], after["status"]
    if a == OK and b != OK:
        return f"{a}->{b} {REGRESSION}"
    if a == CRASH and b == CRASH:
        return "crash->crash (same)" if same_crash(before, after) else "crash->crash (new)"
    return f"{a}->{b}"


def is_regression(label: str) -> bool:
    return label.endswith(REGRESSION)


def _source_of(path: str, cell: Optional[int]) -> str:
    if cell is None:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    for number, source in read_notebook(path):
        if number == cell:
            return cell_python(source)[0]
    return ""


def crash_span(path: str, frame: Optional[dict]):
    """(cell, first, last): the lines of the statement the program crashed in."""
    if not frame:
        return None
    first, last = statement_span(_source_of(path, frame.get("cell")), frame["line"])
    return frame.get("cell"), first, last


def findings_at(findings: List[dict], span) -> List[str]:
    """Codes of the findings on the crash statement (same cell; rows overlapping the statement)."""
    if span is None:
        return []
    cell, first, last = span
    return sorted({f["code"] for f in findings if f.get("cell") == cell and f["row"] <= last and f["end_row"] >= first})


def summarize(records: List[dict]) -> Dict[str, object]:
    """The figures of a corpus run (see report.markdown for their meaning)."""
    counts: Counter = Counter()
    crash_statements = carried = outside = 0
    for record in records:
        runs = record["runs"]
        before = runs.get("before")
        if before is None:
            continue
        counts[f"before: {before['status']}"] += 1
        if record.get("lint_errors"):
            counts["keras3-lint errors (comparison not valid)"] += 1
        for mode in ("fix", "unsafe"):
            if mode in record.get("transitions", {}):
                label = record["transitions"][mode]
                counts[f"{mode}: {label}"] += 1
                if before["status"] == CRASH and runs[mode]["status"] == OK:
                    counts[f"{mode}: crash fixed"] += 1
                if is_regression(label):
                    counts[f"{mode}: regressions"] += 1
        seen = set()
        for mode, run in runs.items():
            if run["status"] != CRASH or run.get("frame") is None:
                continue
            key = (run.get("exception"), (run.get("frame") or {}).get("text"))
            if key in seen:
                continue  # the same crash in several variants counts once
            seen.add(key)
            crash_statements += 1
            if run.get("crash_findings"):
                carried += 1
            else:
                reason = out_of_scope(run, record.get("kind", "script"), program_names(record))
                counts[f"crash statements without a finding, out of scope: {reason}" if reason
                       else "crash statements without a finding, in scope"] += 1
                outside += bool(reason)
        if before["status"] == CRASH and "unsafe" in runs:
            after = runs["unsafe"]
            if after["status"] == CRASH and not after.get("crash_findings") and out_of_scope(
                    after, record.get("kind", "script"), program_names(record)):
                counts["unsafe: crash left, outside the tool's scope"] += 1
            elif after["status"] == CRASH:
                counts["unsafe: crash left, in scope"] += 1
                if _fixable_finding_at_crash(record, after):
                    counts["unsafe: crash left on a finding that has a fix (the fix did not help)"] += 1
    counts["crash statements"] = crash_statements
    counts["crash statements with a finding"] = carried
    if crash_statements:
        in_scope = crash_statements - outside
        counts["crash statements in scope with a finding (%)"] = round(100.0 * carried / in_scope, 1) if in_scope else 100.0
    return dict(sorted(counts.items()))


def program_names(record: dict):
    """The names the original program binds (None when its file is gone)."""
    path = record.get("path")
    if not path or not os.path.exists(path):
        return None
    if record.get("kind") == "notebook":
        return bound_names(cell_python(source)[0] for _, source in read_notebook(path))
    return bound_names([_source_of(path, None)])


def _fixable_finding_at_crash(record: dict, run: dict) -> bool:
    """A finding on the crash statement whose fix was offered (so the fixed run should not stop there)."""
    span = run.get("crash_span")
    if not span:
        return False
    cell, first, last = span
    return any(f.get("fix") and f.get("cell") == cell and f["row"] <= last and f["end_row"] >= first
               for f in record.get("findings", {}).get("unsafe", []))


def program_label(path: str, root: Optional[str] = None) -> str:
    return os.path.relpath(path, root) if root else os.path.basename(path)
