"""KRS733: ``model.add_loss(...)`` on a functional model, which Keras 3 does not support (LAY-14)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc

# What a functional model is built by: the Model class called with its inputs and outputs.
_FUNCTIONAL = frozenset({"keras.Model", "keras.models.Model"})


class FunctionalModelAddLoss(Rule):
    code = "KRS733"
    name = "functional-model-add-loss"
    summary = "`model.add_loss(...)` on a functional model raises NotImplementedError in Keras 3; add the loss inside a layer's `call()`."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `X.add_loss(...)` where `X` is a functional model: a name assigned
            `keras.Model(inputs, outputs)` (also `keras.models.Model(...)` and `tf.keras.Model(...)`,
            with any arguments). Instances of `keras.Model` subclasses are not flagged (their
            `add_loss` is `Layer.add_loss`, which works inside `call()`), nor is `self.add_loss(...)`
            in a layer, nor a `tf_keras` (Keras 2) model.
        """,
        why="""
            Keras 2 let a functional model take a loss built from its symbolic tensors (the
            classic VAE: `vae.add_loss(kl_loss + reconstruction_loss)` before `compile`). Keras 3's
            `Functional.add_loss` is a stub, whatever the argument (a symbolic tensor, an eager
            tensor or a callable):

                NotImplementedError

            (keras 3.15.1 `keras/src/models/functional.py`: `def add_loss(self, loss): # Symbolic
            only. TODO; raise NotImplementedError`).
        """,
        bad="""
            outputs = decoder(encoder(inputs)[2])
            vae = keras.Model(inputs, outputs)
            vae.add_loss(keras.ops.mean(reconstruction_loss + kl_loss))
            vae.compile(optimizer="adam")
        """,
        good="""
            class KLDivergence(keras.layers.Layer):
                def call(self, inputs):
                    z_mean, z_log_var = inputs
                    self.add_loss(-0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean) - keras.ops.exp(z_log_var)))
                    return inputs
            # ... or a keras.Model subclass whose train_step / compute_loss adds the term
        """,
        fix="""
            None: the loss has to move into a layer's `call()` (a small custom layer that calls
            `self.add_loss(...)` on its inputs and returns them), or into a subclassed model's
            `compute_loss` / `train_step`; which tensors it needs is a design decision.
        """,
        sources=(
            "Checked: keras 3.15.1 `keras.Model(i, o).add_loss(x)` raises NotImplementedError for a symbolic tensor, an eager tensor and a callable, through `keras.Model`, `keras.models.Model` and `tf.keras.Model`; tf_keras 2.21 adds a symbolic or callable loss (tests/evidence/test_functional_add_loss_krs733.py)",
            "Keras 3 migration guide: symbolic `add_loss()` is removed (`Model.add_loss` on functional models)",
        ),
        facts=("LAY-14",),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_loss"):
            return
        if not self._is_functional_model(func.value):
            return
        self.report(
            node,
            "Keras 3 functional models have no `add_loss()` (`NotImplementedError`); no automatic fix: add "
            "the loss inside a layer's `call()` (`self.add_loss(...)` in a small custom layer on the model's "
            "path) or in a subclassed model's `compute_loss`/`train_step`",
        )

    def _is_functional_model(self, receiver: cst.BaseExpression) -> bool:
        if not isinstance(receiver, cst.Name):
            return False
        assigned = self.ctx.resolver.assigned_value(receiver)
        if assigned is None:
            return False
        value, scope, _shadow = assigned
        return isinstance(value, cst.Call) and self._call_name(value, scope) in _FUNCTIONAL

    def _call_name(self, call: cst.Call, scope) -> Optional[str]:
        return self.ctx.resolver.call_name(call, scope)
