"""KRS730: a ``keras.utils.Sequence`` / ``PyDataset`` subclass whose ``__init__`` skips ``super().__init__`` (TRN-4)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..resolver import Scope, dotted_name
from ..rule import FIX_SAFE, Rule, RuleDoc

_PYDATASET = "keras.utils.PyDataset"
_WORKER_ATTRIBUTES = frozenset({"workers", "use_multiprocessing", "max_queue_size"})


class SequenceWithoutSuperInit(Rule):
    code = "KRS730"
    name = "sequence-without-super-init"
    summary = "A `keras.utils.Sequence` / `PyDataset` subclass whose `__init__` does not call `super().__init__(...)`: Keras 3 warns when it is used, and the worker settings have nowhere to go."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="""
            Flags the `__init__` of a class deriving (directly or through classes in the same
            file) from Keras 3's `keras.utils.Sequence` or `keras.utils.PyDataset` (the same
            class in Keras 3) when it calls neither `super().__init__(...)` nor
            `<Base>.__init__(self, ...)`. A class without its own `__init__`, and tf_keras
            (`tf_keras.utils.Sequence`), are not flagged; nor is an `__init__` that sets all of
            `workers`, `use_multiprocessing` and `max_queue_size` on `self` itself.
        """,
        why="""
            Keras 2's `Sequence` had no constructor to call. Keras 3's `Sequence` is `PyDataset`,
            whose constructor stores `workers`, `use_multiprocessing` and `max_queue_size`; when
            it was skipped, `fit` / `evaluate` / `predict` fall back to 1 / False / 10 and warn:

                UserWarning: Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor. `**kwargs` can include `workers`, `use_multiprocessing`, `max_queue_size`. Do not pass these arguments to `fit()`, as they will be ignored.

            Since `fit(workers=...)` is a TypeError in Keras 3 (KRS729), the constructor is
            the only place to ask for parallel loading.
        """,
        bad="""
            class Batches(keras.utils.Sequence):
                def __init__(self, x, y, batch_size):
                    self.x, self.y, self.batch_size = x, y, batch_size
        """,
        good="""
            class Batches(keras.utils.Sequence):
                def __init__(self, x, y, batch_size, **kwargs):
                    super().__init__(**kwargs)
                    self.x, self.y, self.batch_size = x, y, batch_size
        """,
        fix="""
            **Safe.** Inserts `super().__init__()` as the first statement of `__init__` (after
            its docstring): the attributes then hold exactly the values Keras 3 falls back to
            without the call (workers=1, use_multiprocessing=False, max_queue_size=10), minus
            the warning. Offered only when `super()` reaches `PyDataset.__init__` itself: a
            single base that is the Keras class, or a chain of single-base classes in the file
            that define no `__init__`. The fix does not forward `**kwargs`: keywords that callers
            passed and the class swallowed would then reach `PyDataset.__init__` (worker
            settings taking effect, anything else raising TypeError), which changes behaviour.
            To load in parallel, change the call to `super().__init__(**kwargs)` yourself and
            construct the dataset with `workers=` / `use_multiprocessing=`.
        """,
        sources=(
            "Checked in keras 3.15.1: `keras.utils.Sequence is keras.utils.PyDataset` -> True; a subclass whose `__init__` skips the super call emits the UserWarning above (verbatim) on `fit`, then has workers=1, use_multiprocessing=False, max_queue_size=10 -- the same as subclasses calling `super().__init__()` or `super().__init__(**kwargs)` with no kwargs (no warning)",
            "Checked: keras 3.15.1 `PyDataset.__init__(self, workers=1, use_multiprocessing=False, max_queue_size=10)`; `_warn_if_super_not_called` only sets the missing attributes to those defaults and warns",
        ),
        facts=("TRN-4", "FIT-2"),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        resolver = self.ctx.resolver
        if _PYDATASET not in resolver.class_bases(node):
            return
        init = _init_of(node)
        if init is None:
            return
        scan = _InitCalls()
        init.body.visit(scan)
        if scan.calls_init or _WORKER_ATTRIBUTES <= scan.attributes:
            return
        fix = None
        if isinstance(init.body, cst.IndentedBlock) and self._super_is_pydataset(node, resolver.scope, 0):
            fix = self._fix(init)
        self.report(
            init.name,
            "Keras 3's `Sequence` is `PyDataset`: call `super().__init__(**kwargs)` in `__init__` "
            "(Keras 3 warns \"Your `PyDataset` class should call `super().__init__(**kwargs)` in its constructor\", "
            "and `workers` / `use_multiprocessing` / `max_queue_size` can only be set there)",
            fix=fix,
        )

    def _super_is_pydataset(self, klass: cst.ClassDef, scope: Scope, depth: int) -> bool:
        """Whether ``super().__init__`` in ``klass`` runs ``PyDataset.__init__`` directly."""
        bases = [b for b in klass.bases if b.keyword is None]
        if depth > 8 or len(bases) != 1 or bases[0].star:
            return False
        resolved = self.ctx.resolver.resolve(bases[0].value, scope)
        if resolved is not None:
            return resolved.is_keras3 and resolved.canonical == _PYDATASET
        dotted = dotted_name(bases[0].value)
        if not dotted or "." in dotted:
            return False
        binding = scope.lookup(dotted)
        if binding is None or binding.klass is None or binding.scope is None or _init_of(binding.klass) is not None:
            return False
        return self._super_is_pydataset(binding.klass, binding.scope, depth + 1)

    def _fix(self, init: cst.FunctionDef):
        # Always the bare call: it gives exactly the attributes Keras 3 falls back to now.
        # Forwarding **kwargs would change behaviour (swallowed keywords would reach PyDataset).
        call = "super().__init__()"
        fix = self.safe_fix(f"Call `{call}` first in `__init__`")
        body = list(init.body.body)
        if body and _is_docstring(body[0]):
            if len(body) == 1:
                expression = body[0].body[0]
                return fix.insert_after(expression, "\n" + call)
            body = body[1:]
        return fix.insert_before(body[0], call + "\n")


def _init_of(klass: cst.ClassDef) -> Optional[cst.FunctionDef]:
    if not isinstance(klass.body, cst.IndentedBlock):
        return None
    found = None
    for statement in klass.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
            found = statement  # the last definition wins, as in Python
    return found


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


class _InitCalls(cst.CSTVisitor):
    """``<anything>.__init__(...)`` calls and ``self.<attr> = ...`` targets in a function body,
    not counting nested functions and classes."""

    def __init__(self) -> None:
        self.calls_init = False
        self.attributes = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "__init__":
            self.calls_init = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
            self.attributes.add(target.attr.value.lstrip("_"))
