"""KRS728: ``keras.utils.to_categorical`` returns float64 in Keras 3 (SIL-2)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_SAFE, Rule, RuleDoc


class ToCategoricalFloat64(Rule):
    code = "KRS728"
    name = "to-categorical-float64"
    summary = "`to_categorical` returns float64 in Keras 3 (float32 in Keras 2), doubling the memory of one-hot labels; add `.astype(\"float32\")`."
    fix_safety = FIX_SAFE
    severity = "warning"
    doc = RuleDoc(
        what="""
            Flags `keras.utils.to_categorical(...)` whose result is not immediately converted
            with `.astype(...)`.
        """,
        why="""
            tf_keras returned `float32` (and took a `dtype=` argument); Keras 3 returns
            `float64` and has no `dtype=`. No error: one-hot label arrays take twice the memory,
            and NumPy code mixing them with float32 arrays is promoted to float64.
        """,
        bad="""
            y_train = keras.utils.to_categorical(y_train, 10)
        """,
        good="""
            y_train = keras.utils.to_categorical(y_train, 10).astype("float32")
        """,
        fix="""
            **Safe.** Appends `.astype("float32")`: the values are 0 and 1, exact in both
            types, and the dtype is the one the Keras 2 code was written for; Keras 3 `fit`
            converts targets to float32 anyway.
        """,
        sources=(
            "Checked: `to_categorical([0, 1, 2]).dtype` is float32 in tf_keras 2.21.0 (signature `(y, num_classes=None, dtype='float32')`) and float64 in keras 3.15.1 (signature `(x, num_classes=None)`)",
        ),
        facts=("SIL-2",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._converted = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "astype" and isinstance(node.value, cst.Call):
            self._converted.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._converted or self.ctx.call_name(node) != "keras.utils.to_categorical":
            return
        fix = self.safe_fix("Convert the result to float32, as Keras 2 returned").insert_after(node, '.astype("float32")')
        self.report(
            node,
            "`to_categorical` returns float64 in Keras 3 (float32 in Keras 2), doubling the labels' memory; "
            "add `.astype(\"float32\")`",
            fix=fix,
        )
