"""KRS702 save-format-argument: `save_format=` on `model.save` / `model.save_weights`."""
import os
import zipfile

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)


def is_hdf5(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89HDF\r\n\x1a\n"


def written(before):
    """The files and folders a step added to the working folder, with their kind."""
    kinds = {}
    for p in sorted(set(os.listdir(".")) - before):
        kinds[p] = "folder" if os.path.isdir(p) else "hdf5" if is_hdf5(p) else "zip" if zipfile.is_zipfile(p) else "other"
    return kinds


def new_model():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])


model = new_model()
fill_weights(model)
record("expected", model.predict(X, verbose=0))

with step("save_tf") as out:  # a SavedModel folder in Keras 2
    before = set(os.listdir("."))
    model.save("tf_model", save_format="tf")
    out["written"] = written(before)

with step("save_h5") as out:  # an extension that already says h5: Keras 3 only warns
    before = set(os.listdir("."))
    model.save("model.h5", save_format="h5")
    out["written"] = written(before)
    out["output"] = tf.keras.models.load_model("model.h5").predict(X, verbose=0)

with step("save_h5_no_extension") as out:
    before = set(os.listdir("."))
    model.save("h5_model", save_format="h5")
    out["written"] = written(before)

with step("save_weights_h5") as out:
    before = set(os.listdir("."))
    model.save_weights("model.weights.h5", save_format="h5")
    out["written"] = written(before)
    fresh = new_model()
    fresh.load_weights("model.weights.h5")
    out["same_weights"] = all(np.array_equal(a, b) for a, b in zip(fresh.get_weights(), model.get_weights()))
    out["output"] = fresh.predict(X, verbose=0)
