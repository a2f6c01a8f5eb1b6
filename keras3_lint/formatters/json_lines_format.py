"""``json-lines``: one JSON object per line, the same objects as the ``json`` array."""

from __future__ import annotations

import json
from typing import List

from ..diagnostics import Diagnostic
from .json_format import to_dict


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return "".join(json.dumps(to_dict(d), ensure_ascii=False) + "\n" for d in diagnostics)
