"""All rules, found by importing every module in ``keras3_lint.rules`` (no hand-kept list)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from typing import Dict, Tuple, Type

from . import rules as rules_package
from .rule import Rule

CODE_RE = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")  # what flake8 accepts

# Diagnostics the tool itself emits about a file (not rules: nothing to select in a visit).
TOOL_CODES = {
    "KRS001": ("syntax-error", "The file (or notebook cell) is not valid Python; nothing in it was checked."),
    "KRS002": ("decode-error", "The file's bytes cannot be decoded with its declared or default encoding."),
    "KRS003": ("io-error", "The path cannot be read: missing, unreadable, or removed during the run."),
    "KRS004": ("unused-noqa", "A `# noqa: KRS…` comment names a code that reported nothing on its line."),
    "KRS005": ("invalid-notebook", "A `.ipynb` file is not a readable Jupyter notebook (invalid JSON or missing keys)."),
}


@lru_cache(maxsize=1)
def all_rules() -> Tuple[Type[Rule], ...]:
    found: Dict[str, Type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(rules_package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                code = value.code
                if not CODE_RE.match(code):
                    raise ValueError(f"{value.__name__}: code {code!r} is not a valid flake8 code")
                if code in found or code in TOOL_CODES:
                    raise ValueError(f"duplicate rule code {code}")
                found[code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str):
    for rule in all_rules():
        if rule.code == code:
            return rule
    return None


def all_codes() -> Tuple[str, ...]:
    return tuple(sorted(list(TOOL_CODES) + [r.code for r in all_rules()]))
