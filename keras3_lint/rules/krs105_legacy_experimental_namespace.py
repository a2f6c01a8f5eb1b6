"""KRS105: `optimizers.legacy`, `optimizers.experimental`, `layers.experimental(.preprocessing)` (OPT-4, OPT-5, LAY-1)."""

from __future__ import annotations

from ..rule import FIX_SAFE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, message_tail, versions_line


class LegacyExperimentalNamespace(SymbolRuleMixin, Rule):
    code = "KRS105"
    name = "legacy-or-experimental-namespace"
    summary = "`optimizers.legacy.X`, `optimizers.experimental.X` and `layers.experimental[.preprocessing].X` are gone in Keras 3; use `optimizers.X` / `layers.X`."
    fix_safety = FIX_SAFE
    categories = frozenset({"namespace"})
    doc = RuleDoc(
        what="""
            Flags `keras.optimizers.legacy.*`, `keras.optimizers.experimental.*`,
            `keras.layers.experimental.*` and `keras.layers.experimental.preprocessing.*`, in every
            import spelling.
        """,
        why="""
            Keras 3 dropped these namespaces:

                ImportError: `keras.optimizers.legacy` is not supported in Keras 3. When using `tf.keras`, to continue using a `tf.keras.optimizers.legacy` optimizer, you can install the `tf_keras` package (Keras 2) and set the environment variable `TF_USE_LEGACY_KERAS=True` ...
                AttributeError: module 'keras.optimizers' has no attribute 'experimental'
                AttributeError: module 'keras.layers' has no attribute 'experimental'

            (through `tf.keras` the module is named `keras._tf_keras.keras.layers`).
        """,
        bad="""
            opt = tf.keras.optimizers.legacy.Adam(1e-3)
            rescale = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255)
        """,
        good="""
            opt = tf.keras.optimizers.Adam(1e-3)
            rescale = tf.keras.layers.Rescaling(1 / 255)
        """,
        fix="""
            **Safe**: the same class at its Keras 3 path (`optimizers.Adam`, `layers.Rescaling`,
            `layers.EinsumDense`); the generator checks that it exists in keras 3.15 and in
            tf_keras 2.21. `SyncBatchNormalization` (use `BatchNormalization(synchronized=True)`),
            `RandomFourierFeatures` and the `preprocessing` module itself are reported only; so are
            `RandomHeight`, `RandomWidth`, `PreprocessingLayer`, `DynamicEmbedding` and
            `DynamicLookup`, which have no Keras 3 class at all (the message says so rather than
            pointing at `keras.layers`). A legacy optimizer with `decay=` is also KRS102.
        """,
        sources=(
            "keras3_lint/data/api_table.json (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.optimizers.legacy.Adam()` -> ImportError: `keras.optimizers.legacy` is not supported in Keras 3",
            "Checked: keras 3.15.1 `keras.layers` has no `RandomHeight` or `RandomWidth` (its Random* layers: RandomBrightness ... RandomZoom)",
        ),
        facts=("OPT-4", "OPT-5", "LAY-1", "SURF-5"),
    )

    def describe(self, match: Match) -> str:
        if not match.replacement and match.entry.get("kind") == "class" and "moved to" in match.entry.get("note", ""):
            # The namespace's classes moved, but not this one (checked against keras 3.15.1).
            namespace, _, name = match.rel.rpartition(".")
            target = "optimizers" if namespace.startswith("optimizers") else "layers"
            return (
                f"`keras.{match.rel}` is not in Keras 3, and `keras.{target}.{name}` does not exist "
                "either: there is no Keras 3 equivalent (keep your own copy of the layer, or rewrite this step)"
            )
        return f"`keras.{match.rel}` is not in Keras 3; {message_tail(match)}"
