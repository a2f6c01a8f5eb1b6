"""KRS601: a TensorFlow op applied to a symbolic KerasTensor while building a functional model (CUS-1)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_SAFE, Rule, RuleDoc
from ._symbolic import SymbolicTracker, tf_op_name
from ._tf_to_ops import mapping_for, rewrite_call


class TfOpOnKerasTensor(Rule):
    code = "KRS601"
    name = "tf-op-on-keras-tensor"
    summary = "A TensorFlow op (`tf.concat`, `tf.squeeze`, `tf.reduce_*`, ...) on a symbolic Keras tensor fails in Keras 3; use the `keras.ops` op or a layer."
    fix_safety = FIX_SAFE
    backends = ("tensorflow", "jax", "torch", "numpy")
    doc = RuleDoc(
        what="""
            Flags a call of a TensorFlow function (`tf.concat`, `tf.squeeze`, `tf.expand_dims`,
            `tf.reduce_sum`, `tf.nn.relu`, `tf.shape`, ...) when one of its arguments is a
            symbolic Keras tensor of a functional model under construction: it comes from
            `keras.Input(...)` (any Keras 3 spelling, `tf.keras.Input` included), from a Keras
            layer or model called on such a tensor, or from a `keras.ops` op on one, in the same
            function or module (simple assignments, tuple unpacking such as
            `outputs, *states = encoder(x)`, subscripts like `states[::2]`, and lists of such
            tensors are followed). Anything not provably symbolic (function parameters, eager
            tensors, NumPy arrays, `tf_keras` code) is not flagged.
        """,
        why="""
            Keras 3 functional models are built from `KerasTensor` placeholders that TensorFlow
            functions cannot consume (keras 3.15.1, on every backend):

                ValueError: A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic placeholder for a shape and dtype, used when constructing Keras Functional models or Keras Functions. You can only use it as input to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`).

            Keras 2 wrapped TF ops on symbolic tensors in automatic `TFOpLambda` layers, so
            Keras 2 notebooks (e.g. `tf.concat(encoder_state[::2], axis=-1)` in an
            encoder-decoder) stop at the model definition. Python operators (`a * 2 + a`) still
            work.
        """,
        bad="""
            inputs = tf.keras.Input(shape=(10,))
            x = tf.keras.layers.Dense(8)(inputs)
            outputs = tf.concat([x, inputs], axis=-1)
        """,
        good="""
            inputs = tf.keras.Input(shape=(10,))
            x = tf.keras.layers.Dense(8)(inputs)
            outputs = tf.keras.ops.concatenate([x, inputs], axis=-1)
        """,
        fix="""
            **Safe**, for the ops of a verified 1:1 table (`keras3_lint/rules/_tf_to_ops.py`:
            `concat` -> `concatenate`, `squeeze`, `expand_dims`, `stack`, `reshape`,
            `transpose`, `matmul`, `tile`, `cast`, `reduce_sum/max/min/prod/any/all/logsumexp`
            -> `sum/max/...`, elementwise math and activations, `one_hot`, `clip_by_value` ->
            `clip`, `einsum`). Each pair was checked in keras 3.15.1 / TF 2.21 / JAX 0.10.2 to
            give the same values, dtype and shape for the same positional arguments, with
            the TF keywords renamed to the Keras ones (`values=` -> `xs=`, `input=` -> `x=`).
            The op is spelled with the file's imports (`keras.ops.concatenate`,
            `ops.concatenate`, `tf.keras.ops.concatenate`); when none reaches `keras.ops`, or
            the call passes `name=`, `*args`, or a TF-only option, there is no fix. Ops that
            differ (`tf.reduce_mean` on integers, `tf.shape`, `tf.argmax`, `tf.gather`,
            `tf.split`, `tf.where`, `tf.nn.gelu`, ...) are reported only: choose the
            `keras.ops` op (or a Keras layer such as `Concatenate`) yourself.
        """,
        sources=(
            "KERAS3_FACTS CUS-1",
            "Keras 3 migration guide, \"Switching to Keras ops\"",
            "Checked: keras 3.15.1 (TF and JAX backends): `tf.concat([inp, inp], axis=-1)`, `tf.squeeze(inp)`, `tf.reduce_sum(inp, axis=-1)`, `tf.expand_dims(inp, -1)`, `tf.shape(inp)`, `tf.nn.relu(inp)` on `inp = keras.Input(shape=(4,))` (also `tf.keras.Input`) raise the ValueError above; `inp * 2 + inp` returns a KerasTensor",
            "Checked: every entry of the table run through `inspect.signature` and on the same float32/int32/bool inputs with the TF op and the Keras op, TF and JAX backends: 64 names, 0 mismatches; `keras.ops` ops accept `keras.Input` tensors with the same output shape",
        ),
        facts=("CUS-1",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.symbolic = SymbolicTracker(ctx)

    def leave_Assign(self, node: cst.Assign) -> None:
        self.symbolic.leave_Assign(node)

    def visit_Call(self, node: cst.Call) -> None:
        op = tf_op_name(self.ctx, node)
        if op is None:
            return
        symbolic = [a for a in node.args if self.symbolic.is_symbolic(a.value)]
        if not symbolic:
            return
        spelled = self.ctx.code_for(node.func)
        mapping = mapping_for(op)
        fix = None
        if mapping is not None:
            reference = self.ctx.keras_reference("keras.ops." + mapping.keras_op, at=node)
            new = rewrite_call(node, mapping, reference) if reference is not None else None
            if new is not None:
                fix = self.safe_fix(f"Replace `{spelled}` with `{reference}`").replace(node, new)
            hint = f"use `keras.ops.{mapping.keras_op}`"
        else:
            hint = "use the matching `keras.ops` op or a Keras layer"
        self.report(
            node,
            f"`{spelled}(...)` on a symbolic Keras tensor fails in Keras 3 (`ValueError: A KerasTensor "
            f"cannot be used as input to a TensorFlow function`); {hint}",
            fix=fix,
        )
