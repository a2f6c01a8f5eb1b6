"""KRS112: ``Dense(np.max(y) + 1)``: a NumPy scalar where Keras 3 needs a Python int."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import libcst as cst

from ..rule import FIX_SAFE, Rule, RuleDoc, keyword_arg
from ..values import SURE, int_kind

NUMPY, FLOAT = "a NumPy scalar", "a float"

# Layer -> the size arguments Keras 3 checks with `isinstance(value, int)` (positional index),
# the error it raises, and whether Keras 2 also took a float there (it called `int(...)`).
# Checked on keras 3.15.1 / tf_keras 2.21.0 (see the doc's sources).
_RNN_ERROR = "ValueError: state_size must be an integer"
_SIZES: Dict[str, Tuple[Tuple[Tuple[str, int], ...], str, bool]] = {
    "keras.layers.Dense": ((("units", 0),), "ValueError: Received an invalid value for `units`, expected a positive integer", True),
    "keras.layers.LSTM": ((("units", 0),), "ValueError: output_size must be an integer.", False),
    "keras.layers.GRU": ((("units", 0),), _RNN_ERROR, False),
    "keras.layers.SimpleRNN": ((("units", 0),), _RNN_ERROR, False),
    "keras.layers.Embedding": ((("input_dim", 0), ("output_dim", 1)), "ValueError: `input_dim` must be a positive integer", False),
    "keras.layers.MultiHeadAttention": (
        (("num_heads", 0), ("key_dim", 1), ("value_dim", 2)),
        "ValueError: Received an invalid value for argument `num_heads`, expected a positive integer",
        False,
    ),
    "keras.layers.GroupNormalization": (
        (("groups", 0),),
        "ValueError: Received an invalid value for argument `groups`, expected a positive integer",
        False,
    ),
    "keras.layers.UpSampling1D": ((("size", 0),), "TypeError: Expected an integer value for `size`", True),
}
# Convolutions take a NumPy int for `filters` on Keras 3, but not a float, which Keras 2 truncated.
_CONV_ERROR = "ValueError: Cannot convert '(3, 3, 1, 16.0)' to a shape. Found invalid dimension '16.0'"
_CONVOLUTIONS = (
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "SeparableConv1D", "SeparableConv2D",
)

# NumPy functions whose result, for one array argument and no `axis`, is a NumPy scalar.
_REDUCTIONS = frozenset(
    {"max", "amax", "min", "amin", "argmax", "argmin", "sum", "prod", "product", "ptp", "mean", "median"}
)
_NUMPY_FLOATS = frozenset({"ceil", "floor", "sqrt", "log", "log2", "log10", "exp"})
_SCALAR_TYPES = frozenset(
    {
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "int_", "intp",
        "intc", "longlong", "float16", "float32", "float64", "float_", "double", "single",
    }
)
# Array methods whose result, with no arguments, is a NumPy scalar.
_SCALAR_METHODS = frozenset({"max", "min", "argmax", "argmin", "sum", "prod", "mean", "ptp"})
_ARRAY_METHODS = frozenset({"astype", "reshape", "flatten", "ravel", "squeeze", "copy", "transpose"})
_MAX_DEPTH = 8


class NumpyIntegerLayerSize(Rule):
    code = "KRS112"
    name = "numpy-integer-layer-size"
    summary = "`Dense(np.max(y) + 1)`: Keras 3 layers reject a NumPy integer (or a float) as a size; Keras 2 converted it with `int(...)`."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="""
            Flags a size argument of a Keras layer (positional or keyword) whose value is
            provably a NumPy scalar: `Dense` `units`, `LSTM`/`GRU`/`SimpleRNN` `units`,
            `Embedding` `input_dim`/`output_dim`, `MultiHeadAttention`
            `num_heads`/`key_dim`/`value_dim`, `GroupNormalization` `groups`, `UpSampling1D`
            `size`. A NumPy scalar is the result of `np.max`/`np.amax`/`np.argmax`/`np.sum`/
            `np.prod`/... of one array (without `axis`), of `np.int64(...)` and the other
            scalar types, of `.max()`/`.argmax()`/`.sum()`/... on an array (a `np.*` result,
            or an array from `keras.datasets.*.load_data()`), arithmetic with one
            (`np.max(y) + 1`), or a name bound to one of these where it is used (in a
            notebook: by an earlier cell). Also flags a float (`n / 2`, `4.0`) for `Dense`
            `units`, `UpSampling1D` `size` and a convolution's `filters`, which Keras 2
            truncated. A parameter of a plain function (`def create_network(num_classes=1)`)
            is flagged when a call of that function passes such a value. `len(...)`,
            `x.shape[0]`, `np.unique(y).size`, `int(...)` and names of unknown value are Python
            ints or unknown, and are not flagged.
        """,
        why="""
            Keras 2 took any integer-like value: standalone Keras 2.3 stored it as given
            (`self.units = units`) and NumPy integers work as TensorFlow dimensions; `tf.keras`
            (tf_keras 2.21) converts `Dense` units and convolution filters with `int(...)`, so
            a float worked there too. Keras 3 checks `isinstance(units, int)`, which a NumPy
            integer fails, and raises when the layer is made or built:

                ValueError: Received an invalid value for `units`, expected a positive integer. Received: units=46

            The `reuters_mlp.py` example does `num_classes = np.max(y_train) + 1` and then
            `Dense(num_classes)`. The other layers fail the same way, when made or built:

                LSTM: ValueError: output_size must be an integer.
                GRU, SimpleRNN: ValueError: state_size must be an integer, or a list/tuple of integers
                Embedding: ValueError: `input_dim` must be a positive integer (`output_dim` alike)
                MultiHeadAttention: ValueError: Received an invalid value for argument `num_heads`, expected a positive integer
                GroupNormalization: ValueError: Received an invalid value for argument `groups`, expected a positive integer
                UpSampling1D: TypeError: Expected an integer value for `size`
                Conv2D(16.0, 3): ValueError: Cannot convert '(3, 3, 1, 16.0)' to a shape. Found invalid dimension '16.0'

            (`Bidirectional(LSTM(n))` happens to build; the fix is harmless there.)
        """,
        bad="""
            num_classes = np.max(y_train) + 1
            model.add(Dense(num_classes))
        """,
        good="""
            num_classes = np.max(y_train) + 1
            model.add(Dense(int(num_classes)))
        """,
        fix="""
            **Safe**: wraps the argument in `int(...)`, the conversion Keras 2 made (`Dense`,
            `UpSampling1D`, convolutions) or the value Keras 2 used (a NumPy integer is an
            integer there), so the layer is the same. Not offered where `int` is rebound.
        """,
        sources=(
            "keras 3.15.1 keras/src/layers/core/dense.py: `if not isinstance(units, int) or units <= 0: raise ValueError(...)`; tf_keras 2.21.0 tf_keras/src/layers/core/dense.py: `self.units = int(units) if not isinstance(units, int) else units`",
            "Checked (tests/evidence/test_numpy_layer_sizes_krs112.py): keras 3.15.1 rejects np.int64 and np.int32 for Dense units, LSTM/GRU/SimpleRNN units, Embedding input_dim/output_dim, MultiHeadAttention num_heads/key_dim/value_dim, GroupNormalization groups, UpSampling1D size, where tf_keras 2.21.0 builds them; `int(...)` builds the same layers on both",
            "keras 2.3.1 keras/layers/core.py `Dense.__init__`: `self.units = units` (likewise the recurrent layers' units, Embedding input_dim, Conv filters)",
            "Checked: keras 3.15.1 takes np.int64 for Conv1D/2D/3D/Transpose/SeparableConv filters, ConvLSTM2D filters and the RNN cells' units (not flagged); a float 4.0 fails there and for Dense units and UpSampling1D size, where tf_keras 2.21.0 truncated it; RepeatVector(np.int64), kernel_size/pool_size np ints fail on both (not a Keras 3 change)",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (id(scope), name) of names last bound by unpacking `keras.datasets.*.load_data()`
        # (the resolver keeps no value for unpacked names).
        self._loaded: Dict[Tuple[int, str], bool] = {}
        # id(function) -> size arguments that are one of its parameters, judged at its calls
        # (`def create_network(num_classes=1): ... Dense(num_classes)`).
        self._by_parameter: Dict[int, List["_ParameterUse"]] = {}

    # The rules' leave hooks run before the resolver binds the target.
    def leave_Assign(self, node: cst.Assign) -> None:
        loaded = None
        for target in node.targets:
            if isinstance(target.target, (cst.Tuple, cst.List)):
                if loaded is None:
                    loaded = _is_load_data(self.ctx.call_name(node.value)) if isinstance(node.value, cst.Call) else False
                self._note_unpacked(target.target, loaded)
            elif isinstance(target.target, cst.Name):
                self._loaded.pop((id(self.ctx.scope), target.target.value), None)

    def _note_unpacked(self, target: cst.BaseExpression, loaded: bool) -> None:
        if isinstance(target, cst.Name):
            key = (id(self.ctx.scope), target.value)
            if loaded:
                self._loaded[key] = True
            else:
                self._loaded.pop(key, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._note_unpacked(element.value, loaded)

    def visit_For(self, node: cst.For) -> None:
        self._note_unpacked(node.target, False)

    def visit_Call(self, node: cst.Call) -> None:
        if self._by_parameter and isinstance(node.func, cst.Name):
            self._judge_call_of_function(node)
        name = self.ctx.call_name(node)
        if name is None or not name.startswith("keras.layers."):
            return
        spec = _SIZES.get(name)
        if spec is not None:
            arguments, error, takes_float = spec
        elif name[len("keras.layers."):] in _CONVOLUTIONS:
            arguments, error, takes_float = (("filters", 0),), _CONV_ERROR, True
        else:
            return
        for keyword, position in arguments:
            arg = _argument(node, keyword, position)
            if arg is None:
                continue
            int_free = self.ctx.scope.lookup("int") is None
            use = _ParameterUse(name, arg, keyword, error, takes_float, spec is not None, int_free)
            kind = self._kind(arg.value, self.ctx.scope, {}, 0)
            if kind is None:
                self._note_parameter(use)
            elif use.rejects(kind):
                self._report(use, kind)

    def _note_parameter(self, use: "_ParameterUse") -> None:
        """Keeps ``use`` for the calls of the function whose parameter its value is."""
        value = use.arg.value
        if not isinstance(value, cst.Name):
            return
        scope = self.ctx.scope
        while scope is not None and value.value not in scope.names:
            scope = scope.parent
        if scope is None or scope.kind != "function" or scope.class_name is not None:
            return  # not a parameter, or a method's (`self` shifts the positions)
        function, binding = scope.node, scope.names[value.value]
        # A parameter's binding keeps the scope of its default; a loop target's or `+=`'s has none.
        if not isinstance(function, cst.FunctionDef) or not binding.opaque or binding.scope is None:
            return
        if getattr(binding, "unpacked", None) is not None:
            return  # `a, n = f()` in the body
        position = _parameter_position(function, value.value)
        if position is not None:
            use.parameter, use.position = value.value, position
            self._by_parameter.setdefault(id(function), []).append(use)

    def _judge_call_of_function(self, call: cst.Call) -> None:
        binding = self.ctx.scope.lookup(call.func.value)
        if binding is None or binding.function is None:
            return
        uses = self._by_parameter.get(id(binding.function))
        for use in list(uses or ()):
            passed = _argument(call, use.parameter, use.position) if use.position >= 0 else keyword_arg(call, use.parameter)
            if passed is None:
                continue
            kind = self._kind(passed.value, self.ctx.scope, {}, 0)
            if kind is not None and use.rejects(kind):
                uses.remove(use)  # reported once, whatever other calls pass
                shown = (f"{passed.keyword.value}=" if passed.keyword is not None else "") + self.ctx.code_for(passed.value)
                self._report(use, kind, via=f"`{call.func.value}(..., {shown})`" if len(call.args) > 1 else f"`{call.func.value}({shown})`")

    def _report(self, use: "_ParameterUse", kind: str, via: Optional[str] = None) -> None:
        name, arg, keyword, error = use.layer, use.arg, use.keyword, use.error
        value = arg.value
        text = self.ctx.code_for(value)
        fix = None
        if use.int_free:
            fix = self.safe_fix(f"Pass `int({text})`").replace(value, f"int({text})")
        layer = name.rsplit(".", 1)[1]
        if error.startswith("ValueError: Received an invalid value for argument"):
            error = error.replace("`num_heads`", f"`{keyword}`").replace("`groups`", f"`{keyword}`")
        elif keyword == "output_dim":
            error = error.replace("input_dim", "output_dim")
        passed = f" when {via} passes it" if via is not None else ""
        self.report(
            arg,
            f"`{keyword}` of `{layer}` is {kind}{passed}; Keras 3 needs a Python int here (`{error}`), "
            f"where Keras 2 took it: pass `int({text})`",
            fix=fix,
        )

    # -- what a value is ---------------------------------------------------------------------

    def _kind(self, node: cst.BaseExpression, scope, shadow, depth: int) -> Optional[str]:
        """NUMPY or FLOAT when ``node`` provably evaluates to one, None when not known to."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Float):
            return FLOAT
        if isinstance(node, cst.Name):
            return self._name_kind(node, scope, shadow, depth)
        if isinstance(node, cst.BinaryOperation):
            return self._operation_kind(node, scope, shadow, depth)
        if isinstance(node, cst.Call):
            return self._call_kind(node, scope, shadow, depth)
        return None

    def _operation_kind(self, node: cst.BinaryOperation, scope, shadow, depth: int) -> Optional[str]:
        operator = node.operator
        if not isinstance(operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide)):
            return None
        kinds = []
        for side in (node.left, node.right):
            kind = self._kind(side, scope, shadow, depth + 1)
            if kind is None and int_kind(self.ctx.resolver, side, side, scope) == SURE:
                kind = "int"
            if kind is None:
                return None  # an operand of unknown type: an array, a tensor, ...
            kinds.append(kind)
        if isinstance(operator, cst.Divide) or FLOAT in kinds:
            return FLOAT
        return NUMPY if NUMPY in kinds else None

    def _name_kind(self, node: cst.Name, scope, shadow, depth: int) -> Optional[str]:
        binding = shadow[node.value] if node.value in shadow else scope.lookup(node.value)
        if binding is None or binding.value is None or binding.scope is None:
            return None
        kind = self._kind(binding.value, binding.scope, {**shadow, node.value: binding.previous}, depth + 1)
        previous = binding.previous
        if kind is None or previous is None:
            return kind
        # Bound more than once: every value it may have must agree (`n = np.max(y); n = n + 1`).
        if previous.value is None or previous.scope is None:
            return None
        before = self._kind(previous.value, previous.scope, {**shadow, node.value: previous.previous}, depth + 1)
        return kind if before == kind else None

    def _call_kind(self, node: cst.Call, scope, shadow, depth: int) -> Optional[str]:
        func = node.func
        qualified = self.ctx.resolver.qualified_name(func, scope)
        if qualified is not None and qualified.startswith("numpy."):
            short = qualified[len("numpy."):]
            if short in _SCALAR_TYPES and _one_argument(node):
                return FLOAT if short.startswith(("float", "double", "single")) else NUMPY
            if short in _REDUCTIONS and _one_argument(node, allowed=("dtype",)):
                return NUMPY
            if short in _NUMPY_FLOATS and _one_argument(node):
                # `np.ceil(n / 2)` of a scalar; of an array it is an array (not known here).
                inner = node.args[0].value
                if self._kind(inner, scope, shadow, depth + 1) is not None or int_kind(self.ctx.resolver, inner, inner, scope) == SURE:
                    return FLOAT
            return None
        if qualified is None and isinstance(func, cst.Name) and func.value == "float" and scope.lookup("float") is None:
            return FLOAT if len(node.args) == 1 else None
        if isinstance(func, cst.Attribute) and func.attr.value in _SCALAR_METHODS and not node.args:
            return NUMPY if self._is_array(func.value, scope, shadow, depth + 1) else None
        return None

    def _is_array(self, node: cst.BaseExpression, scope, shadow, depth: int) -> bool:
        """``node`` is provably a NumPy array (or scalar): a `np.*` result, an array method of
        one, an item of one, or the arrays `keras.datasets.*.load_data()` returns."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, cst.Subscript):
            return self._is_array(node.value, scope, shadow, depth + 1)
        if isinstance(node, cst.Call):
            func = node.func
            qualified = self.ctx.resolver.qualified_name(func, scope)
            if qualified is not None:
                return qualified.startswith("numpy.") and not qualified.startswith("numpy.random.")
            if isinstance(func, cst.Attribute) and func.attr.value in _ARRAY_METHODS:
                return self._is_array(func.value, scope, shadow, depth + 1)
            return False
        if not isinstance(node, cst.Name):
            return False
        binding = shadow[node.value] if node.value in shadow else scope.lookup(node.value)
        if binding is None:
            return False
        if binding.value is not None and binding.scope is not None:
            if binding.previous is not None and not self._is_array_binding(binding.previous, node.value, shadow, depth):
                return False
            return self._is_array(binding.value, binding.scope, {**shadow, node.value: binding.previous}, depth + 1)
        return binding.opaque and self._unpacked_from_load_data(node.value, scope)

    def _is_array_binding(self, binding, name: str, shadow, depth: int) -> bool:
        if binding.value is None or binding.scope is None:
            return False
        return self._is_array(binding.value, binding.scope, {**shadow, name: binding.previous}, depth + 1)

    def _unpacked_from_load_data(self, name: str, scope) -> bool:
        while scope is not None:
            if name in scope.names:
                return self._loaded.get((id(scope), name), False)
            scope = scope.parent
        return False


@dataclass(eq=False)
class _ParameterUse:
    """A size argument of a layer call, and what its layer rejects."""

    layer: str
    arg: cst.Arg
    keyword: str
    error: str
    takes_float: bool  # Keras 2 truncated a float here
    rejects_numpy: bool  # Keras 3 rejects a NumPy integer here (not a convolution's filters)
    int_free: bool  # `int` is the builtin where the argument is
    parameter: str = ""
    position: int = -1  # of the parameter among the function's positional ones; -1: keyword-only

    def rejects(self, kind: str) -> bool:
        return self.takes_float if kind == FLOAT else self.rejects_numpy


def _parameter_position(function: cst.FunctionDef, name: str) -> Optional[int]:
    params = function.params
    for index, param in enumerate(list(params.posonly_params) + list(params.params)):
        if param.name.value == name:
            return index
    if any(param.name.value == name for param in params.kwonly_params):
        return -1
    return None  # `*args` / `**kwargs`


def _is_load_data(name: Optional[str]) -> bool:
    return name is not None and name.startswith("keras.datasets.") and name.endswith(".load_data")


def _one_argument(call: cst.Call, allowed: Tuple[str, ...] = ()) -> bool:
    """One positional argument (no `*args`), and keywords only among ``allowed``."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) != 1 or positional[0].star:
        return False
    return all(a.keyword is None or a.keyword.value in allowed for a in call.args)


def _argument(call: cst.Call, keyword: str, position: int) -> Optional[cst.Arg]:
    arg = keyword_arg(call, keyword)
    if arg is not None:
        return arg
    positional = []
    for a in call.args:
        if a.star:
            return None  # `Dense(*sizes)`: positions unknown
        if a.keyword is None:
            positional.append(a)
    return positional[position] if position < len(positional) else None
