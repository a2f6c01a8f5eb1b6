"""``text``: the original name of the ``concise`` format, kept as an alias.

``path:row:col: CODE message`` (``path:cell N:row:col: …`` in notebooks), one per line.
"""

from __future__ import annotations

from typing import List

from ..diagnostics import Diagnostic
from . import concise_format


def location(diagnostic: Diagnostic) -> str:
    cell = f"cell {diagnostic.cell}:" if diagnostic.cell is not None else ""
    return f"{diagnostic.path}:{cell}{diagnostic.row}:{diagnostic.column}"


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return concise_format.render(diagnostics, color=color)
