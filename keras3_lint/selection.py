"""Which codes are enabled: ``select`` / ``ignore`` / ``extend-select`` with codes, prefixes and ALL.

As in ruff, the most specific selector wins, and at equal specificity ignore beats select.

Opt-in rules (``OPT_IN``) are off by default and are enabled only by their exact code in
``select`` or ``extend-select``; ``ALL`` and prefixes (``KRS``, ``KRS8``, ``KRS80``) do not
reach them. This follows ruff's rule for opt-in rules (nursery rules, and preview rules under
``explicit-preview-rules``): a rule that reports something other than a hazard must be asked for
by name. An exact ignore still beats an exact select.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Set

DEFAULT_SELECT = ("KRS",)

# Rules that report facts rather than hazards (KRS804: the parts of a project still on Keras 2).
# Listed here, not read from the rule classes, so selection never imports the rules (or LibCST);
# registry.all_rules() checks that the list and the classes' `opt_in` attributes agree.
OPT_IN = frozenset({"KRS804"})


class SelectorError(ValueError):
    pass


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _matches(selector: str, code: str) -> bool:
    if code in OPT_IN:
        return selector == code
    return selector == "ALL" or code.startswith(selector)


def validate_selectors(selectors: Iterable[str], known_codes: Sequence[str], what: str) -> List[str]:
    result = []
    for selector in selectors:
        selector = selector.strip().upper()
        if not selector:
            continue
        if selector != "ALL" and not any(code.startswith(selector) for code in known_codes):
            raise SelectorError(f"{what}: unknown rule selector {selector!r}")
        result.append(selector)
    return result


def enabled_codes(
    known_codes: Sequence[str],
    select: Optional[Sequence[str]] = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> Set[str]:
    selects = list(select if select is not None else DEFAULT_SELECT) + list(extend_select)
    enabled = set()
    for code in known_codes:
        best_select = max((_specificity(s) for s in selects if _matches(s, code)), default=-1)
        best_ignore = max((_specificity(s) for s in ignore if _ignores(s, code)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            enabled.add(code)
    return enabled


def _ignores(selector: str, code: str) -> bool:
    # Ignores match opt-in rules as usual; only their exact code is as specific as the exact
    # select that enabled them, so `--select KRS804 --ignore KRS8` keeps KRS804.
    return selector == "ALL" or code.startswith(selector)
