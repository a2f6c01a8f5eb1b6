"""Jupyter notebooks (``.ipynb``, nbformat 4 and 3): lint and fix the code cells.

Cells share one namespace in Jupyter, so the code cells of a notebook are linted together as one
virtual module, and every diagnostic and fix edit is mapped back to (cell, row, column) within
its cell. ``cell`` is the 1-based position of the cell among *all* cells of the notebook
(markdown and raw cells count too).

- IPython syntax (``%magic``, ``!shell``, ``obj?``, ``x = !ls``, ``%%time``) is masked with a
  Python string literal of the same width, so the columns of all other code stay exact. A fix
  that would touch a masked line is not offered; the masked text is restored after fixing.
- ``%%writefile x.py`` cells are linted as their own module (they do not run in the kernel);
  cells under other non-Python cell magics (``%%bash``, ``%%html``, …) are skipped.
- A cell whose first line is indented is dedented as IPython does before running it (the first
  non-blank line's indentation is removed from every line that starts with it); rows and columns
  of findings and fix edits are given in the cell as written, and a fix is written back with the
  indentation restored, or not at all when that cannot be done exactly.
- A cell that does not parse on its own gets one KRS001 and is left out; the rest is linted.
- Fixing rewrites only the ``source`` (``input`` in nbformat 3) value of changed code cells,
  splicing it into the original JSON text: every other byte of the file stays as it was.
- A file that is not a notebook (invalid JSON, missing keys, wrong types) gets one KRS005.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst

from .config import Settings
from .diagnostics import Diagnostic, Edit, FileResult, Fix
from .engine import MENTIONS_KERAS, SYNTAX_ERROR, syntax_error_diagnostic
from .fixer import fix_text
from .noqa import find_noqa, is_suppressed
from .source import LineIndex

INVALID_NOTEBOOK = "KRS005"
DECODE_ERROR = "KRS002"

PYTHON_LANGUAGES = frozenset({"python", "python2", "python3", "ipython", "ipython2", "ipython3"})
# Cell magics whose body is Python run in the kernel's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# Cell magics whose body is a separate Python file (linted as its own module).
FILE_CELL_MAGICS = frozenset({"writefile", "file"})

# Masks are string literals filled with this character (same width in characters).
FILL = "\u00a4"
# A comment line plus a blank line in front of every cell of the joined module. It does not
# mention Keras (the engine's pre-filter must still see the notebook's own text only), and the
# blank line keeps fixes that insert "above a statement and its comments" inside the cell.
MARKER = "# <<notebook cell {}>>\n\n"
MARKER_RE = re.compile(r"^# <<notebook cell (\d+)>>\n\n", re.MULTILINE)
LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_HELP_RE = re.compile(r"^(?:\?{1,2}\S.*|[A-Za-z_*][\w.*]*(?:\(\))?\s*\?{1,2})$")
_ASSIGN_MAGIC_RE = re.compile(r"^([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)(?=[!%])")
# IPython's automagic (on by default) runs a line magic or alias written without its `%`:
# `pip install x`, `ls ./data`, `cd ..`. Such a line is masked only when it is not Python by
# itself (`ls = 3` and `pip.main()` stay code).
_AUTOMAGICS = frozenset({
    "pip", "conda", "mamba", "ls", "cd", "pwd", "cat", "cp", "mv", "rm", "mkdir", "rmdir", "ll",
    "env", "load_ext", "reload_ext", "matplotlib", "time", "timeit", "run", "who", "whos",
    "history", "reset", "tensorboard", "pushd", "popd", "dirs", "bookmark", "alias", "pycat",
    "config", "xmode", "precision", "autoreload", "aimport", "store", "sx", "system",
})
# IPython's PythonOpsChecker runs the line as Python when what follows the name starts with one
# of these (an assignment, a call, an operator), before automagic is considered.
_AUTOMAGIC_RE = re.compile(r"^([A-Za-z_]\w*)(?:[ \t]+(?![!=()<>,+*/%^&|])|$)")
_FLAGS = ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)


class NotebookError(Exception):
    """The text is not a notebook we can read; ``row``/``column`` locate a JSON error."""

    def __init__(self, message: str, row: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.row, self.column = row, column


# ---------------------------------------------------------------------------------------------
# Reading the notebook


@dataclass
class Cell:
    index: int  # 1-based among all cells of the notebook
    cell_type: str
    text: str  # the code cell's source joined into one string
    items: Optional[List[str]]  # the source list as stored, or None when stored as one string
    span: Tuple[int, int]  # where the source value sits in the JSON text
    item_spans: List[Tuple[int, int]] = field(default_factory=list)
    python: bool = True  # False: the cell declares another language (nbformat 3)


@dataclass
class Notebook:
    text: str
    cells: List[Cell]  # code cells only
    python: bool  # False: the kernel is not Python; nothing is linted


_decoder = json.JSONDecoder()
_WS_RE = re.compile(r"[ \t\n\r]*")


def _ws(s: str, i: int) -> int:
    return _WS_RE.match(s, i).end()


def _value_end(s: str, i: int) -> int:
    try:
        return _decoder.scan_once(s, i)[1]
    except StopIteration:
        raise NotebookError("not valid JSON") from None


def _members(s: str, i: int) -> Dict[str, Tuple[int, int]]:
    """Spans of an object's member values (the last of duplicate keys wins, as in json.loads)."""
    found: Dict[str, Tuple[int, int]] = {}
    if s[i:i + 1] != "{":
        return found
    i = _ws(s, i + 1)
    if s[i:i + 1] == "}":
        return found
    while True:
        key, i = json.decoder.scanstring(s, i + 1)
        i = _ws(s, i) + 1  # the colon
        start = _ws(s, i)
        end = _value_end(s, start)
        found[key] = (start, end)
        i = _ws(s, end)
        if s[i] == "}":
            return found
        i = _ws(s, i + 1)  # the comma


def _elements(s: str, i: int) -> List[Tuple[int, int]]:
    spans: List[Tuple[int, int]] = []
    if s[i:i + 1] != "[":
        return spans
    i = _ws(s, i + 1)
    if s[i:i + 1] == "]":
        return spans
    while True:
        end = _value_end(s, i)
        spans.append((i, end))
        i = _ws(s, end)
        if s[i] == "]":
            return spans
        i = _ws(s, i + 1)


def read_notebook(text: str) -> Notebook:
    """Parse and validate a notebook's JSON text; NotebookError says why it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise NotebookError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotebookError("the top level is not a JSON object")
    version = data.get("nbformat")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise NotebookError("`nbformat` is not an integer")
    if version is None:
        version = 3 if "worksheets" in data and "cells" not in data else 4
    if version < 3:
        raise NotebookError(f"nbformat {version} is not supported (only 3 and 4)")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise NotebookError("`metadata` is not a JSON object")
    try:
        top = _members(text, _ws(text, 0))
        if version == 3:
            raw_cells, located = _cells_v3(data, text, top)
        else:
            raw_cells, located = _cells_v4(data, text, top)
    except (RecursionError, IndexError, KeyError, ValueError) as exc:  # pragma: no cover - json.loads passed
        raise NotebookError(f"cannot locate the cells: {exc}") from None
    cells = []
    for index, (raw, (spans, key)) in enumerate(zip(raw_cells, located), start=1):
        if not isinstance(raw, dict):
            raise NotebookError(f"cell {index} is not a JSON object")
        cell_type = raw.get("cell_type")
        if not isinstance(cell_type, str):
            raise NotebookError(f"cell {index} has no `cell_type` string")
        if cell_type != "code":
            continue
        if key not in raw:
            raise NotebookError(f"code cell {index} has no `{key}`")
        source = raw[key]
        if isinstance(source, str):
            items = None
            cell_text = source
        elif isinstance(source, list) and all(isinstance(item, str) for item in source):
            items = list(source)
            cell_text = "".join(source)
        else:
            raise NotebookError(f"the `{key}` of code cell {index} is neither a string nor a list of strings")
        span = spans[key]
        item_spans = _elements(text, span[0]) if items is not None else []
        language = raw.get("language", "python")
        python = not isinstance(language, str) or language.lower() in PYTHON_LANGUAGES
        cells.append(Cell(index, cell_type, cell_text, items, span, item_spans, python))
    return Notebook(text, cells, _is_python(metadata))


def _cells_v4(data: dict, text: str, top: Dict[str, Tuple[int, int]]):
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("no `cells` list (nbformat 4)")
    spans = [_members(text, start) for start, _ in _elements(text, top["cells"][0])]
    return cells, [(s, "source") for s in spans]


def _cells_v3(data: dict, text: str, top: Dict[str, Tuple[int, int]]):
    worksheets = data.get("worksheets")
    if not isinstance(worksheets, list):
        raise NotebookError("no `worksheets` list (nbformat 3)")
    cells: list = []
    located: list = []
    sheet_spans = _elements(text, top["worksheets"][0])
    for number, (sheet, (sheet_start, _)) in enumerate(zip(worksheets, sheet_spans), start=1):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("cells"), list):
            raise NotebookError(f"worksheet {number} has no `cells` list")
        members = _members(text, sheet_start)
        for raw, (start, _) in zip(sheet["cells"], _elements(text, members["cells"][0])):
            cells.append(raw)
            key = "input" if isinstance(raw, dict) and raw.get("cell_type") == "code" else "source"
            located.append((_members(text, start), key))
    return cells, located


def _is_python(metadata: dict) -> bool:
    for owner, key in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(owner)
        if isinstance(value, dict) and isinstance(value.get(key), str) and value[key].strip():
            return value[key].strip().lower() in PYTHON_LANGUAGES
    return True


# ---------------------------------------------------------------------------------------------
# Masking IPython syntax


@dataclass
class Piece:
    """One code cell as it goes into a virtual module."""

    cell: Cell
    original: str  # cell text, with a final newline added when it had none
    masked: str  # same text with IPython syntax replaced by same-width Python
    added_newline: bool
    masked_rows: FrozenSet[int]  # 0-based line numbers that hold a mask
    indent: str = ""  # what IPython removes from the cell's lines before running it
    dedented_rows: FrozenSet[int] = frozenset()  # 0-based line numbers it removes it from

    def column_shift(self, row: int) -> int:
        """Columns to add to a 1-based row of the (dedented) module text of this cell."""
        return len(self.indent) if row - 1 in self.dedented_rows else 0


def _lines(text: str) -> List[str]:
    return LINE_RE.findall(text)


def ipython_dedent(text: str) -> Tuple[str, str, FrozenSet[int]]:
    """(text, removed indentation, 0-based rows it was removed from), as IPython's
    ``leading_empty_lines`` + ``leading_indent`` cleanup treats a cell (KERAS3_FACTS NB-1):
    the indentation of the first non-blank line goes from every line that starts with it."""
    lines = _lines(text)
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return text, "", frozenset()
    rows = frozenset(row for row, line in enumerate(lines) if line.startswith(indent))
    return "".join(line[len(indent):] if row in rows else line for row, line in enumerate(lines)), indent, rows


def _literal(width: int) -> str:
    if width <= 1:
        return "0"
    if width == 2:
        return "''"
    return "'" + FILL * (width - 2) + "'"


def _mask_segment(segment: str) -> str:
    """Same-width Python for a piece of IPython syntax; a final backslash (line continuation) stays."""
    body, newline = _split_newline(segment)
    stripped = body.rstrip(" \t")
    if stripped.endswith("\\"):
        return _literal(len(stripped) - 1) + "\\" + body[len(stripped):] + newline
    return _literal(len(body)) + newline


# A `!shell` or `%magic` statement keeps its text readable in its mask, `'¤` + the line after its
# first three characters + `'` (same width): `!pip install tf-keras` -> `'¤p install tf-keras'`,
# so rules can see what a notebook installs or sets (`%env`), see rules/_environment.py.
MASKED_TAIL_SKIPS = 3


def _mask_command(segment: str) -> str:
    body, newline = _split_newline(segment)
    tail = body[MASKED_TAIL_SKIPS:]
    if body[:1] not in ("!", "%") or not tail or body.rstrip(" \t").endswith("\\"):
        return _mask_segment(segment)
    if any(ch in tail for ch in ("\\", FILL)) or ("'" in tail and '"' in tail):
        return _mask_segment(segment)
    quote = '"' if "'" in tail else "'"
    return quote + FILL + tail + quote + newline


def _split_newline(line: str) -> Tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _continues(line: str) -> bool:
    return _split_newline(line)[0].rstrip(" \t").endswith("\\")


def cell_magic(text: str) -> Optional[Tuple[str, str]]:
    """(name, rest of line) of a ``%%magic`` on the cell's first non-blank line."""
    for line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("%%"):
            name, _, rest = stripped[2:].partition(" ")
            return name, rest.strip()
        return None
    return None


def mask_ipython(text: str) -> Tuple[str, FrozenSet[int]]:
    """The text with IPython-only lines replaced by same-width Python, and the masked rows.

    Only lines where a statement starts are candidates (not lines inside brackets, continued
    lines or multi-line strings)."""
    out: List[str] = []
    masked_rows = set()
    in_string: Optional[str] = None
    depth = 0
    continued = False
    magic_continues = False
    for row, line in enumerate(_lines(text)):
        if magic_continues:  # the shell command or magic goes on after a backslash
            body, newline = _split_newline(line)
            indent = body[: len(body) - len(body.lstrip(" \t"))]
            out.append(indent + _mask_segment(line[len(indent):]) if body.strip() else line)
            masked_rows.add(row)
            magic_continues = _continues(line)
            continue
        if in_string is None and depth == 0 and not continued:
            body, _ = _split_newline(line)
            rest = body.lstrip(" \t")
            indent = body[: len(body) - len(rest)]
            prefix = ""
            if rest.startswith(("%", "!")) or _HELP_RE.match(rest.rstrip()) or _is_automagic(rest):
                magic = True
            else:
                match = _ASSIGN_MAGIC_RE.match(rest)
                magic = match is not None
                if match:
                    prefix = match.group(1)
            if magic:
                start = len(indent) + len(prefix)
                mask = _mask_segment if prefix else _mask_command  # `x = !ls`: a value, keep it opaque
                out.append(line[:start] + mask(line[start:]))
                masked_rows.add(row)
                magic_continues = _continues(line)
                continue
        out.append(line)
        in_string, depth, continued = _scan(line, in_string, depth)
    return "".join(out), frozenset(masked_rows)


def _is_automagic(rest: str) -> bool:
    match = _AUTOMAGIC_RE.match(rest)
    if match is None or match.group(1) not in _AUTOMAGICS:
        return False
    try:
        compile(rest, "<line>", "exec", ast.PyCF_ONLY_AST)
    except SyntaxError:
        return True
    return False


def _scan(line: str, in_string: Optional[str], depth: int) -> Tuple[Optional[str], int, bool]:
    """Lexical state after ``line``: open string quote, bracket depth, backslash continuation."""
    body, _ = _split_newline(line)
    i, n = 0, len(body)
    continued = False
    while i < n:
        c = body[i]
        if in_string is not None:
            if c == "\\":
                i += 2
                continue
            if body.startswith(in_string, i):
                i += len(in_string)
                in_string = None
                continue
            i += 1
            continue
        if c == "#":
            break
        if c in "'\"":
            in_string = c * 3 if body.startswith(c * 3, i) else c
            i += len(in_string)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        elif c == "\\" and i == n - 1:
            continued = True
        i += 1
    if in_string is not None and len(in_string) == 1 and i <= n:
        in_string = None  # unterminated and not continued by a backslash: a syntax error
    return in_string, depth, continued


# ---------------------------------------------------------------------------------------------
# Units: the code cells that form one virtual module


def _units(notebook: Notebook) -> List[List[Piece]]:
    """The kernel's module (all Python code cells) first, then one per ``%%writefile x.py`` cell."""
    kernel: List[Piece] = []
    files: List[List[Piece]] = []
    for cell in notebook.cells:
        if not cell.python or not cell.text.strip():
            continue
        magic = cell_magic(cell.text)
        target = kernel
        if magic is not None:
            name, rest = magic
            if name in FILE_CELL_MAGICS and rest.split() and rest.split()[-1].endswith((".py", ".pyw")):
                target = []
                files.append(target)
            elif name not in PYTHON_CELL_MAGICS:
                continue
        original = cell.text
        added = not original.endswith(("\n", "\r"))
        if added:
            original += "\n"
        plain, indent, dedented = ipython_dedent(original)
        masked, rows = mask_ipython(plain)
        target.append(Piece(cell, original, masked, added, rows, indent, dedented))
    return [unit for unit in [kernel, *files] if unit]


def _join(pieces: Sequence[Piece], texts: Optional[Sequence[str]] = None) -> str:
    bodies = texts if texts is not None else [p.masked for p in pieces]
    return "".join(MARKER.format(p.cell.index) + body for p, body in zip(pieces, bodies))


@dataclass(frozen=True)
class _Slot:
    cell: int
    start: int  # offset of the cell's first character in the joined text
    end: int  # offset just after its last character
    row: int  # joined-text row of its first line


def _layout(text: str, pieces: Sequence[Piece]) -> Optional[List[_Slot]]:
    index = LineIndex(text)
    matches = list(MARKER_RE.finditer(text))
    if [int(m.group(1)) for m in matches] != [p.cell.index for p in pieces]:
        return None
    if matches and matches[0].start() != 0:
        return None
    slots = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        row = index.position(match.end())[0]
        slots.append(_Slot(int(match.group(1)), match.end(), end, row))
    return slots


def _slot_at(slots: Sequence[_Slot], start: int, end: int) -> Optional[_Slot]:
    """The cell that holds ``text[start:end]`` (slots are in text order)."""
    from bisect import bisect_right

    position = bisect_right([slot.start for slot in slots], start) - 1
    for slot in slots[max(position - 1, 0): position + 1]:
        if slot.start <= start and end <= slot.end:
            return slot
    return None


def _touches_mask(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return FILL in text[line_start: line_end if line_end >= 0 else len(text)]


def _local_fix(diagnostic: Diagnostic, text: str, slots: Sequence[_Slot]) -> Optional[Fix]:
    """The fix in joined-text offsets when every edit stays inside one cell and off masked
    lines; None otherwise (such a fix is not offered)."""
    fix = diagnostic.fix
    if fix is None:
        return None
    for edit in fix.edits:
        if _slot_at(slots, edit.start, edit.end) is None or _touches_mask(text, edit.start, edit.end):
            return None
    return fix


def _to_cell(
    diagnostic: Diagnostic, index: LineIndex, slots: Sequence[_Slot], pieces: Dict[int, Piece]
) -> Optional[Diagnostic]:
    if diagnostic.row > len(index.starts):
        return None
    offset = index.offset(diagnostic.row, diagnostic.column)
    slot = _slot_at(slots, offset, offset)
    if slot is None:
        return None
    fix = None
    if diagnostic.fix is not None:
        edits = []
        for edit in diagnostic.fix.edits:
            owner = _slot_at(slots, edit.start, edit.end)
            assert owner is not None
            piece = pieces[owner.cell]
            row, end_row = edit.row - owner.row + 1, edit.end_row - owner.row + 1
            column = edit.column + piece.column_shift(row)
            end_column = edit.end_column + piece.column_shift(end_row)
            content = edit.content
            if piece.indent:  # offsets (and new lines) in the cell as written
                written = LineIndex(piece.original)
                start, end = written.offset(row, column), written.offset(end_row, end_column)
                if piece.column_shift(row):
                    content = content.replace("\n", "\n" + piece.indent)
            else:
                start, end = edit.start - owner.start, edit.end - owner.start
            edits.append(Edit(start, end, content, row, column, end_row, end_column))
        fix = replace(diagnostic.fix, edits=tuple(edits))
    piece = pieces[slot.cell]
    row = diagnostic.row - slot.row + 1
    end_row = max(diagnostic.end_row - slot.row + 1, 1)
    return replace(
        diagnostic,
        row=row,
        column=diagnostic.column + piece.column_shift(row),
        end_row=end_row,
        end_column=diagnostic.end_column + piece.column_shift(end_row),
        fix=fix,
        cell=slot.cell,
    )


def _cell_syntax_error(piece: Piece, exc: Optional[Exception] = None) -> Optional[Diagnostic]:
    diagnostic = syntax_error_diagnostic(exc or SyntaxError("invalid syntax"), piece.masked)
    if is_suppressed(find_noqa(piece.masked).get(diagnostic.row), diagnostic.code):
        return None
    shift = piece.column_shift(diagnostic.row)
    return replace(
        diagnostic, column=diagnostic.column + shift, end_column=diagnostic.end_column + shift, cell=piece.cell.index
    )


def _compiles(text: str) -> bool:
    try:
        compile(text, "<cell>", "exec", flags=_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class _Unit:
    """One virtual module: lint it (joined-text diagnostics, fixes restricted to one cell)."""

    def __init__(self, pieces: List[Piece], settings: Settings, enabled: FrozenSet[str], path: str) -> None:
        from .runner import check_text  # runner imports this module lazily; avoid a cycle

        self._check_text = check_text
        self.settings, self.enabled, self.path = settings, enabled, path
        self.bad: List[Diagnostic] = []
        self.pieces: List[Piece] = []
        self._last: Optional[Tuple[str, List[Diagnostic], Optional[List[_Slot]]]] = None
        for piece in pieces:
            if _compiles(piece.masked):
                self.pieces.append(piece)
            else:
                self._drop(piece)

    def _drop(self, piece: Piece, exc: Optional[Exception] = None) -> None:
        diagnostic = _cell_syntax_error(piece, exc)
        if diagnostic is not None:
            self.bad.append(diagnostic)

    def lint_joined(self, text: str) -> Tuple[List[Diagnostic], Optional[List[_Slot]]]:
        """Diagnostics in joined-text coordinates, and where the cells are in ``text``."""
        if self._last is not None and self._last[0] == text:
            return self._last[1], self._last[2]
        slots = _layout(text, self.pieces)
        found = self._check_text(text, self.settings, self.enabled, self.path)
        if slots is None:  # cannot happen for our own texts; offer nothing rather than guess
            found = [replace(d, fix=None) for d in found]
        else:
            found = [replace(d, fix=_local_fix(d, text, slots)) for d in found]
        self._last = (text, found, slots)
        return found, slots

    def settle(self) -> None:
        """Lint the joined cells; when LibCST cannot parse them (Python's own parser accepted
        every cell), leave out the cells it cannot parse and lint again."""
        while self.pieces:
            found, _ = self.lint_joined(_join(self.pieces))
            if not any(d.code == SYNTAX_ERROR for d in found):
                return
            culprits = []
            for piece in self.pieces:
                try:
                    cst.parse_module(piece.masked)
                except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
                    culprits.append((piece, exc))
            if not culprits:  # every cell parses alone but not together: report it where it is
                return
            for piece, exc in culprits:
                self.pieces.remove(piece)
                self._drop(piece, exc)

    def diagnostics(self) -> List[Diagnostic]:
        result = list(self.bad)
        if not self.pieces:
            return result
        text = _join(self.pieces)
        found, slots = self.lint_joined(text)
        if slots is None:
            return result
        index = LineIndex(text)
        by_cell = {piece.cell.index: piece for piece in self.pieces}
        for diagnostic in found:
            mapped = _to_cell(diagnostic, index, slots, by_cell)
            if mapped is not None:
                result.append(mapped)
        return result


def _mentions_keras(notebook: Notebook) -> bool:
    return any(MENTIONS_KERAS.search(cell.text) for cell in notebook.cells)


def _prepared_units(notebook: Notebook, settings: Settings, enabled: FrozenSet[str], path: str) -> List[_Unit]:
    if not notebook.python or not _mentions_keras(notebook):
        return []
    units = []
    for pieces in _units(notebook):
        unit = _Unit(pieces, settings, enabled, path)
        # Like a .py file: a unit that never mentions Keras is not parsed, its errors not reported.
        if not MENTIONS_KERAS.search("".join(p.masked for p in pieces)):
            continue
        unit.settle()
        units.append(unit)
    return units


def _invalid(exc: NotebookError, path: str) -> Diagnostic:
    return Diagnostic(
        INVALID_NOTEBOOK, f"Invalid notebook: {exc}", exc.row, exc.column, exc.row, exc.column, path=path
    )


def lint_notebook_text(
    json_text: str, settings: Settings, enabled: FrozenSet[str], path: str = ""
) -> List[Diagnostic]:
    """Diagnostics for a notebook's JSON text (cell-relative rows and columns, ``cell`` set);
    one KRS005 when the text is not a readable notebook. Never raises for bad input."""
    try:
        notebook = read_notebook(json_text)
    except NotebookError as exc:
        return [_invalid(exc, path)]
    diagnostics: List[Diagnostic] = []
    for unit in _prepared_units(notebook, settings, enabled, path):
        diagnostics.extend(unit.diagnostics())
    diagnostics = [replace(d, path=path) for d in diagnostics]
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


# ---------------------------------------------------------------------------------------------
# Fixing


@dataclass
class NotebookFix:
    text: str  # the notebook's JSON text after the fixes (the input when nothing changed)
    applied: int = 0
    refused: List[str] = field(default_factory=list)  # codes whose fix produced invalid Python
    messages: List[str] = field(default_factory=list)  # other reasons fixes were not applied


def fix_notebook_text(
    json_text: str,
    settings: Settings,
    enabled: FrozenSet[str],
    unsafe_fixes: bool = False,
    path: str = "",
) -> NotebookFix:
    """Apply fixes to the code cells; only the ``source`` of changed cells changes in the JSON."""
    outcome = NotebookFix(json_text)
    try:
        notebook = read_notebook(json_text)
    except NotebookError:
        return outcome
    new_texts: Dict[int, str] = {}
    for unit in _prepared_units(notebook, settings, enabled, path):
        if not unit.pieces:
            continue
        joined = _join(unit.pieces)
        fixed = fix_text(joined, lambda current: unit.lint_joined(current)[0], unsafe_fixes)
        outcome.refused.extend(fixed.refused)
        if fixed.text == joined:
            continue
        slots = _layout(fixed.text, unit.pieces)
        changed = _restore(unit.pieces, fixed.text, slots) if slots is not None else None
        if changed is None:
            outcome.messages.append(f"{path}: fixes could not be mapped back to the notebook's cells; they were not applied")
            continue
        new_texts.update(changed)
        outcome.applied += fixed.applied
    if not new_texts:
        return outcome
    by_index = {cell.index: cell for cell in notebook.cells}
    new_json = _splice(json_text, [(by_index[i], t) for i, t in new_texts.items()])
    # Belt and braces: the result must read back as a notebook with exactly the new sources.
    try:
        check = {c.index: c.text for c in read_notebook(new_json).cells}
    except NotebookError:
        check = {}
    expected = {c.index: new_texts.get(c.index, c.text) for c in notebook.cells}
    if check != expected:
        outcome.messages.append(f"{path}: the fixed notebook did not read back correctly; fixes were not applied")
        outcome.applied = 0
        return outcome
    outcome.text = new_json
    return outcome


def _restore(pieces: Sequence[Piece], text: str, slots: Sequence[_Slot]) -> Optional[Dict[int, str]]:
    """New original (unmasked) text per changed cell; None when a masked line was touched."""
    changed: Dict[int, str] = {}
    for piece, slot in zip(pieces, slots):
        body = text[slot.start:slot.end]
        if body == piece.masked:
            continue
        restored = _unmask(piece, body)
        if restored is None:
            return None
        if piece.added_newline and restored.endswith("\n"):
            restored = restored[:-1]
        if restored != piece.cell.text:
            changed[piece.cell.index] = restored
    return changed


def _unmask(piece: Piece, body: str) -> Optional[str]:
    """The cell as written, with the fixed lines of ``body`` (its masked, dedented module text);
    None when a masked line changed or the cell's indentation cannot be restored exactly."""
    old_masked = _lines(piece.masked)
    old_original = _lines(piece.original)
    old_plain = [line[len(piece.indent):] if row in piece.dedented_rows else line for row, line in enumerate(old_original)]
    new = _lines(body)
    out: List[str] = []
    plain: List[str] = []  # what IPython must see after dedenting `out`
    matcher = difflib.SequenceMatcher(None, old_masked, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(old_original[i1:i2])
            plain.extend(old_plain[i1:i2])
            continue
        if any(row in piece.masked_rows for row in range(i1, i2)):
            return None
        if any(FILL in line for line in new[j1:j2]):
            return None
        for k, line in enumerate(new[j1:j2]):
            # A changed line keeps its row's indentation; an inserted one takes its neighbour's.
            reference = min(i1 + k, max(i2 - 1, i1), len(old_original) - 1)
            indented = piece.indent and line.strip() and reference in piece.dedented_rows
            out.append(piece.indent + line if indented else line)
        plain.extend(new[j1:j2])
    text = "".join(out)
    if piece.indent and ipython_dedent(text)[0] != "".join(plain):
        return None  # e.g. a changed line inside a multi-line string: leave the cell alone
    return text


def _splice(text: str, changes: List[Tuple[Cell, str]]) -> str:
    ensure_ascii = _escapes_non_ascii(text)
    for cell, new_text in sorted(changes, key=lambda change: change[0].span[0], reverse=True):
        start, end = cell.span
        text = text[:start] + _render_source(text, cell, new_text, ensure_ascii) + text[end:]
    return text


def _escapes_non_ascii(text: str) -> bool:
    if any(ord(ch) > 127 for ch in text):
        return False
    return any(int(m.group(1), 16) > 127 for m in re.finditer(r"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})", text))


def _render_source(text: str, cell: Cell, new_text: str, ensure_ascii: bool) -> str:
    if cell.items is None:
        return json.dumps(new_text, ensure_ascii=ensure_ascii)
    new_items = [line for line in re.findall(r"[^\n]*\n|[^\n]+\Z", new_text)]
    if not new_items:
        return "[]"
    raw_items = [text[s:e] for s, e in cell.item_spans]
    rendered: List[str] = []
    matcher = difflib.SequenceMatcher(None, cell.items, new_items, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rendered.extend(raw_items[i1:i2])  # unchanged lines keep their exact JSON spelling
        else:
            rendered.extend(json.dumps(item, ensure_ascii=ensure_ascii) for item in new_items[j1:j2])
    opening, separator, closing = _list_layout(text, cell)
    return "[" + opening + separator.join(rendered) + closing + "]"


def _list_layout(text: str, cell: Cell) -> Tuple[str, str, str]:
    """Whitespace after ``[``, between items (with the comma) and before ``]`` of the original."""
    start, end = cell.span
    spans = cell.item_spans
    if not spans:
        return "", ", ", ""
    opening = text[start + 1:spans[0][0]]
    closing = text[spans[-1][1]:end - 1]
    if len(spans) > 1:
        separator = text[spans[0][1]:spans[1][0]]
    else:
        separator = "," + (opening if opening else " ")
    return opening, separator, closing


# ---------------------------------------------------------------------------------------------
# The file front-end


def check_notebook(path: str, settings: Settings, options) -> FileResult:
    """Check (and with ``options.fix``/``options.diff`` fix) one ``.ipynb`` file."""
    from .runner import read_bytes, write_fixed  # the same reading, writability check and atomic write as .py files

    result = FileResult(path=path)
    data, problem = read_bytes(path)
    if data is None:
        result.diagnostics.append(problem)
        return result
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        result.diagnostics.append(
            Diagnostic(DECODE_ERROR, f"Cannot decode file: notebooks are UTF-8 JSON: {exc}", 1, 1, 1, 1, path=path)
        )
        return result
    report_text = text
    if options.fix or options.diff:
        outcome = fix_notebook_text(text, settings, options.enabled, options.unsafe_fixes, path)
        for code in outcome.refused:
            result.messages.append(f"{path}: the {code} fix would have produced invalid Python; it was not applied")
        result.messages.extend(outcome.messages)
        if outcome.text != text:
            result.original_text, result.fixed_text = text, outcome.text
            result.fixed_count = outcome.applied
            if options.fix and not options.diff:
                error = write_fixed(path, outcome.text, encoding)
                if error:
                    result.messages.append(error)
                    result.fixed_count = 0
                    result.fixed_text = None
                else:
                    report_text = outcome.text
            elif options.diff:  # what would be left: `report` and the summary count it
                result.after_fix = lint_notebook_text(outcome.text, settings, options.enabled, path)
    result.diagnostics.extend(lint_notebook_text(report_text, settings, options.enabled, path))
    return result
