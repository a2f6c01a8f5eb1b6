"""``grouped``: a header line per file, then its findings indented as ``row:col CODE message``.

Findings of one file that share a cause (the same code and message, e.g. every
`tf.random.set_seed` call of a notebook that seeds only TensorFlow) are one line with a count and
the other locations. Locations are padded to the widest in the file so the codes line up; files
are separated by a blank line.
"""

from __future__ import annotations

from itertools import groupby
from typing import Dict, List, Tuple

from ..diagnostics import Diagnostic
from ._common import BOLD, RED, location, one_line, style

MORE_LOCATIONS = 5  # other locations listed on a grouped line before "…"


def _by_cause(items: List[Diagnostic]) -> List[List[Diagnostic]]:
    groups: Dict[Tuple[str, str], List[Diagnostic]] = {}
    for d in items:
        groups.setdefault((d.code, d.message), []).append(d)
    return list(groups.values())  # in the order of each cause's first finding


def _tail(group: List[Diagnostic]) -> str:
    if len(group) == 1:
        return ""
    others = [location(d) for d in group[1 : 1 + MORE_LOCATIONS]]
    more = ", …" if len(group) > 1 + MORE_LOCATIONS else ""
    return f" (×{len(group)}; also at {', '.join(others)}{more})"


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    blocks = []
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        causes = _by_cause(list(group))
        width = max(len(location(c[0])) for c in causes)
        lines = [style(f"{path}:", BOLD, color=color)]
        for cause in causes:
            d = cause[0]
            code = style(d.code, BOLD, RED, color=color)
            lines.append(f"  {location(d).ljust(width)} {code} {one_line(d.message)}{_tail(cause)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
