"""KRS703 save-weights-extension: `save_weights` to a TF checkpoint prefix or a plain `.h5` file."""
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)


def new_model():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])


model = new_model()
fill_weights(model)
record("expected", model.predict(X, verbose=0))


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


with step("checkpoint") as out:  # Keras 2: a TF checkpoint (my_weights.index + .data-*)
    model.save_weights("my_weights")
    out["files"] = sorted(p for p in os.listdir(".") if p.startswith("my_weights"))
    fresh = new_model()
    fresh.load_weights("my_weights")
    out["same_weights"] = same(fresh, model)
    out["output"] = fresh.predict(X, verbose=0)

with step("h5") as out:
    model.save_weights("w.h5")
    out["files"] = sorted(p for p in os.listdir(".") if p.startswith("w."))
    fresh = new_model()
    fresh.load_weights("w.h5")
    out["same_weights"] = same(fresh, model)
    out["output"] = fresh.predict(X, verbose=0)

with step("in_folder") as out:  # the rule's own example: a checkpoint in a sub-folder
    model.save_weights("ckpt/my_weights")
    fresh = new_model()
    fresh.load_weights("ckpt/my_weights")
    out["same_weights"] = same(fresh, model)
