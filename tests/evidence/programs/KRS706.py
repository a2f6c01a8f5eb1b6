"""KRS706 load-weights-tf-checkpoint: `load_weights` of a TF checkpoint written by Keras 2.

The Keras 2 run first writes the checkpoint (and, as the docs advise, an `.h5` conversion of it)
into EVIDENCE_WORKDIR; the Keras 3 run of the same file, in the same folder, loads them.
"""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
KERAS2 = keras_impl() == "tf_keras"
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)


def new_model():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])


def write_keras2_artifact(target, path):
    target.save_weights(path)  # Keras 2: a TF checkpoint for a path without extension, HDF5 for .h5


if KERAS2:
    original = new_model()
    fill_weights(original)
    write_keras2_artifact(original, os.path.join("training_1", "cp.ckpt"))
    write_keras2_artifact(original, "cp.h5")  # the docs' one-time conversion
    record("files", sorted(os.listdir("training_1")))
    record("written", original.predict(X, verbose=0))

with step("checkpoint") as out:
    model = new_model()
    model.load_weights("training_1/cp.ckpt")
    out["output"] = model.predict(X, verbose=0)

with step("converted") as out:
    model = new_model()
    model.load_weights("cp.h5")
    out["output"] = model.predict(X, verbose=0)
