"""KRS726: masked sequence models with compiled accuracy metrics on Keras < 3.12 (SEQ-1)."""

from __future__ import annotations

from typing import List

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, is_true, keyword_arg, string_value

_ACCURACY = {"accuracy", "acc", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy"}
_ACCURACY_CLASSES = {
    "keras.metrics." + n
    for n in ("Accuracy", "SparseCategoricalAccuracy", "CategoricalAccuracy", "BinaryAccuracy", "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy")
}


class MaskedMetricsBefore312(Rule):
    code = "KRS726"
    name = "masked-metrics-before-3-12"
    summary = "Keras < 3.12 ignores the padding mask in compiled metrics: `accuracy` counts padded positions (the ch16 \"60% -> 10%\"); upgrade to keras >= 3.12."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Only when the code runs on Keras < 3.12 (`keras-version`, or the project's pins):
            flags `compile(metrics=[...])` with an accuracy metric (`"accuracy"`, `"acc"`,
            `"sparse_categorical_accuracy"`, `keras.metrics.SparseCategoricalAccuracy()`, …)
            in a file that masks padding with `Embedding(..., mask_zero=True)` or `Masking(...)`.
        """,
        why="""
            Before keras 3.12.0 (PR #21569), compiled metrics applied the Keras mask only when a
            `sample_weight` was also passed. Without one, `accuracy` counts every padding
            position: the handson-ml3 ch16 translation model reports ~10 % validation accuracy
            instead of ~60 %. There is no error; the loss and the training are the same, only
            the reported metric is wrong (and so is anything that monitors it: early stopping,
            checkpoints with `monitor="val_accuracy"`).
        """,
        bad="""
            # keras 3.11
            x = keras.layers.Embedding(vocab, 128, mask_zero=True)(inputs)
            ...
            model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
        """,
        good="""
            # keras >= 3.12 (pip install "keras>=3.12"), or on older Keras pass an all-ones
            # sample_weight to fit/evaluate so the mask is applied, or compute a masked accuracy
        """,
        fix="""
            **None.** Upgrade to keras >= 3.12; on older Keras 3 pass `sample_weight` (all ones)
            to `fit`/`evaluate`, or compute the masked accuracy yourself.
        """,
        sources=(
            "keras-team/keras#20320 (reported with Keras 3.4.1)",
            "ageron/handson-ml3#163",
            "keras-team/keras#21569 (the fix, first released in keras 3.12.0)",
            "Checked: Embedding(mask_zero=True) -> Dense(softmax), `metrics=[\"accuracy\"]`, JAX backend: keras 3.11.0 reports 0.0641 = the unmasked accuracy (masked: 0.2500); keras 3.12.0 reports 0.2317 = the masked accuracy; keras 3.15.1 likewise",
        ),
        facts=("SEQ-1",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._masked = False
        self._compiles: List[cst.Arg] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.keras_version >= (3, 12):
            return
        name = self.ctx.call_name(node)
        if name == "keras.layers.Masking":
            self._masked = True
        elif name == "keras.layers.Embedding" and is_true(getattr(keyword_arg(node, "mask_zero"), "value", None)):
            self._masked = True
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "compile" and name is None:
            metrics = keyword_arg(node, "metrics")
            if metrics is not None and self._has_accuracy(metrics.value):
                self._compiles.append(metrics)

    def _has_accuracy(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, (cst.List, cst.Tuple)):
            return any(self._has_accuracy(e.value) for e in value.elements)
        if isinstance(value, cst.Dict):
            return any(isinstance(e, cst.DictElement) and self._has_accuracy(e.value) for e in value.elements)
        text = string_value(value)
        if text is not None:
            return text.lower() in _ACCURACY
        if isinstance(value, cst.Call):
            return self.ctx.call_name(value) in _ACCURACY_CLASSES
        return False

    def finish(self) -> None:
        if not self._masked:
            return
        version = ".".join(str(p) for p in self.ctx.keras_version[:3])
        for metrics in self._compiles:
            self.report(
                metrics,
                f"On Keras {version} (< 3.12) compiled metrics ignore the padding mask unless `sample_weight` is "
                "passed: `accuracy` counts padded positions and reads far too low (the ch16 \"60% -> 10%\"); "
                "upgrade to keras >= 3.12 or pass an all-ones `sample_weight`",
            )
