"""KRS505: an unseeded ``keras.random`` op, or any ``tf.random`` op, in a layer's ``call`` (RNG-5)."""

from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, argument
from ._seeds import KERAS_RANDOM_OPS, unseeded

_TF_RANDOM_PREFIXES = ("tensorflow.random.", "tensorflow.compat.v1.random.", "tensorflow.compat.v2.random.")


_LAMBDA_ADVICE = (
    "a `Lambda` cannot hold a `keras.random.SeedGenerator`: write a small layer subclass that creates "
    "one in `__init__` and passes `seed=self.seed_generator`"
)


class UnseededRandomOpInCall(Rule):
    code = "KRS505"
    name = "unseeded-random-op-in-call"
    summary = "An unseeded `keras.random` op or a `tf.random` op inside a layer's `call()` fails when JAX traces the layer; seed it with a `SeedGenerator` attribute."
    fix_safety = FIX_NONE
    backends = ("jax",)
    doc = RuleDoc(
        what="""
            Inside `def call(self, ...)` of a class that subclasses a Keras layer or model
            (directly or through classes in the same file), flags `keras.random.<op>(...)`
            (`normal`, `uniform`, `truncated_normal`, `randint`, `dropout`, `shuffle`,
            `categorical`, `gamma`, `binomial`, `beta`) called without `seed=` or with
            `seed=None`, and every `tf.random.<op>(...)` call. The same inside a function of the
            file that is passed by name to a `Lambda` layer (the VAE `sampling` function), which
            JAX traces the same way. Reported only when JAX is a target backend (configured,
            `import jax`, or `KERAS_BACKEND="jax"` in the file).
        """,
        why="""
            JAX traces `call()`; an unseeded random op would be traced into a constant, so
            Keras 3 refuses it (keras 3.15.1, JAX backend):

                ValueError: [JAX RNG] When tracing a JAX function, you should only use seeded random ops, e.g. you should create a `SeedGenerator` instance, attach it to your layer/model, and pass the instance as the `seed` argument when calling random ops. Unseeded random ops would get incorrectly traced by JAX and would become constant after tracing.

            `tf.random` ops cannot take JAX tracers at all; the layer fails with
            `AttributeError: 'str' object has no attribute '_error_repr'`. The TensorFlow
            backend runs both, which is why Keras 2 code never noticed.
        """,
        bad="""
            class Noise(keras.layers.Layer):
                def call(self, x):
                    return x + keras.random.normal(keras.ops.shape(x), stddev=0.1)
        """,
        good="""
            class Noise(keras.layers.Layer):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.seed_generator = keras.random.SeedGenerator(1337)

                def call(self, x):
                    return x + keras.random.normal(
                        keras.ops.shape(x), stddev=0.1, seed=self.seed_generator
                    )
        """,
        fix="""
            **None.** The fix needs a `keras.random.SeedGenerator` created in `__init__` and
            stored on the layer (so it is tracked as layer state and advances on every call),
            plus `seed=self.seed_generator` on each op, and each `tf.random.*` op replaced by a
            `keras.random.*` op whose name and arguments may differ (`tf.random.stateless_*`,
            `tf.random.uniform` with an integer dtype -> `keras.random.randint`). Choosing the
            seed and editing `__init__` (which may be inherited or missing) is left to you;
            KERAS3_FACTS marks this fix SEMI.
        """,
        sources=(
            "KERAS3_FACTS RNG-5",
            "Keras 3 migration guide, section \"RNG-using layers\"",
            "Checked: keras 3.15.1 + jax 0.10.2: a layer calling `keras.random.normal(shape)` in `call` raises the `[JAX RNG]` ValueError above when the model is built; `tf.random.normal` raises `'str' object has no attribute '_error_repr'`",
            "Seen: keras 3.15.1 + jax 0.10.2: keras-team/keras 2.3.1 `examples/variational_autoencoder.py`, whose `sampling` function (run by a `Lambda`) draws `keras.random.normal((batch, dim))` after `--fix --unsafe-fixes`, raises the same `[JAX RNG]` ValueError in `fit` (scripts/run_programs.py --backend jax)",
        ),
        facts=("RNG-5",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._found: List[Tuple[cst.Call, str]] = []
        # Random calls in other functions (by the function's name), and the names of the
        # functions passed to `Lambda` layers: JAX traces those too.
        self._in_functions: List[Tuple[cst.Call, str, str]] = []
        self._lambda_functions: Set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None:
            return
        if name == "keras.layers.Lambda":
            function = argument(node, "function")
            if function is not None and isinstance(function.value, cst.Name):
                self._lambda_functions.add(function.value.value)
            return
        if name.startswith("keras.random."):
            op = name[len("keras.random."):]
            if op not in KERAS_RANDOM_OPS or not unseeded(node, KERAS_RANDOM_OPS[op])[0]:
                return
            what = " without a seed"
            failure = (
                "fails when JAX traces the layer (`ValueError: [JAX RNG] When tracing a JAX function, you "
                "should only use seeded random ops`)"
            )
            advice = (
                "create `self.seed_generator = keras.random.SeedGenerator(...)` in `__init__` and pass "
                "`seed=self.seed_generator`"
            )
        elif name.startswith(_TF_RANDOM_PREFIXES):
            what = ""
            failure = "cannot run on the JAX backend (`'str' object has no attribute '_error_repr'`)"
            advice = (
                "use the `keras.random` op with `seed=self.seed_generator` (a `keras.random.SeedGenerator` "
                "created in `__init__`)"
            )
        else:
            return
        op_text = f"`{self.ctx.code_for(node.func)}(...)`{what}"
        if self._in_layer_call():
            self._found.append((node, f"{op_text} inside `call()` {failure}; {advice}"))
            return
        function = self._enclosing_function()
        if function is not None:
            message = f"{op_text} inside `{function}`, which a `Lambda` layer calls, {failure}; {_LAMBDA_ADVICE}"
            self._in_functions.append((node, message, function))

    def _enclosing_function(self) -> Optional[str]:
        scope = self.ctx.scope
        while scope is not None:
            if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
                return scope.node.name.value
            scope = scope.parent
        return None

    def _in_layer_call(self) -> bool:
        scope = self.ctx.scope
        while scope is not None:
            node = scope.node
            if scope.kind == "function" and isinstance(node, cst.FunctionDef) and node.name.value == "call":
                parent = scope.parent
                if parent is not None and parent.kind == "class" and isinstance(parent.node, cst.ClassDef):
                    if self.ctx.resolver.is_keras_subclass(parent.node, "layer"):
                        return True
            scope = scope.parent
        return False

    def finish(self) -> None:
        if "jax" not in self.ctx.targets:
            return
        for call, message in self._found:
            self.report(call, message)
        for call, message, function in self._in_functions:
            if function in self._lambda_functions:
                self.report(call, message)
