"""A JSON array, one object per diagnostic, in the shape DESIGN.md fixes (ruff-compatible)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from ..diagnostics import Diagnostic
from ..links import rule_url


def to_dict(d: Diagnostic) -> Dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "message": d.fix.message,
            "edits": [
                {
                    "content": e.content,
                    "location": {"row": e.row, "column": e.column},
                    "end_location": {"row": e.end_row, "column": e.end_column},
                }
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "message": d.message,
        "filename": d.path,
        "location": {"row": d.row, "column": d.column},
        "end_location": {"row": d.end_row, "column": d.end_column},
        "cell": d.cell,
        "fix": fix,
        "url": rule_url(d.code),
        "confidence": d.confidence,
    }


def render(diagnostics: List[Diagnostic], *, color: bool = False) -> str:
    return json.dumps([to_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
