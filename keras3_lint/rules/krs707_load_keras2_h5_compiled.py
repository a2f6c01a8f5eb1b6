"""KRS707: ``load_model("*.h5")`` of a compiled Keras 2 model without ``compile=False`` (LOAD-3)."""

from __future__ import annotations

from ..rule import FIX_UNSAFE, Rule, RuleDoc, keyword_arg
from ._saving import H5_EXTENSIONS, LOAD_MODEL, PathCollector, with_keyword


class LoadKeras2H5Compiled(PathCollector, Rule):
    code = "KRS707"
    name = "load-keras2-h5-compiled"
    summary = "`load_model(\"*.h5\")` of a compiled Keras 2 model can fail to deserialize its loss/metrics in Keras 3; load with `compile=False` and compile again."
    fix_safety = FIX_UNSAFE
    doc = RuleDoc(
        what="""
            Flags `keras.models.load_model(path)` when the path ends in `.h5`/`.hdf5` and no
            `compile=` is given, unless this file itself writes that path (then it is a Keras 3
            file). A Keras 2 `.h5` stores the training config with Keras 2 names.
        """,
        why="""
            Keras 3 cannot rebuild some Keras 2 training configs, and the whole load fails:

                ValueError: Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass
                TypeError: <class 'keras.src.losses.losses.MeanSquaredError'> could not be deserialized properly...

            `load_model(path, compile=False)` loads the same file fine.
        """,
        bad="""
            model = keras.models.load_model("keras2_model.h5")
            model.fit(x, y)
        """,
        good="""
            model = keras.models.load_model("keras2_model.h5", compile=False)
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y)
        """,
        fix="""
            **Unsafe** (the facts call it safe; it is not always): adds `compile=False`. The
            loaded model is then uncompiled, so code that calls `fit`/`evaluate` on it without a
            new `compile(...)` fails, and an `.h5` written by Keras 3 loses its optimizer state
            for nothing. Add the `compile(...)` call yourself.
        """,
        sources=(
            "keras-team/keras#19898",
            "Checked: keras 3.15.1 loading `.h5` files written by tf_keras 2.21 for models compiled with `\"mse\"` / loss objects raises the errors quoted above; `compile=False` loads them (KERAS3_FACTS LOAD-3)",
        ),
        facts=("LOAD-3",),
    )

    def finish(self) -> None:
        for found in self.calls_of(LOAD_MODEL):
            info = found.info
            if info is None or found.arg is None or keyword_arg(found.call, "compile") is not None:
                continue
            if len([a for a in found.call.args if a.keyword is None]) >= 3:  # compile given positionally
                continue
            if info.ends_with(H5_EXTENSIONS) is not True or self.written_here(info):
                continue
            fix = self.unsafe_fix("Load with `compile=False` (compile the model again afterwards)").replace(
                found.call, with_keyword(found.call, "compile", "False")
            )
            self.report(
                found.call,
                "A compiled Keras 2 `.h5` may not load in Keras 3 (`Could not deserialize 'keras.metrics.mse'`"
                " / `could not be deserialized properly`); load it with `compile=False` and call `compile()` again",
                fix=fix,
            )
