"""The core every front-end calls: check (and optionally fix) one file or one text.

The CLI, the flake8 plugin and the pre-commit hook all go through ``check_text`` so they give
identical diagnostics, positions and suppressions.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Tuple, Type

from .config import Settings
from .diagnostics import Diagnostic, FileResult
from .engine import LintOptions, lint_text
from .fixer import fix_text
from .noqa import find_noqa, split_suppressed
from .registry import all_rules
from .rule import Rule
from .selection import enabled_codes
from .source import DecodeError, decode, encode, write_atomic

DECODE_ERROR = "KRS002"
IO_ERROR = "KRS003"
UNUSED_NOQA = "KRS004"


@dataclass(frozen=True)
class RunOptions:
    enabled: FrozenSet[str]
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute fixes but do not write


def enabled_for(settings: Settings, codes, select=None, ignore=(), extend_select=()) -> FrozenSet[str]:
    return frozenset(
        enabled_codes(
            codes,
            select if select is not None else settings.select,
            tuple(settings.ignore) + tuple(ignore),
            tuple(settings.extend_select) + tuple(extend_select),
        )
    )


def _rules_for(enabled: FrozenSet[str]) -> Tuple[Type[Rule], ...]:
    return tuple(rule for rule in all_rules() if rule.code in enabled)


def check_text(text: str, settings: Settings, enabled: FrozenSet[str], path: str = "") -> List[Diagnostic]:
    """Diagnostics for a text after selection, per-file ignores and ``# noqa``."""
    if path:
        ignored = settings.ignored_for(path)
        enabled = frozenset(c for c in enabled if not any(c.startswith(p) for p in ignored))
    options = LintOptions(rules=_rules_for(enabled), backends=settings.backends, keras_version=settings.keras_version)
    diagnostics = [d for d in lint_text(text, options) if d.code in enabled or d.code == "KRS001"]
    noqa = find_noqa(text)
    if not noqa:
        return diagnostics
    kept, used = split_suppressed(diagnostics, noqa)
    if UNUSED_NOQA in enabled:
        for row, comment in sorted(noqa.items()):
            if comment.codes is None:
                continue
            unused = sorted(
                c for c in comment.codes
                if c.startswith("KRS") and c in enabled and c != UNUSED_NOQA and c not in used.get(row, ())
            )
            if unused:
                kept.append(
                    Diagnostic(
                        UNUSED_NOQA,
                        f"Unused `noqa` directive (nothing reported here for: {', '.join(unused)})",
                        row, comment.column, row, comment.column,
                    )
                )
    return kept


def check_file(path: str, settings: Settings, options: RunOptions) -> FileResult:
    if path.endswith(".ipynb"):
        from .notebook import check_notebook  # notebooks: one source unit per code cell

        return check_notebook(path, settings, options)
    result = FileResult(path=path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        result.diagnostics.append(Diagnostic(IO_ERROR, f"Cannot read file: {reason}", 1, 1, 1, 1, path=path))
        return result
    try:
        decoded = decode(data)
    except DecodeError as exc:
        result.diagnostics.append(Diagnostic(DECODE_ERROR, f"Cannot decode file: {exc}", 1, 1, 1, 1, path=path))
        return result
    text = decoded.text
    if "\0" in text:
        result.diagnostics.append(
            Diagnostic(DECODE_ERROR, "Cannot decode file: it contains NUL bytes (binary data?)", 1, 1, 1, 1, path=path)
        )
        return result

    def lint(current: str) -> List[Diagnostic]:
        return check_text(current, settings, options.enabled, path)

    if options.fix or options.diff:
        outcome = fix_text(text, lint, options.unsafe_fixes)
        for code in outcome.refused:
            result.messages.append(
                f"{path}: the {code} fix would have produced invalid Python; it was not applied"
            )
        if outcome.text != text:
            result.original_text, result.fixed_text = text, outcome.text
            result.fixed_count = outcome.applied
            if options.fix and not options.diff:
                error = _write(path, outcome.text, decoded.encoding)
                if error:
                    result.messages.append(error)
                    result.fixed_count = 0
                    result.fixed_text = None
                    text_for_report = text
                else:
                    text_for_report = outcome.text
            else:
                text_for_report = text if options.diff else outcome.text
        else:
            text_for_report = text
        remaining = lint(text_for_report)
    else:
        remaining = lint(text)
    result.diagnostics.extend(_with_path(remaining, path))
    return result


def _writable(path: str) -> bool:
    """``os.access`` alone says yes to root for a read-only (``chmod a-w``) file; a file that
    nobody may write is left alone whoever runs the fix."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    return os.access(path, os.W_OK)


def _write(path: str, text: str, encoding: str) -> Optional[str]:
    if not _writable(path):
        return f"{path}: not writable; fixes were not written"
    try:
        write_atomic(path, encode(text, encoding))
    except (OSError, UnicodeEncodeError) as exc:
        return f"{path}: could not write fixes: {exc}"
    return None


def _with_path(diagnostics: List[Diagnostic], path: str) -> List[Diagnostic]:
    from dataclasses import replace

    return [replace(d, path=path) for d in diagnostics]
