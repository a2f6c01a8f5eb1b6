"""What a lint run produces: diagnostics, fixes and text edits.

Plain data, no behaviour beyond ordering: formatters, the fixer and the flake8 adapter all read
these, so they must not depend on LibCST or on any rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

SAFE = "safe"
UNSAFE = "unsafe"

# How a finding knows: HIGH where the resolver proved the Keras object, MEDIUM where a
# Keras-2-only name on a receiver of unknown type, or an inferred value, is the evidence.
HIGH = "high"
MEDIUM = "medium"
CONFIDENCES = (HIGH, MEDIUM)  # most sure first


def confidence_at_least(confidence: str, minimum: str) -> bool:
    return CONFIDENCES.index(confidence) <= CONFIDENCES.index(minimum)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``; rows/columns are 1-based for output."""

    start: int
    end: int
    content: str
    row: int = 0
    column: int = 0
    end_row: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class Fix:
    applicability: str  # SAFE or UNSAFE
    message: str
    edits: Tuple[Edit, ...]

    def applies(self, unsafe_fixes: bool) -> bool:
        return self.applicability == SAFE or unsafe_fixes


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    row: int  # 1-based
    column: int  # 1-based, in characters
    end_row: int
    end_column: int
    fix: Optional[Fix] = None
    path: str = ""
    cell: Optional[int] = None  # notebooks: 1-based index among all cells
    confidence: str = HIGH

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.row, self.column, self.code)


@dataclass
class FileResult:
    """Everything one file produced: findings, and the fixed text when fixing."""

    path: str
    diagnostics: list = field(default_factory=list)
    fixed_count: int = 0
    # Set when --fix/--diff produced new content (not yet written for --diff).
    original_text: Optional[str] = None
    fixed_text: Optional[str] = None
    messages: list = field(default_factory=list)  # notes for stderr (e.g. "fix refused")
    # With --diff: what the fixed text would still report (None: the same as ``diagnostics``).
    after_fix: Optional[list] = None
