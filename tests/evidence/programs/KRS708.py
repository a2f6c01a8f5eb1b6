"""KRS708 load-keras2-h5-rnn: `load_model("*.h5")` of an LSTM model saved by Keras 2 (`time_major`).

The Keras 2 run first writes the `.h5` into EVIDENCE_WORKDIR; the Keras 3 run of the same file,
in the same folder, loads it as is, with `compile=False`, with the docs' shim, and by rebuilding
the model and loading only the weights.
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
KERAS2 = keras_impl() == "tf_keras"
record("impl", keras_impl())
X = np.sin(np.arange(2 * 5 * 3, dtype="float32") * 0.7).reshape(2, 5, 3)


def build():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(5, 3)),
        tf.keras.layers.LSTM(4),
        tf.keras.layers.Dense(1),
    ])


def write_keras2_artifact(target, path):
    target.save(path)


if KERAS2:
    original = build()
    fill_weights(original)
    original.compile(optimizer="adam", loss=tf.keras.losses.MeanSquaredError())
    write_keras2_artifact(original, "keras2_lstm.h5")
    record("written", original.predict(X, verbose=0))

with step("load") as out:
    model = tf.keras.models.load_model("keras2_lstm.h5")
    out["output"] = model.predict(X, verbose=0)

with step("load_uncompiled") as out:
    model = tf.keras.models.load_model("keras2_lstm.h5", compile=False)
    out["output"] = model.predict(X, verbose=0)


class LSTM(tf.keras.layers.LSTM):  # the docs' shim: accept and drop `time_major`
    def __init__(self, *args, time_major=False, **kwargs):
        super().__init__(*args, **kwargs)


with step("shim") as out:
    model = tf.keras.models.load_model("keras2_lstm.h5", custom_objects={"LSTM": LSTM}, compile=False)
    out["output"] = model.predict(X, verbose=0)

with step("rebuild") as out:
    model = build()
    model.load_weights("keras2_lstm.h5")
    out["output"] = model.predict(X, verbose=0)
