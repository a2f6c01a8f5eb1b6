"""What would be left after the fixes: run them in memory and count what the fixed code still reports.

A finding's own fix is a poor guide to the work left: in a notebook that calls
`tf.random.set_seed` 136 times, every call is reported until the first one is fixed, and then
they all go. So `report` and the summary of a check count the findings that would remain after
`--fix` and after `--fix --unsafe-fixes`, by fixing in memory (``--diff`` mode: nothing is
written) the files that have something to fix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence

from .config import Settings
from .diagnostics import Diagnostic, FileResult
from .runner import RunOptions


@dataclass
class Outlook:
    """Findings before any fix, after the safe fixes, and after all fixes, per file."""

    before: Dict[str, List[Diagnostic]] = field(default_factory=dict)
    after_safe: Dict[str, List[Diagnostic]] = field(default_factory=dict)
    after_all: Dict[str, List[Diagnostic]] = field(default_factory=dict)

    def count(self, stage: str, code: Optional[str] = None, path: Optional[str] = None) -> int:
        table: Dict[str, List[Diagnostic]] = getattr(self, stage)
        paths = [path] if path is not None else list(table)
        return sum(1 for p in paths for d in table.get(p, ()) if code is None or d.code == code)

    def resolved(self) -> Dict[str, Counter]:
        """Per code: how many findings the safe fixes remove ("safe"), how many more the unsafe
        ones remove ("unsafe"), how many remain ("manual"). A fix that makes another rule fire
        cannot make a count negative."""
        out: Dict[str, Counter] = {}
        codes = {d.code for found in self.before.values() for d in found}
        for code in codes:
            before = self.count("before", code)
            safe_left = min(before, self.count("after_safe", code))
            all_left = min(safe_left, self.count("after_all", code))
            out[code] = Counter(safe=before - safe_left, unsafe=safe_left - all_left, manual=all_left)
        return out


def _fixable(found: Sequence[Diagnostic], unsafe: bool) -> bool:
    return any(d.fix is not None and d.fix.edits and d.fix.applies(unsafe) for d in found)


def _remaining(result: FileResult) -> List[Diagnostic]:
    return list(result.after_fix if result.after_fix is not None else result.diagnostics)


def fix_outlook(
    results: Sequence[FileResult],
    settings: Settings,
    options: RunOptions,
    run_files,
    use_cache: bool = True,
    jobs: Optional[int] = None,
) -> Outlook:
    """``results`` of a check (no fixes applied); ``run_files`` is ``batch.run_files`` (passed in so
    this module stays free of the process pool). Only files with something to fix are re-run."""
    outlook = Outlook()
    for result in results:
        outlook.before[result.path] = list(result.diagnostics)
        outlook.after_safe[result.path] = list(result.diagnostics)
        outlook.after_all[result.path] = list(result.diagnostics)
    for stage, unsafe in (("after_safe", False), ("after_all", True)):
        paths = [r.path for r in results if _fixable(r.diagnostics, unsafe)]
        if not paths:
            continue
        diff_options = replace(options, fix=False, diff=True, unsafe_fixes=unsafe)
        batch = run_files(paths, settings, diff_options, use_cache=use_cache, jobs=jobs)
        table = getattr(outlook, stage)
        for fixed in batch.results:
            table[fixed.path] = _remaining(fixed)
    return outlook
