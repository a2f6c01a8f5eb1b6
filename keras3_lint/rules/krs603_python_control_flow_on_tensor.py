"""KRS603: Python ``if``/``while`` on a tensor inside a Keras layer's ``call`` (CUS-3)."""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from ..resolver import Scope, Shadow
from ..rule import FIX_NONE, Rule, RuleDoc
from ._symbolic import calls_in, in_keras_method, keras_ops_name, names_in, tf_op_name


class PythonControlFlowOnTensor(Rule):
    code = "KRS603"
    name = "python-control-flow-on-tensor"
    summary = "Python `if`/`while` on a tensor (`if tf.reduce_sum(x) > 0:`) in a layer's `call()` fails when Keras 3 traces the layer; use `keras.ops.cond`/`where`."
    fix_safety = FIX_NONE
    backends = ("tensorflow", "jax", "torch", "numpy")
    doc = RuleDoc(
        what="""
            Inside `call()` of a Keras 3 layer or model subclass, flags an `if` / `elif` /
            `while` statement or a conditional expression whose test computes a tensor: it
            contains a TensorFlow op call, or a `keras.ops` call, on the inputs of `call` (its
            parameters, directly or through local variables assigned from them). Tests on
            Python values (`if training:`, `if mask is not None:`, `x.shape[-1]`) and a `call`
            decorated with `@tf.function` are not flagged.
        """,
        why="""
            Keras 3 no longer runs `call()` through TF autograph when it builds the model
            (symbolic shape inference) or in `fit()`, so a tensor is used as a Python bool
            (keras 3.15.1, TensorFlow backend):

                tensorflow.python.framework.errors_impl.OperatorNotAllowedInGraphError: Exception encountered when calling MyLayer.call(). Could not automatically infer the output shape / dtype of 'my_layer' (of type MyLayer). ... Using a symbolic `tf.Tensor` as a Python `bool` is not allowed.

            On the JAX backend the same layer fails with
            `AttributeError: Exception encountered when calling MyLayer.call(). 'str' object has no attribute '_error_repr'`.
            Eager calls on concrete arrays still work, which hides the problem in quick tests.
        """,
        bad="""
            class Gate(keras.layers.Layer):
                def call(self, x):
                    if tf.reduce_sum(x) > 0:
                        return x
                    return -x
        """,
        good="""
            class Gate(keras.layers.Layer):
                def call(self, x):
                    return keras.ops.where(keras.ops.sum(x) > 0, x, -x)
        """,
        fix="""
            **None.** Rewrite the branch with `keras.ops.cond` / `keras.ops.where` /
            `keras.ops.while_loop` (every backend), or decorate `call` with `@tf.function`
            (TensorFlow backend only).
        """,
        sources=(
            "KERAS3_FACTS CUS-3",
            "Keras 3 migration guide, \"TF autograph\"",
            "Checked: keras 3.15.1, TF backend: a layer with `if tf.reduce_sum(x) > 0:` (also `if keras.ops.sum(x) > 0:` and `while keras.ops.sum(x) > 100:`) in `call` raises the OperatorNotAllowedInGraphError above when called on `keras.Input` and in `fit()`; eager calls on NumPy input succeed. JAX backend: `AttributeError ... 'str' object has no attribute '_error_repr'`",
        ),
        facts=("CUS-3",),
    )

    def visit_If(self, node: cst.If) -> None:
        self._check(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test)

    def _check(self, test: cst.BaseExpression) -> None:
        method = in_keras_method(self.ctx, ("call",))
        if method is None or self._autographed(method):
            return
        inputs = {p.name.value for p in list(method.params.params) + list(method.params.kwonly_params)}
        inputs.discard("self")
        if self._tensor_test(test, inputs, self.ctx.scope, {}, 0):
            self.report(
                test,
                "Python control flow on a tensor in `call()` fails when Keras 3 traces the layer "
                "(`OperatorNotAllowedInGraphError: Using a symbolic tf.Tensor as a Python bool is not "
                "allowed`); use `keras.ops.cond` / `keras.ops.where`",
            )

    def _autographed(self, method: cst.FunctionDef) -> bool:
        for decorator in method.decorators:
            target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            if self.ctx.qualified_name(target) == "tensorflow.function":
                return True
        return False

    def _tensor_test(self, expr: cst.BaseExpression, inputs: Set[str], scope: Scope, shadow: Shadow, depth: int) -> bool:
        if depth > 6:
            return False
        for call in calls_in(expr):
            if tf_op_name(self.ctx, call, scope) or keras_ops_name(self.ctx, call, scope):
                if any(self._from_inputs(a.value, inputs, scope, shadow, depth) for a in call.args):
                    return True
        # `s = tf.reduce_sum(x)` ... `if s > 0:` (names used as values, not `s.shape`, `len(s)`)
        for name in _bare_names(expr):
            assigned = self._local_value(name, scope, shadow)
            if assigned is not None:
                value, value_scope, inner = assigned
                if self._tensor_test(value, inputs, value_scope, inner, depth + 1):
                    return True
        return False

    def _from_inputs(self, expr: cst.BaseExpression, inputs: Set[str], scope: Scope, shadow: Shadow, depth: int) -> bool:
        if depth > 6:
            return False
        for name in names_in(expr):
            binding = shadow[name] if name in shadow else scope.lookup(name)
            if name in inputs and binding is not None and binding.opaque:
                return True
            assigned = self._local_value(name, scope, shadow)
            if assigned is not None and self._from_inputs(assigned[0], inputs, assigned[1], assigned[2], depth + 1):
                return True
        return False

    def _local_value(self, name: str, scope: Scope, shadow: Shadow) -> Optional[tuple]:
        """The value of a variable assigned in the method itself (not module globals)."""
        result = self.ctx.resolver.assigned_value(cst.Name(name), scope, shadow)
        if result is None or result[1].kind != "function":
            return None
        return result


def _bare_names(node: cst.CSTNode) -> Set[str]:
    """Names whose value itself is used in an expression: not under an attribute access, a
    subscript of one, or a call (calls are checked on their own)."""
    found: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, (cst.Attribute, cst.Call, cst.Lambda)):
            continue
        else:
            stack.extend(current.children)
    return found
