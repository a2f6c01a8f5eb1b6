"""KRS728: ``keras.utils.to_categorical`` returns float64 for NumPy input in Keras 3 (SIL-2), and
raises for a tensor without ``num_classes`` (SURF-4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import libcst as cst

from ..rule import FIX_UNSAFE, MEDIUM, Rule, RuleDoc, keyword_arg

NUMPY, TENSOR = "numpy", "tensor"
# Methods whose result is a NumPy array when called on one (or, for `.numpy()`, on a tensor).
_ARRAY_METHODS = frozenset({"astype", "reshape", "flatten", "ravel", "squeeze", "copy", "transpose", "argmax", "clip"})
_TO_NUMPY = frozenset({"numpy", "to_numpy"})


@dataclass
class _Value:
    """What a name was assigned: the value (None: unknown), whether it is one element of a tuple
    unpacking of that value, and the name's value before."""

    node: Optional[cst.BaseExpression]
    unpacked: bool
    previous: Optional["_Value"]


class ToCategoricalFloat64(Rule):
    code = "KRS728"
    name = "to-categorical-float64"
    summary = "`to_categorical` returns float64 for NumPy labels in Keras 3 (float32 in Keras 2), doubling their memory; on a tensor it needs `num_classes=`."
    fix_safety = FIX_UNSAFE
    severity = "warning"
    doc = RuleDoc(
        what="""
            Flags `keras.utils.to_categorical(...)` whose result is not immediately converted
            with `.astype(...)`, when its input is a NumPy array or a Python sequence (literals,
            `np.*` results, the arrays `keras.datasets.*.load_data()` returns, names bound to
            them); `medium` confidence when the input's type is unknown. A tensor input (a
            `tf.*` or `keras.ops.*` result) is flagged only without `num_classes`.
        """,
        why="""
            tf_keras returned `float32` (and took a `dtype=` argument); Keras 3 returns
            `float64` for NumPy input and has no `dtype=`. No error: one-hot label arrays take
            twice the memory, and NumPy code mixing them with float32 arrays is promoted to
            float64. For a tensor Keras 3 returns a float32 tensor (there is nothing to convert,
            and a tensor has no `.astype`), but without `num_classes` it fails where Keras 2
            counted the classes:

                ValueError: Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.
        """,
        bad="""
            y_train = keras.utils.to_categorical(y_train, 10)
        """,
        good="""
            y_train = keras.utils.to_categorical(y_train, 10).astype("float32")
        """,
        fix="""
            **Unsafe**, only where the input is provably not a tensor (so the result is a NumPy
            array): appends `.astype("float32")`, the dtype the Keras 2 code was written for;
            the values are 0 and 1, exact in both types, and Keras 3 `fit` converts targets to
            float32 anyway, but NumPy arithmetic on the labels (label smoothing, ...) then runs
            in float32 rather than float64. No fix where the input may be a tensor (`.astype`
            on a tensor raises `AttributeError`), nor for a missing `num_classes`.
        """,
        sources=(
            "Checked: `to_categorical([0, 1, 2]).dtype` is float32 in tf_keras 2.21.0 (signature `(y, num_classes=None, dtype='float32')`) and float64 in keras 3.15.1 (signature `(x, num_classes=None)`)",
            "Checked: keras 3.15.1 `to_categorical(tf.constant([0, 1, 2]), 3)` is a float32 EagerTensor (`.astype` -> AttributeError: EagerTensor object has no attribute 'astype'); without `num_classes` -> ValueError: Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor.; tf_keras 2.21.0 returns float32 for both",
        ),
        facts=("SIL-2", "SURF-4"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._converted = set()
        # (id(scope), name) -> _Value, in visit (= source) order; judged only when a
        # `to_categorical` call asks, so files without one pay a dict entry per assignment.
        self._values: Dict[Tuple[int, str], "_Value"] = {}

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "astype" and isinstance(node.value, cst.Call):
            self._converted.add(id(node.value))

    # The rules' leave hooks run before the resolver binds the target: a `to_categorical` in the
    # value was judged with what the names meant before (`y = to_categorical(y)`).
    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value, unpacked=False)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None, unpacked=False)

    def _bind(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression], unpacked: bool) -> None:
        if isinstance(target, cst.Name):
            key = (id(self.ctx.scope), target.value)
            self._values[key] = _Value(value, unpacked, self._values.get(key))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                # `(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()`
                self._bind(element.value, value, unpacked=True)

    def _lookup(self, name: str) -> Optional["_Value"]:
        scope = self.ctx.scope
        while scope is not None:
            found = self._values.get((id(scope), name))
            if found is not None:
                return found
            if name in scope.names:
                return None  # bound in a way we do not follow (parameter, import, ...)
            scope = scope.parent
        return None

    def _name_kind(self, name: str, own: Optional[Tuple[str, Optional["_Value"]]], depth: int) -> Optional[str]:
        value = own[1] if own is not None and own[0] == name else self._lookup(name)
        if value is None or value.node is None:
            return None
        if value.unpacked:
            name_of_call = self.ctx.call_name(value.node) if isinstance(value.node, cst.Call) else None
            loaded = name_of_call is not None and name_of_call.startswith("keras.datasets.") and name_of_call.endswith(".load_data")
            return NUMPY if loaded else None
        return self._kind(value.node, depth + 1, (name, value.previous))

    def _kind(self, node: cst.BaseExpression, depth: int = 0, own=None) -> Optional[str]:
        """NUMPY when the value is provably not a tensor, TENSOR when it provably is one.
        ``own``: (name, previous value) while judging the value assigned to ``name``."""
        if depth > 10:
            return None
        if isinstance(node, (cst.List, cst.Tuple, cst.Integer, cst.ListComp)):
            return NUMPY
        if isinstance(node, cst.Name):
            return self._name_kind(node.value, own, depth)
        if isinstance(node, cst.Subscript):
            return self._kind(node.value, depth + 1, own)
        if isinstance(node, cst.Attribute) and node.attr.value == "values":
            return NUMPY  # pandas `.values`
        if isinstance(node, cst.BinaryOperation):
            left, right = self._kind(node.left, depth + 1, own), self._kind(node.right, depth + 1, own)
            return left if left == right else None
        if not isinstance(node, cst.Call):
            return None
        func = node.func
        resolved = self.ctx.resolver.resolve(func)
        if resolved is not None:
            if resolved.qualified.startswith("numpy."):
                return NUMPY
            if resolved.canonical.startswith("keras.ops."):
                return TENSOR
            if resolved.origin is None and resolved.qualified.startswith("tensorflow.") and not resolved.qualified.startswith("tensorflow.data."):
                return TENSOR
            return None
        if isinstance(func, cst.Attribute):
            if func.attr.value in _TO_NUMPY:
                return NUMPY
            if func.attr.value in _ARRAY_METHODS and self._kind(func.value, depth + 1, own) == NUMPY:
                return NUMPY
        return None

    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._converted or self.ctx.call_name(node) != "keras.utils.to_categorical":
            return
        data = node.args[0] if node.args and node.args[0].keyword is None and not node.args[0].star else keyword_arg(node, "x")
        if data is None:
            data = keyword_arg(node, "y")  # the Keras 2 keyword (Keras 3 calls it `x`)
        kind = self._kind(data.value) if data is not None else None
        if kind == TENSOR:
            has_classes = keyword_arg(node, "num_classes") is not None or sum(1 for a in node.args if a.keyword is None) >= 2
            if not has_classes:
                self.report(
                    node,
                    "`to_categorical` of a tensor without `num_classes` raises on Keras 3 (`ValueError: "
                    "Attempt to convert a value (None) with an unsupported type`); pass `num_classes=`",
                )
            return
        message = (
            "`to_categorical` returns float64 in Keras 3 (float32 in Keras 2), doubling the labels' memory; "
            "add `.astype(\"float32\")`"
        )
        if kind == NUMPY:
            fix = self.unsafe_fix("Convert the result to float32, as Keras 2 returned").insert_after(node, '.astype("float32")')
            self.report(node, message, fix=fix)
        else:
            self.report(node, message + " if the labels are a NumPy array", confidence=MEDIUM)
