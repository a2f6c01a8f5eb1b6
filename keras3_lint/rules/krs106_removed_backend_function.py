"""KRS106: `keras.backend` functions Keras 3 removed (BK-1, BK-2)."""

from __future__ import annotations

from typing import FrozenSet, Optional

import libcst as cst

from ..resolver import dotted_name
from ..rule import FIX_UNSAFE, NodeEdit, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, message_tail, versions_line
from ._backend_ops import OpsCallFixMixin

GENERIC_NOTE = "most `keras.backend` functions moved to `keras.ops`"


class RemovedBackendFunction(OpsCallFixMixin, SymbolRuleMixin, Rule):
    code = "KRS106"
    name = "removed-backend-function"
    summary = "A `keras.backend` function (`K.mean`, `K.get_session`, `K.placeholder`, ...) that Keras 3 removed; most have a `keras.ops` equivalent."
    fix_safety = FIX_UNSAFE
    categories = frozenset({"backend"})
    doc = RuleDoc(
        what="""
            Flags Keras 2 `keras.backend` functions that the namespace in use does not have:
            with `import keras` / `from keras import backend as K`, every function Keras 3 dropped
            (`K.mean`, `K.int_shape`, `K.set_value`, ...); through `tf.keras.backend`, only those
            the compatibility surface lacks too (`K.get_session`, `K.placeholder`, `K.function`,
            `K.learning_phase`, `K.set_learning_phase`). Functions that still work through
            `tf.keras` are KRS109. An attribute the file assigns (`K.my_fn = impl`, `+=`,
            annotated or tuple targets: monkeypatching) is not reported, nor its uses.
        """,
        why="""
                AttributeError: module 'keras.backend' has no attribute 'mean'
                AttributeError: module 'keras._tf_keras.keras.backend' has no attribute 'get_session'
        """,
        bad="""
            from keras import backend as K
            m = K.mean(x, axis=1)
        """,
        good="""
            import keras
            m = keras.ops.mean(x, axis=1)
        """,
        fix="""
            **Unsafe**, for the functions whose Keras 3 rewrite the generator checked against
            tf_keras on sample calls (required arguments only, positional and keyword spellings:
            same values, dtypes and shapes): the whole call is rewritten, with Keras 2's defaults
            passed where Keras 3's differ and its result dtype kept, e.g.
            `K.argmax(x)` -> `keras.ops.cast(keras.ops.argmax(x, axis=-1), "int64")`,
            `K.expand_dims(x)` -> `keras.ops.expand_dims(x, axis=-1)`,
            `K.concatenate([a, b])` -> `keras.ops.concatenate([a, b], axis=-1)`,
            `K.int_shape(x)` -> `tuple(x.shape)`,
            `K.l2_normalize(x, axis=1)` -> `keras.ops.normalize(x, axis=1, epsilon=1e-6)`,
            `K.variable(v)` -> `keras.Variable(v, dtype=keras.config.floatx())`,
            `K.ndim(x)` -> `len(x.shape)` (`keras.ops.ndim` of a symbolic tensor is a tensor),
            `K.flatten(x)` -> `keras.ops.reshape(x, (-1,))`, `K.pow` -> `keras.ops.power`,
            `K.permute_dimensions` -> `keras.ops.transpose`; `K.mean`, `K.sum`, `K.cast`,
            `K.relu(x)`, ... keep their arguments. The package is spelled through the
            file's imports, or `import keras` is added before the edited statement. Unsafe
            because `keras.ops` does not exist in Keras 2 (tf_keras), and because `K.mean` /
            `K.std` / `K.var` of an integer tensor truncate in Keras 2 while `keras.ops` returns
            a float. No fix where a call passes an argument Keras 3 lacks (`name=`), nor for
            `K.dot` (two 3-D tensors: not a batched `matmul`); the message says which argument
            (`K.relu(x, alpha=0.1)`). A top-level statement `K.set_learning_phase(0)` (or
            `False`) is removed: Keras 3 has no learning phase and runs layers called outside
            `fit()` in inference mode (inside `fit()` they train, as in tf.keras 2.x; standalone
            Keras 2.0-2.3 kept dropout off there after `set_learning_phase(0)`: a reason the fix
            is unsafe). Every finding without a fix says so and names the way
            out: `K.gradients` -> `tf.GradientTape` or a custom `train_step`, `K.function` ->
            `keras.Model(inputs, outputs)`, `K.set_learning_phase(1)` -> pass `training=True`,
            `K.get_value` -> `keras.ops.convert_to_numpy`, ...
        """,
        sources=(
            "keras3_lint/data/api_table.json (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.backend.mean` -> AttributeError: module 'keras.backend' has no attribute 'mean'",
            "Checked: keras 3.15.1, a model with Dropout and BatchNormalization: `model(x)` and `model.predict(x)` give the `training=False` result (tests/evidence/test_backend_routes_krs106.py, which also checks that every `keras.*` path a message names exists)",
            "Read: Keras 2.3.1 keras/engine/training.py: `_uses_dynamic_learning_phase()` is false once `set_learning_phase(0)` made the phase an int, so `fit` fed no learning phase and ran dropout in inference mode",
            "Checked: every rewrite by scripts/backend_ops_check.py (tf_keras 2.21 backend vs keras 3.15.1, TensorFlow backend) and again, on the linter's own fix, by tests/evidence/test_ops_mappings.py; e.g. `keras.ops.argmax(x)` is int32 over the flattened tensor, `keras.ops.expand_dims(x)` -> TypeError (no default axis)",
        ),
        facts=("BK-1", "BK-2"),
    )

    def describe(self, match: Match) -> str:
        where = "`tf.keras.backend` either" if match.origin == "tf.keras" else "Keras 3 (`import keras`)"
        return f"`keras.{match.rel}` does not exist in {where}; {self._tail(match)}"

    def _tail(self, match: Match) -> str:
        """The table's note, or, for a function only the generic note covers, the Keras 3 op of
        the same name (its arguments were not checked, so it is a route, not a fix)."""
        recipe = match.entry.get("ops_call") or {}
        if recipe and not recipe.get("drop_in") and self._in_import:
            # `from keras.backend import relu`: only each call can be rewritten, not the name.
            target = (recipe["template"].replace("{keras}", "keras").replace("{x}", "x") if recipe.get("template")
                      else f"keras.{recipe['op']}(...)")
            name = match.rel.rpartition(".")[2]
            return (f"no automatic fix for the import (Keras 3's spelling takes other arguments): rewrite its "
                    f"calls as `{target}`, or call it as `K.{name}(...)` with `from keras import backend as K`, "
                    "which the unsafe fix rewrites call by call")
        if recipe.get("template"):  # `K.int_shape(x)` -> `tuple(x.shape)`: the call's fix
            return match.entry["note"]
        if not match.replacement and match.entry.get("note") == GENERIC_NOTE:
            ops = [p for p in match.entry.get("same_name_in_keras3", ()) if p.startswith("ops.") and p.count(".") == 1]
            if ops:
                return (f"no automatic fix: use `keras.{ops[0]}` (its arguments and defaults were not checked "
                        "against Keras 2's: compare them)")
            return ("no automatic fix: rewrite it with `keras.ops` functions (https://keras.io/api/ops/), "
                    "or `tf.*` ops on the TensorFlow backend")
        return message_tail(match)

    _in_import = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import = True
        try:
            super().visit_ImportFrom(node)
        finally:
            self._in_import = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "set_learning_phase" and id(node) not in self._pending_ops_fixes:
            match = self._matcher().attribute(node)
            if match is not None and match.rel == "backend.set_learning_phase":
                self.report(node, self._learning_phase_message(node, match), fix=self._learning_phase_fix(node))
                return
        super().visit_Attribute(node)

    # -- `K.set_learning_phase(0)`: Keras 3 has no learning phase; outside fit() layers infer.

    def _learning_phase_statement(self, func: cst.Attribute) -> Optional[cst.SimpleStatementLine]:
        """The top-level line ``K.set_learning_phase(0)`` (or ``False``) alone, else None.
        Looked up only on a finding, so files without one pay nothing."""
        for line in self.ctx.module.body:
            if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                continue
            statement = line.body[0]
            if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call) and statement.value.func is func:
                return line if _learning_phase_value(statement.value) == 0 else None
        return None

    def _learning_phase_message(self, func: cst.Attribute, match: Match) -> str:
        where = "`tf.keras.backend` either" if match.origin == "tf.keras" else "Keras 3 (`import keras`)"
        text = f"`keras.{match.rel}` does not exist in {where}; "
        if self._learning_phase_statement(func) is not None:
            return text + ("Keras 3 has no learning phase and layers called outside `fit()` (`model(x)`, "
                           "`predict`) already run in inference mode: the unsafe fix removes the call")
        return text + ("no automatic fix: Keras 3 has no learning phase; remove the call and pass "
                       "`training=True` (or `training=False`) when calling the model or layer")

    def _learning_phase_fix(self, func: cst.Attribute):
        line = self._learning_phase_statement(func)
        if line is None:
            return None
        fix = self.unsafe_fix("Remove `set_learning_phase(0)`: Keras 3 layers infer outside `fit()`")
        fix.replace(line, "")
        fix.edits.append(NodeEdit("delete", line.trailing_whitespace))  # and its line ending
        return fix

    # -- Monkeypatching: `K.some_removed_fn = my_impl` defines the function; its uses work.

    def report(self, node, message, fix=None, confidence="high") -> None:
        if isinstance(node, cst.Attribute) and dotted_name(node) in self._patched_names():
            return
        super().report(node, message, fix=fix, confidence=confidence)

    def _patched_names(self) -> FrozenSet[str]:
        patched = getattr(self, "_patched", None)
        if patched is None:
            collector = _AssignedAttributes()
            self.ctx.module.visit(collector)  # once per file, on its first finding only
            patched = self._patched = frozenset(collector.names)
        return patched

    def _matcher(self):
        from ._api_table import ApiMatcher

        return ApiMatcher.of(self.ctx)


def _learning_phase_value(call: cst.Call) -> Optional[int]:
    """0 / 1 for a literal ``0``, ``1``, ``False``, ``True`` passed as the one argument."""
    if len(call.args) != 1 or call.args[0].star or (call.args[0].keyword is not None and call.args[0].keyword.value != "value"):
        return None
    value = call.args[0].value
    if isinstance(value, cst.Integer) and value.value in ("0", "1"):
        return int(value.value)
    if isinstance(value, cst.Name) and value.value in ("False", "True"):
        return int(value.value == "True")
    return None


class _AssignedAttributes(cst.CSTVisitor):
    """Dotted names of attribute chains that are assignment targets (plain, augmented,
    annotated, inside tuple/list targets)."""

    def __init__(self) -> None:
        self.names: set = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._collect(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._collect(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._collect(node.target)

    def _collect(self, target: cst.CSTNode) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._collect(element.value)
        elif isinstance(target, cst.StarredElement):
            self._collect(target.value)
        elif isinstance(target, cst.Attribute):
            name = dotted_name(target)
            if name is not None:
                self.names.add(name)
