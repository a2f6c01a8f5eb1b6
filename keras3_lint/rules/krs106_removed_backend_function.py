"""KRS106: `keras.backend` functions Keras 3 removed (BK-1, BK-2)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, message_tail, versions_line


class RemovedBackendFunction(SymbolRuleMixin, Rule):
    code = "KRS106"
    name = "removed-backend-function"
    summary = "A `keras.backend` function (`K.mean`, `K.get_session`, `K.placeholder`, ...) that Keras 3 removed; most have a `keras.ops` equivalent."
    fix_safety = FIX_UNSAFE
    categories = frozenset({"backend"})
    doc = RuleDoc(
        what="""
            Flags Keras 2 `keras.backend` functions that the namespace in use does not have:
            with `import keras` / `from keras import backend as K`, every function Keras 3 dropped
            (`K.mean`, `K.int_shape`, `K.set_value`, ...); through `tf.keras.backend`, only those
            the compatibility surface lacks too (`K.get_session`, `K.placeholder`, `K.function`,
            `K.learning_phase`, `K.set_learning_phase`). Functions that still work through
            `tf.keras` are KRS109.
        """,
        why="""
                AttributeError: module 'keras.backend' has no attribute 'mean'
                AttributeError: module 'keras._tf_keras.keras.backend' has no attribute 'get_session'
        """,
        bad="""
            from keras import backend as K
            m = K.mean(x, axis=1)
        """,
        good="""
            import keras
            m = keras.ops.mean(x, axis=1)
        """,
        fix="""
            **Unsafe**, for the 1:1 functions the generator checked numerically against tf_keras
            on sample arrays (`mean`, `sum`, `square`, `sqrt`, `concatenate`, `dot` ->
            `ops.matmul`, ...): the call is rewritten to `keras.ops.<name>` through an existing
            import. Unsafe because `keras.ops` does not exist in Keras 2 (tf_keras), so the file
            stops working there. Session and graph functions have no replacement (remove
            `learning_phase`, pass `training=`; `K.function` -> `keras.Model(inputs, outputs)`).
        """,
        sources=(
            "keras3_lint/data/api_table.json (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.backend.mean` -> AttributeError: module 'keras.backend' has no attribute 'mean'",
        ),
        facts=("BK-1", "BK-2"),
    )

    def describe(self, match: Match) -> str:
        where = "`tf.keras.backend` either" if match.origin == "tf.keras" else "Keras 3 (`import keras`)"
        return f"`keras.{match.rel}` does not exist in {where}; {message_tail(match)}"
