"""KRS106 on the real packages: what its messages and its learning-phase fix rely on.

- Keras 3 has no learning phase, and layers called outside `fit()` run in inference mode: a
  model with Dropout and BatchNormalization called as `model(x)` or `model.predict(x)` gives the
  `training=False` result, as tf_keras did after `K.set_learning_phase(0)`; so removing a top-level
  `K.set_learning_phase(0)` (the unsafe fix) keeps the program's results.
- Every `keras.*` path a KRS106 message names as the route for a function without a fix exists
  in Keras 3.
"""

from __future__ import annotations

import json
import os
import re
import warnings

import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _inputs():
    import numpy as np

    return np.linspace(-1.0, 1.0, 32, dtype="float32").reshape(4, 8)


def _model(lib):
    lib.utils.set_random_seed(0)
    inputs = lib.Input((8,))
    hidden = lib.layers.Dense(16)(inputs)
    hidden = lib.layers.BatchNormalization(momentum=0.0)(hidden)  # batch statistics differ from moving ones
    hidden = lib.layers.Dropout(0.5)(hidden)
    return lib.Model(inputs, lib.layers.Dense(3)(hidden))


def test_keras3_calls_outside_fit_run_in_inference_mode():
    import keras
    import numpy as np

    X = _inputs()
    model = _model(keras)
    inference = np.asarray(model(X, training=False))
    np.testing.assert_allclose(np.asarray(model(X)), inference, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(model.predict(X, verbose=0), inference, rtol=1e-5, atol=1e-5)
    # Last: a training call updates the BatchNormalization statistics.
    assert not np.allclose(np.asarray(model(X, training=True)), inference)
    assert not hasattr(keras.backend, "set_learning_phase")


def test_keras2_set_learning_phase_zero_meant_inference_mode():
    import numpy as np
    import tf_keras

    X = _inputs()
    model = _model(tf_keras)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tf_keras.backend.set_learning_phase(0)
    try:
        np.testing.assert_allclose(np.asarray(model(X)), np.asarray(model(X, training=False)), rtol=1e-6, atol=1e-6)
    finally:
        tf_keras.backend.clear_session()


def test_fixed_program_runs_and_predicts_in_inference_mode():
    import keras
    import numpy as np

    from keras3_lint.config import Settings
    from keras3_lint.fixer import fix_text
    from keras3_lint.runner import check_text

    source = (
        "from keras import backend as K\n"
        "K.set_learning_phase(0)\n"
        "model = build(keras_module)\n"
        "y = model(x)\n"
    )
    X = _inputs()
    fixed = fix_text(source, lambda t: check_text(t, Settings(), frozenset({"KRS106"})), unsafe_fixes=True).text
    assert "set_learning_phase" not in fixed
    namespace = {"build": _model, "keras_module": keras, "x": X}
    exec(compile(fixed, "fixed.py", "exec"), namespace)  # noqa: S102 - the fixed sample program
    np.testing.assert_allclose(np.asarray(namespace["y"]), np.asarray(namespace["model"](X, training=False)), rtol=1e-6, atol=1e-6)


def _route_paths():
    with open(os.path.join(ROOT, "keras3_lint", "data", "api_table.json"), encoding="utf-8") as handle:
        symbols = json.load(handle)["symbols"]
    paths = set()
    for path, entry in symbols.items():
        if path.startswith("backend.") and not entry.get("ops_call"):
            for chain in re.findall(r"\bkeras\.[A-Za-z_][A-Za-z_0-9.]*[A-Za-z_0-9]", entry.get("note", "")):
                paths.add(chain)
    return sorted(paths)


@pytest.mark.parametrize("path", _route_paths())
def test_every_route_named_by_a_message_exists_in_keras3(path):
    import keras

    target = keras
    for part in path.split(".")[1:]:
        target = getattr(target, part, None)
        assert target is not None, f"a KRS106 message names `{path}`, which Keras 3 lacks"
