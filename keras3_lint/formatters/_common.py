"""Helpers the formats share: ANSI styling, locations, and source lines read at render time."""

from __future__ import annotations

import io
import json
import re
import tokenize
from typing import Dict, List, Optional

from ..diagnostics import Diagnostic

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

BOLD = "1"
RED = "31"
GREEN = "32"
YELLOW = "33"
BLUE = "34"
CYAN = "36"
DIM = "2"


def style(text: str, *codes: str, color: bool) -> str:
    """``text`` wrapped in ANSI SGR codes when ``color`` is on; unchanged otherwise."""
    if not color or not codes or not text:
        return text
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def one_line(text: str) -> str:
    """A message on one line (line-oriented formats): line breaks become single spaces."""
    return " ".join(part.strip() for part in _LINE_BREAK.split(text)) if _LINE_BREAK.search(text) else text


def location(d: Diagnostic) -> str:
    """``row:col``, or ``cell N:row:col`` in a notebook (the text format's location, no path)."""
    cell = f"cell {d.cell}:" if d.cell is not None else ""
    return f"{cell}{d.row}:{d.column}"


def split_lines(text: str) -> List[str]:
    """Lines as Python numbers them (only \\r\\n, \\r and \\n end a line)."""
    return _LINE_BREAK.split(text)


class SourceCache:
    """Source lines per (path, cell), read on first use; ``None`` when they cannot be had
    (a missing or unreadable file, a notebook that cannot be parsed, a cell out of range)."""

    def __init__(self) -> None:
        self._texts: Dict[str, Optional[str]] = {}
        self._notebooks: Dict[str, Optional[list]] = {}

    def lines(self, d: Diagnostic) -> Optional[List[str]]:
        if not d.path:
            return None
        if d.cell is None:
            text = self._text(d.path)
            return None if text is None else split_lines(text)
        cells = self._notebook(d.path)
        if cells is None or not 1 <= d.cell <= len(cells):
            return None
        source = cells[d.cell - 1].get("source", "") if isinstance(cells[d.cell - 1], dict) else None
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            return None
        return split_lines(source)

    def _text(self, path: str) -> Optional[str]:
        if path not in self._texts:
            self._texts[path] = _read_python(path)
        return self._texts[path]

    def _notebook(self, path: str) -> Optional[list]:
        if path not in self._notebooks:
            cells = None
            try:
                with open(path, "rb") as handle:
                    data = json.loads(handle.read().decode("utf-8", errors="replace"))
                if isinstance(data, dict) and isinstance(data.get("cells"), list):
                    cells = data["cells"]
            except (OSError, ValueError):
                cells = None
            self._notebooks[path] = cells
        return self._notebooks[path]


def _read_python(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except (SyntaxError, LookupError):
        encoding = "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")
