"""KRS721: a flat ``metrics=[...]`` list on a multi-output functional model (TRN-1)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import output_count, receiver_name


class MultiOutputFlatMetrics(Rule):
    code = "KRS721"
    name = "multi-output-flat-metrics"
    summary = "A flat `metrics=[...]` on a multi-output model: Keras 2 applied it to every output, Keras 3 raises or pairs it with outputs one by one."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `model.compile(metrics=[...])` with a flat list (no nested lists or dicts) when
            `model` was built in this file as `keras.Model(inputs, [a, b, ...])` (outputs a list,
            tuple or dict literal, or a name assigned one) with two or more outputs.
        """,
        why="""
            Keras 2 applied a flat metrics list to every output (`a_accuracy`, `b_accuracy`).
            Keras 3 matches the list against the output structure. A list of another length
            fails:

                ValueError: tuple arity mismatch; expected: 2, got: 1; tuple: ('accuracy',). Invalid `metrics`. `metrics` should contain metrics objects and either be a dict or a list matching the output names of the functional model ['a', 'b'] or match the output structure of the model: ['X', 'X']. Received: metrics=['accuracy']

            A list as long as the outputs is silently paired one metric per output
            (`metrics=["accuracy", "mse"]` gives `a_accuracy` and `b_mse` only).
        """,
        bad="""
            model = keras.Model(inputs, [a, b])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """,
        good="""
            model = keras.Model(inputs, [a, b])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                          metrics=[["accuracy"], ["accuracy"]])
        """,
        fix="""
            **Unsafe.** Repeats the list once per output (`[["accuracy"], ["accuracy"]]`), which
            is what Keras 2 computed (verified: history keys `a_accuracy`, `b_accuracy` as in
            tf_keras). Unsafe because on a same-length list it changes which metrics Keras 3
            reports, and metric objects are created once per output.
        """,
        sources=(
            "Checked: keras 3.15.1, 2-output model: `metrics=['accuracy']` raises the ValueError quoted above; `metrics=['accuracy', 'sparse_categorical_crossentropy']` gives `a_accuracy`, `b_sparse_categorical_crossentropy` (tf_keras 2.21: both metrics on both outputs); `metrics=[['accuracy'], ['accuracy']]` gives `a_accuracy`, `b_accuracy`",
        ),
        facts=("TRN-1",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        receiver = receiver_name(node, "compile")
        if receiver is None or self.ctx.call_name(node) is not None:
            return
        metrics = keyword_arg(node, "metrics")
        if metrics is None or not isinstance(metrics.value, (cst.List, cst.Tuple)) or not metrics.value.elements:
            return
        elements = metrics.value.elements
        if any(isinstance(e, cst.StarredElement) or isinstance(e.value, (cst.List, cst.Tuple, cst.Dict, cst.Name)) and
               (not isinstance(e.value, cst.Name) or e.value.value == "None") for e in elements):
            return
        count = output_count(self.ctx, receiver)
        if count is None or count < 2:
            return
        inner = self.ctx.code_for(metrics.value)
        if isinstance(metrics.value, cst.Tuple):
            inner = "[" + ", ".join(self.ctx.code_for(e.value) for e in elements) + "]"
        fix = self.unsafe_fix("Apply the metrics to every output, as Keras 2 did").replace(
            metrics.value, cst.parse_expression("[" + ", ".join([inner] * count) + "]")
        )
        if len(elements) == count:
            problem = f"Keras 3 pairs these {count} metrics with the {count} outputs one by one (Keras 2 applied all of them to every output)"
        else:
            problem = f"Keras 3 raises `ValueError: tuple arity mismatch; expected: {count}, got: {len(elements)}` (`Invalid metrics`)"
        self.report(
            metrics,
            f"Flat `metrics=` list on a model with {count} outputs: {problem}; give one list per output "
            "(or a dict by output name)",
            fix=fix,
        )
