"""KRS101: a public Keras 2 class or function that Keras 3 removed (generated table, LAY-2, MOD-5)."""

from __future__ import annotations

import libcst as cst

from ..rule import FIX_SAFE_AND_UNSAFE, Rule, RuleDoc
from ._api_table import ApiMatcher, Match, SymbolRuleMixin, message_tail, rewrite_chain, versions_line


class RemovedSymbol(SymbolRuleMixin, Rule):
    code = "KRS101"
    name = "removed-keras-symbol"
    summary = "A Keras 2 class or function that Keras 3 removed (`ThresholdedReLU`, `LocallyConnected2D`, `losses.Reduction`, ...)."
    fix_safety = FIX_SAFE_AND_UNSAFE
    categories = frozenset({"symbol"})
    doc = RuleDoc(
        what="""
            Flags imports and attribute chains (`keras.layers.ThresholdedReLU`,
            `from tensorflow.keras.layers import LocallyConnected2D`, `tf.keras.estimator`, ...) that
            name a public Keras 2 symbol which Keras 3 no longer has. The list is generated from the
            real packages (`scripts/generate_api_table.py`: every public path of tf_keras 2.21 that
            keras 3.15 lacks) plus hand-checked entries for older Keras 2 (`CuDNNLSTM`,
            `multi_gpu_model`). Names that still work through `tf.keras`'s compatibility surface
            are KRS109; `keras.backend` functions KRS106; experimental/legacy namespaces KRS105.
        """,
        why="""
            The name does not exist in Keras 3, so the import or attribute access fails:

                AttributeError: module 'keras.layers' has no attribute 'ThresholdedReLU'
                ImportError: cannot import name 'LocallyConnected2D' from 'keras.layers'
                ImportError: cannot import name 'mse' from 'keras.losses'
                ImportError: cannot import name 'ImageDataGenerator' from 'keras.preprocessing.image'
        """,
        bad="""
            import keras
            act = keras.layers.ThresholdedReLU(theta=0.5)
        """,
        good="""
            import keras
            act = keras.layers.ReLU(threshold=0.5)
        """,
        fix="""
            **Safe** where the table has a replacement that exists in both Keras 3 and tf_keras and
            behaves identically: `ThresholdedReLU(theta)` becomes `ReLU(threshold=theta)`
            (`theta` defaults to 1.0, which is written out). `CuDNNLSTM`/`CuDNNGRU` become
            `LSTM`/`GRU` as an **unsafe** fix (the defaults differ from the old cuDNN layers).
            **Safe**: the short loss and metric names become the long ones, the same function
            in tf_keras and in Keras 3 (`from keras.losses import mse` -> `from keras.losses
            import mean_squared_error as mse`; `keras.losses.mse(...)` ->
            `keras.losses.mean_squared_error(...)`; loss strings such as `"mse"` still work and
            are left alone). **Unsafe**: the legacy preprocessing classes and functions that Keras
            3 keeps only in `tf.keras` (`ImageDataGenerator`, `Tokenizer`, `one_hot`,
            `TimeseriesGenerator`, ...) are imported from `tensorflow.keras` (`from
            tensorflow.keras.preprocessing.image import ImageDataGenerator`): deprecated Keras 2
            code that needs TensorFlow installed; the message names the Keras 3 way
            (`image_dataset_from_directory` and augmentation layers, `TextVectorization`).
            Everything else is reported with guidance only, and says that there is no automatic
            fix: `model_from_config` has no Keras 3 equivalent for a Keras 2 config dict.
        """,
        sources=(
            "keras3_lint/data/api_table.json (generated: " + versions_line() + ")",
            "https://keras.io/guides/migrating_to_keras_3/",
            "Checked: keras 3.15.1 `keras.layers.ThresholdedReLU` -> AttributeError: module 'keras.layers' has no attribute 'ThresholdedReLU'",
            "Checked: keras 3.15.1 `from keras.losses import mse` -> ImportError: cannot import name 'mse' from 'keras.losses'; "
            "tf_keras 2.21 `losses.mse is losses.mean_squared_error`, and Keras 3's `tf.keras.losses.mse is keras.losses.mean_squared_error`",
            "Checked: keras 3.15.1 `from keras.preprocessing.image import ImageDataGenerator` -> ImportError; "
            "`tensorflow.keras.preprocessing.image.ImageDataGenerator` (TF 2.21) is `keras.src.legacy.preprocessing.image.ImageDataGenerator`",
            "Checked: keras 3.15.1 `keras.layers.deserialize`, `keras.saving.deserialize_keras_object` and `model_from_json` reject "
            "`{'class_name': 'Sequential', 'config': model.get_config()}` (TypeError: Could not locate class 'Sequential')",
        ),
        facts=("LAY-2", "LAY-3", "MOD-4", "MOD-5", "LOSS-1"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._done = set()

    def describe(self, match: Match) -> str:
        versions = match.entry.get("keras2_versions", "")
        if versions and not match.entry.get("in_tf_keras_2_21"):
            # an older Keras 2 name (gone before tf_keras 2.21): say which releases had it
            return f"`keras.{match.rel}` does not exist in Keras 3 (it was in {versions}); {message_tail(match)}"
        return f"`keras.{match.rel}` was removed in Keras 3; {message_tail(match)}"

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute):
            return
        match = ApiMatcher.of(self.ctx).attribute(node.func)
        if match is None or match.category not in self.categories or not match.entry.get("call_rewrite"):
            return
        self._done.add(id(node.func))
        self.report(node.func, self.describe(match), fix=self._call_fix(node, match))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) not in self._done:
            super().visit_Attribute(node)

    def _call_fix(self, node: cst.Call, match: Match):
        if match.fix == "none":
            return None
        func = rewrite_chain(self.ctx, node.func, match.rel, match.replacement)
        if func is None:
            return None
        renames = match.entry["call_rewrite"]  # {old keyword: new keyword}
        (old, new), = renames.items()
        args = []
        given = False
        for index, arg in enumerate(node.args):
            if arg.star:
                return None
            if arg.keyword is None and index == 0:
                args.append(f"{new}={self.ctx.code_for(arg.value)}")
                given = True
            elif arg.keyword is None:
                return None
            elif arg.keyword.value == old:
                args.append(f"{new}={self.ctx.code_for(arg.value)}")
                given = True
            else:
                args.append(self.ctx.code_for(arg).rstrip().rstrip(","))
        if not given:
            for keyword, value in match.entry.get("default_kwargs", {}).items():
                args.insert(0, f"{keyword}={value}")
        text = f"{func}({', '.join(args)})"
        fix = (self.safe_fix if match.fix == "safe" else self.unsafe_fix)(f"Use `{text}`")
        return fix.replace(node, text)
