"""``github``: GitHub Actions workflow commands, which GitHub shows as annotations on the diff.

``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=keras3-lint (CODE)::CODE message``.
Data escapes ``%``, CR and LF; property values also escape ``:`` and ``,``. Notebook findings
(rows counted inside a cell, not the file) annotate the file and name the cell in the message.
"""

from __future__ import annotations

from typing import List

from ..diagnostics import Diagnostic

_DATA = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY = _DATA + ((":", "%3A"), (",", "%2C"))


def _escape(text: str, table) -> str:
    for raw, escaped in table:  # "%" first, so the escapes themselves are not escaped again
        text = text.replace(raw, escaped)
    return text


def escape_data(text: str) -> str:
    return _escape(text, _DATA)


def escape_property(text: str) -> str:
    return _escape(text, _PROPERTY)


def command(d: Diagnostic) -> str:
    properties = [("file", d.path)]
    message = f"{d.code} {d.message}"
    if d.cell is None:
        properties += [
            ("line", str(d.row)),
            ("col", str(d.column)),
            ("endLine", str(max(d.end_row, d.row))),
            ("endColumn", str(d.end_column)),
        ]
    else:
        message += f" (cell {d.cell}, line {d.row}, column {d.column})"
    properties.append(("title", f"keras3-lint ({d.code})"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    from ..registry import severity_of

    return f"::{severity_of(d.code)} {rendered}::{escape_data(message)}"


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return "".join(command(d) + "\n" for d in diagnostics)
