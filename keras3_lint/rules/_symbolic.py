"""Shared helpers of the backend-portability rules (KRS601-KRS607): where in a Keras class the
visit is, which calls are TensorFlow ops, and whether an expression is (very likely) a symbolic
``KerasTensor`` of a functional model under construction.

Symbolic means, following simple assignments in the scope where the expression is read:
``keras.Input(...)``; a Keras layer or model called on a symbolic value (``Dense(4)(x)``,
``layer(x)`` with ``layer = keras.layers.Dense(4)``, ``encoder(x)`` for a Keras model); a
``keras.ops`` call on one; arithmetic, subscripts (``states[::2]``) and list/tuple displays
containing one; and names unpacked from a symbolic value (``out, *states = lstm(x)``), which the
resolver leaves opaque, so the rules record them here. Unknown stays unknown.

Not a rule module: it defines no ``Rule`` subclass.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from ..resolver import MODEL_CLASSES, Binding, Scope, Shadow
from ..rule import Context

# TF functions that take no tensors or return Python values: never a "TF op" here.
_NOT_OPS = frozenset(
    {
        "tensorflow.function",
        "tensorflow.name_scope",
        "tensorflow.device",
        "tensorflow.executing_eagerly",
        "tensorflow.is_tensor",
        "tensorflow.is_symbolic_tensor",
        "tensorflow.get_logger",
        "tensorflow.get_static_value",
        "tensorflow.as_dtype",
        "tensorflow.control_dependencies",
        "tensorflow.init_scope",
    }
)
_NOT_OP_PREFIXES = (
    "tensorflow.config.",
    "tensorflow.test.",
    "tensorflow.io.gfile.",
    "tensorflow.dtypes.as_dtype",
    "tensorflow.summary.",
    "tensorflow.data.",
    "tensorflow.saved_model.",
    "tensorflow.distribute.",
    "tensorflow.compat.",
    "tensorflow.autograph.",
    "tensorflow.experimental.",
    "tensorflow.keras",
)
# keras.ops functions that return Python values (shapes, dtypes, flags), not tensors.
_STATIC_KERAS_OPS = frozenset(
    {"keras.ops.shape", "keras.ops.ndim", "keras.ops.dtype", "keras.ops.is_tensor", "keras.ops.standardize_dtype"}
)


def tf_op_name(ctx: Context, call: cst.Call, scope: Optional[Scope] = None) -> Optional[str]:
    """``tensorflow.<op>`` for a call of a TensorFlow function (not a class, not a Keras symbol
    reached through ``tf.keras``, not a config/IO helper), else None."""
    name = ctx.resolver.call_name(call, scope)
    if name is None or not name.startswith("tensorflow."):
        return None
    if name in _NOT_OPS or name.startswith(_NOT_OP_PREFIXES):
        return None
    last = name.rsplit(".", 1)[-1]
    if not last[:1].islower():
        return None
    return name


def keras_ops_name(ctx: Context, call: cst.Call, scope: Optional[Scope] = None) -> Optional[str]:
    name = ctx.resolver.call_name(call, scope)
    if name is None or not name.startswith("keras.ops.") or name in _STATIC_KERAS_OPS:
        return None
    return name


def method_context(ctx: Context) -> Tuple[Optional[cst.FunctionDef], Optional[cst.ClassDef]]:
    """The method the visit is in (also from a function or lambda nested in it) and its class."""
    scope: Optional[Scope] = ctx.scope
    while scope is not None:
        if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
            parent = scope.parent
            if parent is not None and parent.kind == "class" and isinstance(parent.node, cst.ClassDef):
                return scope.node, parent.node
        scope = scope.parent
    return None, None


def in_keras_method(ctx: Context, names: Tuple[str, ...], kind: str = "layer") -> Optional[cst.FunctionDef]:
    """The enclosing method when it is one of ``names`` of a Keras ``kind`` subclass."""
    method, klass = method_context(ctx)
    if method is None or klass is None or method.name.value not in names:
        return None
    if not ctx.resolver.is_keras_subclass(klass, kind):
        return None
    return method


def is_keras_callable_type(kind: Optional[str]) -> bool:
    """A value type that, when called, returns tensors: a Keras layer or model instance."""
    if kind is None:
        return False
    if kind in MODEL_CLASSES:
        return True
    if kind.startswith("keras.layers."):
        last = kind.rsplit(".", 1)[-1]
        return last[:1].isupper() and not kind.endswith("()")
    return False


class SymbolicTracker:
    """Decides whether expressions are KerasTensors. A rule owning one must forward its
    ``leave_Assign`` here (unpacking targets are recorded, then confirmed once the resolver has
    bound them)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._pending: List[Tuple[Scope, str]] = []
        self._bindings: Dict[int, Binding] = {}  # id -> binding known to hold a KerasTensor

    def leave_Assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets if isinstance(t.target, (cst.Tuple, cst.List))]
        if not targets or not self.is_symbolic(node.value):
            return
        for target in targets:
            for element in target.elements:
                value = element.value
                if isinstance(value, cst.StarredElement):
                    value = value.value
                if isinstance(value, cst.Name):
                    self._pending.append((self.ctx.scope, value.value))

    def _confirm(self) -> None:
        for scope, name in self._pending:
            binding = scope.names.get(name)
            if binding is not None:
                self._bindings[id(binding)] = binding
        self._pending.clear()

    def is_symbolic(
        self,
        node: cst.BaseExpression,
        scope: Optional[Scope] = None,
        shadow: Optional[Shadow] = None,
        depth: int = 0,
    ) -> bool:
        if depth > 16:
            return False
        if self._pending:
            self._confirm()
        scope = scope or self.ctx.scope
        shadow = shadow or {}
        resolver = self.ctx.resolver
        recurse = lambda n: self.is_symbolic(n, scope, shadow, depth + 1)  # noqa: E731
        if isinstance(node, cst.Name):
            binding = shadow[node.value] if node.value in shadow else scope.lookup(node.value)
            if binding is None:
                return False
            if id(binding) in self._bindings:
                return True
            assigned = resolver.assigned_value(node, scope, shadow)
            if assigned is None:
                return False
            value, value_scope, inner = assigned
            return self.is_symbolic(value, value_scope, inner, depth + 1)
        if isinstance(node, cst.Call):
            name = resolver.call_name(node, scope)
            if name == "keras.Input":
                return True
            if name is not None and name.startswith("keras.ops."):
                return name not in _STATIC_KERAS_OPS and any(recurse(a.value) for a in node.args)
            if name is None and is_keras_callable_type(resolver.value_type(node.func, scope, 0, shadow)):
                return any(recurse(a.value) for a in node.args if a.keyword is None or a.keyword.value == "inputs")
            return False
        if isinstance(node, (cst.List, cst.Tuple)):
            return any(recurse(e.value) for e in node.elements)
        if isinstance(node, cst.StarredElement):
            return recurse(node.value)
        if isinstance(node, cst.Subscript):
            return recurse(node.value)
        if isinstance(node, cst.BinaryOperation):
            return recurse(node.left) or recurse(node.right)
        if isinstance(node, cst.UnaryOperation):
            return recurse(node.expression)
        return False


def names_in(node: cst.CSTNode) -> Set[str]:
    """Every bare name read in an expression (not attribute names)."""
    found: Set[str] = set()
    stack: List[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
            continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)
            continue
        stack.extend(current.children)
    return found


def calls_in(node: cst.CSTNode) -> List[cst.Call]:
    """Every call in an expression, outermost first (lambdas excluded)."""
    found: List[cst.Call] = []
    stack: List[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Lambda):
            continue
        if isinstance(current, cst.Call):
            found.append(current)
        stack.extend(reversed(current.children))
    return found
