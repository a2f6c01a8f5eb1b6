"""KRS709 model-from-json-keras2: `model_from_json` of an architecture written by Keras 2 `to_json()`.

The Keras 2 run first writes the JSON and `.h5` weights into EVIDENCE_WORKDIR; the Keras 3 run of
the same file, in the same folder, reads them back.
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
KERAS2 = keras_impl() == "tf_keras"
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)


def build_model():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])


def write_keras2_artifact(target, json_path, weights_path):
    with open(json_path, "w") as f:
        f.write(target.to_json())
    target.save_weights(weights_path)


if KERAS2:
    original = build_model()
    fill_weights(original)
    write_keras2_artifact(original, "keras2_model.json", "keras2_weights.h5")
    record("written", original.predict(X, verbose=0))

with step("from_json") as out:
    with open("keras2_model.json") as f:
        model = tf.keras.models.model_from_json(f.read())
    model.load_weights("keras2_weights.h5")
    out["output"] = model.predict(X, verbose=0)

with step("rebuild") as out:  # the docs' replacement: the architecture in code
    model = build_model()
    model.load_weights("keras2_weights.h5")
    out["output"] = model.predict(X, verbose=0)
