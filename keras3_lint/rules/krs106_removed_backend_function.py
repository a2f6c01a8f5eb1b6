"""KRS106: `keras.backend` functions Keras 3 removed (BK-1, BK-2)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, message_tail, versions_line
from ._backend_ops import OpsCallFixMixin


class RemovedBackendFunction(OpsCallFixMixin, SymbolRuleMixin, Rule):
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
            **Unsafe**, for the functions whose Keras 3 rewrite the generator checked against
            tf_keras on sample calls (required arguments only, positional and keyword spellings:
            same values, dtypes and shapes): the whole call is rewritten, with Keras 2's defaults
            passed where Keras 3's differ and its result dtype kept, e.g.
            `K.argmax(x)` -> `keras.ops.cast(keras.ops.argmax(x, axis=-1), "int64")`,
            `K.expand_dims(x)` -> `keras.ops.expand_dims(x, axis=-1)`,
            `K.concatenate([a, b])` -> `keras.ops.concatenate([a, b], axis=-1)`,
            `K.int_shape(x)` -> `tuple(x.shape)`,
            `K.l2_normalize(x, axis=1)` -> `keras.ops.normalize(x, axis=1, epsilon=1e-6)`,
            `K.variable(v)` -> `keras.Variable(v, dtype=keras.config.floatx())`; `K.mean`,
            `K.sum`, `K.square`, ... keep their arguments. The package is spelled through the
            file's imports, or `import keras` is added before the edited statement. Unsafe
            because `keras.ops` does not exist in Keras 2 (tf_keras), and because `K.mean` /
            `K.std` / `K.var` of an integer tensor truncate in Keras 2 while `keras.ops` returns
            a float. No fix where a call passes an argument Keras 3 lacks (`name=`), nor for
            `K.dot` (two 3-D tensors: not a batched `matmul`). Session and graph functions have
            no replacement (remove `learning_phase`, pass `training=`; `K.function` ->
            `keras.Model(inputs, outputs)`).
        """,
        sources=(
            "keras3_lint/data/api_table.json (generated: " + versions_line() + ")",
            "Checked: keras 3.15.1 `keras.backend.mean` -> AttributeError: module 'keras.backend' has no attribute 'mean'",
            "Checked: every rewrite by scripts/backend_ops_check.py (tf_keras 2.21 backend vs keras 3.15.1, TensorFlow backend) and again, on the linter's own fix, by tests/evidence/test_ops_mappings.py; e.g. `keras.ops.argmax(x)` is int32 over the flattened tensor, `keras.ops.expand_dims(x)` -> TypeError (no default axis)",
        ),
        facts=("BK-1", "BK-2"),
    )

    def describe(self, match: Match) -> str:
        where = "`tf.keras.backend` either" if match.origin == "tf.keras" else "Keras 3 (`import keras`)"
        return f"`keras.{match.rel}` does not exist in {where}; {message_tail(match)}"
