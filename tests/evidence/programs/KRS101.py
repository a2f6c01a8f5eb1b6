"""KRS101 removed-keras-symbol: `keras.layers.ThresholdedReLU` and `LocallyConnected2D` (LAY-2), `tf.keras.estimator` (MOD-5)."""
import importlib
import os
import sys

import numpy as np

if os.environ.get("EVIDENCE_KERAS") == "2":
    # Keras 2's own `import keras`: tf_keras 2.21 is that code base under another name.
    _k2 = importlib.import_module("tf_keras")
    sys.modules.update({"keras": _k2, "keras.layers": _k2.layers})

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from _evidence import fill_weights, record, step  # noqa: E402

record("impl", keras.layers.Dense.__module__.split(".")[0])
x = np.array([[-1.0, 0.0, 0.5, 0.75, 1.0, 1.5, 3.0]], dtype="float32")  # includes x == theta

with step("theta") as out:
    out["output"] = keras.layers.ThresholdedReLU(theta=0.5)(x)
with step("default_theta") as out:
    out["output"] = keras.layers.ThresholdedReLU()(x)
with step("in_model") as out:
    model = keras.Sequential([keras.Input(shape=(7,)), keras.layers.Dense(5), keras.layers.ThresholdedReLU(theta=0.1)])
    fill_weights(model)
    out["output"] = model.predict(np.abs(x) * 2.0, verbose=0)
with step("locally_connected") as out:
    from keras.layers import LocallyConnected2D

    out["layer"] = LocallyConnected2D(2, 3).__class__.__name__
with step("estimator") as out:
    out["function"] = tf.keras.estimator.model_to_estimator.__name__
with step("rmsprop_alias") as out:
    # standalone Keras 2.0-2.3's lowercase alias (`rmsprop = RMSprop`), positional learning rate
    optimizer = keras.optimizers.rmsprop(0.01)
    out["class"], out["learning_rate"] = type(optimizer).__name__, float(np.asarray(optimizer.learning_rate))
with step("adam_alias_tf") as out:
    optimizer = tf.keras.optimizers.adam(0.02)
    out["class"], out["learning_rate"] = type(optimizer).__name__, float(np.asarray(optimizer.learning_rate))
