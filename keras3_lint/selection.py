"""Which codes are enabled: ``select`` / ``ignore`` / ``extend-select`` with codes, prefixes and ALL.

As in ruff, the most specific selector wins, and at equal specificity ignore beats select.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Set

DEFAULT_SELECT = ("KRS",)


class SelectorError(ValueError):
    pass


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _matches(selector: str, code: str) -> bool:
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
        best_ignore = max((_specificity(s) for s in ignore if _matches(s, code)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            enabled.add(code)
    return enabled
