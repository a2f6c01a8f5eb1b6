"""KRS606: ``self.compiled_loss`` / ``self.compiled_metrics`` in a Keras 3 model (CUS-5, TF backend)."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._symbolic import method_context

# Keras 2's LossesContainer.__call__(y_true, y_pred, sample_weight=None, regularization_losses=None)
# and Keras 3's shim compiled_loss(y, y_pred, sample_weight=None, regularization_losses=None).
_POSITIONAL = ("y", "y_pred", "sample_weight")
_KEYWORDS = {"y_true": "y", "y": "y", "y_pred": "y_pred", "sample_weight": "sample_weight"}


class CompiledLossMetricsShim(Rule):
    code = "KRS606"
    name = "compiled-loss-metrics-shim"
    summary = "`self.compiled_metrics.update_state()` in a Keras 3 model also feeds the predictions into the `loss` tracker; `self.compiled_loss()` is a deprecated shim for `compute_loss()`."
    fix_safety = FIX_UNSAFE
    backends = ("tensorflow",)
    doc = RuleDoc(
        what="""
            In a method of a Keras 3 model subclass, flags `self.compiled_metrics.update_state(...)`
            and `self.compiled_loss(...)`: the Keras 2 `train_step` / `test_step` idiom.
            Reported on every backend (on JAX and torch the whole `train_step` is also KRS605).
        """,
        why="""
            On the TensorFlow backend Keras 3 keeps both names as deprecated shims
            and warns:

                UserWarning: `model.compiled_loss()` is deprecated. Instead, use `model.compute_loss(x, y, y_pred, sample_weight, training)`.

            `compiled_loss` returns the same value as `compute_loss`, but does not update the
            `loss` tracker, and the `compiled_metrics.update_state(y, y_pred)` shim updates every
            metric in `self.metrics`, passing `y_pred` to the `Mean` ones, the `loss` tracker
            included. The `loss` that `fit()` reports is then the **mean of the predictions**,
            silently (keras 3.15.1: reported `loss` 1.83136 = mean(y_pred), true MSE 2.71046;
            tf_keras 2.21 reports 2.71046). Model weights train as before.
        """,
        bad="""
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred)
                ...
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}
        """,
        good="""
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(y=y, y_pred=y_pred)
                ...
                for metric in self.metrics:
                    if metric.name == "loss":
                        metric.update_state(loss)
                    else:
                        metric.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}
        """,
        fix="""
            **Unsafe**, for `self.compiled_loss(y, y_pred[, sample_weight])`: rewritten to
            `self.compute_loss(y=y, y_pred=y_pred[, sample_weight=...])`, which is exactly what
            the Keras 3 shim calls (checked equal on TF, with and without sample weights and a
            kernel regularizer), minus the warning; calls passing `regularization_losses=` or
            `*args` are not rewritten (the shim ignores them). It is marked unsafe because the
            `loss` tracker still has to be updated by hand. `compiled_metrics.update_state`
            has no automatic fix: loop over `self.metrics` as shown above.
        """,
        sources=(
            "KERAS3_FACTS CUS-5",
            "Keras 3 migration guide, \"Custom train_step() methods\"",
            "Checked: keras 3.15.1, TF backend: `model.compiled_loss(y, yp)` == `model.compute_loss(y=y, y_pred=yp)` (0.42313850 both, L2-regularized Dense; 1.63238931 both with sample_weight), with the deprecation UserWarning above; after `model.compiled_metrics.update_state(y, yp)` the `loss` Mean tracker holds mean(y_pred) (1.83136) instead of the loss (2.71046); a Keras 2 style train_step reports history['loss'] == [1.83136, 1.139216] vs tf_keras 2.21 [2.710461, 0.947451] with identical 'mae'",
            "keras/src/backend/tensorflow/trainer.py (keras 3.15.1): `compiled_loss` and `compiled_metrics` shims",
        ),
        facts=("CUS-5",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        kind = self._kind(node)
        if kind is None:
            return
        _, klass = method_context(self.ctx)
        if klass is None or not self.ctx.resolver.is_keras_subclass(klass, "model"):
            return
        if kind == "metrics":
            self.report(
                node,
                "`self.compiled_metrics.update_state()` is a Keras 3 shim that also feeds `y_pred` "
                "into the `loss` tracker: the reported `loss` silently becomes the mean of the "
                "predictions; update `self.metrics` yourself (the loss tracker with the loss)",
            )
        else:
            self.report(
                node,
                "`self.compiled_loss()` is a deprecated Keras 3 shim (it does not update the `loss` "
                "tracker); call `self.compute_loss(y=..., y_pred=...)`",
                fix=self._fix(node),
            )

    @staticmethod
    def _kind(node: cst.Call) -> Optional[str]:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return None
        owner = func.value
        if func.attr.value == "compiled_loss" and isinstance(owner, cst.Name) and owner.value == "self":
            return "loss"
        if (
            func.attr.value == "update_state"
            and isinstance(owner, cst.Attribute)
            and owner.attr.value == "compiled_metrics"
            and isinstance(owner.value, cst.Name)
            and owner.value.value == "self"
        ):
            return "metrics"
        return None

    def _fix(self, node: cst.Call):
        args: List[cst.Arg] = []
        used = set()
        for index, arg in enumerate(node.args):
            if arg.star:
                return None
            if arg.keyword is None:
                if index >= len(_POSITIONAL):
                    return None
                keyword = _POSITIONAL[index]
            else:
                keyword = _KEYWORDS.get(arg.keyword.value)
                if keyword is None:
                    return None
            if keyword in used:
                return None
            used.add(keyword)
            args.append(
                arg.with_changes(
                    keyword=cst.Name(keyword),
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
                )
            )
        if not {"y", "y_pred"} <= used:
            return None
        func = node.func.with_changes(attr=cst.Name("compute_loss"))
        new = node.with_changes(func=func, args=args)
        return self.unsafe_fix("Call `self.compute_loss(y=..., y_pred=...)`").replace(node, new)
