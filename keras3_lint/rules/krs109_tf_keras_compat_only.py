"""KRS109: works today only through tf.keras's compatibility surface (section 0, MOD-2, BK-2)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, versions_line
from ._backend_ops import OpsCallFixMixin


class TfKerasCompatOnly(OpsCallFixMixin, SymbolRuleMixin, Rule):
    code = "KRS109"
    name = "tf-keras-compat-only"
    summary = "Works today through `tf.keras`'s compatibility surface (`tf.keras.backend.mean`, `ImageDataGenerator`, ...) but breaks under `import keras`."
    fix_safety = FIX_UNSAFE
    severity = "warning"
    categories = frozenset({"compat"})
    doc = RuleDoc(
        what="""
            Lower-severity companion of KRS101/KRS105/KRS106: flags names reached through
            `tf.keras` / `from tensorflow import keras` that TensorFlow >= 2.16 still serves from
            `keras._tf_keras` (legacy `backend` functions, `preprocessing.image.ImageDataGenerator`,
            `preprocessing.text.Tokenizer`, `losses.Reduction`, short loss aliases such as
            `losses.mse`) but that plain `import keras` does not have. The code works today; it
            breaks the day the file switches to `import keras` (or to another backend).
        """,
        why="""
            Through `tf.keras` the name resolves; through `keras` it does not:

                AttributeError: module 'keras.backend' has no attribute 'mean'
                AttributeError: module 'keras.preprocessing.image' has no attribute 'ImageDataGenerator'
        """,
        bad="""
            import tensorflow as tf
            m = tf.keras.backend.mean(x)
        """,
        good="""
            import tensorflow as tf
            m = tf.keras.ops.mean(x)
        """,
        fix="""
            **Unsafe**, only for backend functions with a checked `keras.ops` rewrite (the same
            call rewrites as KRS106, Keras 2 defaults and result dtypes kept:
            `tf.keras.backend.argmax(x)` -> `tf.keras.ops.cast(tf.keras.ops.argmax(x, axis=-1),
            "int64")`); `keras.ops` does not exist in Keras 2. Others
            (ImageDataGenerator, Tokenizer) need a human: `image_dataset_from_directory` plus
            augmentation layers, `TextVectorization`.
        """,
        sources=(
            "keras3_lint/data/api_table.json `compat_only` (generated: " + versions_line() + ")",
            "Checked: TF 2.21 `tf.keras.backend.mean` is a function; keras 3.15.1 `keras.backend.mean` -> AttributeError",
        ),
        facts=("MOD-2", "BK-2"),
    )

    def describe(self, match: Match) -> str:
        tail = f"; Keras 3 spelling: `keras.{match.replacement}`" if match.replacement else ""
        return (
            f"`tf.keras.{match.rel}` works today via tf.keras's compatibility surface but does not "
            f"exist in Keras 3 (`import keras`){tail}"
        )
