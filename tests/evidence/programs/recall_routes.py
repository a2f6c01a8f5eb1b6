"""Keras 2 code the real-code recall measurement missed: a `get_updates` override in an optimizer
subclass, `model._make_predict_function()` before serving, and `fit_generator` with the loader
arguments `workers=` / `use_multiprocessing=` (KRS729 removes them, then KRS103 renames the call)."""
import numpy as np
import tensorflow as tf
from _evidence import keras_impl, record, step

record("impl", keras_impl())
calls = []


class LoggedSGD(tf.keras.optimizers.SGD):
    def get_updates(self, loss, params):
        calls.append(len(params))
        raise RuntimeError("get_updates was called")


def batches():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    while True:
        yield x, y


def build(optimizer):
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizer, loss="mse")
    return model


with step("get_updates") as out:
    model = build(LoggedSGD(0.01))
    history = model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
    out["calls"] = len(calls)
    out["loss"] = history.history["loss"]
with step("make_predict_function") as out:
    model = build("sgd")
    model._make_predict_function()
with step("fit_generator") as out:
    model = build(tf.keras.optimizers.SGD(0.01))
    history = model.fit_generator(batches(), steps_per_epoch=2, epochs=2, verbose=0, workers=1, use_multiprocessing=False)
    out["loss"] = history.history["loss"]
    out["kernel"] = model.layers[-1].get_weights()[0].tolist()
