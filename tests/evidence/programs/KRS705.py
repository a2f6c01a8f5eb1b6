"""KRS705 load-savedmodel-directory: `load_model` of a SavedModel folder written by Keras 2.

The Keras 2 run (TF_USE_LEGACY_KERAS=1) first writes the folder into EVIDENCE_WORKDIR, standing in
for a model saved by an older program; the Keras 3 run of the same file, in the same folder, loads it.
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
KERAS2 = keras_impl() == "tf_keras"
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)


def write_keras2_artifact(target, path):
    target.save(path)  # Keras 2: a SavedModel folder


if KERAS2:
    original = tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])
    fill_weights(original)
    write_keras2_artifact(original, "exported_savedmodel")
    record("written", original.predict(X, verbose=0))

with step("load") as out:
    model = tf.keras.models.load_model("exported_savedmodel")
    out["output"] = model.predict(X, verbose=0)

if not KERAS2:  # the docs' inference-only replacement (Keras 3 only)
    with step("tfsmlayer") as out:
        layer = tf.keras.layers.TFSMLayer("exported_savedmodel", call_endpoint="serving_default")
        result = layer(tf.constant(X))
        out["output"] = list(result.values())[0] if isinstance(result, dict) else result
        out["trainable_weights"] = len(layer.trainable_weights)
