"""Output formats. Each module renders a sorted list of diagnostics to a string for stdout.

Every format is ``render(diagnostics, *, color=False) -> str``; only the human formats
(``concise``/``text``, ``full``, ``grouped``) use colour, and only when asked.
"""

from __future__ import annotations

from typing import Callable, Dict, List

from ..diagnostics import Diagnostic
from . import (
    concise_format,
    full_format,
    github_format,
    grouped_format,
    json_format,
    json_lines_format,
    junit_format,
    sarif_format,
    text_format,
)

FORMATTERS: Dict[str, Callable[..., str]] = {
    "concise": concise_format.render,
    "text": text_format.render,  # the original name of `concise`
    "full": full_format.render,
    "grouped": grouped_format.render,
    "json": json_format.render,
    "json-lines": json_lines_format.render,
    "github": github_format.render,
    "sarif": sarif_format.render,
    "junit": junit_format.render,
}


def render(name: str, diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    """Render sorted diagnostics in the named format. ``color`` asks for ANSI colour (the CLI
    sets it only on a terminal without NO_COLOR); formats that have no colour ignore it."""
    return FORMATTERS[name](diagnostics, color=color)
