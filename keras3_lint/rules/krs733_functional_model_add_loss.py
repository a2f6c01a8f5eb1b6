"""KRS733: ``model.add_loss(...)`` on a functional model, which Keras 3 does not support (LAY-14)."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from ..rule import FIX_UNSAFE, Rule, RuleDoc, sole_expression
from ._saving import model_call

class FunctionalModelAddLoss(Rule):
    code = "KRS733"
    name = "functional-model-add-loss"
    summary = "`model.add_loss(...)` on a functional model raises NotImplementedError in Keras 3; add the loss inside a layer's `call()`."
    fix_safety = FIX_UNSAFE
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
            **Unsafe.** Where the call is a statement of its own in the scope that assigned the
            model, and its argument is an expression (not a `lambda`), the fix moves the loss into
            the model's graph: it defines a small layer whose `call()` adds its first input as a
            loss and returns its second, and rebuilds the model through it,

                class AddedLoss(keras.layers.Layer):
                    def call(self, inputs):
                        self.add_loss(inputs[0])
                        return inputs[1]
                vae = keras.Model(vae.input, AddedLoss()([vae_loss, vae.output]), name=vae.name)

            The new model has the same inputs, outputs (same structure), name, layers and weights,
            plus the `AddedLoss` layer; `fit` minimises the same total loss as Keras 2's model
            (Keras 3's `compute_loss` adds the layers' losses). What changes: the name now holds a
            new model object (another reference to the old one, such as an attribute set
            earlier, does not get the loss); `model.layers` and `summary()` show one more layer;
            `load_model` of a whole saved model needs `custom_objects={"AddedLoss": AddedLoss}`.
            Keras 3 builds the graph only from tensors that reach the model's inputs: a loss that
            uses another `Input` fails with a "disconnected graph" error, and needs a hand-written
            fix. A `lambda` argument (a loss with no inputs) gets no fix.
        """,
        sources=(
            "Checked: keras 3.15.1 `keras.Model(i, o).add_loss(x)` raises NotImplementedError for a symbolic tensor, an eager tensor and a callable, through `keras.Model`, `keras.models.Model` and `tf.keras.Model`; tf_keras 2.21 adds a symbolic or callable loss (tests/evidence/test_functional_add_loss_krs733.py)",
            "Keras 3 migration guide: symbolic `add_loss()` is removed (`Model.add_loss` on functional models)",
        ),
        facts=("LAY-14",),
    )

    _CLASS_NAMES = ("AddedLoss", "AddedModelLoss", "KerasAddedLoss")

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_loss"):
            return
        assigned_here = self._functional_model_scope(func.value)
        if assigned_here is None:
            return
        fix = self._fix(node, func.value) if assigned_here else None
        self.report(
            node,
            "Keras 3 functional models have no `add_loss()` (`NotImplementedError`); add the loss inside "
            "a layer's `call()` (`self.add_loss(...)` in a small custom layer on the model's path) or in a "
            "subclassed model's `compute_loss`/`train_step`" + ("" if fix else "; no automatic fix here"),
            fix=fix,
        )

    def _functional_model_scope(self, receiver: cst.BaseExpression) -> Optional[bool]:
        """None when ``receiver`` is not a name assigned a functional model; else whether it was
        assigned in the current scope (so that the fix may rebind it there)."""
        found = model_call(self.ctx, receiver)
        return None if found is None else found[1] is self.ctx.resolver.scope

    def _fix(self, call: cst.Call, receiver: cst.Name):
        expr = sole_expression(getattr(self, "_statement", None), call)
        if expr is None or len(call.args) != 1:
            return None
        arg = call.args[0]
        if arg.keyword is not None and arg.keyword.value != "loss" or arg.star:
            return None
        if isinstance(arg.value, (cst.Lambda, cst.Integer, cst.Float, cst.SimpleString)):
            return None
        code = self.ctx.module.code
        class_name = next((n for n in self._CLASS_NAMES if not re.search(rf"\b{n}\b", code)), None)
        if class_name is None:
            return None
        layer = self.ctx.keras_reference("keras.layers.Layer", at=call)
        model = self.ctx.keras_reference("keras.Model", at=call)
        import_text = None
        if layer is None or model is None:
            reference, import_text = self.ctx.module_import_for("keras.layers.Layer")
            if reference is None:
                return None
            layer, model = layer or "keras.layers.Layer", model or "keras.Model"
        name = receiver.value
        loss = self.ctx.code_for(arg.value)
        unit = self.ctx.module.default_indent
        text = (
            f"class {class_name}({layer}):\n"
            f'{unit}"""Adds its first input as a loss (Keras 3 functional models have no add_loss())."""\n'
            f"{unit}def call(self, inputs):\n"
            f"{unit}{unit}self.add_loss(inputs[0])\n"
            f"{unit}{unit}return inputs[1]\n"
            f"{name} = {model}({name}.input, {class_name}()([{loss}, {name}.output]), name={name}.name)"
        )
        fix = self.unsafe_fix("Add the loss through a layer in the model's graph").replace(expr, text)
        if import_text is not None:
            self.ctx.add_import(fix, import_text, at=call)
        return fix
