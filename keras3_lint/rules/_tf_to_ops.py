"""The verified 1:1 table of TensorFlow ops -> ``keras.ops`` ops (KRS601 and KRS604 fixes).

An entry is here only when the Keras op computes the same values, with the same dtype, from the
same arguments in the same positional order, and every TF keyword the fix may keep has a Keras
keyword with the same meaning (renamed where the spelling differs: ``tf.concat(values=)`` ->
``keras.ops.concatenate(xs=)``). A call is rewritten only when all of its arguments are covered
by the entry: ``name=``, ``*args``/``**kwargs`` and the TF-only options (``transpose_a=``,
``conjugate=``, ``on_value=``, ...) leave the call reported without a fix.

How every entry was checked (keras 3.15.1, tensorflow-cpu 2.21.0, jax 0.10.2; the script is
described in the KRS601 sources, "Checked: ..."):

1. ``inspect.signature`` of the TF op and of the Keras op: the TF parameters listed in
   ``keywords`` are the TF op's first positional parameters in that order, and the mapped Keras
   names are the Keras op's parameters at the same positions (so positional calls carry over).
2. Values: the TF op and the Keras op were run on the same float32 inputs (and the int32 inputs
   noted per entry), with the positional and keyword spellings, on the TensorFlow backend and on
   the JAX backend (``keras.ops`` output converted with ``keras.ops.convert_to_numpy``); results
   were ``numpy.allclose`` (rtol 1e-6) with equal dtypes and shapes.
3. Symbolic use: the Keras op accepts a ``keras.Input`` KerasTensor and returns a KerasTensor of
   the shape the TF op gives on a concrete tensor.

Re-checked on every evidence run: tests/evidence/test_ops_mappings.py rewrites sample calls of
every entry with ``rewrite_call`` (positional and keyword spellings, float32 and int32 inputs) and
compares the TF op's result with the Keras op's (TensorFlow backend): dtype, shape and values.

Deliberately NOT in the table (checked to differ, so only reported): ``tf.reduce_mean`` (integer
mean truncates in TF, ``keras.ops.mean`` returns float), ``tf.shape`` (tensor vs. tuple with
``None``), ``tf.argmax``/``tf.argmin`` (``axis=None`` means 0 in TF, flattened in Keras; int64 vs
int32), ``tf.gather`` (``axis=None`` means 0 in TF, flattened for ``keras.ops.take``),
``tf.split`` (sizes vs. split indices), ``tf.where`` with one argument (index matrix vs. tuple),
``tf.divide`` (int inputs: float64 vs float32), ``tf.nn.gelu`` (``approximate`` default differs),
``tf.math.cumsum`` (default axis 0 vs flattened), ``tf.math.l2_normalize`` (epsilon handling).

Not a rule module: it defines no ``Rule`` subclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

import libcst as cst


@dataclass(frozen=True)
class OpMapping:
    keras_op: str  # name in keras.ops
    # TF parameter -> Keras parameter, in positional order (the TF op's leading parameters).
    keywords: Tuple[Tuple[str, str], ...]
    variadic: bool = False  # positional *inputs after the listed parameters (einsum)
    # Parameters whose value must be an int literal for the meaning to match (tf.nn.softmax's
    # axis=None means -1, keras.ops.softmax's axis=None means all axes).
    int_literal: Tuple[str, ...] = ()
    checked: str = ""
    _by_tf: Dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_tf.update(dict(self.keywords))

    @property
    def tf_params(self) -> Tuple[str, ...]:
        return tuple(tf for tf, _ in self.keywords)

    def keras_keyword(self, tf_keyword: str) -> Optional[str]:
        return self._by_tf.get(tf_keyword)


def _m(op: str, *pairs: str, variadic: bool = False, int_literal: Tuple[str, ...] = (), checked: str) -> OpMapping:
    keywords = tuple(tuple(p.split(":")) if ":" in p else (p, p) for p in pairs)
    return OpMapping(op, keywords, variadic, int_literal, checked)  # type: ignore[arg-type]


_UNARY_FLOAT = "float32 (3, 4) input, positional; TF and JAX backends"

# canonical TF name (as the resolver spells it) -> mapping. One comment per entry: how checked.
_TABLE: Dict[str, OpMapping] = {}


def _add(names: Tuple[str, ...], mapping: OpMapping) -> None:
    for name in names:
        _TABLE["tensorflow." + name] = mapping


# concat(values, axis) vs concatenate(xs, axis=0): lists of 2 float32 (2, 3) tensors, axis 0, 1, -1,
# positional and keyword (values=/xs=, axis=); int32 inputs too.
_add(("concat",), _m("concatenate", "values:xs", "axis", checked="lists of (2,3) float32/int32, axis 0/1/-1, positional and keywords"))
# stack(values, axis=0) vs stack(x, axis=0): 3 tensors (2, 3), axis 0, 1, -1, default.
_add(("stack",), _m("stack", "values:x", "axis", checked="3 tensors (2,3), axis default/0/1/-1"))
# squeeze(input, axis=None) vs squeeze(x, axis=None): (1, 3, 1) input, axis default, -1, [0, 2].
_add(("squeeze",), _m("squeeze", "input:x", "axis", checked="(1,3,1) input, axis default/-1/[0,2]"))
# expand_dims(input, axis) vs expand_dims(x, axis): (2, 3) input, axis 0, -1, 1.
_add(("expand_dims",), _m("expand_dims", "input:x", "axis", checked="(2,3) input, axis 0/1/-1"))
# reduce_sum(input_tensor, axis=None, keepdims=False) vs sum(x, axis=None, keepdims=False):
# (3, 4) float32 and int32 inputs, axis default, 0, -1, (0, 1), keepdims True/False.
_add(("reduce_sum", "math.reduce_sum"), _m("sum", "input_tensor:x", "axis", "keepdims", checked="(3,4) float32/int32, axis None/0/-1/(0,1), keepdims both"))
# reduce_max / reduce_min vs max / min: same inputs as reduce_sum (non-empty tensors).
_add(("reduce_max", "math.reduce_max"), _m("max", "input_tensor:x", "axis", "keepdims", checked="(3,4) float32/int32, axis None/0/-1, keepdims both"))
_add(("reduce_min", "math.reduce_min"), _m("min", "input_tensor:x", "axis", "keepdims", checked="(3,4) float32/int32, axis None/0/-1, keepdims both"))
# reduce_prod vs prod: (3, 4) float32 in [0.5, 1.5) and int32, axis None/0/-1, keepdims both.
_add(("reduce_prod", "math.reduce_prod"), _m("prod", "input_tensor:x", "axis", "keepdims", checked="(3,4) float32/int32, axis None/0/-1, keepdims both"))
# reduce_any / reduce_all vs any / all: (3, 4) bool input, axis None/0/-1, keepdims both.
_add(("reduce_any", "math.reduce_any"), _m("any", "input_tensor:x", "axis", "keepdims", checked="(3,4) bool, axis None/0/-1, keepdims both"))
_add(("reduce_all", "math.reduce_all"), _m("all", "input_tensor:x", "axis", "keepdims", checked="(3,4) bool, axis None/0/-1, keepdims both"))
# reduce_logsumexp vs logsumexp: (3, 4) float32, axis None/0/-1, keepdims both.
_add(("reduce_logsumexp", "math.reduce_logsumexp"), _m("logsumexp", "input_tensor:x", "axis", "keepdims", checked="(3,4) float32, axis None/0/-1, keepdims both"))
# reshape(tensor, shape) vs reshape(x, newshape): (2, 3, 4) -> (2, 12), (-1, 4), (6, 4).
_add(("reshape",), _m("reshape", "tensor:x", "shape:newshape", checked="(2,3,4) -> (2,12)/(-1,4)/(6,4)"))
# transpose(a, perm=None) vs transpose(x, axes=None): (2, 3, 4), perm default, (0, 2, 1), (2, 0, 1).
_add(("transpose",), _m("transpose", "a:x", "perm:axes", checked="(2,3,4), perm default/(0,2,1)/(2,0,1)"))
# matmul(a, b) vs matmul(x1, x2): (2, 3) @ (3, 4) and batched (5, 2, 3) @ (5, 3, 4); float32, int32.
_add(("matmul", "linalg.matmul"), _m("matmul", "a:x1", "b:x2", checked="(2,3)@(3,4) and (5,2,3)@(5,3,4), float32/int32"))
# tile(input, multiples) vs tile(x, repeats): (2, 3) with (2, 1) and (1, 3).
_add(("tile",), _m("tile", "input:x", "multiples:repeats", checked="(2,3) with multiples (2,1)/(1,3)"))
# cast(x, dtype) vs cast(x, dtype): float32 -> "int32", tf.int32, "float16", tf.bool dtypes
# (a tf.DType argument is accepted by keras.ops.cast on the JAX backend as well).
_add(("cast", "dtypes.cast"), _m("cast", "x", "dtype", checked="float32 -> 'int32'/tf.int32/'float16'/tf.bool, TF and JAX"))
# Elementwise unary ops: x vs x (tf.nn.relu/softplus/elu: features vs x).
_add(("nn.relu",), _m("relu", "features:x", checked=_UNARY_FLOAT))
_add(("nn.softplus", "math.softplus"), _m("softplus", "features:x", checked=_UNARY_FLOAT))
_add(("nn.elu",), _m("elu", "features:x", checked=_UNARY_FLOAT))
_add(("sigmoid", "math.sigmoid", "nn.sigmoid"), _m("sigmoid", "x", checked=_UNARY_FLOAT))
_add(("tanh", "math.tanh", "nn.tanh"), _m("tanh", "x", checked=_UNARY_FLOAT))
_add(("exp", "math.exp"), _m("exp", "x", checked=_UNARY_FLOAT))
_add(("math.log",), _m("log", "x", checked=_UNARY_FLOAT + " (positive values)"))
_add(("sqrt", "math.sqrt"), _m("sqrt", "x", checked=_UNARY_FLOAT + " (positive values)"))
_add(("abs", "math.abs"), _m("abs", "x", checked=_UNARY_FLOAT + "; int32 too"))
_add(("square", "math.square"), _m("square", "x", checked=_UNARY_FLOAT + "; int32 too"))
# softmax(logits, axis=None) vs softmax(x, axis=-1): (3, 4), axis default, -1, 0. tf's axis=None
# means the last axis, Keras' all axes: the axis must be an int literal.
_add(("nn.softmax", "math.softmax"), _m("softmax", "logits:x", "axis", int_literal=("axis",), checked="(3,4), axis default/-1/0"))
# Binary elementwise ops: (x, y) vs (x1, x2); (3, 4) with (3, 4) and broadcast (4,); float32, int32.
_add(("add", "math.add"), _m("add", "x:x1", "y:x2", checked="(3,4)+(3,4)/(4,), float32/int32"))
_add(("subtract", "math.subtract"), _m("subtract", "x:x1", "y:x2", checked="(3,4)-(3,4)/(4,), float32/int32"))
_add(("multiply", "math.multiply"), _m("multiply", "x:x1", "y:x2", checked="(3,4)*(3,4)/(4,), float32/int32"))
_add(("maximum", "math.maximum"), _m("maximum", "x:x1", "y:x2", checked="(3,4) with (3,4)/(4,), float32/int32"))
_add(("minimum", "math.minimum"), _m("minimum", "x:x1", "y:x2", checked="(3,4) with (3,4)/(4,), float32/int32"))
_add(("pow", "math.pow"), _m("power", "x:x1", "y:x2", checked="(3,4) positive float32 ** (3,4)/2.0; int32 ** int32"))
# ones_like / zeros_like(input, dtype=None) vs (x, dtype=None): float32 input, dtype default/"int32".
_add(("ones_like",), _m("ones_like", "input:x", "dtype", checked="float32 (3,4), dtype default/'int32'"))
_add(("zeros_like",), _m("zeros_like", "input:x", "dtype", checked="float32 (3,4), dtype default/'int32'"))
# clip_by_value(t, clip_value_min, clip_value_max) vs clip(x, x_min, x_max): float32 (3, 4), -0.5/0.5.
_add(("clip_by_value",), _m("clip", "t:x", "clip_value_min:x_min", "clip_value_max:x_max", checked="float32 (3,4), bounds -0.5/0.5"))
# one_hot(indices, depth, ..., axis, dtype) vs one_hot(x, num_classes, axis, dtype): int32 (4,)
# indices incl. an out-of-range one (all zeros in both), depth 5, default dtype float32 in both.
_add(("one_hot",), _m("one_hot", "indices:x", "depth:num_classes", checked="int32 indices [0,2,4,7], depth 5, dtype default"))
# einsum(equation, *inputs) vs einsum(subscripts, *operands): "ij,jk->ik", "bij->bji".
_add(("einsum", "linalg.einsum"), _m("einsum", "equation:subscripts", variadic=True, checked="'ij,jk->ik' and 'bij->bji', float32"))

TF_TO_KERAS_OPS: Dict[str, OpMapping] = dict(_TABLE)


def mapping_for(tf_name: Optional[str]) -> Optional[OpMapping]:
    return TF_TO_KERAS_OPS.get(tf_name) if tf_name else None


def _is_int_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Integer):
        return True
    return isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer)


def rewritten_args(call: cst.Call, mapping: OpMapping) -> Optional[Tuple[cst.Arg, ...]]:
    """The call's arguments with TF keywords renamed to the Keras ones, or None when an argument
    is not covered by the mapping (then there is no safe rewrite)."""
    params = mapping.tf_params
    new_args = []
    position = 0
    seen = set()
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if position >= len(params) and not mapping.variadic:
                return None
            if position < len(params):
                seen.add(params[position])
            position += 1
            new_args.append(arg)
            continue
        keras_name = mapping.keras_keyword(arg.keyword.value)
        if keras_name is None or arg.keyword.value in seen:
            return None
        seen.add(arg.keyword.value)
        if keras_name != arg.keyword.value:
            arg = arg.with_changes(keyword=cst.Name(keras_name))
        new_args.append(arg)
    positional = [a for a in call.args if a.keyword is None]
    for name in mapping.int_literal:
        keras_name = mapping.keras_keyword(name)
        for arg in new_args:
            if arg.keyword is not None and arg.keyword.value == keras_name and not _is_int_literal(arg.value):
                return None
        index = params.index(name)
        if index < len(positional) and not _is_int_literal(positional[index].value):
            return None
    return tuple(new_args)


def rewrite_call(call: cst.Call, mapping: OpMapping, reference: str) -> Optional[cst.Call]:
    """``tf.<op>(...)`` -> ``<reference>(...)`` with keywords renamed, or None when unsafe."""
    args = rewritten_args(call, mapping)
    if args is None:
        return None
    return call.with_changes(func=cst.parse_expression(reference), args=args)
