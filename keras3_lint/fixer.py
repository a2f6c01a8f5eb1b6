"""Applying fixes to a text: non-overlapping edits per round, rounds until nothing changes.

Invariants (tested over every fixture): the result always parses (an edit set whose result does
not parse is dropped, and the caller is told); fixes converge; text outside the edits is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List, Sequence, Tuple

import libcst as cst

from .diagnostics import Diagnostic, Edit

MAX_ROUNDS = 10


@dataclass
class FixOutcome:
    text: str
    applied: int = 0
    refused: List[str] = field(default_factory=list)  # codes whose fix produced invalid code


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    pieces = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[cursor:edit.start])
        pieces.append(edit.content)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _choose(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool) -> List[Diagnostic]:
    """Fixes that can go in one round: the first of any overlapping group wins."""
    chosen: List[Diagnostic] = []
    taken: List[Tuple[int, int]] = []
    candidates = [d for d in diagnostics if d.fix is not None and d.fix.applies(unsafe_fixes) and d.fix.edits]
    candidates.sort(key=lambda d: (d.fix.edits[0].start, d.code))
    for diagnostic in candidates:
        spans = [(e.start, e.end) for e in diagnostic.fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        chosen.append(diagnostic)
        taken.extend(spans)
    return chosen


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    # Touching insertions at the same point conflict too: their order would be arbitrary.
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def fix_text(
    text: str,
    lint: Callable[[str], List[Diagnostic]],
    unsafe_fixes: bool,
) -> FixOutcome:
    """Lint, apply a round of fixes, re-lint, until no applicable fix is left."""
    outcome = FixOutcome(text)
    refused_keys = set()
    for _ in range(MAX_ROUNDS):
        diagnostics = [d for d in lint(outcome.text) if (d.code, d.row, d.column) not in refused_keys]
        chosen = _choose(diagnostics, unsafe_fixes)
        if not chosen:
            break
        candidate = apply_edits(outcome.text, [e for d in chosen for e in d.fix.edits])
        if _parses(candidate):
            outcome.text, outcome.applied = candidate, outcome.applied + len(chosen)
            continue
        # Find the culprit(s): apply one fix at a time, keep the ones that still parse.
        for diagnostic in chosen:
            single = apply_edits(outcome.text, diagnostic.fix.edits)
            if _parses(single):
                outcome.text, outcome.applied = single, outcome.applied + 1
                break  # offsets of the others are stale now; re-lint
            refused_keys.add((diagnostic.code, diagnostic.row, diagnostic.column))
            outcome.refused.append(diagnostic.code)
    return outcome
