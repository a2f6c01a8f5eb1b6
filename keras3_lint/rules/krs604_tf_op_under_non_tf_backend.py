"""KRS604: TensorFlow ops in a layer's ``call`` or in a ``Lambda`` when the code must run on
JAX or torch (CUS-4)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..rule import FIX_SAFE, FixBuilder, Rule, RuleDoc
from ._symbolic import in_keras_method, tf_op_name
from ._tf_to_ops import mapping_for, rewrite_call

NON_TF_BACKENDS = ("jax", "torch")
_LAMBDA_LAYERS = frozenset({"keras.layers.Lambda"})


class TfOpUnderNonTfBackend(Rule):
    code = "KRS604"
    name = "tf-op-under-non-tf-backend"
    summary = "TensorFlow ops in a layer's `call()` or in a `Lambda` fail on the JAX and torch backends of Keras 3; use `keras.ops`."
    fix_safety = FIX_SAFE
    backends = NON_TF_BACKENDS
    doc = RuleDoc(
        what="""
            Flags TensorFlow op calls (`tf.matmul`, `tf.nn.relu`, `tf.reduce_sum`, ...) inside
            `call()` of a Keras 3 layer or model subclass, and inside the function given to
            `keras.layers.Lambda(...)` (a `lambda` or a function defined earlier in the file),
            when JAX or torch is a target backend: configured (`backends = [..., "jax"]`),
            selected in the file (`os.environ["KERAS_BACKEND"] = "jax"`), or implied by an
            `import jax` / `import torch`. `tf.keras` code counts: with `KERAS_BACKEND=jax`,
            `tf.keras` is Keras 3 on JAX too. `tf.random` ops are KRS505's; `tf_keras`
            classes are Keras 2 and always run on TensorFlow.
        """,
        why="""
            On JAX the layer receives JAX arrays/tracers, which TensorFlow ops cannot take
            (keras 3.15.1, jax 0.10.2, `KERAS_BACKEND=jax`; the message is misleading):

                AttributeError: Exception encountered when calling D.call(). 'str' object has no attribute '_error_repr'

            A `Lambda` using a TF op fails the same way; in a `Sequential` model `fit()` reports
            `RuntimeError: Unable to automatically build the model. Please build it yourself before calling fit/evaluate/predict.`
            Eager calls on NumPy input may still "work" (TF converts the array), which hides the
            problem until the model is built or trained.
        """,
        bad="""
            os.environ["KERAS_BACKEND"] = "jax"

            class D(keras.layers.Layer):
                def call(self, x):
                    return tf.reduce_sum(x, axis=-1)
        """,
        good="""
            os.environ["KERAS_BACKEND"] = "jax"

            class D(keras.layers.Layer):
                def call(self, x):
                    return keras.ops.sum(x, axis=-1)
        """,
        fix="""
            **Safe**, for the ops of the verified 1:1 table shared with KRS601
            (`keras3_lint/rules/_tf_to_ops.py`: same values, dtypes and shapes on the TF and
            JAX backends, keywords renamed), spelled with the file's imports. Calls with
            `name=`, `*args` or TF-only options, ops outside the table, and files with no
            import reaching `keras.ops` are reported without a fix. `keras.ops` runs on
            TensorFlow too, so the fix keeps TF-backend behaviour.
        """,
        sources=(
            "KERAS3_FACTS CUS-4, section 0 item 5",
            "Keras 3 migration guide, \"Switching to Keras ops\"",
            "Checked: keras 3.15.1 + jax 0.10.2 (KERAS_BACKEND=jax): `keras.layers.Layer` and `tf.keras.layers.Layer` subclasses calling `tf.reduce_sum` / `tf.nn.relu` in `call` raise the AttributeError above when called on `keras.Input`; `Sequential([Input, Lambda(lambda t: tf.reduce_sum(t, axis=-1, keepdims=True))])`: `predict` -> `'str' object has no attribute '_error_repr'`, `fit` -> `RuntimeError: Unable to automatically build the model...`; `tf.keras.backend.backend()` returns 'jax'",
            "torch backend: not installed in the checking environment; same mechanism per the migration guide (DOC-ONLY)",
        ),
        facts=("CUS-4",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._found: List[Tuple[cst.Call, str, Optional[FixBuilder]]] = []
        self._lambda_depth: List[cst.CSTNode] = []  # lambdas passed to Lambda(...)
        self._deferred: dict = {}  # id(FunctionDef) -> calls found in it

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.call_name(node) in _LAMBDA_LAYERS and node.args:
            function = node.args[0].value if node.args[0].keyword is None else None
            arg = function or next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "function"), None)
            if isinstance(arg, cst.Lambda):
                self._lambda_depth.append(arg)
            elif isinstance(arg, cst.Name):
                binding = self.ctx.scope.lookup(arg.value)
                if binding is not None and binding.function is not None:
                    for call, op in self._deferred.pop(id(binding.function), []):
                        self._note(call, op)
        op = tf_op_name(self.ctx, node)
        if op is None or op.startswith("tensorflow.random."):
            return
        if self._inside_lambda(node) or in_keras_method(self.ctx, ("call",)) is not None:
            self._note(node, op)
        else:
            # A plain function might be handed to Lambda(...) later in the file.
            function = self.ctx.resolver.current_function
            if function is not None:
                self._deferred.setdefault(id(function), []).append((node, op))

    def leave_Lambda(self, node: cst.Lambda) -> None:
        if self._lambda_depth and self._lambda_depth[-1] is node:
            self._lambda_depth.pop()

    def _inside_lambda(self, node: cst.Call) -> bool:
        return any(self._scope_is(lam) for lam in self._lambda_depth)

    def _scope_is(self, lam: cst.CSTNode) -> bool:
        scope = self.ctx.scope
        while scope is not None:
            if scope.node is lam:
                return True
            scope = scope.parent
        return False

    def _note(self, node: cst.Call, op: str) -> None:
        mapping = mapping_for(op)
        fix = None
        if mapping is not None:
            reference = self.ctx.keras_reference("keras.ops." + mapping.keras_op, at=node)
            new = rewrite_call(node, mapping, reference) if reference is not None else None
            if new is not None:
                fix = self.safe_fix(f"Replace `{self.ctx.code_for(node.func)}` with `{reference}`").replace(node, new)
        self._found.append((node, op, fix))

    def finish(self) -> None:
        backends = [b for b in NON_TF_BACKENDS if b in self.ctx.targets]
        if not backends:
            return
        for node, op, fix in self._found:
            mapping = mapping_for(op)
            hint = f"use `keras.ops.{mapping.keras_op}`" if mapping is not None else "use the matching `keras.ops` op"
            self.report(
                node,
                f"`{self.ctx.code_for(node.func)}(...)` in a Keras layer cannot run on the "
                f"{'/'.join(backends)} backend (`'str' object has no attribute '_error_repr'`); {hint}",
                fix=fix,
            )
