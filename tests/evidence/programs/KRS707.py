"""KRS707 load-keras2-h5-compiled: `load_model("*.h5")` of a compiled model saved by Keras 2.

The Keras 2 run first writes two compiled `.h5` models into EVIDENCE_WORKDIR (loss/metric strings,
loss/metric objects); the Keras 3 run of the same file, in the same folder, loads them.
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
KERAS2 = keras_impl() == "tf_keras"
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
Y = np.stack([X.sum(1), X[:, 0] - X[:, 3]], 1)


def write_keras2_artifact(target, path):
    target.save(path)


if KERAS2:
    for path, loss, metrics in (
        ("keras2_strings.h5", "mse", ["mae"]),
        ("keras2_objects.h5", tf.keras.losses.MeanSquaredError(), [tf.keras.metrics.MeanAbsoluteError()]),
    ):
        original = tf.keras.Sequential([
            tf.keras.Input(shape=(4,)),
            tf.keras.layers.Dense(3, activation="tanh"),
            tf.keras.layers.Dense(2),
        ])
        fill_weights(original)
        original.compile(optimizer="sgd", loss=loss, metrics=metrics)
        write_keras2_artifact(original, path)
    record("written", original.predict(X, verbose=0))

with step("strings") as out:
    model = tf.keras.models.load_model("keras2_strings.h5")
    out["output"] = model.predict(X, verbose=0)

with step("strings_evaluate") as out:  # the Keras 2 code goes on using the compiled model
    out["loss"] = model.evaluate(X, Y, verbose=0)

with step("objects") as out:
    model = tf.keras.models.load_model("keras2_objects.h5")
    out["output"] = model.predict(X, verbose=0)
