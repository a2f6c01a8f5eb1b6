"""``path:row:col: CODE message`` (``path:cell N:row:col: …`` in notebooks), one finding a line.

The historical ``text`` format is this one under another name. A message that contains line
breaks is put on one line so that every line stays one finding.
"""

from __future__ import annotations

from typing import List

from ..diagnostics import Diagnostic
from ._common import BOLD, RED, location, one_line, style


def line(d: Diagnostic, *, color: bool = False) -> str:
    path = style(d.path, BOLD, color=color)
    code = style(d.code, BOLD, RED, color=color)
    return f"{path}:{location(d)}: {code} {one_line(d.message)}"


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return "".join(line(d, color=color) + "\n" for d in diagnostics)
