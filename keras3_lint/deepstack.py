"""Run a function that may recurse deeply (LibCST's code generator on a 5000-term expression)
without a RecursionError: retry it once in a thread with a large stack and a high recursion
limit. Parsing is native and the engine's walk is iterative; only code generation recurses."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, TypeVar

T = TypeVar("T")

_STACK_BYTES = 512 * 1024 * 1024  # virtual; only the pages actually used are committed
_RECURSION_LIMIT = 200_000
_lock = threading.Lock()


def call_with_deep_stack(function: Callable[..., T], *args: Any) -> T:
    try:
        return function(*args)
    except RecursionError:
        pass
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    with _lock:  # the recursion limit and the thread stack size are process-wide settings
        old_limit = sys.getrecursionlimit()
        old_stack = threading.stack_size(_STACK_BYTES)
        try:
            sys.setrecursionlimit(_RECURSION_LIMIT)
            worker = threading.Thread(target=target, name="keras3-lint-deep-stack")
            worker.start()
            worker.join()
        finally:
            sys.setrecursionlimit(old_limit)
            threading.stack_size(old_stack)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
