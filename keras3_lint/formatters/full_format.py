"""``full``: each finding with its location line, a frame of the source around it with the span
underlined, and the fix (message, safety, and the lines it changes).

Source lines are read from the file when rendering (a notebook cell's from the notebook); when
they cannot be read (a removed file, an unreadable notebook) the finding is shown without a
frame. Positions are 1-based; end columns are exclusive, as in the JSON output.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import List, Optional, Sequence, Tuple

from ..diagnostics import Diagnostic, Edit, Fix
from ._common import BLUE, BOLD, GREEN, RED, SourceCache, location, split_lines, style

CONTEXT = 2  # lines shown before and after the flagged span
LONG_SPAN = 8  # spans longer than this show their first and last lines only
TAB = "    "
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """A source line safe to print: tabs expanded, control characters (escapes!) replaced."""
    return _CONTROL.sub("\ufffd", text.replace("\t", TAB))


def _width(text: str) -> int:
    """Terminal columns ``text`` takes once cleaned (East Asian wide characters take two)."""
    total = 0
    for char in _clean(text):
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


class _Writer:
    def __init__(self, gutter: int, color: bool) -> None:
        self.gutter = gutter
        self.color = color
        self.out: List[str] = []

    def bar(self, text: str = "") -> None:
        self.out.append((" " * self.gutter + " " + style("|", BLUE, BOLD, color=self.color) + text).rstrip())

    def note(self, text: str) -> None:
        first, *more = split_lines(text)
        self.out.append(" " * self.gutter + " " + style("=", BLUE, BOLD, color=self.color) + " " + first)
        self.out.extend((" " * (self.gutter + 3) + _clean(line)).rstrip() for line in more)

    def source(self, number: Optional[int], mark: str, text: str, *codes: str) -> None:
        label = "" if number is None else str(number)
        gutter = style(f"{label:>{self.gutter}} {mark}", BLUE, BOLD, color=self.color)
        body = style(_clean(text), *codes, color=self.color) if codes else _clean(text)
        self.out.append(f"{gutter} {body}".rstrip())


def _carets(line: str, start: int, end: int) -> Tuple[int, int]:
    """Offset and length (terminal columns) of the underline for 1-based columns [start, end)."""
    start = max(1, min(start, len(line) + 1))
    end = max(start, min(end, len(line) + 1))
    offset = _width(line[: start - 1])
    length = max(1, _width(line[start - 1 : end - 1]))
    return offset, length


def _span_on(line: str, d: Diagnostic, end_row: int, number: int) -> Tuple[int, int]:
    if number == d.row:
        start = d.column
    else:
        start = len(line) - len(line.lstrip()) + 1
    end = d.end_column if number == end_row else len(line) + 1
    if number == d.row and number == end_row and end <= start:
        end = start + 1
    return _carets(line, start, end)


def _frame_rows(d: Diagnostic, lines: List[str]) -> List[int]:
    """The row numbers of the frame: the span, CONTEXT lines around it, long spans elided."""
    end_row = min(max(d.end_row, d.row), len(lines))
    last = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
    first_shown = max(1, d.row - CONTEXT)
    last_shown = max(end_row, min(last, end_row + CONTEXT))
    numbers = list(range(first_shown, last_shown + 1))
    if end_row - d.row + 1 > LONG_SPAN:
        numbers = [n for n in numbers if n < d.row + 3 or n > end_row - 2]
    return numbers


def _frame(w: _Writer, d: Diagnostic, lines: List[str], numbers: List[int]) -> None:
    end_row = min(max(d.end_row, d.row), len(lines))
    w.bar()
    previous = None
    for number in numbers:
        if previous is not None and number != previous + 1:
            w.source(None, ":", "")
        previous = number
        line = lines[number - 1]
        w.source(number, "|", line)
        if d.row <= number <= end_row:
            offset, length = _span_on(line, d, end_row, number)
            underline = style("^" * length, RED, BOLD, color=w.color)
            label = " " + style(d.code, RED, BOLD, color=w.color) if number == end_row else ""
            w.bar(" " + " " * offset + underline + label)
    w.bar()


def _applied(fix: Fix, lines: Optional[List[str]]) -> Optional[Tuple[int, List[str], List[str]]]:
    """(first row, old lines, new lines) for the rows the fix touches, or None when the edits
    do not fit the source as it is now."""
    if lines is None or not fix.edits:
        return None
    first = min(e.row for e in fix.edits)
    last = max(max(e.end_row, e.row) for e in fix.edits)
    if first < 1 or last > len(lines):
        return None
    old = lines[first - 1 : last]
    segment = "\n".join(old)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line) + 1)

    def offset(row: int, column: int) -> Optional[int]:
        line = old[row - first]
        if not 1 <= column <= len(line) + 1:
            return None
        return starts[row - first] + column - 1

    spans = []
    for edit in fix.edits:
        start = offset(edit.row, edit.column)
        end = offset(max(edit.end_row, edit.row), edit.end_column)
        if start is None or end is None or end < start:
            return None
        spans.append((start, end, edit.content))
    pieces, cursor = [], 0
    for start, end, content in sorted(spans, key=lambda s: (s[0], s[1])):
        if start < cursor:
            return None  # overlapping edits: not something to preview
        pieces.append(segment[cursor:start])
        pieces.append(content)
        cursor = end
    pieces.append(segment[cursor:])
    return first, old, split_lines("".join(pieces))


def _edit_list(w: _Writer, edits: Sequence[Edit]) -> None:
    for e in edits:
        w.note(f"edit {e.row}:{e.column}-{e.end_row}:{e.end_column} -> {json.dumps(e.content, ensure_ascii=False)}")


def _fix(w: _Writer, fix: Fix, changed: Optional[Tuple[int, List[str], List[str]]]) -> None:
    w.note(style(f"fix ({fix.applicability})", BOLD, color=w.color) + f": {fix.message}")
    if changed is None:
        _edit_list(w, fix.edits)
        return
    first, old, new = changed
    w.bar()
    for i, line in enumerate(old):
        w.source(first + i, "-", line, RED)
    for i, line in enumerate(new):
        w.source(first + i, "+", line, GREEN)
    w.bar()


_MEDIUM_NOTE = " (the evidence is a Keras-2-only name or an inferred value, not a proven Keras object)"


def finding(d: Diagnostic, cache: SourceCache, *, color: bool = False) -> str:
    message = split_lines(d.message)
    path = style(d.path, BOLD, color=color)
    code = style(d.code, BOLD, RED, color=color)
    out = [f"{path}:{location(d)}: {code} {message[0]}"] + [f"  {more}" for more in message[1:]]
    lines = cache.lines(d)
    if lines is not None and not 1 <= d.row <= len(lines):
        lines = None  # the file changed since it was checked
    rows = _frame_rows(d, lines) if lines is not None else []
    changed = _applied(d.fix, lines) if d.fix is not None else None
    numbered = rows + ([changed[0] + max(len(changed[1]), len(changed[2])) - 1] if changed else [])
    w = _Writer(len(str(max(numbered, default=1))), color)
    if lines is not None:
        _frame(w, d, lines, rows)
    if d.fix is not None:
        _fix(w, d.fix, changed)
    elif not d.code.startswith("KRS0"):  # KRS0xx: the file could not be read or parsed
        w.note(_NO_FIX)
    w.note(f"confidence: {d.confidence}" + ("" if d.confidence == "high" else _MEDIUM_NOTE))
    w.note(f"explain: keras3-lint rule {d.code}")
    return "\n".join(out + w.out) + "\n"


# Said on every finding without a fix, so a reader never waits for `--fix` to do it.
_NO_FIX = "fix: none (no automatic fix: change it by hand as the message says)"


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    cache = SourceCache()
    return "\n".join(finding(d, cache, color=color) for d in diagnostics)
