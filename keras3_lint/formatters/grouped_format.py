"""``grouped``: a header line per file, then its findings indented as ``row:col CODE message``.

Locations are padded to the widest in the file so the codes line up; files are separated by
a blank line.
"""

from __future__ import annotations

from itertools import groupby
from typing import List

from ..diagnostics import Diagnostic
from ._common import BOLD, RED, location, one_line, style


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    blocks = []
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        items = list(group)
        width = max(len(location(d)) for d in items)
        lines = [style(f"{path}:", BOLD, color=color)]
        for d in items:
            code = style(d.code, BOLD, RED, color=color)
            lines.append(f"  {location(d).ljust(width)} {code} {one_line(d.message)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
