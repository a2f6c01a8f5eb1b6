"""KRS503: ``tf.random.set_seed`` / ``np.random.seed`` is the file's only seeding (RNG-1)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..resolver import MODEL_CLASSES
from ..rule import FIX_SAFE, Rule, RuleDoc, keyword_arg
from ._seeds import (
    FULL_SEEDING,
    MAX_SEED,
    NUMPY_SEEDING,
    TF_ONLY_SEEDING,
    StatementTracker,
    int_literal,
    is_layer_constructor,
    keras_callable,
)

_BUILDERS = frozenset({"keras.Input"})


class TfSeedOnly(Rule):
    code = "KRS503"
    name = "tf-seed-only"
    summary = "`tf.random.set_seed()` / `np.random.seed()` alone does not make Keras weights reproducible; use `keras.utils.set_random_seed()`."
    fix_safety = FIX_SAFE
    severity = "warning"
    doc = RuleDoc(
        what="""
            Flags `tf.random.set_seed(...)` (also `tf.compat.v1.set_random_seed`) or
            `np.random.seed(...)` when it is the only seeding in a file that constructs Keras
            layers or models after it: the file calls neither `keras.utils.set_random_seed`
            (any spelling, `tf.keras.utils` and `tf_keras.utils` included) nor `random.seed`.
            `reproducible = false` in the configuration turns it off (a project that does not care
            about reproducible runs).
            "After" is source order; models built by a function defined earlier and called
            after the seed count.
        """,
        why="""
            Unseeded initializers and `Dropout`/`SeedGenerator` draw their seeds from Python's
            `random` module (`keras/src/random/seed_generator.py: make_default_seed()` is
            `python_random.randint(1, int(1e9))`; tf_keras 2.21 does the same in
            `RandomGenerator._create_seed`). `tf.random.set_seed(42)` and `np.random.seed(42)`
            do not seed Python's `random`, so initial weights differ from one process to the
            next although the script "sets the seed" (verified on keras 3.15.1 with TF and JAX,
            and on tf_keras 2.21). No error is raised. Code written for tf.keras before 2.7,
            where the TF global seed was enough, silently stops being reproducible.
        """,
        bad="""
            tf.random.set_seed(42)
            model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
        """,
        good="""
            tf.keras.utils.set_random_seed(42)  # seeds Python random, NumPy and TensorFlow
            model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
        """,
        fix="""
            **Safe.** Replaces the first such call in the file with
            `keras.utils.set_random_seed(<same seed>)`, spelled through the file's imports
            (`tf.keras.utils.set_random_seed` when only `import tensorflow as tf` is there; an
            import is added when nothing reaches it and the call comes after the file's last
            top-level import). `keras.utils.set_random_seed` calls `random.seed`,
            `np.random.seed` and `tf.random.set_seed` with the same seed, so everything the old
            call seeded is seeded the same way. Only applied when the seed is an integer
            literal in `0 .. 2**32 - 1` (or a name bound to one): `set_random_seed` rejects
            other values (``ValueError: Expected `seed` argument to be an integer``,
            `ValueError: Seed must be between 0 and 2**32 - 1`).
        """,
        sources=(
            "KERAS3_FACTS RNG-1",
            "keras-team/keras#15586",
            "keras-team/tf-keras#432",
            "Checked: keras 3.15.1 `inspect.getsource(keras.utils.set_random_seed)` calls random.seed, np.random.seed and tf.random.set_seed; tf_keras 2.21 has `tf_keras.utils.set_random_seed` doing the same; `tf.keras.utils.set_random_seed is keras.utils.set_random_seed`",
        ),
        facts=("RNG-1",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._tracker = StatementTracker(ctx)
        self._order = 0
        self._full_seeding = False
        # (order, owner, call, label, fix) for every TF/NumPy-only seeding call; the owner is the
        # enclosing function (None at module level)
        self._seeds: List[Tuple[int, Optional[int], cst.Call, str, Optional[object]]] = []
        # (order, owner, call, scope) of every other call: whether it builds Keras is decided in
        # finish(), when functions defined further down are known too
        self._calls: List[Tuple[int, Optional[int], cst.Call, object]] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._tracker.visit(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._order += 1
        name = self.ctx.qualified_name(node.func)
        if name in FULL_SEEDING:
            self._full_seeding = True
            return
        owner = self._owner()
        if name in TF_ONLY_SEEDING or name in NUMPY_SEEDING:
            if not node.args or all(_is_none(a.value) for a in node.args):
                return  # `np.random.seed()` re-seeds from entropy: not an attempt at reproducibility
            label = self.ctx.code_for(node.func)
            self._seeds.append((self._order, owner, node, label, self._fix(node)))
            return
        if self._seeds:  # only constructions after a seeding call matter
            self._calls.append((self._order, owner, node, self.ctx.scope))

    def _owner(self) -> Optional[int]:
        function = self.ctx.resolver.current_function
        return id(function) if function is not None else None

    def _builds_after(self, order: int, owner: Optional[int]) -> bool:
        """A module-level seed precedes any later build; a seed inside a function (often just
        for shuffling data) only counts when that same function goes on to build Keras."""
        return any(
            o > order and (owner is None or c_owner == owner) and self._builds_keras(call, scope)
            for o, c_owner, call, scope in self._calls
        )

    def _builds_keras(self, node: cst.Call, scope) -> bool:
        kind = self.ctx.resolver.value_type(node, scope)
        if kind is None:
            return False
        return (
            kind in MODEL_CLASSES
            or kind in _BUILDERS
            or is_layer_constructor(kind)
            or kind.startswith("keras.applications.")
        )

    def _seed_text(self, node: cst.Call) -> Optional[str]:
        arg = keyword_arg(node, "seed")
        if arg is None:
            if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
                return None
            arg = node.args[0]
        elif len(node.args) != 1:
            return None
        value = arg.value
        literal = int_literal(value)
        if literal is None and isinstance(value, cst.Name):
            binding = self.ctx.scope.lookup(value.value)
            if binding is not None and binding.value is not None:
                literal = int_literal(binding.value)
        if literal is None or not 0 <= literal <= MAX_SEED:
            return None
        return self.ctx.code_for(value)

    def _fix(self, node: cst.Call):
        seed = self._seed_text(node)
        if seed is None:
            return None
        reference, import_text = keras_callable(self.ctx, "keras.utils.set_random_seed", node.func, self._tracker)
        if reference is None:
            return None
        replacement = f"{reference}({seed})"
        fix = self.safe_fix(f"Replace with `{replacement}`").replace(node, replacement)
        if import_text is not None:
            self.ctx.add_import(fix, import_text)
        return fix

    def finish(self) -> None:
        if self._full_seeding or self.ctx.settings.reproducible is False:
            return
        first = True
        previous: Optional[Tuple[int, Optional[int]]] = None
        for order, owner, call, label, fix in self._seeds:
            if not self._builds_after(order, owner):
                continue
            # `np.random.seed(42); tf.random.set_seed(42)` back to back is one seeding site.
            adjacent = previous is not None and previous == (order - 1, owner)
            previous = (order, owner)
            if adjacent:
                continue
            self.report(
                call,
                f"`{label}(...)` is the only seeding here: it does not seed Python's `random`, from "
                f"which Keras draws the seeds of unseeded initializers and Dropout, so initial "
                f"weights change from run to run; use `keras.utils.set_random_seed(...)`",
                fix=fix if first else None,  # one replacement seeds everything; later calls keep their effect
            )
            first = False


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"
