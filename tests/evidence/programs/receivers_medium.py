"""A model returned by a function of another module (the resolver cannot see its type), trained
with Keras 2's `fit_generator` and its optimizer's `lr` changed: the unknown-receiver route."""
import numpy as np
import tensorflow as tf
from _evidence import keras_impl, record, step
from receivers_models import build_model

record("impl", keras_impl())


def batches():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    while True:
        yield x, y


tf.keras.utils.set_random_seed(0)
model = build_model()
with step("fit_generator") as out:
    history = model.fit_generator(batches(), steps_per_epoch=2, epochs=2, verbose=0)
    out["loss"] = history.history["loss"]
    out["kernel"] = model.layers[-1].get_weights()[0].tolist()
with step("optimizer_lr") as out:
    out["learning_rate"] = float(np.asarray(model.optimizer.lr))
