"""KRS710: loading a ``.keras`` model with a ``Lambda(lambda ...)`` layer (LOAD-6)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_NONE, Rule, RuleDoc, keyword_arg
from ._saving import H5_EXTENSIONS, LOAD_MODEL, PathCollector


class LambdaSafeMode(PathCollector, Rule):
    code = "KRS710"
    name = "lambda-layer-safe-mode"
    summary = "Keras 3 refuses to load `Lambda(lambda ...)` layers from `.h5` files by default (`safe_mode`), which Keras 2 loaded; use a named custom layer."
    fix_safety = FIX_NONE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` without `safe_mode=` when the path is (or may
            be) a legacy `.h5`/`.hdf5` file and the same file builds a `keras.layers.Lambda`
            from a Python `lambda`. Files that call `keras.config.enable_unsafe_deserialization()`
            are skipped. `.keras` files are not flagged: tf_keras 2.21 already refused to load
            such a model from a `.keras` file ("Requested the deserialization of a Lambda layer
            with a Python `lambda` inside it"), so that is not a migration change; the `.h5`
            reload is what Keras 2 allowed and Keras 3 refuses (shown by the evidence tier).
        """,
        why="""
            Keras 3 refuses to deserialize Python lambdas by default:

                ValueError: Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This carries a potential risk of arbitrary code execution and thus it is disallowed by default. If you trust the source of the artifact, you can override this error by passing `safe_mode=False` to the loading function, or calling `keras.config.enable_unsafe_deserialization()`.
        """,
        bad="""
            model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t * 2)])
            model.save("m.h5")
            restored = keras.models.load_model("m.h5")  # loaded on Keras 2, refused on Keras 3
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
            "Checked: keras 3.15.1 `load_model` of a Sequential with `Lambda(lambda t: t * 2)` raises the ValueError quoted above for `.h5` and `.keras` files; tf_keras 2.21 loads the `.h5` file and already refuses the `.keras` one (tests/evidence/test_saving_training.py::test_krs710_lambda_reload_refused_keras_file_also_on_keras2_h5_new_in_keras3)",
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
            # Only legacy .h5 reloads changed: tf_keras already refused .keras files with lambdas.
            if info is not None and info.ends_with(H5_EXTENSIONS) is False:
                continue
            self.report(
                found.call,
                "This file builds `Lambda(lambda ...)` layers: Keras 3 refuses to load them from an `.h5` file by "
                "default, which Keras 2 did (`ValueError: Requested the deserialization of a Lambda layer whose "
                "function is a Python lambda`); use a named custom layer (or `safe_mode=False` for files you trust)",
            )
