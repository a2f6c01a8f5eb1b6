"""Checking many files: the one loop every front-end that takes paths goes through.

Isolation: a bug while checking one file becomes an internal-error note for that file; the run
goes on. (Caching and parallelism belong here too.)
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

from .config import Settings
from .diagnostics import FileResult
from .runner import RunOptions, check_file


@dataclass
class BatchOutcome:
    results: List[FileResult] = field(default_factory=list)
    internal_errors: List[str] = field(default_factory=list)  # one message per failed file


def _check_isolated(path: str, settings: Settings, options: RunOptions) -> "tuple[Optional[FileResult], Optional[str]]":
    try:
        return check_file(path, settings, options), None
    except Exception:  # a bug in a rule must not end the run
        detail = traceback.format_exc() if os.environ.get("KERAS3_LINT_DEBUG") else ""
        message = (
            f"internal error while checking {path}; please report it "
            f"(set KERAS3_LINT_DEBUG=1 for details){os.linesep if detail else ''}{detail}"
        )
        return None, message


def run_files(
    files: Sequence[str],
    settings: Settings,
    options: RunOptions,
    progress: Optional[Callable[[int, int], None]] = None,
    use_cache: bool = True,
    jobs: Optional[int] = None,
) -> BatchOutcome:
    """Check ``files``; results come back in the order of ``files``. ``progress(done, total)``
    is called after each file. ``use_cache`` / ``jobs`` (None: automatic) are honoured once the
    cache and the process pool exist."""
    outcome = BatchOutcome()
    total = len(files)
    for done, path in enumerate(files, start=1):
        result, error = _check_isolated(path, settings, options)
        if result is not None:
            outcome.results.append(result)
        if error is not None:
            outcome.internal_errors.append(error)
        if progress is not None:
            progress(done, total)
    return outcome
