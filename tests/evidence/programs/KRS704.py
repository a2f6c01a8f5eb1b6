"""KRS704 modelcheckpoint-filepath: ModelCheckpoint to a SavedModel folder or `.hdf5` files (handson-ml3 ch16)."""
import glob
import os

import numpy as np
import tensorflow as tf

from _evidence import fill_weights, keras_impl, record, step

os.chdir(os.environ.get("EVIDENCE_WORKDIR") or os.getcwd())
record("impl", keras_impl())
X = np.linspace(-1, 1, 48, dtype="float32").reshape(12, 4)
Y = np.stack([X.sum(1), X[:, 0] - X[:, 3]], 1)


def new_model():
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(3, activation="tanh"),
        tf.keras.layers.Dense(2),
    ])
    fill_weights(model)
    model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(0.05))
    return model


def latest(pattern):
    return sorted(glob.glob(pattern))[-1]


with step("created"):  # is the path checked in the constructor (before any training)?
    tf.keras.callbacks.ModelCheckpoint("created_model", save_best_only=True)

with step("model") as out:
    model = new_model()
    checkpoint_cb = tf.keras.callbacks.ModelCheckpoint("my_checkpoint", monitor="loss", save_best_only=True)
    model.fit(X, Y, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[checkpoint_cb])
    out["expected"] = model.predict(X, verbose=0)
    restored = tf.keras.models.load_model("my_checkpoint")
    out["output"] = restored.predict(X, verbose=0)
    out["folder"] = os.path.isdir("my_checkpoint")

with step("weights") as out:
    model = new_model()
    weights_cb = tf.keras.callbacks.ModelCheckpoint("weights.{epoch:02d}.hdf5", save_weights_only=True)
    model.fit(X, Y, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[weights_cb])
    out["files"] = sorted(glob.glob("weights.*"))
    fresh = new_model()
    fresh.load_weights(latest("weights.*"))
    out["same_weights"] = all(np.array_equal(a, b) for a, b in zip(fresh.get_weights(), model.get_weights()))

with step("hdf5_model") as out:
    model = new_model()
    best_cb = tf.keras.callbacks.ModelCheckpoint("best.hdf5", monitor="loss", save_best_only=True)
    model.fit(X, Y, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[best_cb])
    out["files"] = sorted(glob.glob("best.*"))
    out["hdf5"] = open(latest("best.*"), "rb").read(8) == b"\x89HDF\r\n\x1a\n"
    out["expected"] = model.predict(X, verbose=0)

with step("hdf5_model_load") as out:  # the model was compiled with loss="mse"
    out["output"] = tf.keras.models.load_model(latest("best.*")).predict(X, verbose=0)

with step("hdf5_model_load_uncompiled") as out:
    out["output"] = tf.keras.models.load_model(latest("best.*"), compile=False).predict(X, verbose=0)
