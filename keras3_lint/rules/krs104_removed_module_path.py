"""KRS104: internal module paths of older Keras 2 (`keras.engine.topology`, `keras.utils.np_utils`, ...) (MOD-1)."""

from __future__ import annotations

from ..rule import FIX_SAFE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin, versions_line


class RemovedModulePath(SymbolRuleMixin, Rule):
    code = "KRS104"
    name = "removed-keras-module-path"
    summary = "Import from an internal Keras 2 module (`keras.engine`, `keras.utils.np_utils`, `keras.layers.recurrent`, ...) that Keras 3 does not have."
    fix_safety = FIX_SAFE
    categories = frozenset({"module"})
    doc = RuleDoc(
        what="""
            Flags imports from module paths that older Keras 2 exposed but that are not public API:
            `keras.engine.topology`, `keras.engine.base_layer`, `keras.layers.core` /
            `recurrent` / `merge` / ..., `keras.utils.np_utils` / `generic_utils` / `data_utils` /
            `vis_utils`, `keras.legacy.interfaces`, `keras.initializers.initializers_v2`,
            `keras.mixed_precision.experimental`, `keras.backend.tensorflow_backend`.
        """,
        why="""
            Keras 3 has none of these modules:

                ModuleNotFoundError: No module named 'keras.engine'
                ModuleNotFoundError: No module named 'keras.utils.np_utils'
        """,
        bad="""
            from keras.engine.topology import Layer
            from keras.utils.np_utils import to_categorical
        """,
        good="""
            from keras.layers import Layer
            from keras.utils import to_categorical
        """,
        fix="""
            **Safe**: each imported name is moved to its public path from the mapping table in
            `keras3_lint/data/api_overrides.toml` (checked against keras 3.15.1 and tf_keras 2.21
            by the generator), keeping the local name. Private helpers (`to_list`,
            `unpack_singleton`, `conv_utils`) have no public replacement and are reported only.
        """,
        sources=(
            "keras3_lint/data/api_overrides.toml [modules] (checked by scripts/generate_api_table.py: " + versions_line() + ")",
            "Checked: keras 3.15.1 `import keras.engine.topology` -> ModuleNotFoundError: No module named 'keras.engine'",
        ),
        facts=("MOD-1", "BK-3"),
    )

    def describe(self, match: Match) -> str:
        module = match.rel if not match.replacement and match.rel in match.entry.get("names", {}) else match.rel
        if match.replacement:
            return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError); use `keras.{match.replacement}`"
        return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError) and has no public replacement"
