"""KRS607: ``.numpy()`` on the output of a Keras model or layer call on JAX/torch (CUS-6)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_SAFE, FixBuilder, Rule, RuleDoc
from ._symbolic import is_keras_callable_type

NON_TF_BACKENDS = ("jax", "torch")


class NumpyOnKerasOutput(Rule):
    code = "KRS607"
    name = "numpy-on-keras-output"
    summary = "`.numpy()` on a Keras model or layer output fails on the JAX and torch backends; use `keras.ops.convert_to_numpy(...)`."
    fix_safety = FIX_SAFE
    backends = NON_TF_BACKENDS
    doc = RuleDoc(
        what="""
            Flags `<output>.numpy()` where the output is the result of calling a Keras 3 model
            or layer (`model(x).numpy()`, `Dense(4)(x).numpy()`, or `y = model(x)` ...
            `y.numpy()`), when JAX or torch is a target backend (configured, `KERAS_BACKEND`
            in the file, `import jax` / `import torch`). `model.predict(x)` already returns a
            NumPy array and is not flagged, nor is `.numpy()` on TF tensors.
        """,
        why="""
            On the TensorFlow backend a Keras call returns an eager `tf.Tensor`, which has
            `.numpy()`. On JAX it returns a JAX array (keras 3.15.1, jax 0.10.2):

                AttributeError: 'jaxlib._jax.ArrayImpl' object has no attribute 'numpy'

            On torch it returns a `torch.Tensor`, whose `.numpy()` fails for tensors on a GPU
            or that require grad.
        """,
        bad="""
            probs = model(x).numpy()
        """,
        good="""
            probs = keras.ops.convert_to_numpy(model(x))
        """,
        fix="""
            **Safe.** `<output>.numpy()` becomes `keras.ops.convert_to_numpy(<output>)`,
            spelled with the file's imports; it returns the same NumPy array on every backend
            (checked equal on TF and JAX). No fix when no import reaches `keras.ops`.
        """,
        sources=(
            "KERAS3_FACTS CUS-6",
            "Checked: keras 3.15.1, KERAS_BACKEND=jax: `model(x).numpy()` and `layer(x).numpy()` raise the AttributeError above; `keras.ops.convert_to_numpy(model(x))` is an ndarray equal to `np.asarray(model(x))`; `model.predict(x)` returns an ndarray; TF backend: `.numpy()` works",
        ),
        facts=("CUS-6",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._found: List[Tuple[cst.Call, cst.BaseExpression, Optional[FixBuilder]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "numpy" and not node.args):
            return
        receiver = func.value
        if not self._keras_output(receiver):
            return
        fix = None
        reference = self.ctx.keras_reference("keras.ops.convert_to_numpy", at=node)
        if reference is not None:
            fix = self.safe_fix(f"Use `{reference}(...)`").replace(node, f"{reference}({self.ctx.code_for(receiver)})")
        self._found.append((node, receiver, fix))

    def _keras_output(self, receiver: cst.BaseExpression) -> bool:
        resolver = self.ctx.resolver
        scope, shadow = self.ctx.scope, {}
        for _ in range(8):
            if isinstance(receiver, cst.Call):
                if resolver.call_name(receiver, scope) is not None:
                    return False
                return is_keras_callable_type(resolver.value_type(receiver.func, scope, 0, shadow))
            if isinstance(receiver, cst.Name):
                assigned = resolver.assigned_value(receiver, scope, shadow)
                if assigned is None:
                    return False
                receiver, scope, shadow = assigned
                continue
            return False
        return False

    def finish(self) -> None:
        backends = [b for b in NON_TF_BACKENDS if b in self.ctx.targets]
        if not backends:
            return
        for node, receiver, fix in self._found:
            self.report(
                node,
                f"`.numpy()` on a Keras model/layer output fails on the {'/'.join(backends)} backend "
                f"(`AttributeError: 'jaxlib._jax.ArrayImpl' object has no attribute 'numpy'`); use "
                f"`keras.ops.convert_to_numpy(...)`",
                fix=fix,
            )
