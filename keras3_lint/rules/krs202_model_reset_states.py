"""KRS202: ``model.reset_states()`` on a Keras model, removed in Keras 3 (STATEFUL-2)."""

from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from ..resolver import MODEL_CLASSES
from ..rule import FIX_UNSAFE, Rule, RuleDoc, sole_expression
from ._receivers import self_owner


class ModelResetStates(Rule):
    code = "KRS202"
    name = "model-reset-states"
    summary = "Keras 3 models have no `reset_states()`; reset the stateful layers one by one."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `X.reset_states()` where `X` is a Keras model: a variable assigned from
            `keras.Sequential(...)`, `keras.Model(...)` or `keras.models.load_model(...)`, an
            instance of a `keras.Model` subclass, the result of a function returning one, or
            `self.model` inside a `keras.callbacks.Callback` subclass (the classic
            "reset states at the start of each epoch" callback), or `self` inside a method of a
            `keras.Model` subclass that does not define `reset_states` itself.
            `layer.reset_states()` on a recurrent layer still exists in Keras 3 and is not
            flagged, nor is a `tf_keras` (Keras 2) model.

            `reset_states()` on a receiver of unknown type is not reported by any rule: on public
            Keras 2 code 7 of 9 such calls were on Keras models or metrics, 2 on other libraries'
            metric objects (78 %, below the 95 % the `medium` confidence needs; measured by
            `scripts/measure_receivers.py`), and recurrent layers keep the method. A proven
            Keras **metric**'s `reset_states()` is KRS103 (with a safe fix to `reset_state()`).
        """,
        why="""
            Keras 3 removed `Model.reset_states()`; the call fails on every backend:

                AttributeError: 'Sequential' object has no attribute 'reset_states'

            (`'Functional' object ...` for functional models, the class name for subclasses).
            Recurrent layers keep `reset_states()` (and gain `reset_state()`).
        """,
        bad="""
            class ResetStatesCallback(tf.keras.callbacks.Callback):
                def on_epoch_begin(self, epoch, logs):
                    self.model.reset_states()
        """,
        good="""
            class ResetStatesCallback(tf.keras.callbacks.Callback):
                def on_epoch_begin(self, epoch, logs):
                    for layer in self.model.layers:
                        if getattr(layer, "stateful", False):
                            layer.reset_states()
        """,
        fix="""
            **Unsafe.** When the call is a statement of its own (one per line), the fix replaces
            it with a loop over `X.layers` that calls `reset_states()` on every layer whose
            `stateful` attribute is true (the loop variable is renamed when `layer` is already
            used in the file). This is what Keras 2's `Model.reset_states()` did
            (tf_keras 2.21, `tf_keras/src/engine/training.py`, `Model.reset_states`: `for layer
            in self.layers: if hasattr(layer, "reset_states") and getattr(layer, "stateful",
            False): layer.reset_states()`), with one difference: in Keras 2 a nested model had
            both `reset_states()` and a `stateful` property (true when any of its layers is
            stateful), so the loop recursed into nested models; in Keras 3 a nested model has
            neither, so stateful layers inside a nested model are **not** reset by the loop.
            Recurse into nested models yourself if you have them. Elsewhere (inside an
            expression, a lambda, or with arguments) there is no automatic fix.
        """,
        sources=(
            "keras-team/keras#18467 (comment by El3ssar, 2023-12-20)",
            "keras-team/keras#20327 (the RNN docs still call `model.reset_states()`)",
            "Checked: keras 3.15.1 `Sequential` and `Functional` have no `reset_states` and no `stateful`; `LSTM`, `GRU`, `SimpleRNN`, `RNN`, `ConvLSTM1D/2D/3D` and `Bidirectional` keep `reset_states()`",
            "Checked: tf_keras 2.21 `Model.reset_states` (tf_keras/src/engine/training.py, line 3405) loops over `self.layers`; `Model.stateful` is `any(layer._stateful for layer in self._flatten_layers())`",
        ),
        facts=("STATEFUL-2", "STATEFUL-5"),
    )

    _NAMES = ("layer", "stateful_layer", "layer_")

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._statement: Optional[cst.SimpleStatementLine] = None
        self._found: List[tuple] = []  # (call, receiver, Expr statement or None, model class)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "reset_states"):
            return
        kind = self.ctx.resolver.value_type(func.value)
        if kind not in MODEL_CLASSES:
            kind = self._self_in_model(func.value)
            if kind is None:
                return
        expr = sole_expression(self._statement, node) if not node.args else None
        self._found.append((node, func.value, expr, kind))

    def _self_in_model(self, receiver: cst.BaseExpression) -> Optional[str]:
        """``self.reset_states()`` in a method of a ``keras.Model`` subclass that does not define
        ``reset_states`` itself."""
        if self_owner(self.ctx.resolver, receiver) not in ("Model", "Sequential"):
            return None
        klass = self.ctx.resolver.current_class
        body = klass.body.body if klass is not None and isinstance(klass.body, cst.IndentedBlock) else ()
        if any(isinstance(stmt, cst.FunctionDef) and stmt.name.value == "reset_states" for stmt in body):
            return None
        return "keras.Model"

    def finish(self) -> None:
        if not self._found:
            return
        # A loop variable no name in the file uses (a textual check: conservative, and paid
        # only by files with findings rather than by a hook on every Name of every file).
        code = self.ctx.module.code
        variable = next((n for n in self._NAMES if not re.search(rf"\b{n}\b", code)), None)
        for call, receiver, expr, kind in self._found:
            owner = "'Sequential'" if kind == "keras.Sequential" else "..."
            self.report(
                call,
                f"Keras 3 models have no `reset_states()` (`AttributeError: {owner} object has no "
                f"attribute 'reset_states'`); call `reset_states()` on the stateful layers instead",
                fix=self._fix(receiver, expr, variable),
            )

    def _fix(self, receiver: cst.BaseExpression, expr: Optional[cst.Expr], variable: Optional[str]):
        if expr is None or variable is None:
            return None
        target = self.ctx.code_for(receiver)
        if "\n" in target or "\r" in target:
            return None
        unit = self.ctx.module.default_indent
        text = (
            f"for {variable} in {target}.layers:\n"
            f'{unit}if getattr({variable}, "stateful", False):\n'
            f"{unit}{unit}{variable}.reset_states()"
        )
        return self.unsafe_fix("Reset the model's stateful layers one by one").replace(expr, text)
