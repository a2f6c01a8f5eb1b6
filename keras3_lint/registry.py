"""All rules, found by importing every module in ``keras3_lint.rules`` (no hand-kept list).

A rule module is named after its code (``krs201_batch_input_shape.py`` holds KRS201), so the
set of codes is known without importing the rules (and LibCST): a warm, fully cached run never
pays for those imports. ``all_rules()`` checks that every module's name matches its rule.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Dict, Tuple, Type

from . import rules as rules_package
from .selection import OPT_IN

if TYPE_CHECKING:  # pragma: no cover
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


MODULE_RE = re.compile(r"^krs(\d{3})_[a-z0-9_]+$")


def _rule_modules() -> Tuple[str, ...]:
    return tuple(sorted(info.name for info in pkgutil.iter_modules(rules_package.__path__)))


@lru_cache(maxsize=1)
def rule_codes() -> Tuple[str, ...]:
    """The rules' codes, from the module names alone."""
    return tuple(sorted(f"KRS{m.group(1)}" for m in map(MODULE_RE.match, _rule_modules()) if m))


@lru_cache(maxsize=1)
def all_rules() -> Tuple[Type["Rule"], ...]:
    from .rule import Rule

    found: Dict[str, Type[Rule]] = {}
    for name in _rule_modules():
        module = importlib.import_module(f"{rules_package.__name__}.{name}")
        classes = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__
        ]
        match = MODULE_RE.match(name)
        if not match:
            if classes:
                raise ValueError(f"rules/{name}.py defines a rule but is not named krsNNN_<name>.py")
            continue  # a helper module (_seeds.py, ...)
        if len(classes) != 1 or classes[0].code != f"KRS{match.group(1)}":
            raise ValueError(f"rules/{name}.py must define exactly one rule, KRS{match.group(1)}")
        code = classes[0].code
        if classes[0].severity not in SEVERITIES:
            raise ValueError(f"{code}: severity must be one of {SEVERITIES}")
        if classes[0].opt_in != (code in OPT_IN):
            raise ValueError(f"{code}: `opt_in` and selection.OPT_IN disagree")
        if not CODE_RE.match(code):
            raise ValueError(f"{classes[0].__name__}: code {code!r} is not a valid flake8 code")
        if code in found or code in TOOL_CODES:
            raise ValueError(f"duplicate rule code {code}")
        found[code] = classes[0]
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str):
    for rule in all_rules():
        if rule.code == code:
            return rule
    return None


SEVERITIES = ("error", "warning")
_TOOL_WARNINGS = frozenset({"KRS004"})  # an unused noqa is untidy, not a hazard


def severity_of(code: str) -> str:
    """"error" or "warning" for any code (rules declare theirs; unknown codes are errors)."""
    if code in TOOL_CODES:
        return "warning" if code in _TOOL_WARNINGS else "error"
    rule = rule_by_code(code)
    return rule.severity if rule is not None else "error"


def all_codes() -> Tuple[str, ...]:
    return tuple(sorted(list(TOOL_CODES) + list(rule_codes())))
