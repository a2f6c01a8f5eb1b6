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
            `keras.mixed_precision.experimental`, `keras.backend.tensorflow_backend`,
            `keras.objectives`, `keras.engine.saving`. The list is generated: every module file
            of standalone Keras 2.0.0-2.3.1 and of the `keras` package 2.6-2.12 (read statically
            from their wheels) that is not a public module anywhere and that Keras 3 does not
            import, plus the hand-written entries; each name is mapped to the public Keras 3
            path of the same object.
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
            by the generator), keeping the local name; for the generated entries, the public
            path the same release exported the same object under (`keras.objectives.
            mean_squared_error` -> `keras.losses.mean_squared_error`,
            `keras.engine.saving.load_model` -> `keras.models.load_model`). Private helpers
            (`to_list`, `unpack_singleton`, `conv_utils`) have no public replacement and are
            reported only.
        """,
        sources=(
            "keras3_lint/data/api_overrides.toml [modules] (checked by scripts/generate_api_table.py: " + versions_line() + ")",
            "Checked: keras 3.15.1 `import keras.engine.topology` -> ModuleNotFoundError: No module named 'keras.engine'",
        ),
        facts=("MOD-1", "BK-3"),
    )

    def describe(self, match: Match) -> str:
        module = match.rel
        versions = match.entry.get("keras2_versions", "")
        # which old releases had the module (read from them), e.g. "keras 2.0.0–2.3.1"
        path = match.entry.get("path", "")
        had = f" (`keras.{path}` was a module of {versions})" if versions.startswith("keras ") and path else ""
        if match.replacement:
            return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError){had}; use `keras.{match.replacement}`"
        return f"`keras.{module}` does not exist in Keras 3 (ModuleNotFoundError){had} and has no public replacement"
