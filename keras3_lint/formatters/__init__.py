"""Output formats. Each module renders a sorted list of diagnostics to a string for stdout."""

from __future__ import annotations

from typing import Callable, Dict, List

from ..diagnostics import Diagnostic
from . import json_format, text_format

FORMATTERS: Dict[str, Callable[..., str]] = {
    "text": text_format.render,
    "json": json_format.render,
}


def render(name: str, diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    """Render sorted diagnostics in the named format. ``color`` asks for ANSI colour (the CLI
    sets it only on a terminal without NO_COLOR); formats that have no colour ignore it."""
    return FORMATTERS[name](diagnostics, color=color)
