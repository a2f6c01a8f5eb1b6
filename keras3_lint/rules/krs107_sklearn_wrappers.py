"""KRS107: `keras.wrappers.scikit_learn` (MOD-3)."""

from __future__ import annotations

from ..rule import FIX_NONE, Rule, RuleDoc
from ._api_table import Match, SymbolRuleMixin


class SklearnWrappers(SymbolRuleMixin, Rule):
    code = "KRS107"
    name = "scikit-learn-wrappers"
    summary = "`keras.wrappers.scikit_learn.KerasClassifier/KerasRegressor` are gone; use `keras.wrappers.SKLearnClassifier` or scikeras."
    fix_safety = FIX_NONE
    categories = frozenset({"sklearn"})
    doc = RuleDoc(
        what="Flags imports and uses of `keras.wrappers.scikit_learn` (`KerasClassifier`, `KerasRegressor`).",
        why="""
            The module was removed from tf.keras in TF 2.12 and does not exist in Keras 3:

                ModuleNotFoundError: No module named 'keras.wrappers.scikit_learn'
        """,
        bad="""
            from keras.wrappers.scikit_learn import KerasClassifier
            clf = KerasClassifier(build_fn=make_model, epochs=5)
        """,
        good="""
            import keras
            clf = keras.wrappers.SKLearnClassifier(model=make_model, fit_kwargs={"epochs": 5})
        """,
        fix="""
            None: `keras.wrappers.SKLearnClassifier` / `SKLearnRegressor` take a different
            constructor (`model=` and `model_kwargs` / `fit_kwargs`), and `scikeras` is a separate
            package.
        """,
        sources=(
            "Checked: keras 3.15.1 `import keras.wrappers.scikit_learn` -> ModuleNotFoundError: No module named 'keras.wrappers.scikit_learn'",
        ),
        facts=("MOD-3",),
    )

    def describe(self, match: Match) -> str:
        return (
            f"`keras.{match.rel}` does not exist in Keras 3 (ModuleNotFoundError); no automatic fix: use "
            "`keras.wrappers.SKLearnClassifier`/`SKLearnRegressor` (`model=` takes the build function; its "
            "arguments go in `model_kwargs=`, `fit` arguments in `fit_kwargs=`) or `scikeras`"
        )
