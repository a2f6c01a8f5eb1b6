"""KRS710: loading a ``.keras`` model with a ``Lambda(lambda ...)`` layer (LOAD-6)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, keyword_arg
from ._saving import H5_EXTENSIONS, LOAD_MODEL, MODEL_EXTENSIONS, PathCollector


class LambdaSafeMode(PathCollector, Rule):
    code = "KRS710"
    name = "lambda-layer-safe-mode"
    summary = "Models with `Lambda(lambda ...)` layers do not load from `.keras` files by default (`safe_mode`); use a named custom layer."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` without `safe_mode=` when the path is (or may
            be) a `.keras` file and the same file builds a `keras.layers.Lambda` from a Python
            `lambda`. Files that call `keras.config.enable_unsafe_deserialization()` are skipped.
        """,
        why="""
            Keras 3 refuses to deserialize Python lambdas by default:

                ValueError: Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This carries a potential risk of arbitrary code execution and thus it is disallowed by default. If you trust the source of the artifact, you can override this error by passing `safe_mode=False` to the loading function, or calling `keras.config.enable_unsafe_deserialization()`.
        """,
        bad="""
            model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t * 2)])
            model.save("m.keras")
            restored = keras.models.load_model("m.keras")
        """,
        good="""
            @keras.saving.register_keras_serializable()
            class Double(keras.layers.Layer):
                def call(self, t):
                    return t * 2

            model = keras.Sequential([keras.Input((2,)), Double()])
            model.save("m.keras")
            restored = keras.models.load_model("m.keras")
        """,
        fix="""
            **None.** Prefer a named, registered custom layer. `safe_mode=False` loads the file
            but runs whatever code it holds: use it only for files you trust, which is a decision
            a linter must not make for you.
        """,
        sources=(
            "Checked: keras 3.15.1 `load_model('/tmp/kv/lam.keras')` of a Sequential with `Lambda(lambda t: t * 2)` raises the ValueError quoted above",
        ),
        facts=("LOAD-6",),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._lambda_layer = False
        self._unsafe_enabled = False

    def on_call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name == "keras.layers.Lambda":
            function = keyword_arg(node, "function") or (node.args[0] if node.args and node.args[0].keyword is None else None)
            if function is not None and isinstance(function.value, cst.Lambda):
                self._lambda_layer = True
        elif name == "keras.config.enable_unsafe_deserialization":
            self._unsafe_enabled = True

    def finish(self) -> None:
        if not self._lambda_layer or self._unsafe_enabled:
            return
        for found in self.calls_of(LOAD_MODEL):
            info = found.info
            if keyword_arg(found.call, "safe_mode") is not None:
                continue
            if info is not None and (info.ends_with(H5_EXTENSIONS) is True or info.ends_with(MODEL_EXTENSIONS) is False):
                continue
            self.report(
                found.call,
                "This file builds `Lambda(lambda ...)` layers: Keras 3 refuses to load them from a `.keras` file by "
                "default (`ValueError: Requested the deserialization of a Lambda layer whose function is a Python "
                "lambda`); use a named custom layer (or `safe_mode=False` for files you trust)",
            )
