"""KRS605: a TensorFlow-style ``train_step`` override when the code must run on JAX or torch (CUS-5)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc
from ._symbolic import in_keras_method

NON_TF_BACKENDS = ("jax", "torch")
_SELF_MARKERS = ("compiled_loss", "compiled_metrics")


class TfTrainStepOnNonTfBackend(Rule):
    code = "KRS605"
    name = "tf-train-step-on-non-tf-backend"
    summary = "A `train_step` built on `tf.GradientTape` / `compiled_loss` / `optimizer.apply_gradients` only runs on the TensorFlow backend of Keras 3."
    fix_safety = FIX_NONE
    backends = NON_TF_BACKENDS
    doc = RuleDoc(
        what="""
            Flags a `train_step` method of a Keras 3 model subclass whose body uses
            `tf.GradientTape`, `self.compiled_loss`, `self.compiled_metrics` or
            `self.optimizer.apply_gradients`, when JAX or torch is a target backend
            (configured, `KERAS_BACKEND` set in the file, or `import jax` / `import torch`).
            Reported once per method, at its name.
        """,
        why="""
            The TensorFlow backend still runs such a `train_step` and trains the same weights,
            but (measured by the evidence tier, keras 3.15.1) a step that returns
            `{"loss": loss}` without updating a Keras loss tracker is reported as `loss: 0.0` in
            `fit()`'s history: Keras 3 replaces the returned value with its compiled `loss`
            tracker, which the custom step never updates. (This rule does not flag that case
            on TensorFlow yet.) The JAX trainer calls
            `train_step(state, data)` and expects a pure function returning new state, so a
            Keras 2 style override fails at the first `fit()` (keras 3.15.1, jax 0.10.2):

                TypeError: M.train_step() takes 2 positional arguments but 3 were given

            `self.compiled_loss` does not exist on the JAX backend
            (`AttributeError: 'Functional' object has no attribute 'compiled_loss'`), and
            `tf.GradientTape` cannot differentiate JAX computations. The torch backend needs
            `loss.backward()` instead of a tape.
        """,
        bad="""
            class M(keras.Model):
                def train_step(self, data):
                    x, y = data
                    with tf.GradientTape() as tape:
                        y_pred = self(x, training=True)
                        loss = self.compiled_loss(y, y_pred)
                    grads = tape.gradient(loss, self.trainable_variables)
                    self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                    return {m.name: m.result() for m in self.metrics}
        """,
        good="""
            class M(keras.Model):
                # Backend-agnostic: customise the loss, let Keras run the step.
                def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
                    loss = super().compute_loss(x, y, y_pred, sample_weight, training)
                    return loss + 0.01 * keras.ops.sum(keras.ops.square(y_pred))

            # ... or write a JAX train_step(self, state, data) with jax.value_and_grad and
            # self.stateless_call (guide: "Customizing what happens in fit() with JAX").
        """,
        fix="""
            **None.** Override `compute_loss()` instead, or write one `train_step` per backend
            following the Keras guides ("Customizing what happens in fit()" for TensorFlow,
            JAX and PyTorch).
        """,
        sources=(
            "KERAS3_FACTS CUS-5",
            "Keras 3 migration guide, \"Custom train_step() methods\"",
            "Checked: keras 3.15.1 + jax 0.10.2 (KERAS_BACKEND=jax): a `keras.Model` subclass with a GradientTape/compiled_loss/apply_gradients `train_step` -> `fit()` raises `TypeError: M.train_step() takes 2 positional arguments but 3 were given` (also with `compute_loss` instead of `compiled_loss`); the same model trains on the TF backend",
            "torch backend: not installed in the checking environment (DOC-ONLY)",
        ),
        facts=("CUS-5",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._found: List[Tuple[cst.FunctionDef, str]] = []
        self._seen: set = set()

    def visit_Call(self, node: cst.Call) -> None:
        marker = self._marker(node)
        if marker is None:
            return
        method = in_keras_method(self.ctx, ("train_step",), kind="model")
        if method is not None and id(method) not in self._seen:
            self._seen.add(id(method))
            self._found.append((method, marker))

    def _marker(self, node: cst.Call) -> Optional[str]:
        name = self.ctx.call_name(node)
        if name == "tensorflow.GradientTape":
            return "tf.GradientTape"
        func = node.func
        # self.compiled_loss(...), self.compiled_metrics.update_state(...)
        while isinstance(func, cst.Attribute):
            if isinstance(func.value, cst.Name) and func.value.value == "self" and func.attr.value in _SELF_MARKERS:
                return f"self.{func.attr.value}"
            inner = func.value
            if (
                func.attr.value == "apply_gradients"
                and isinstance(inner, cst.Attribute)
                and inner.attr.value == "optimizer"
                and isinstance(inner.value, cst.Name)
                and inner.value.value == "self"
            ):
                return "self.optimizer.apply_gradients"
            func = inner
        return None

    def finish(self) -> None:
        backends = [b for b in NON_TF_BACKENDS if b in self.ctx.targets]
        if not backends:
            return
        for method, marker in self._found:
            self.report(
                method.name,
                f"this `train_step` uses `{marker}` and only runs on the TensorFlow backend; on "
                f"{'/'.join(backends)} `fit()` fails (`TypeError: train_step() takes 2 positional "
                f"arguments but 3 were given` on JAX); override `compute_loss()` or write a "
                f"per-backend `train_step`",
            )
