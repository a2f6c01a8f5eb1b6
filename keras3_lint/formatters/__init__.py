"""Output formats. Each module renders a sorted list of diagnostics to a string for stdout."""

from __future__ import annotations

from typing import Callable, Dict, List

from ..diagnostics import Diagnostic
from . import json_format, text_format

FORMATTERS: Dict[str, Callable[[List[Diagnostic]], str]] = {
    "text": text_format.render,
    "json": json_format.render,
}
