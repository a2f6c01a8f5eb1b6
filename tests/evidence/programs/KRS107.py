"""KRS107 scikit-learn-wrappers: `keras.wrappers.scikit_learn.KerasClassifier` / `KerasRegressor` (MOD-3)."""
import importlib
import os
import sys

if os.environ.get("EVIDENCE_KERAS") == "2":
    # Keras 2's own `import keras`: tf_keras 2.21 is that code base under another name.
    _k2 = importlib.import_module("tf_keras")
    sys.modules.update({"keras": _k2})

import keras  # noqa: E402

from _evidence import record, step  # noqa: E402

record("impl", keras.layers.Dense.__module__.split(".")[0])

with step("keras_import") as out:
    from keras.wrappers.scikit_learn import KerasClassifier

    out["class"] = KerasClassifier.__name__
with step("tf_keras_import") as out:
    from tensorflow.keras.wrappers.scikit_learn import KerasRegressor

    out["class"] = KerasRegressor.__name__
with step("replacement") as out:  # the guidance (constructing one needs scikit-learn)
    out["classes"] = [keras.wrappers.SKLearnClassifier.__name__, keras.wrappers.SKLearnRegressor.__name__]
