"""KRS602: ``self.<attr> = tf.Variable(...)`` in a Keras layer or model is not tracked (CUS-2)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc
from ._symbolic import in_keras_method

_TF_VARIABLES = frozenset({"tensorflow.Variable", "tensorflow.compat.v1.Variable", "tensorflow.compat.v2.Variable"})


class TfVariableAttributeUntracked(Rule):
    code = "KRS602"
    name = "tf-variable-attribute-untracked"
    summary = "`self.w = tf.Variable(...)` in a Keras 3 layer or model is silently not tracked (never trained or saved); use `self.add_weight(...)`."
    fix_safety = FIX_NONE
    backends = ("tensorflow", "jax", "torch", "numpy")
    doc = RuleDoc(
        what="""
            Flags `self.<attr> = tf.Variable(...)` (also annotated assignments) in `__init__` or
            `build` of a class that subclasses a Keras 3 layer or model (directly or through
            classes in the same file, `tf.keras` spellings included). `tf_keras` classes and
            plain Python classes are not flagged.
        """,
        why="""
            Nothing fails on the TensorFlow backend: Keras 3 only tracks `keras.Variable`s, so
            the `tf.Variable` is missing from `layer.weights` / `trainable_weights`, never
            receives gradients from `fit()`, and is not saved. Checked with keras 3.15.1: a
            layer with `self.w = tf.Variable(...)` in `build` or `__init__` has 0 trainable
            weights (tf_keras 2.21: 1). Training such a model warns
            `UserWarning: The model does not have any trainable weights.` when it has no
            other weights. On JAX/torch the TF variable cannot take part in the computation
            at all.
        """,
        bad="""
            class Scale(keras.layers.Layer):
                def build(self, input_shape):
                    self.w = tf.Variable(tf.ones((input_shape[-1],)))
        """,
        good="""
            class Scale(keras.layers.Layer):
                def build(self, input_shape):
                    self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        """,
        fix="""
            **None.** `self.add_weight(shape=..., initializer=..., trainable=...)` (or
            `keras.Variable(...)`) replaces it, but the initial-value expression has to be
            turned into a shape and an initializer by hand (KERAS3_FACTS marks it SEMI).
        """,
        sources=(
            "KERAS3_FACTS CUS-2",
            "Keras 3 migration guide, \"TensorFlow variables tracking\"",
            "Checked: keras 3.15.1 on TF: `self.w = tf.Variable(...)` in `build` and in `__init__` of a `keras.layers.Layer` subclass (and of a `tf.keras.layers.Layer`, and a `keras.Model`) -> `len(layer.trainable_weights) == 0`; the same layer under tf_keras 2.21 -> 1",
        ),
        facts=("CUS-2",),
    )

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._check(node.target, node.value)

    def _check(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression]) -> None:
        if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"):
            return
        if not isinstance(value, cst.Call) or self.ctx.call_name(value) not in _TF_VARIABLES:
            return
        if in_keras_method(self.ctx, ("__init__", "build")) is None:
            return
        attr = target.attr.value
        self.report(
            value,
            f"`self.{attr} = {self.ctx.code_for(value.func)}(...)` is not tracked by Keras 3 (not in "
            f"`trainable_weights`, never trained or saved); use `self.{attr} = self.add_weight(...)` "
            f"or `keras.Variable(...)`",
        )
