"""``# noqa`` and ``# noqa: CODE[, CODE]`` on the line where a diagnostic starts.

Comments are found with the tokenizer, so a "# noqa" inside a string does not count.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

NOQA_RE = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)


@dataclass(frozen=True)
class Noqa:
    row: int
    column: int  # 1-based column of the comment's '#'
    codes: Optional[FrozenSet[str]]  # None: blanket noqa


def find_noqa(text: str) -> Dict[int, Noqa]:
    if "noqa" not in text.lower():
        return {}
    found: Dict[int, Noqa] = {}
    # A lone "\r" ends a line for LibCST (and so for our rows) but not for io.StringIO: make it
    # "\n" (same length, so columns stay put) before tokenizing.
    text = re.sub(r"\r(?!\n)", "\n", text)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        comments = [(t.start[0], t.start[1], t.string) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        comments = []
        for row, line in enumerate(text.splitlines(), start=1):
            idx = line.find("#")
            if idx >= 0:
                comments.append((row, idx, line[idx:]))
    for row, col, comment in comments:
        match = NOQA_RE.search(comment)
        if not match:
            continue
        codes = match.group("codes")
        parsed = frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else None
        found[row] = Noqa(row, col + 1 + match.start(), parsed)
    return found


def is_suppressed(noqa: Optional[Noqa], code: str) -> bool:
    if noqa is None:
        return False
    return noqa.codes is None or code in noqa.codes


def split_suppressed(diagnostics: List, noqa_by_row: Dict[int, Noqa]) -> Tuple[List, Dict[int, set]]:
    """Diagnostics that stay, and per noqa row the codes it actually suppressed."""
    kept, used = [], {}
    for diagnostic in diagnostics:
        noqa = noqa_by_row.get(diagnostic.row)
        if is_suppressed(noqa, diagnostic.code):
            used.setdefault(diagnostic.row, set()).add(diagnostic.code)
        else:
            kept.append(diagnostic)
    return kept, used
